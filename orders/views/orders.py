"""The order pages: the buyer's purchases and the supplier's sales, one order with its history,
milestones, shipments and the actions its viewer may take, the printable purchase order, "order
now" from the catalog, and the staff's open disputes.

An order is seen by the members of its buyer company and of its supplier's company; for anybody
else it does not exist (404). Staff (acting for no company) resolve disputes on their own page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.errors import Conflict, InvalidInput
from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.middleware import returns_to
from marketplace.models import Company
from marketplace.services.translation_requests import translations_read
from marketplace.tenancy import AuthenticatedHttpRequest, company_required, staff_required
from orders.forms.orders import (
    CatalogOrderForm,
    DisputeForm,
    DisputeResolveForm,
    OrderFilterForm,
    PaidForm,
    ReasonForm,
    ReviewForm,
    ShipForm,
)
from orders.models import Order, PaymentMilestone
from orders.selectors.orders import (
    buyers_ordering_from,
    disputes_open,
    order_of_company,
    orders_of_buyer,
    orders_of_supplier,
    suppliers_ordered_from,
)
from orders.services.catalog_orders import order_from_catalog as place_catalog_order
from orders.services.disputes import dispute_open, dispute_resolve
from orders.services.fulfilment import order_complete, order_deliver, order_ship
from orders.services.payments import milestone_confirm_received, milestone_mark_paid
from orders.services.reviews import review_create
from orders.services.transitions import Side, allowed_actions, order_cancel, order_confirm
from orders.services.transitions import order_start_production as start_production
from suppliers.models import Product, SupplierProfile
from suppliers.pricing import product_unit_price_at
from suppliers.views.access import supplier_required

MilestoneStatus = PaymentMilestone.Status


def _order(company: Company, pk: int) -> tuple[Order, Side]:
    order = order_of_company(company=company, pk=pk)
    return order, Side.BUYER if order.buyer_id == company.pk else Side.SUPPLIER


# --- Lists -------------------------------------------------------------------------------------


def _list_page(
    request: HttpRequest, *, side: Side, orders_for: Callable, counterparties: list, label: str
) -> HttpResponse:
    filters = OrderFilterForm(request.GET or None, counterparties=counterparties, counterparty_label=label)
    orders = orders_for(filters.filters())
    page = Paginator(orders, filters.rows_per_page()).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/list.html",
        {
            "side": side.value,
            "filters": filters,
            "page": page,
            "orders": [OrderRow.of(order) for order in page.object_list],
            "query": query.urlencode(),
        },
    )


@dataclass(frozen=True)
class OrderRow:
    order: Order
    quantity: int
    description: str
    paid_percent: int

    @classmethod
    def of(cls, order: Order) -> OrderRow:
        lines = list(order.lines.all())
        milestones = list(order.milestones.all())
        return cls(
            order=order,
            quantity=sum(line.quantity for line in lines),
            description=lines[0].description if lines else "",
            paid_percent=sum(m.percent for m in milestones if m.status == MilestoneStatus.RECEIVED),
        )


@require_safe
@company_required
def order_list(request: AuthenticatedHttpRequest, company: Company) -> HttpResponse:
    """The company's purchases: every order it placed, with filters."""
    return _list_page(
        request,
        side=Side.BUYER,
        orders_for=lambda filters: orders_of_buyer(company=company, filters=filters),
        counterparties=suppliers_ordered_from(company=company),
        label=_("Supplier"),
    )


