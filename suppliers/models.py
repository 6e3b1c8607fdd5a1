"""Supplier profiles and their catalogs: products, price tiers, images, imports."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import MD5, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField, MultipleCountriesDescriptor

from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import BilingualPlaceMixin, Category, Company, Currency, IndustrialBelt, prefers_chinese
from marketplace.storage import private_storage
from marketplace.units import Unit


class SupplierProfileQuerySet(models.QuerySet["SupplierProfile"]):
    def listed(self) -> SupplierProfileQuerySet:
        """Profiles shown publicly: active, whatever their verification."""
        return self.filter(is_active=True)


class SupplierProfile(BilingualPlaceMixin, models.Model):
    """A company's selling side. A company sells once it has one."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class BusinessType(models.TextChoices):
        MANUFACTURER = "manufacturer", _("Manufacturer")
        TRADING = "trading", _("Trading company")
        BOTH = "both", _("Manufacturer and trading company")

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="supplier_profile", verbose_name=_("company")
    )
    name = models.CharField(_("supplier name"), max_length=200)
    name_zh = models.CharField(_("supplier name (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    description_zh = models.TextField(_("description (Chinese)"), blank=True, max_length=5000)
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"), null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    staff_count = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    factory_area_m2 = models.PositiveIntegerField(_("factory area (m²)"), null=True, blank=True)
    # django-stubs reads a CountryField as the CharField it extends (a str); reading this one gives its countries.
    export_markets: models.Field[Iterable[Country | str], MultipleCountriesDescriptor] = CountryField(
        _("export markets"), multiple=True, blank=True
    )
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    belt = models.ForeignKey(
        IndustrialBelt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suppliers",
        verbose_name=_("industrial belt"),
    )
    province = models.CharField(_("province"), max_length=20, choices=PROVINCE_CHOICES, db_index=True)
    city = models.CharField(_("city"), max_length=100)
    main_categories = models.ManyToManyField(Category, related_name="suppliers", verbose_name=_("main categories"))
    business_type = models.CharField(
        _("business type"), max_length=12, choices=BusinessType.choices, default=BusinessType.MANUFACTURER
    )
    verification_status = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Response to RFQs over the last 30 days, recomputed by buyers through
    # suppliers.services.metrics (share of matched RFQs answered within 24 hours, median minutes).
    response_rate = models.PositiveSmallIntegerField(_("response rate (%)"), null=True, blank=True, editable=False)
    response_median_minutes = models.PositiveIntegerField(
        _("median response time (minutes)"), null=True, blank=True, editable=False
    )
    response_metrics_at = models.DateTimeField(_("response figures updated"), null=True, blank=True, editable=False)
    # Buyers' ratings after completed orders and the share of orders delivered by their required
    # date, computed by orders and set through suppliers.services.metrics.
    rating_average = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(_("ratings"), default=0, editable=False)
    on_time_rate = models.PositiveSmallIntegerField(_("on-time delivery (%)"), null=True, blank=True, editable=False)
    # Words of the names, description and categories, Chinese segmented, for the search index.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SupplierProfileQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    @property
    def is_manufacturer(self) -> bool:
        return self.business_type in {self.BusinessType.MANUFACTURER, self.BusinessType.BOTH}

    @property
    def display_name(self) -> str:
        if prefers_chinese():
            return self.name_zh or self.name
        return self.name or self.name_zh

    @property
    def description(self) -> str:
        if prefers_chinese():
            return self.description_zh or self.description_en
        return self.description_en or self.description_zh


class ProductLineCapacity(models.Model):
    """How much of one product line a supplier can make in a month."""

    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("supplier")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    product_line = models.CharField(_("product line"), max_length=200)
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, default="piece")

    class Meta:
        ordering = ["supplier", "product_line"]
        verbose_name = _("product line capacity")
        verbose_name_plural = _("product line capacities")

    def __str__(self) -> str:
        return f"{self.product_line}: {self.monthly_capacity}/{self.unit}"


def certification_upload_to(instance: Certification, filename: str) -> str:
    return f"suppliers/{instance.supplier_id}/certifications/{filename}"


class Certification(models.Model):
    """A document a supplier submits for verification: its business licence or a certification.

    Staff review each one (approve, or reject with a reason); the verified badge follows from the
    approved, unexpired documents (suppliers/services/verification.py).
    """

    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "licence", _("Business licence")
        CERTIFICATION = "certification", _("Certification")

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="certifications", verbose_name=_("supplier")
    )
    kind = models.CharField(_("kind"), max_length=13, choices=Kind.choices, default=Kind.CERTIFICATION)
    name = models.CharField(_("certificate"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    number = models.CharField(_("number"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=certification_upload_to, blank=True, storage=private_storage)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    review_status = models.CharField(
        _("review"), max_length=8, choices=Review.choices, default=Review.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    expiry_warned_at = models.DateTimeField(_("expiry warning sent"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expiry recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["supplier", "name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        indexes = [
            models.Index(fields=["review_status", "created_at"], name="certification_review_queue"),
            models.Index(fields=["expires_on"], name="certification_expiry", condition=Q(review_status="approved")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer})"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class VerificationEvent(models.Model):
    """One recorded step of a supplier's verification: submitted, approved, rejected, warned, expired."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Document submitted")
        APPROVED = "approved", _("Document approved")
        REJECTED = "rejected", _("Document rejected")
        EXPIRY_WARNED = "expiry_warned", _("Expiry warning sent")
        EXPIRED = "expired", _("Document expired")
        BADGE_GRANTED = "badge_granted", _("Verified badge granted")
        BADGE_REMOVED = "badge_removed", _("Verified badge removed")

    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="verification_events", verbose_name=_("supplier")
    )
    document = models.ForeignKey(
        Certification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("document"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=14, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["supplier", "created_at", "id"]
        verbose_name = _("verification event")
        verbose_name_plural = _("verification events")

    def __str__(self) -> str:
        return f"{self.supplier_id}: {self.action}"


class SupplierMetricSnapshot(models.Model):
    """A supplier's response figures on one day, kept so staff can see whose response rate is falling."""

    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="metric_snapshots", verbose_name=_("supplier")
    )
    taken_on = models.DateField(_("day"))
    response_rate = models.PositiveSmallIntegerField(_("response rate (%)"), null=True, blank=True)
    response_median_minutes = models.PositiveIntegerField(_("median response time (minutes)"), null=True, blank=True)

    class Meta:
        ordering = ["supplier", "-taken_on"]
        verbose_name = _("supplier metric snapshot")
        verbose_name_plural = _("supplier metric snapshots")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "taken_on"], name="one_metric_snapshot_per_supplier_and_day")
        ]
        indexes = [models.Index(fields=["taken_on"], name="metric_snapshot_day")]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.taken_on}: {self.response_rate}"


def factory_photo_upload_to(instance: FactoryPhoto, filename: str) -> str:
    return f"suppliers/{instance.supplier_id}/factory/{filename}"


class FactoryPhoto(models.Model):
    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="factory_photos", verbose_name=_("supplier")
    )
    image = models.ImageField(_("image"), upload_to=factory_photo_upload_to, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to=factory_photo_upload_to, blank=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["supplier", "position", "id"]
        verbose_name = _("factory photo")
        verbose_name_plural = _("factory photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


# --- The catalog --------------------------------------------------------------------------------


class ProductQuerySet(models.QuerySet["Product"]):
    def published(self) -> ProductQuerySet:
        """What buyers may see: published products of active suppliers."""
        return self.filter(status=Product.Status.PUBLISHED, supplier__is_active=True)


class Product(models.Model):
    """One product of a supplier's catalog. Its prices are its PriceTier rows (see suppliers.pricing)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="products", verbose_name=_("supplier")
    )
    sku = models.CharField(_("SKU"), max_length=64, help_text=_("Your own product code, unique in your catalog."))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    attributes = models.JSONField(
        _("attributes"), default=list, blank=True, help_text=_("Name and value pairs such as material or colour.")
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    moq = models.PositiveIntegerField(_("minimum order quantity"), validators=[MinValueValidator(1)])
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", default="CNY", verbose_name=_("currency")
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), null=True, blank=True)
    sample_available = models.BooleanField(_("sample available"), default=False)
    sample_price = models.DecimalField(
        _("sample price"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    sample_days = models.PositiveSmallIntegerField(_("sample lead time (days)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Denormalised from the supplier and the tiers so search filters need no joins (kept by the services).
    belt = models.ForeignKey(
        IndustrialBelt, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("belt")
    )
    province = models.CharField(_("province"), max_length=20, choices=PROVINCE_CHOICES, blank=True)
    min_unit_price = models.DecimalField(_("lowest unit price"), max_digits=14, decimal_places=4, null=True)
    # Words of title, description, attributes and SKU, Chinese segmented, for the search index.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "sku"], name="product_sku_unique_per_supplier"),
            models.CheckConstraint(condition=Q(moq__gte=1), name="product_moq_positive"),
        ]
        indexes = [
            models.Index(fields=["supplier", "status", "-created_at"], name="product_supplier_status"),
            models.Index(fields=["status", "category", "-created_at"], name="product_status_category"),
            models.Index(fields=["status", "belt"], name="product_status_belt"),
            models.Index(fields=["status", "min_unit_price"], name="product_status_price"),
            # The published products written in a text whose translation just arrived, to index
            # them again (suppliers.search.index.products_reindex_translated).
            models.Index(MD5("title"), condition=Q(status="published"), name="product_title_md5"),
            models.Index(MD5("description"), condition=Q(status="published"), name="product_description_md5"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.title}"


class PriceTier(models.Model):
    """From `min_quantity` units on, each unit costs `unit_price` (in the product's currency)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("product"))
    min_quantity = models.PositiveIntegerField(_("from quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        _("unit price"), max_digits=14, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )

    class Meta:
        ordering = ["product", "min_quantity"]
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        constraints = [
            models.UniqueConstraint(fields=["product", "min_quantity"], name="price_tier_unique_quantity"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="price_tier_price_positive"),
        ]
        indexes = [
            # The price sort at a quantity walks the tiers cheapest first (suppliers.search.browse).
            models.Index(fields=["unit_price", "product"], include=["min_quantity"], name="price_tier_price_product"),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_quantity}: {self.unit_price}"


def product_image_upload_to(instance: ProductImage, filename: str) -> str:
    return f"products/{instance.product_id}/{filename}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("product"))
    image = models.ImageField(_("image"), upload_to=product_image_upload_to, width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to=product_image_upload_to, blank=True)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["product", "position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.image.name or ""


class SheetImport(models.Model):
    """What every uploaded CSV/XLSX sheet import keeps (a catalog, a belt's factory list): who sent
    which file, how far the task got, the rows' errors. Subclasses add the file, whose it is, their
    statuses (each has DONE) and their counts."""

    # Declared by each subclass: its statuses (with DONE) and the field that holds one.
    Status: ClassVar[Any]
    status: str

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # When the relay queues the run again (suppliers/services/import_relay.py): set when the import
    # is queued (its task lost with the broker) and when it starts (its worker killed: the stale-run
    # rule then lets the new task take it over); cleared when it ends.
    run_due_at = models.DateTimeField(_("run due"), null=True, blank=True, editable=False)
    run_requeues = models.PositiveSmallIntegerField(_("times queued again"), default=0, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["run_due_at"], name="%(class)s_run_due", condition=models.Q(run_due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


def import_upload_to(instance: CatalogImport, filename: str) -> str:
    return f"imports/{instance.supplier_id}/{filename}"


class CatalogImport(SheetImport):
    """One upload of a CSV or XLSX catalog file: validated first, then upserted by SKU in a task."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Checked, ready to import")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="imports", verbose_name=_("supplier")
    )
    file = models.FileField(_("file"), upload_to=import_upload_to, storage=private_storage)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READY)
    created_count = models.PositiveIntegerField(_("products created"), default=0)
    updated_count = models.PositiveIntegerField(_("products updated"), default=0)

    class Meta(SheetImport.Meta):
        verbose_name = _("catalog import")
        verbose_name_plural = _("catalog imports")


# --- Search table (search helper) ---


class ProductSearchRow(models.Model):
    """One product a buyer can find, in the narrow search table (PostgreSQL only; read-only here).

    Migration 0006 creates the table, its indexes and the triggers that keep it current in the
    transaction of every write to products, suppliers and categories; SQLite has no such table (the
    model is unmanaged) and searches the product table. The `search_vector` column (the product's
    words plus filter tokens) is not declared: `suppliers.search.expressions` names it.
    """

    product = models.OneToOneField(Product, on_delete=models.DO_NOTHING, primary_key=True, related_name="+")
    supplier_id = models.BigIntegerField()
    created_at = models.DateTimeField()
    category_id = models.BigIntegerField()
    belt_id = models.BigIntegerField(null=True)
    currency_id = models.CharField(max_length=3)
    min_unit_price = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    moq = models.IntegerField()
    lead_time_days = models.SmallIntegerField()

    class Meta:
        managed = False
        db_table = "suppliers_productsearch"

    def __str__(self) -> str:
        return f"search row of product {self.product_id}"


class SearchWord(models.Model):
    """A word of the catalog: a Latin-script word of 3 to 30 letters, or a Chinese word of 2 to 8
    characters, that some product a buyer can find holds, with how many do. The vocabulary misspelt
    query words are corrected against (`suppliers.search.spelling`); derived data, rebuilt by
    `spelling.vocabulary_refresh`. PostgreSQL also indexes `word` by trigrams (migration 0017)."""

    word = models.CharField(max_length=30, primary_key=True)
    # A Latin word's letters sorted: a swap of two neighbours, the commonest slip, keeps them.
    letters = models.CharField(max_length=30, db_index=True)
    length = models.PositiveSmallIntegerField()
    products = models.PositiveIntegerField()
    # A Chinese word's sound, its pinyin without tones ("shuangjian"): a homophone typed with a pinyin
    # input method (双间 for 双肩) has the same. Empty for Latin words.
    sound = models.CharField(max_length=64, blank=True, default="", db_index=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word


# --- Belt onboarding: importing and inviting a belt's factories ---


def factory_import_upload_to(instance: FactoryImport, filename: str) -> str:
    return f"belt-imports/{instance.belt_id}/{filename}"


class FactoryImport(SheetImport):
    """One staff upload of a belt's factory list (CSV or XLSX), checked row by row and run as a task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    belt = models.ForeignKey(
        IndustrialBelt, on_delete=models.CASCADE, related_name="factory_imports", verbose_name=_("belt")
    )
    file = models.FileField(_("file"), upload_to=factory_import_upload_to, storage=private_storage)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    invited_count = models.PositiveIntegerField(_("factories invited"), default=0)

    class Meta(SheetImport.Meta):
        verbose_name = _("factory import")
        verbose_name_plural = _("factory imports")


class FactoryInvitationQuerySet(models.QuerySet["FactoryInvitation"]):
    def unclaimed(self) -> FactoryInvitationQuerySet:
        return self.filter(claimed_at__isnull=True, revoked_at__isnull=True)


class FactoryInvitation(models.Model):
    """A belt factory invited by staff to claim its account, its profile prefilled from the import.

    The link in the e-mail is signed (django.core.signing) with this row's id and `token_nonce` and
    expires; sending it again changes the nonce, so older links stop working.
    """

    belt = models.ForeignKey(
        IndustrialBelt, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("belt")
    )
    factory_import = models.ForeignKey(
        FactoryImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("import"),
    )
    company_name = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    categories = models.ManyToManyField(Category, related_name="+", blank=True, verbose_name=_("categories"))
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    token_nonce = models.CharField(max_length=32, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    supplier = models.OneToOneField(
        SupplierProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("supplier"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    # The e-mail waiting to go out (the invitation, a resend or a reminder), claimed by the task
    # queued after commit or by the relay (suppliers/services/invitation_delivery.py): due since
    # `email_due_at`; none when nothing is waiting.
    email_due_at = models.DateTimeField(_("e-mail due"), null=True, blank=True, editable=False)
    email_reminder = models.BooleanField(_("the due e-mail is a reminder"), default=False, editable=False)
    email_attempts = models.PositiveSmallIntegerField(_("attempts to send the due e-mail"), default=0, editable=False)
    email_error = models.TextField(_("last e-mail error"), blank=True, editable=False)

    objects = FactoryInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["belt", "-created_at", "-id"]
        verbose_name = _("factory invitation")
        verbose_name_plural = _("factory invitations")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_factory_invitation_per_email"),
        ]
        indexes = [
            models.Index(fields=["sent_at"], name="factory_invitation_unclaimed", condition=Q(claimed_at__isnull=True)),
            models.Index(
                fields=["email_due_at"], name="factory_invitation_email_due", condition=Q(email_due_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} <{self.email}>"

    @property
    def is_claimed(self) -> bool:
        return self.claimed_at is not None
