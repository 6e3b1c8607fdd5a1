"""The shared kernel: people and companies, belts and categories, money, notifications."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from marketplace.currencies import ISO_4217_CODES, minor_digits
from marketplace.geography import PROVINCE_CHOICES, city_name, place_name
from marketplace.storage import private_storage

LANGUAGE_CHOICES = [("en", "English"), ("zh-hans", "简体中文")]


def prefers_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "en").lower().startswith("zh")


class BilingualNameMixin:
    """Objects named in both languages show the name of the language being displayed."""

    name_en: str
    name_zh: str

    @property
    def name(self) -> str:
        if prefers_chinese():
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh


class BilingualPlaceMixin:
    """Objects in a Chinese city (belts, suppliers) name it in the reader's language: the Chinese
    name typed for it (`city_zh`, where the model has one), else the table of the belts' places
    (marketplace.geography.CITY_NAMES_ZH), else as typed."""

    city: str
    province: str

    if TYPE_CHECKING:

        def get_province_display(self) -> str: ...

    @property
    def city_name(self) -> str:
        """The city in the reader's language: 保定白沟 in Chinese, "Baigou, Baoding" in English."""
        return city_name(
            self.city, province=self.province, city_zh=getattr(self, "city_zh", ""), chinese=prefers_chinese()
        )

    @property
    def place(self) -> str:
        """Where it is, in the order each language writes it: 河北 保定白沟, "Baigou, Baoding, Hebei"."""
        return place_name(
            self.city,
            province_name=str(self.get_province_display()) if self.province else "",
            province=self.province,
            city_zh=getattr(self, "city_zh", ""),
            chinese=prefers_chinese(),
        )


# --- Money --------------------------------------------------------------------------------------


class Currency(models.Model):
    code = models.CharField(
        _("code"),
        max_length=3,
        primary_key=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code such as USD."))],
    )
    name = models.CharField(_("name"), max_length=64)
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        """A currency the standard's table here knows (the installed ones, and every code without two
        decimal places) keeps its ISO 4217 places: amounts are stored and printed with them."""
        code = (self.code or "").upper()
        if code in ISO_4217_CODES and self.decimal_places != minor_digits(code):
            raise ValidationError(
                {
                    "decimal_places": _("%(code)s has %(places)s decimal places in ISO 4217.")
                    % {"code": code, "places": minor_digits(code)}
                }
            )

    @property
    def local_name(self) -> str:
        """The name in the reader's language: a default currency's English name is in the catalogue."""
        return gettext(self.name) if self.name else ""


class ExchangeRate(models.Model):
    """One unit of `base` is worth `rate` units of `quote` on `valid_on` (staff-maintained)."""

    base = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("base"))
    quote = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=pgettext_lazy("exchange rate", "quote")
    )
    rate = models.DecimalField(
        _("rate"), max_digits=20, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    valid_on = models.DateField(_("valid on"), db_index=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-valid_on", "base", "quote"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["base", "quote", "valid_on"], name="exchange_rate_unique_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=~Q(base=models.F("quote")), name="exchange_rate_distinct_currencies"),
        ]

    def __str__(self) -> str:
        return f"1 {self.base_id} = {self.rate} {self.quote_id} ({self.valid_on})"


