"""The award (a POST from the buyer's comparison page, then a confirmation step) and the sourcing
view that follows the resulting orders.

The comparison posts the quantities and the version of each quote the buyer compared; this view
shows every order that would be made (`award_review`, which writes nothing) and places them only
when the buyer confirms (`rfq_award`). Going back returns to the comparison with the quantities
as typed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from buyers.selectors.quotes import quotes_for_buyer
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.input_values import id_value, money, whole_number
from marketplace.models import Company, Currency
from marketplace.pricing import convert_round
from marketplace.selectors.money import exchange_rate_on
from marketplace.services.translation_requests import translations_read
from marketplace.tenancy import AuthenticatedHttpRequest, company_required
from orders.selectors.sourcing import sourcing_of_rfq
from orders.services.award import PlannedOrder, award_review, rfq_award

MAX_QUANTITY = 100_000_000


class AwardInput:
    """What the comparison's award form sent, read with the one number parser."""

    def __init__(self, request: HttpRequest, company: Company, rfq_id: int) -> None:
        post = request.POST
        self.allocations: dict[int, int] = {}
        self.versions: dict[int, int] = {}
        self.typed: dict[str, str] = {}
        self.full_cover = post.get("full_cover") == "1"
        self.currency = (post.get("currency") or "").strip().upper()[:3]
        over = (post.get("over_delivery") or "").strip()
        self.over_delivery = (
            money(over, label=_("The over-delivery tolerance"), allow_zero=True) if over else Decimal("0")
        )
        if self.over_delivery > 20:
            raise ValueError(_("The over-delivery tolerance can be at most 20 %."))
        for key in post:
            value = post.get(key, "")
            if key.startswith("ver_"):
                quote_id = id_value(key.removeprefix("ver_"), label=_("A quote"))
                self.versions[quote_id] = whole_number(value, label=_("A quote version"), minimum=1, maximum=32767)
        if post.get("mode") == "single":
            quote_id = id_value(post.get("quote"), label=_("The quote to award"))
            quote = quotes_for_buyer(company=company, rfq_id=rfq_id).filter(pk=quote_id).first()
            if quote is None:
                raise NotFound(_("No such quote."))
            # A single award takes the whole quantity the quote offered.
            self.allocations[quote.pk] = quote.quantity
            return
        for key in post:
            value = post.get(key, "")
            if not key.startswith("qty_") or not value.strip():
                continue
            quote_id = id_value(key.removeprefix("qty_"), label=_("A quote"))
            self.typed[key] = value.strip()[:20]
            quantity = whole_number(value, label=_("An award quantity"), minimum=0, maximum=MAX_QUANTITY)
            if quantity > 0:
                self.allocations[quote_id] = quantity

    def hidden_fields(self) -> list[tuple[str, object]]:
        """The same choice again, for the confirmation form."""
        fields: list[tuple[str, object]] = [("mode", "split"), ("currency", self.currency)]
        fields += [(f"qty_{quote_id}", quantity) for quote_id, quantity in sorted(self.allocations.items())]
        fields += [(f"ver_{quote_id}", self.versions.get(quote_id, "")) for quote_id in sorted(self.allocations)]
        if self.full_cover:
            fields.append(("full_cover", "1"))
        if self.over_delivery:
            fields.append(("over_delivery", self.over_delivery))
        return fields


def _back_url(rfq_id: int, choice: AwardInput | None, request: HttpRequest) -> str:
    """The comparison, with the buyer's currency and quantities as typed."""
    query: dict[str, object] = {}
    currency = (request.POST.get("currency") or "").strip().upper()[:3]
    if currency.isascii() and currency.isalpha():
        query["currency"] = currency
    if choice is not None:
        query.update({f"qty_{quote_id}": quantity for quote_id, quantity in choice.allocations.items()})
    url = reverse("buyers:rfq_quotes", kwargs={"pk": rfq_id})
    return f"{url}?{urlencode(query)}" if query else url


def _in_buyer_currency(planned: list[PlannedOrder], currency: str) -> tuple[list[dict[str, object]], Decimal | None]:
    """Each order's landed total converted at today's rate (None without a rate), and their sum."""
    target = Currency.objects.filter(code=currency).first()
    places = target.decimal_places if target else 2
    rows: list[dict[str, object]] = []
    total: Decimal | None = Decimal("0")
    for plan in planned:
        try:
            rate = exchange_rate_on(base=plan.currency, quote=currency, on=timezone.localdate())
            converted = convert_round(plan.priced.landed, rate.rate, places)
        except NotFound:
            converted = None
        if converted is None or total is None:
            total = None
        else:
            total += converted
        rows.append({"plan": plan, "converted": converted})
    return rows, total


@company_required
@require_POST
def rfq_award_view(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    """Without `confirm`: the confirmation page (nothing created). With it: the award."""
    choice: AwardInput | None = None
    try:
        choice = AwardInput(request, company, pk)
        currency = choice.currency or request.user.preferred_currency_id or "USD"
        terms: dict[str, Any] = {
            "rfq_id": pk,
            "buyer": company,
            "allocations": choice.allocations,
            "versions": choice.versions,
            "require_full_cover": choice.full_cover,
            "over_delivery_percent": choice.over_delivery,
        }
        if request.POST.get("confirm") != "1":
            planned = award_review(**terms)
            rows, total = _in_buyer_currency(planned, currency)
            return render(
                request,
                "orders/award/confirm.html",
                {
                    "rfq": planned[0].quote.rfq,
                    # What the suppliers wrote on the awarded versions (notes, port), in the buyer's language.
                    "translations": translations_read(
                        texts=[text for plan in planned for text in (plan.terms.notes, plan.terms.port)]
                    ),
                    "rows": rows,
                    "total": total,
                    "currency": currency,
                    "quantity": sum(plan.priced.quantity for plan in planned),
                    "hidden": choice.hidden_fields(),
                    "back_url": _back_url(pk, choice, request),
                },
            )
        orders = rfq_award(actor=request.user, **terms)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(_back_url(pk, choice, request))
    except (InvalidInput, Conflict) as error:
        # Back to the comparison with the quantities as typed, which no Referer holds (a quote not
        # found is the middleware's 404).
        messages.error(request, error.message)
        return redirect(_back_url(pk, choice, request))
    messages.success(
        request,
        _("Awarded: %(count)s order(s) placed. Follow them here.") % {"count": len(orders)},
    )
    return redirect("orders:rfq_sourcing", pk=pk)


@company_required
@require_safe
def rfq_sourcing(request: AuthenticatedHttpRequest, company: Company, pk: int) -> HttpResponse:
    sourcing = sourcing_of_rfq(company=company, rfq_id=pk)
    return render(request, "orders/sourcing/rfq.html", {"sourcing": sourcing, "rfq": sourcing.rfq})
