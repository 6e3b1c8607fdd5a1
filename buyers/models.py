"""Sourcing requests (RFQs), their attachments and recorded transitions, and supplier matches."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from marketplace.models import Category, Company, Currency, PrivateFile
from suppliers.models import Product, SupplierProfile, Unit


class Incoterm(models.TextChoices):
    """Incoterms 2020."""

    EXW = "EXW", _("EXW — ex works")
    FCA = "FCA", _("FCA — free carrier")
    FAS = "FAS", _("FAS — free alongside ship")
    FOB = "FOB", _("FOB — free on board")
    CFR = "CFR", _("CFR — cost and freight")
    CIF = "CIF", _("CIF — cost, insurance and freight")
    CPT = "CPT", _("CPT — carriage paid to")
    CIP = "CIP", _("CIP — carriage and insurance paid to")
    DAP = "DAP", _("DAP — delivered at place")
    DPU = "DPU", _("DPU — delivered at place unloaded")
    DDP = "DDP", _("DDP — delivered duty paid")


class SourcingRequestQuerySet(models.QuerySet["SourcingRequest"]):
    def open(self) -> SourcingRequestQuerySet:
        return self.filter(status=SourcingRequest.Status.OPEN)

    def public(self) -> SourcingRequestQuerySet:
        return self.filter(visibility=SourcingRequest.Visibility.PUBLIC)


class SourcingRequest(models.Model):
    """A buyer's request for quotes (RFQ). Its lifecycle lives in buyers/services/rfqs.py."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public to matched suppliers")
        PRIVATE = "private", _("Private to invited suppliers")

    buyer = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="sourcing_requests", verbose_name=_("buyer")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="sourcing_requests", verbose_name=_("category")
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    target_unit_price = models.DecimalField(
        _("target unit price"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", default="USD", verbose_name=_("currency")
    )
    # django-stubs reads a CountryField as the CharField it extends (a str); reading one gives a Country.
    destination_country: models.Field[Country | str, Country] = CountryField(_("destination country"))
    destination_city = models.CharField(_("destination city or port"), max_length=120, blank=True)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    required_by = models.DateField(_("required delivery date"))
    quote_deadline = models.DateTimeField(_("quote deadline"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    allow_split = models.BooleanField(_("the order may be split across several suppliers"), default=False)
    max_quotes = models.PositiveSmallIntegerField(
        _("most quotes wanted"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # "Request a quote" from a product or supplier page: where the RFQ came from.
    source_product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("product")
    )
    # Words of the title and description, Chinese segmented (suppliers.search.segment), for matching.
    search_text = models.TextField(editable=False, blank=True)
    # Counters kept by services with F() (never recounted on a hot path).
    matched_count = models.PositiveIntegerField(_("suppliers matched"), default=0)
    notified_count = models.PositiveIntegerField(_("suppliers notified"), default=0)
    quote_count = models.PositiveIntegerField(_("quotes received"), default=0)
    first_quote_at = models.DateTimeField(_("first quote"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    matched_at = models.DateTimeField(_("matched"), null=True, blank=True)
    # Set when matching is due (published, suppliers newly invited); a claim moves it a lease ahead
    # and a finished matching run clears it, so the relay finds what an outage left (marketplace/relay.py).
    matching_due_at = models.DateTimeField(_("matching due"), null=True, blank=True, editable=False)

    objects = SourcingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sourcing request")
        verbose_name_plural = _("sourcing requests")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="rfq_quantity_positive"),
            models.CheckConstraint(
                condition=Q(target_unit_price__isnull=True) | Q(target_unit_price__gt=0),
                name="rfq_target_price_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="rfq_buyer_newest"),
            models.Index(fields=["status", "quote_deadline"], name="rfq_status_deadline"),
            models.Index(fields=["status", "visibility", "category", "-published_at"], name="rfq_board"),
            models.Index(
                fields=["matching_due_at"], condition=Q(matching_due_at__isnull=False), name="rfq_matching_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"RFQ-{self.pk:06d}" if self.pk else "RFQ"

    @property
    def is_editable(self) -> bool:
        """The buyer may change the request until the first quote arrives."""
        return self.status in {self.Status.DRAFT, self.Status.OPEN} and self.first_quote_at is None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def time_left(self) -> timedelta | None:
        if self.status != self.Status.OPEN:
            return None
        return max(self.quote_deadline - timezone.now(), timedelta(0))


def rfq_attachment_upload_to(instance: RfqAttachment, filename: str) -> str:
    """Named by migrations before PrivateFile; `RfqAttachment.upload_folder` is the rule now."""
    return f"{instance.upload_folder()}/{filename}"


class RfqAttachment(PrivateFile):
    """A drawing, specification or photo attached to an RFQ (checked like every upload)."""

    rfq = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("sourcing request")
    )

    class Meta(PrivateFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def upload_folder(self) -> str:
        return f"rfqs/{self.rfq_id}"


class RfqEvent(models.Model):
    """One recorded transition of an RFQ: who, when, from, to, why."""

    rfq = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("sourcing request")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=10, choices=SourcingRequest.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=SourcingRequest.Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Set when the event is a negotiation round opening or ending (the status does not change).
    round = models.ForeignKey(
        "NegotiationRound",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("negotiation round"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("RFQ event")
        verbose_name_plural = _("RFQ events")

    def __str__(self) -> str:
        return f"{self.rfq_id}: {self.from_status or '-'} → {self.to_status}"


class Match(models.Model):
    """One supplier's place on one RFQ: matched by the engine, invited by the buyer, or chosen from the board.

    `reasons` is a list of `{"code": ..., <facts>}` entries, rendered in the reader's language by
    `buyers.matching.reasons.render_reasons` (never stored as translated text).
    """

    class Source(models.TextChoices):
        MATCHED = "matched", _("Matched")
        INVITED = "invited", _("Invited")
        BOARD = "board", _("From the RFQ board")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPENED = "opened", _("Opened")
        DECLINED = "declined", _("Declined")
        QUOTED = "quoted", _("Quoted")

    # No index of their own: the unique (rfq, supplier) and `match_rfq_best` begin with the RFQ,
    # `match_supplier_newest` with the supplier (two indexes fewer to write per match stored).
    rfq = models.ForeignKey(
        SourcingRequest,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("sourcing request"),
        db_index=False,
    )
    supplier = models.ForeignKey(
        SupplierProfile,
        on_delete=models.CASCADE,
        related_name="rfq_matches",
        verbose_name=_("supplier"),
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MATCHED)
    score = models.FloatField(_("score"), default=0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("matched"), default=timezone.now)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["rfq", "supplier"], name="match_one_per_rfq_and_supplier"),
        ]
        indexes = [
            models.Index(fields=["supplier", "-created_at"], name="match_supplier_newest"),
            models.Index(fields=["rfq", "-score"], name="match_rfq_best"),
        ]

    def __str__(self) -> str:
        return f"{self.rfq_id} ↔ {self.supplier_id}"

    @property
    def response_minutes(self) -> int | None:
        if self.responded_at is None or self.notified_at is None:
            return None
        return max(int((self.responded_at - self.notified_at).total_seconds() // 60), 0)


class Quote(models.Model):
    """A supplier's sealed offer on an RFQ: one per RFQ and supplier, revised in versions.

    The current terms live on the row (for the buyer's comparison and sorting); every version,
    the first included, is kept as a QuoteVersion. Only the quoting supplier and the RFQ's buyer
    ever read a quote (buyers.selectors.quotes).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not chosen")

    class FreightBasis(models.TextChoices):
        SHIPMENT = "shipment", _("per shipment (fixed)")
        UNIT = "unit", _("per unit")

    rfq = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("sourcing request")
    )
    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("supplier")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("quoted by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # The current terms (the latest QuoteVersion's). `unit_price` is the price at the quantity
    # offered (from `tiers` when given: all-units, marketplace.pricing).
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    tiers = models.JSONField(_("quantity-break prices"), default=list, blank=True)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    quantity = models.PositiveIntegerField(_("quantity offered"), validators=[MinValueValidator(1)])
    min_order_quantity = models.PositiveIntegerField(
        _("minimum order"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"))
    valid_until = models.DateField(_("valid until"))
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    port = models.CharField(_("port or place"), max_length=120, blank=True)
    # Per shipment or, with freight_basis "unit", per unit (hence four decimal places).
    freight = models.DecimalField(
        _("estimated freight to the destination"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    freight_basis = models.CharField(
        _("freight is charged"), max_length=10, choices=FreightBasis.choices, default=FreightBasis.SHIPMENT
    )
    sample_available = models.BooleanField(_("sample available"), default=False)
    sample_price = models.DecimalField(_("sample price"), max_digits=12, decimal_places=2, null=True, blank=True)
    sample_days = models.PositiveSmallIntegerField(_("sample lead time (days)"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    revised_at = models.DateTimeField(_("last revised"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["rfq", "supplier"], name="quote_one_per_rfq_and_supplier"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="quote_unit_price_positive"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="quote_quantity_positive"),
            models.CheckConstraint(
                condition=Q(freight__isnull=True) | Q(freight__gte=0), name="quote_freight_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["supplier", "-submitted_at"], name="quote_supplier_newest"),
            models.Index(fields=["status", "valid_until"], name="quote_status_valid_until"),
        ]

    def __str__(self) -> str:
        return f"{self.rfq_id} / {self.supplier_id} v{self.version}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class NegotiationRound(models.Model):
    """A best-and-final-offer round the buyer opens after the quote deadline.

    Only the quotes it names may be revised, and only until its deadline (or until the buyer ends
    it). Sealed like quotes: each supplier sees the round's message and its own quote only.
    """

    rfq = models.ForeignKey(
        SourcingRequest, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("sourcing request")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    message = models.TextField(_("what the buyer asks"), blank=True, max_length=2000)
    deadline = models.DateTimeField(_("round deadline"))
    quotes = models.ManyToManyField("buyers.Quote", related_name="rounds", verbose_name=_("quotes invited to revise"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended early"), null=True, blank=True)

    class Meta:
        ordering = ["rfq", "number"]
        verbose_name = _("negotiation round")
        verbose_name_plural = _("negotiation rounds")
        constraints = [models.UniqueConstraint(fields=["rfq", "number"], name="negotiation_round_unique_number")]

    def __str__(self) -> str:
        return f"{self.rfq_id} round {self.number}"

    def is_open_at(self, moment: datetime) -> bool:
        return self.ended_at is None and moment < self.deadline

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())


class QuoteVersion(models.Model):
    """One version of a quote's terms as submitted, kept for the buyer to see how it changed."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="versions", verbose_name=_("quote"))
    number = models.PositiveSmallIntegerField(_("version"))
    terms = models.JSONField(_("terms"))
    # The negotiation round this revision answered (None: before the quote deadline).
    round = models.ForeignKey(
        NegotiationRound,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("negotiation round"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["quote", "number"]
        verbose_name = _("quote version")
        verbose_name_plural = _("quote versions")
        constraints = [models.UniqueConstraint(fields=["quote", "number"], name="quote_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.quote_id} v{self.number}"


def quote_attachment_upload_to(instance: QuoteAttachment, filename: str) -> str:
    """Named by migrations before PrivateFile; `QuoteAttachment.upload_folder` is the rule now."""
    return f"{instance.upload_folder()}/{filename}"


class QuoteAttachment(PrivateFile):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("quote"))

    class Meta(PrivateFile.Meta):
        verbose_name = _("quote attachment")
        verbose_name_plural = _("quote attachments")

    def upload_folder(self) -> str:
        return f"quotes/{self.quote_id}"


class Award(models.Model):
    """The buyer's decision on an RFQ: one per RFQ (the unique key makes a second award impossible)."""

    rfq = models.OneToOneField(
        SourcingRequest, on_delete=models.CASCADE, related_name="award", verbose_name=_("sourcing request")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("awarded by")
    )
    is_split = models.BooleanField(_("split award"), default=False)
    created_at = models.DateTimeField(_("awarded"), default=timezone.now)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.rfq_id}"


class AwardLine(models.Model):
    """The quantity given to one quote, at the quote's terms when it was awarded."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="lines", verbose_name=_("award"))
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="award_lines", verbose_name=_("quote"))
    # The version the buyer compared and awarded; the order is priced from its terms.
    quote_version = models.ForeignKey(
        QuoteVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_lines",
        verbose_name=_("quote version"),
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))

    class Meta:
        ordering = ["award", "id"]
        verbose_name = _("award line")
        verbose_name_plural = _("award lines")
        constraints = [
            models.UniqueConstraint(fields=["award", "quote"], name="award_line_one_per_quote"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="award_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.quote_id} × {self.quantity}"


# --- Matching facts (match2 helper) ---


class SupplierCategoryFacts(models.Model):
    """What one supplier publishes in one category and unit, summed up for matching.

    Derived data, like an index: one row per (supplier, category, unit) with published products
    (and one of no products per category named only by a product line or a main category),
    rewritten from the catalog by `buyers.services.matching.supplier_category_facts_refresh` when
    the supplier's catalog changes (and by `manage.py matching_facts_rebuild`). Matching reads an
    RFQ's candidates and their catalog facts from this small table instead of the product table.
    On PostgreSQL the rows also carry their products' words and values by ordinal (`words`,
    `product_moqs`, ...: migration 0004, not declared here; `buyers.matching.words` reads them).
    """

    # Rows derived from the catalog and the profile (an unconfirmed sign-up's go with it: they are
    # not something its account made; marketplace.services.unconfirmed_accounts).
    DERIVED_DATA = True

    # Looked up by supplier through the unique constraint's index, by category through the FK's.
    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="+", db_index=False, verbose_name=_("supplier")
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("category"))
    unit = models.CharField(_("unit"), max_length=10)
    products = models.PositiveIntegerField(_("published products"))
    lowest_moq = models.PositiveIntegerField(_("lowest MOQ"), null=True)
    fastest_lead_time = models.PositiveIntegerField(_("fastest lead time (days)"), null=True)
    largest_capacity = models.PositiveIntegerField(_("largest monthly capacity of a product"), null=True)
    refreshed_at = models.DateTimeField(_("refreshed"), default=timezone.now)

    class Meta:
        verbose_name = _("supplier category facts")
        verbose_name_plural = _("supplier category facts")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "category", "unit"], name="supplier_category_facts_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id}/{self.category_id}/{self.unit}: {self.products}"


# --- Demand insights (insights) ---


class DemandWeek(models.Model):
    """Published RFQs of one week, summed up for one category (or all) in one belt (or the market).

    Derived data, rewritten week by week from the RFQs, quotes and matches by
    `buyers.insights.aggregation` (see docs/demand-insights.md), so the dashboards read a few
    hundred small rows instead of hundreds of thousands of RFQs.

    - `week` is the Monday (in TIME_ZONE) of the week the RFQ was published; cancelled RFQs do
      not count.
    - `category` is a node of the tree: an RFQ counts for its own category and every ancestor
      (sums roll up the tree). NULL is the row of all categories.
    - `belt` NULL is the whole market. An RFQ counts for a belt when one of the belt's
      specialties is its category or an ancestor of it; the belt's rows cover the nodes from that
      specialty down to the RFQ's category, and the response figures count only the belt's
      suppliers (their quotes and their matches).
    - `buyer_count` is the number of distinct buying companies, counted from the RFQs of each
      row (exact at every level; it does not add up across rows or weeks).
    """

    week = models.DateField(_("week"))
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    belt = models.ForeignKey(
        "marketplace.IndustrialBelt",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("belt"),
    )
    rfq_count = models.PositiveIntegerField(_("RFQs posted"), default=0)
    quantity_total = models.PositiveBigIntegerField(_("quantity asked"), default=0)
    buyer_count = models.PositiveIntegerField(_("distinct buyers"), default=0)
    buyer_countries = models.JSONField(_("RFQs by buyer country"), default=dict, blank=True)
    quote_count = models.PositiveIntegerField(_("quotes received"), default=0)
    quoted_rfq_count = models.PositiveIntegerField(_("RFQs with a quote"), default=0)
    first_quote_median_minutes = models.PositiveIntegerField(_("median time to first quote (minutes)"), null=True)
    match_count = models.PositiveIntegerField(_("suppliers notified"), default=0)
    answered_match_count = models.PositiveIntegerField(_("notified suppliers who answered"), default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["week", "id"]
        verbose_name = _("weekly demand")
        verbose_name_plural = _("weekly demand")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "category", "belt"], name="demand_week_unique", nulls_distinct=False
            ),
        ]
        indexes = [
            models.Index(fields=["belt", "category", "week"], name="demand_week_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.category_id or '*'} @{self.belt_id or '*'}: {self.rfq_count}"

    @property
    def quotes_per_rfq(self) -> float | None:
        return self.quote_count / self.rfq_count if self.rfq_count else None

    @property
    def response_rate(self) -> int | None:
        """Share (%) of the notified suppliers who answered (quoted or declined)."""
        return round(100 * self.answered_match_count / self.match_count) if self.match_count else None


class DemandSurge(models.Model):
    """A category whose RFQs in one week clearly exceed the average of the weeks before.

    One row per (week, category, belt) — belt NULL for the whole market — so a surge is
    recorded, and its alert sent, once. The figures are refreshed while the week runs.
    """

    week = models.DateField(_("week"))
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+", verbose_name=_("category"))
    belt = models.ForeignKey(
        "marketplace.IndustrialBelt",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("belt"),
    )
    rfq_count = models.PositiveIntegerField(_("RFQs this week"))
    baseline_average = models.DecimalField(_("weekly average before"), max_digits=12, decimal_places=2)
    baseline_weeks = models.PositiveSmallIntegerField(_("weeks averaged"))
    # RFQs this week over the average before; NULL when there was no demand at all before.
    ratio = models.DecimalField(_("ratio"), max_digits=10, decimal_places=2, null=True, blank=True)
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    alerted_count = models.PositiveIntegerField(_("people alerted"), default=0)

    class Meta:
        ordering = ["-week", "-rfq_count", "id"]
        verbose_name = _("demand surge")
        verbose_name_plural = _("demand surges")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "category", "belt"], name="demand_surge_unique", nulls_distinct=False
            ),
        ]
        indexes = [models.Index(fields=["belt", "-week"], name="demand_surge_belt_week")]

    def __str__(self) -> str:
        return f"{self.week} {self.category_id} @{self.belt_id or '*'}: {self.rfq_count}"

    @property
    def percent_above(self) -> int | None:
        """How far above the average before, in percent (+250 %); None when there was none before."""
        return None if self.ratio is None else round((self.ratio - 1) * 100)


class DemandAggregationState(models.Model):
    """The aggregation's watermark: changes up to `processed_until` are in the DemandWeek rows.

    One row (key "demand"). Each run locks it, so two runs never interleave, and recomputes only
    the weeks touched since the watermark.
    """

    key = models.CharField(_("key"), max_length=20, unique=True)
    processed_until = models.DateTimeField(_("processed until"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_weeks = models.PositiveIntegerField(_("weeks recomputed by the last run"), default=0)
    last_duration_ms = models.PositiveIntegerField(_("duration of the last run (ms)"), default=0)

    class Meta:
        verbose_name = _("demand aggregation state")
        verbose_name_plural = _("demand aggregation state")

    def __str__(self) -> str:
        return f"{self.key}: {self.processed_until}"