# --- People and companies -----------------------------------------------------------------------


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=LANGUAGE_CHOICES, default="en"
    )
    preferred_currency = models.ForeignKey(
        Currency,
        on_delete=models.PROTECT,
        default=settings.DEFAULT_CURRENCY,
        related_name="+",
        verbose_name=_("preferred currency"),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Empty only for an account opened by sign-up whose e-mailed link was not yet followed: it is
    # inactive until then, and a later sign-up with its address replaces it. Accounts made any other
    # way (invitations, the admin, the demo) count as confirmed when created.
    email_confirmed_at = models.DateTimeField(
        _("e-mail address confirmed"), null=True, blank=True, default=timezone.now
    )
    # Counts the changes to how the account logs in that ended its other sessions (turning two-factor
    # authentication on or off, new recovery codes): part of the session's hash, as the password is.
    sessions_ended = models.PositiveIntegerField(_("sessions ended"), default=0, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.name

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """What a session keeps to prove it was opened with the account's current credentials: an
        HMAC of the password (Django's) and, once other sessions were ended, of `sessions_ended`. A
        change of either ends every session that kept the old hash (Django checks it on each
        request); `update_session_auth_hash` keeps the one that made the change."""
        if not self.sessions_ended:
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        return salted_hmac(
            "marketplace.models.User.get_session_auth_hash",
            f"{self.password}:{self.sessions_ended}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def awaits_confirmation(self) -> bool:
        """Opened by sign-up and not yet confirmed from the e-mailed link."""
        return not self.is_active and self.email_confirmed_at is None


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    # django-stubs reads a CountryField as the CharField it extends (a str); reading one gives a Country.
    country: models.Field[Country | str, Country] = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Every company buys; one that sells has a supplier profile in a higher app, which keeps this
    # flag (suppliers.services.profiles) so that the kernel asks the company, not that app.
    sells = models.BooleanField(_("sells"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("company")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["company__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="membership_unique_user_company")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"

    @property
    def can_manage(self) -> bool:
        return self.role in {self.Role.OWNER, self.Role.ADMIN}


class Invitation(models.Model):
    """An invitation by e-mail to join a company; the token travels only in the e-mail."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_company_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the key is shown once, when created.

    A token works until it is revoked or its `expires_at` passes (none: it never expires); a
    read-only one is refused every change (marketplace/api/authentication.py).
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.READ_WRITE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def has_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def is_usable(self, now: datetime | None = None) -> bool:
        """Not revoked and not expired: it authenticates."""
        return self.revoked_at is None and not self.has_expired(now)

    @property
    def is_read_only(self) -> bool:
        return self.scope == self.Scope.READ


# --- Categories and industrial belts ------------------------------------------------------------


class CategoryQuerySet(models.QuerySet["Category"]):
    def roots(self) -> CategoryQuerySet:
        return self.filter(parent__isnull=True)

    def subtree_of(self, category: Category) -> CategoryQuerySet:
        """The category and all its descendants, in one query, by materialised path."""
        return self.filter(path__startswith=category.path)


class Category(BilingualNameMixin, models.Model):
    """A node of the product category tree. `path` is the materialised path of ids ("0001.0007.")."""

    PATH_STEP = 6

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        indexes = [models.Index(fields=["path"], name="category_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.name_en} / {self.name_zh}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the materialised path: a node's path is its parent's plus its own id.

        Moving a node rewrites its descendants' paths in one UPDATE, so a subtree is always
        one prefix query away.
        """
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent else ""
        new_path = f"{parent_path}{self.pk:0{self.PATH_STEP}d}."
        if new_path == self.path:
            return
        old_path, old_depth = self.path, self.depth
        new_depth = new_path.count(".") - 1
        Category.objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
        if old_path:
            Category.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (new_depth - old_depth),
            )
        self.path, self.depth = new_path, new_depth

    def clean(self) -> None:
        if self.pk and self.parent_id and self.path:
            parent = Category.objects.filter(pk=self.parent_id).only("path").first()
            if parent and parent.path.startswith(self.path):
                raise ValidationError({"parent": _("A category cannot be placed under itself or its own subcategory.")})

    def ancestors(self) -> list[Category]:
        """The categories above this one, root first, in one query."""
        ids = [int(part) for part in self.path.split(".") if part][:-1]
        by_id = Category.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class IndustrialBelt(BilingualNameMixin, BilingualPlaceMixin, models.Model):
    """An industrial belt (产业带): a county or town where many factories make one kind of product."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ONBOARDING = "onboarding", _("Onboarding")
        LIVE = "live", _("Live")

    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    province = models.CharField(_("province"), max_length=20, choices=PROVINCE_CHOICES, db_index=True)
    city = models.CharField(_("city or county"), max_length=100)
    city_zh = models.CharField(
        _("city or county (Chinese)"),
        max_length=100,
        blank=True,
        help_text=_("For example 保定白沟 for Baigou, Baoding."),
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    specialties = models.ManyToManyField(
        Category, related_name="belts", blank=True, verbose_name=_("specialty categories")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    number_of_firms = models.PositiveIntegerField(_("number of firms"), null=True, blank=True)
    annual_output_cny = models.DecimalField(
        _("annual output (CNY)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    export_share_percent = models.PositiveSmallIntegerField(_("export share (%)"), null=True, blank=True)
    managers = models.ManyToManyField(
        "marketplace.User",
        related_name="managed_belts",
        blank=True,
        verbose_name=_("belt managers"),
        help_text=_("People who run this belt's onboarding and see its dashboard (their belts only)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("industrial belt")
        verbose_name_plural = _("industrial belts")
        constraints = [
            models.CheckConstraint(
                condition=Q(export_share_percent__isnull=True) | Q(export_share_percent__lte=100),
                name="belt_export_share_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name_en} ({self.name_zh})"

    @property
    def description(self) -> str:
        if prefers_chinese():
            return self.description_zh or self.description_en
        return self.description_en or self.description_zh


class BeltEvent(models.Model):
    """One step of a belt's onboarding: who moved it, when, from which status to which, and why."""

    belt = models.ForeignKey(IndustrialBelt, on_delete=models.CASCADE, related_name="events", verbose_name=_("belt"))
    actor = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=IndustrialBelt.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=IndustrialBelt.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["belt", "created_at", "id"]
        verbose_name = _("belt event")
        verbose_name_plural = _("belt events")

    def __str__(self) -> str:
        return f"{self.belt_id}: {self.from_status or '-'} → {self.to_status}"


# --- Notifications (the outbox) -----------------------------------------------------------------


class Notification(models.Model):
    """One event told to one person. Written in the event's own transaction; delivered by a task.

    `kind` names the templates `notifications/<kind>_subject.txt` and `<kind>_body.txt`, which
    are rendered with `context` in the reader's language, so nothing is frozen in one language.
    """

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent by e-mail")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    EVENT_KEY_MAX_LENGTH = 200

    event_key = models.CharField(_("event key"), max_length=EVENT_KEY_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=60)
    context = models.JSONField(_("context"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.TextField(_("last error"), blank=True)
    # While pending: when the next attempt may start (at once; after a claim's lease; after a
    # failure's backoff). The relay takes pending rows once it has passed (marketplace/relay.py).
    email_due_at = models.DateTimeField(_("next attempt due"), null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_unique_per_recipient_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_due_at"], name="notification_email_due", condition=Q(email_status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.event_key})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def private_file_upload_to(instance: PrivateFile, filename: str) -> str:
    return f"{instance.upload_folder()}/{filename}"


class PrivateFile(models.Model):
    """A file uploaded for the few who may read its row (an RFQ's drawing, a quote's attachment),
    kept in private storage (marketplace.storage: no URL; views stream it after their selector
    said yes) under a name of ours, with the name it was uploaded as and its size. Services
    store, remove and delete these files through `marketplace.private_files`."""

    file = models.FileField(_("file"), upload_to=private_file_upload_to, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def upload_folder(self) -> str:
        """The folder of private storage this row's file goes to (the owning row's id in it)."""
        raise NotImplementedError


class TextTranslation(models.Model):
    """A machine translation of a text people wrote (an RFQ's title, a message), into one site
    language, shared by every place the same text appears: one row per text, the language it is
    written in and the target language (the text's SHA-256 stands for it in the key). The row is
    made pending when a reader is known and filled by a worker (marketplace/services/translations.py);
    `translated_at` is set once it is filled. See docs/translation.md."""

    text_hash = models.CharField(_("text's SHA-256"), max_length=64)
    source_language = models.CharField(_("written in"), max_length=10)
    target_language = models.CharField(_("translated into"), max_length=10)
    source_text = models.TextField(_("original"))
    translated_text = models.TextField(_("translation"), blank=True)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    translated_at = models.DateTimeField(_("translated"), null=True, blank=True)
    # While waiting: when the next attempt may start (at once; after a claim's lease; after a failure,
    # TRANSLATION_RETRY_AFTER). The relay takes waiting rows once it has passed (marketplace/relay.py).
    due_at = models.DateTimeField(_("next attempt due"), null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("machine translation")
        verbose_name_plural = _("machine translations")
        constraints = [
            models.UniqueConstraint(
                fields=["text_hash", "source_language", "target_language"], name="text_translation_once"
            )
        ]
        indexes = [
            # The relay's question: the texts still waiting whose next attempt is due.
            models.Index(fields=["due_at"], condition=Q(translated_at__isnull=True), name="text_translation_due")
        ]

    def __str__(self) -> str:
        return f"{self.source_language} → {self.target_language}: {self.source_text[:60]}"

    @staticmethod
    def hash_of(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()


class StoredIndexVersion(models.Model):
    """How far a stored index is built: text an app derives from its rows and stores for search or
    matching (a product's `search_text`, an RFQ's), registered in `marketplace.stored_indexes`.
    `version` is the version of the code every row was last built by (0: before versions were
    kept); while the code's is newer, the beat task rebuilds the rows in id order, `after_id` the
    last one done (marketplace/services/stored_indexes.py)."""

    name = models.CharField(_("index"), max_length=50, unique=True)
    version = models.PositiveIntegerField(_("built at version"), default=0)
    building = models.PositiveIntegerField(_("building version"), null=True, blank=True)
    after_id = models.BigIntegerField(_("rebuilt up to id"), default=0)
    built_at = models.DateTimeField(_("last built"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stored index")
        verbose_name_plural = _("stored indexes")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