@require_safe
@supplier_required
def sales_list(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """The supplier's sales: every order placed with it, with filters."""
    return _list_page(
        request,
        side=Side.SUPPLIER,
        orders_for=lambda filters: orders_of_supplier(supplier=supplier, filters=filters),
        counterparties=buyers_ordering_from(supplier=supplier),
        label=_("Buyer"),
    )


# --- One order ---------------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest, order: Order, side: Side, *, bound: dict[str, forms.BaseForm] | None = None, status: int = 200
) -> HttpResponse:
    actions = {action.value for action in allowed_actions(order, side)}
    milestones = list(order.milestones.all())
    disputes = list(order.disputes.all())
    review = getattr(order, "review", None)
    lines = list(order.lines.all())
    context: dict[str, Any] = {
        "order": order,
        # The review, in the reader's language (the supplier reads what the buyer wrote).
        "translations": translations_read(texts=[review.comment if review is not None else ""]),
        "side": side.value,
        "lines": lines,
        "milestones": milestones,
        "shipments": list(order.shipments.all()),
        "events": list(order.events.all()),
        "open_dispute": next((d for d in disputes if d.status == d.Status.OPEN), None),
        "disputes": disputes,
        "review": review,
        "actions": actions,
        "can_review": side == Side.BUYER and order.status == Order.Status.COMPLETED and review is None,
        "can_mark_paid": side == Side.BUYER and order.status != Order.Status.CANCELLED,
        "can_confirm_received": side == Side.SUPPLIER and order.status != Order.Status.CANCELLED,
        "ship_form": ShipForm(initial={"quantity": sum(line.quantity for line in lines)}),
        "cancel_form": ReasonForm(),
        "dispute_form": DisputeForm(),
        "review_form": ReviewForm(),
        "paid_form": PaidForm(),
    }
    context.update(bound or {})
    return render(request, "orders/detail.html", context, status=status)


