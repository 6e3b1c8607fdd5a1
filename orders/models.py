"""Orders and what happens to them: lines, recorded transitions, payment milestones, shipments,
disputes, reviews, and the message threads between a buyer and a supplier."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from buyers.models import AwardLine, Incoterm, Quote, SourcingRequest
from marketplace.models import Company, Currency
from marketplace.storage import private_storage
from suppliers.models import Product, SupplierProfile, Unit


class Order(models.Model):
    """One purchase from one supplier: from an award line, or straight from the catalog.

    Its state machine lives in orders/services/transitions.py (guarded, atomic, recorded).
    """

    class Status(models.TextChoices):
        PLACED = "placed", _("Placed")
        CONFIRMED = "confirmed", _("Confirmed by the supplier")
        DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
        IN_PRODUCTION = "in_production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        DISPUTED = "disputed", _("In dispute")

    class Origin(models.TextChoices):
        AWARD = "award", _("Awarded RFQ")
        CATALOG = "catalog", _("Catalog")

    buyer = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="orders", verbose_name=_("buyer"))
    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("ordered by")
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    rfq = models.ForeignKey(
        SourcingRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("sourcing request"),
    )
    award_line = models.OneToOneField(
        AwardLine, on_delete=models.PROTECT, null=True, blank=True, related_name="order", verbose_name=_("award line")
    )
    quote = models.ForeignKey(
        Quote, on_delete=models.PROTECT, null=True, blank=True, related_name="orders", verbose_name=_("quote")
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.PLACED)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    goods_total = models.DecimalField(_("goods total"), max_digits=16, decimal_places=2)
    freight = models.DecimalField(_("freight"), max_digits=14, decimal_places=2, default=Decimal("0"))
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    destination_country = CountryField(_("destination country"), blank=True)
    destination_city = models.CharField(_("destination city or port"), max_length=120, blank=True)
    required_by = models.DateField(_("required delivery date"), null=True, blank=True)
    shipped_quantity = models.PositiveIntegerField(_("quantity shipped"), default=0)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("placed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(condition=Q(goods_total__gte=0), name="order_goods_total_not_negative"),
            models.CheckConstraint(condition=Q(freight__gte=0), name="order_freight_not_negative"),
        ]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_newest"),
            models.Index(fields=["supplier", "-created_at"], name="order_supplier_newest"),
            models.Index(fields=["status"], name="order_status"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"PO-{self.pk:06d}" if self.pk else "PO"

    @property
    def total(self) -> Decimal:
        return self.goods_total + self.freight


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("product")
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="order_line_price_positive"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class OrderEvent(models.Model):
    """One recorded transition of an order (who, when, from, to, why) or a milestone or shipment step."""

    class Step(models.TextChoices):
        MILESTONE_PAID = "milestone_paid", _("Payment marked paid")
        MILESTONE_RECEIVED = "milestone_received", _("Payment received")
        SHIPPED = "shipped", _("Shipped")
        REVIEWED = "reviewed", _("Reviewed")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=14, choices=Order.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=14, choices=Order.Status.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # A milestone or shipment step is stored as facts (`step` and `facts`), not as a sentence, so
    # each reader sees it in their own language (`description`).
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"

    @property
    def description(self) -> str:
        """What happened, in the active language: the step's facts, or the reason (a stored
        msgid such as "Every payment due before production is received." is translated)."""
        facts = self.facts if isinstance(self.facts, dict) else {}
        try:
            if self.step == self.Step.MILESTONE_PAID:
                text = gettext("%(label)s: marked paid") % {"label": gettext(facts["label"])}
                return f"{text} ({facts['reference']})" if facts.get("reference") else text
            if self.step == self.Step.MILESTONE_RECEIVED:
                return gettext("%(label)s: received") % {"label": gettext(facts["label"])}
            if self.step == self.Step.SHIPPED:
                return gettext("Shipped %(quantity)s with %(carrier)s, tracking number %(tracking)s") % {
                    "quantity": facts["quantity"],
                    "carrier": facts["carrier"],
                    "tracking": facts["tracking_number"],
                }
            if self.step == self.Step.REVIEWED:
                rating = int(facts["rating"])
                return gettext("Rated %(stars)s (%(rating)s/5)") % {
                    "stars": "★" * rating + "☆" * (5 - rating),
                    "rating": rating,
                }
        except (KeyError, TypeError, ValueError):
            pass
        return gettext(self.reason) if self.reason else ""


class PaymentMilestone(models.Model):
    """A part of the price due at a point of the order (30 % deposit, 70 % before shipment).

    Payments are recorded, not processed: the buyer marks a milestone paid, the supplier confirms
    it received the money. A payment provider would plug in where the buyer marks it paid
    (orders/services/payments.py).
    """

    class Due(models.TextChoices):
        BEFORE_PRODUCTION = "before_production", _("Before production")
        BEFORE_SHIPMENT = "before_shipment", _("Before shipment")
        AFTER_DELIVERY = "after_delivery", _("After delivery")

    class Status(models.TextChoices):
        DUE = "due", pgettext_lazy("payment status", "Due")
        PAID = "paid", _("Marked paid by the buyer")
        RECEIVED = "received", _("Received by the supplier")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("order"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label"), max_length=100)
    percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    due = models.CharField(_("due"), max_length=20, choices=Due.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    reference = models.CharField(_("payment reference"), max_length=120, blank=True)
    paid_at = models.DateTimeField(_("marked paid"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        ordering = ["order", "position", "id"]
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=1) & Q(percent__lte=100), name="milestone_percent_range"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="milestone_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.label} ({self.percent}%)"


class Shipment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments", verbose_name=_("order"))
    carrier = models.CharField(_("carrier"), max_length=120)
    tracking_number = models.CharField(_("tracking number"), max_length=120)
    quantity = models.PositiveIntegerField(_("quantity shipped"), validators=[MinValueValidator(1)])
    shipped_at = models.DateTimeField(_("shipped"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["order", "shipped_at", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class Dispute(models.Model):
    """A problem the buyer raises after shipment; staff resolve it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="disputes", verbose_name=_("order"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opened by")
    )
    reason = models.TextField(_("what went wrong"), max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # The order status to return to when the dispute is resolved without cancelling the order.
    status_before = models.CharField(_("status before"), max_length=14, choices=Order.Status.choices)
    resolution = models.TextField(_("resolution"), blank=True, max_length=5000)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(status="open"), name="dispute_one_open_per_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.get_status_display()}"


class Review(models.Model):
    """The buyer's rating of the supplier after a completed order (one per order)."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="review", verbose_name=_("order"))
    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("supplier")
    )
    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("buyer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_range"),
        ]
        indexes = [models.Index(fields=["supplier", "-created_at"], name="review_supplier_newest")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.rating}/5"


class Thread(models.Model):
    """The conversation between a buyer and one supplier about one RFQ, or about one order.

    Only the two companies read it (orders.selectors.messages).
    """

    buyer = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="threads", verbose_name=_("buyer"))
    supplier = models.ForeignKey(
        SupplierProfile, on_delete=models.CASCADE, related_name="threads", verbose_name=_("supplier")
    )
    rfq = models.ForeignKey(
        SourcingRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="threads",
        verbose_name=_("sourcing request"),
    )
    order = models.OneToOneField(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="thread", verbose_name=_("order")
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        constraints = [
            models.UniqueConstraint(
                fields=["rfq", "supplier"], condition=Q(rfq__isnull=False), name="thread_one_per_rfq_and_supplier"
            ),
            models.CheckConstraint(
                condition=Q(rfq__isnull=False) | Q(order__isnull=False), name="thread_about_rfq_or_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} ↔ {self.supplier_id}"


def message_attachment_upload_to(instance: Message, filename: str) -> str:
    return f"messages/{instance.thread_id}/{filename}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("thread"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    # Which side wrote it: the buyer company or the supplier's company.
    author_company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    body = models.TextField(_("message"), max_length=10000, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=message_attachment_upload_to, blank=True, storage=private_storage
    )
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_time")]

    def __str__(self) -> str:
        return self.body[:60]
