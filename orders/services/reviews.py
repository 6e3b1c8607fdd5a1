"""Reviews: after a completed order the buyer rates the supplier (1-5, with a comment), once.

Also the supplier's figures that orders produce: its rating (average and count) and its on-time
delivery rate (orders delivered on or before their required date, among delivered orders that
had one). Matching and the supplier's page read them; `supplier_order_figures` computes them
(two aggregate queries) so a periodic job can store them on the supplier's profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, PermissionDenied
from marketplace.models import Company, User
from marketplace.services.translation_requests import translations_request
from orders.models import Order, OrderEvent, Review
from orders.services.transitions import Side, locked_order, record_step, tell
from suppliers.models import SupplierProfile
from suppliers.services.metrics import supplier_order_figures_set

MAX_COMMENT_LENGTH = 5000


def review_create(*, order_id: int, company: Company, actor: User, rating: int, comment: str = "") -> Review:
    """The buyer rates the supplier of a completed order. One review per order (Conflict on a
    second one, or before completion); the rating is 1 to 5 (InvalidInput)."""
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InvalidInput(_("Give a rating from 1 to 5 stars."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise InvalidInput(
            _("Say it in at most %(limit)s characters.") % {"limit": MAX_COMMENT_LENGTH}, field="comment"
        )
    with transaction.atomic():
        order, side = locked_order(order_id=order_id, company=company)
        if side != Side.BUYER:
            raise PermissionDenied(_("Only the buyer reviews the supplier."))
        if order.status != Order.Status.COMPLETED:
            raise Conflict(_("You can review the supplier once the order is completed."))
        if Review.objects.filter(order=order).exists():
            raise Conflict(_("You have already reviewed this order."))
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    order=order,
                    supplier=order.supplier,
                    buyer=company,
                    author=actor,
                    rating=rating,
                    comment=comment,
                )
        except IntegrityError as error:  # a review written meanwhile (the order lock makes it unlikely)
            raise Conflict(_("You have already reviewed this order.")) from error
        event = record_step(order, actor=actor, step=OrderEvent.Step.REVIEWED, facts={"rating": rating})
        readers = tell(order, sides=[Side.SUPPLIER], kind="order_reviewed", event=event, context={"rating": rating})
        # The supplier's people read the comment in their own languages (docs/translation.md).
        translations_request(texts=[comment], languages={user.preferred_language for user in readers})
        supplier_order_figures_refresh(supplier=order.supplier)
    return review


@dataclass(frozen=True)
class SupplierOrderFigures:
    rating_average: Decimal | None
    rating_count: int
    on_time_rate: int | None  # percent of delivered orders with a required date that came on time
    delivered_count: int


def supplier_order_figures(*, supplier: SupplierProfile) -> SupplierOrderFigures:
    """The supplier's rating and on-time delivery rate, from its reviews and delivered orders."""
    ratings = Review.objects.filter(supplier=supplier).aggregate(average=Avg("rating"), count=Count("id"))
    delivered = Order.objects.filter(supplier=supplier, delivered_at__isnull=False, required_by__isnull=False)
    timing = delivered.annotate(delivered_on=TruncDate("delivered_at")).aggregate(
        total=Count("id"), on_time=Count("id", filter=Q(delivered_on__lte=F("required_by")))
    )
    average = ratings["average"]
    total = timing["total"]
    return SupplierOrderFigures(
        rating_average=(
            Decimal(str(average)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if average is not None else None
        ),
        rating_count=ratings["count"],
        on_time_rate=round(100 * timing["on_time"] / total) if total else None,
        delivered_count=total,
    )


def supplier_order_figures_refresh(*, supplier: SupplierProfile) -> SupplierOrderFigures:
    """Recompute the supplier's rating and on-time rate and keep them on its profile (through the
    suppliers app's service), where its public page, the comparison and matching read them."""
    figures = supplier_order_figures(supplier=supplier)
    supplier_order_figures_set(
        supplier_id=supplier.pk,
        rating_average=figures.rating_average,
        rating_count=figures.rating_count,
        on_time_rate=figures.on_time_rate,
    )
    return figures