@require_safe
@company_required
def order_detail(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    order, side = _order(company, pk)
    return _detail_page(request, order, side)


@require_safe
@company_required
def order_print(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """The purchase order as a printable page (its own print styles, no outside assets)."""
    order, _side = _order(company, pk)
    return render(
        request,
        "orders/print.html",
        {"order": order, "lines": list(order.lines.all()), "milestones": list(order.milestones.all())},
    )


def _act(
    request: HttpRequest,
    company: Company,
    pk: int,
    change: Callable[[dict[str, Any]], Any],
    done: str,
    *,
    form_class: type[DomainErrorsMixin] | None = None,
    form_name: str = "",
) -> HttpResponse:
    """Run one action on the order: an invalid form or a refused input shows the page again with
    the messages (400); a state that no longer allows it shows why, back on the order's page (the
    middleware, with `returns_to` on each action)."""
    order, side = _order(company, pk)
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return _detail_page(request, order, side, bound={form_name: form}, status=400)
    try:
        change(form.cleaned_data if form is not None else {})
    except InvalidInput as error:
        if form is None:
            raise
        form.add_domain_error(error)  # shown in the form, with what was typed
        return _detail_page(request, order, side, bound={form_name: form}, status=400)
    messages.success(request, done % {"number": order.number})
    return redirect("orders:order_detail", pk=order.pk)


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_confirm_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: order_confirm(order_id=pk, company=company, actor=request.user),
        _("Order %(number)s is confirmed: the buyer is told."),
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_start_production_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: start_production(order_id=pk, company=company, actor=request.user),
        _("Order %(number)s is in production."),
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_ship_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: order_ship(order_id=pk, company=company, actor=request.user, **data),
        _("Order %(number)s is shipped: the buyer has the tracking number."),
        form_class=ShipForm,
        form_name="ship_form",
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_deliver_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: order_deliver(order_id=pk, company=company, actor=request.user),
        _("Order %(number)s is delivered."),
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_complete_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: order_complete(order_id=pk, company=company, actor=request.user),
        _("Order %(number)s is completed. How did the supplier do? Leave a review below."),
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_cancel_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: order_cancel(order_id=pk, company=company, actor=request.user, reason=data["reason"]),
        _("Order %(number)s is cancelled."),
        form_class=ReasonForm,
        form_name="cancel_form",
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_dispute_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: dispute_open(order_id=pk, company=company, actor=request.user, reason=data["reason"]),
        _("Your dispute about order %(number)s is open: SourceBelt staff will look into it."),
        form_class=DisputeForm,
        form_name="dispute_form",
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def order_review_action(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: review_create(order_id=pk, company=company, actor=request.user, **data),
        _("Thank you: your review of order %(number)s is saved."),
        form_class=ReviewForm,
        form_name="review_form",
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def milestone_paid_action(
    request: AuthenticatedHttpRequest, company: Company, pk: int, milestone_pk: int
) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: milestone_mark_paid(
            order_id=pk, milestone_id=milestone_pk, company=company, actor=request.user, **data
        ),
        _("The payment on order %(number)s is marked paid: the supplier is asked to confirm it."),
        form_class=PaidForm,
        form_name="paid_form",
    )


@returns_to("orders:order_detail", "pk")
@require_POST
@company_required
def milestone_received_action(
    request: AuthenticatedHttpRequest, company: Company, pk: int, milestone_pk: int
) -> HttpResponse:
    return _act(
        request,
        company,
        pk,
        lambda data: milestone_confirm_received(
            order_id=pk, milestone_id=milestone_pk, company=company, actor=request.user
        ),
        _("The payment on order %(number)s is confirmed received."),
    )


# --- Order now (from the catalog) ----------------------------------------------------------------


def _public_product(pk: int) -> Product:
    product = (
        Product.objects.published()
        .filter(pk=pk)
        .select_related("supplier", "currency")
        .prefetch_related("tiers")
        .first()
    )
    if product is None:
        raise Http404(_("This product is not offered any more."))
    return product


@company_required
def order_from_catalog(request: AuthenticatedHttpRequest, company: Company, product_pk: int) -> HttpResponse:
    """ "Order now": the form (GET, or the product page's include posts here) and placing it."""
    product = _public_product(product_pk)
    own = product.supplier.company_id == company.pk
    if request.method != "POST":
        form = CatalogOrderForm(initial={"quantity": product.moq, "destination_country": str(company.country or "")})
        return _catalog_order_page(request, product, form, own=own)
    form = CatalogOrderForm(request.POST)
    if form.is_valid():
        try:
            order = place_catalog_order(
                buyer=company,
                actor=request.user,
                data=form.order_data(product.pk, default_country=str(company.country or "")),
            )
        except (InvalidInput, Conflict) as error:  # shown in the form, with what was typed
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _("Order %(number)s is placed: the supplier is asked to confirm it.") % {"number": order.number},
            )
            return redirect("orders:order_detail", pk=order.pk)
    return _catalog_order_page(request, product, form, own=own, status=400)


def _catalog_order_page(
    request: HttpRequest, product: Product, form: CatalogOrderForm, *, own: bool, status: int = 200
) -> HttpResponse:
    quantity = form.cleaned_data.get("quantity") if form.is_bound and hasattr(form, "cleaned_data") else None
    quantity = quantity or product.moq
    unit_price = product_unit_price_at(product, quantity)
    return render(
        request,
        "orders/catalog_order.html",
        {
            "product": product,
            "translations": translations_read(texts=[product.title]),
            "form": form,
            "own": own,
            "tiers": list(product.tiers.all()),
            "unit_price": unit_price,
            "quantity": quantity,
            "total": unit_price * quantity if unit_price is not None else None,
        },
        status=status,
    )


# --- Staff: disputes -----------------------------------------------------------------------------


@require_safe
@staff_required
def dispute_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open disputes, oldest first, each with the form to resolve it."""
    page = Paginator(disputes_open(), 25).get_page(request.GET.get("page"))
    return render(
        request, "orders/disputes.html", {"page": page, "disputes": page.object_list, "form": DisputeResolveForm()}
    )


@returns_to("orders:dispute_list")
@require_POST
@staff_required
def dispute_resolve_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = DisputeResolveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("orders:dispute_list")
    dispute = dispute_resolve(
        dispute_id=pk,
        actor=request.user,
        outcome=form.cleaned_data["outcome"],
        resolution=form.cleaned_data["resolution"],
    )
    messages.success(request, _("The dispute about order %(number)s is resolved.") % {"number": dispute.order.number})
    return redirect("orders:dispute_list")
