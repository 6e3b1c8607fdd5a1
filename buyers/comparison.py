"""Comparing an RFQ's quotes in the buyer's currency, and proposing the optimal split.

Every amount is priced by the one pricing rule (marketplace.pricing: the tier follows the
quantity, freight per shipment or per unit) and converted with the dated exchange rate valid on
the comparison day (marketplace.selectors.money); the rates used are listed so the page can
show them. The proposed split is the optimum of a mixed-integer program (buyers.allocation),
not a heuristic; each row shows the quantity the plan gives it, its price and landed total there,
and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings

from buyers.allocation import Constraints, Offer, Plan, Reason, landed_cost, optimise, plan_violations
from buyers.models import Quote, SourcingRequest
from buyers.quote_history import VersionEntry
from buyers.quote_rules import QuoteTerms
from marketplace.errors import NotFound
from marketplace.models import Currency
from marketplace.pricing import PriceTerms, convert_round
from marketplace.selectors.money import Rate, exchange_rate_on, last_rate_days

# Columns a buyer may sort by, and whether smaller is better.
COLUMNS: dict[str, bool] = {
    "unit_price": True,
    "total": True,
    "freight": True,
    "landed_total": True,
    "landed_unit": True,
    "lead_time": True,
    "quantity": False,
    "response_rate": False,
}


@dataclass
class QuoteRow:
    quote: Quote
    terms: PriceTerms
    # At the whole quantity offered, in the comparison's currency (None without a rate).
    unit_price: Decimal | None
    total: Decimal | None
    freight: Decimal | None
    landed_total: Decimal | None
    landed_unit: Decimal | None
    ready_on: date
    late: bool
    rate: Rate | None
    # The tiers converted: (from quantity, unit price in the comparison's currency or None).
    tiers: list[tuple[int, Decimal, Decimal | None]] = field(default_factory=list)
    best: set[str] = field(default_factory=set)
    # What the proposed plan gives this quote (0: nothing), at which price, landed, and why.
    planned_quantity: int = 0
    planned_unit_price: Decimal | None = None
    planned_landed: Decimal | None = None
    reason: Reason | None = None
    # What the comparison page adds to each row: the quote's versions, the quantity typed or
    # proposed, and the reason in words.
    history: list[VersionEntry] = field(default_factory=list)
    award_value: int | str = ""
    reason_text: str = ""

    @property
    def quantity(self) -> int:
        return self.quote.quantity

    @property
    def lead_time(self) -> int:
        return self.quote.lead_time_days

    @property
    def response_rate(self) -> int | None:
        return self.quote.supplier.response_rate

    @property
    def converted(self) -> bool:
        return self.rate is not None

    @property
    def minimum(self) -> int:
        return self.terms.minimum


@dataclass
class Comparison:
    rfq: SourcingRequest
    currency: str
    places: int
    on: date
    rows: list[QuoteRow]
    # Source currencies with no rate on or before `on`: their amounts are shown unconverted.
    missing_rates: list[str]
    # Since when each of them has had no rate to `currency` (None: never had one).
    missing_since: dict[str, date | None] = field(default_factory=dict)
    # After propose_plan: whether the greedy plan and the best single supplier meet the buyer's
    # constraints (a saving against a plan the buyer would not accept means nothing).
    greedy_fits: bool = False
    single_fits: bool = False

    @property
    def rates(self) -> list[Rate]:
        seen: dict[str, Rate] = {}
        for row in self.rows:
            if row.rate is not None and row.rate.derivation != "same":
                seen.setdefault(row.rate.base, row.rate)
        return list(seen.values())

    def row_of(self, quote_id: int) -> QuoteRow | None:
        return next((row for row in self.rows if row.quote.pk == quote_id), None)


def _places(amount: Decimal, places: str = "0.01") -> Decimal:
    return amount.quantize(Decimal(places))


def _currency_places(codes: Iterable[str]) -> dict[str, int]:
    return dict(Currency.objects.filter(code__in=set(codes)).values_list("code", "decimal_places"))


def compare_quotes(*, rfq: SourcingRequest, quotes: Iterable[Quote], currency: str, on: date) -> Comparison:
    """Rows for the buyer's comparison: every quote priced at the whole quantity it offers and
    converted into `currency`, with the best value of each column marked among the active ones."""
    quotes = list(quotes)
    places = _currency_places([currency, *(quote.currency_id for quote in quotes)])
    target_places = places.get(currency, 2)
    rows: list[QuoteRow] = []
    missing: list[str] = []
    rates: dict[str, Rate | None] = {}
    for quote in quotes:
        source = quote.currency_id
        if source not in rates:
            try:
                rates[source] = exchange_rate_on(base=source, quote=currency, on=on)
            except NotFound:
                rates[source] = None
                missing.append(source)
        rate = rates[source]
        terms = QuoteTerms.of_quote(quote).price_terms()
        ready_on = on + timedelta(days=quote.lead_time_days)
        unit = total = freight = landed = landed_unit = None
        if rate is not None:
            line = terms.line(quote.quantity, places=places.get(source, 2))
            unit = _places(line.unit_price * rate.rate, "0.0001")
            total = convert_round(line.goods, rate.rate, target_places)
            freight = convert_round(line.freight, rate.rate, target_places) if quote.freight is not None else None
            landed = convert_round(line.landed, rate.rate, target_places)
            landed_unit = _places(landed / quote.quantity, "0.0001")
        rows.append(
            QuoteRow(
                quote=quote,
                terms=terms,
                unit_price=unit,
                total=total,
                freight=freight,
                landed_total=landed,
                landed_unit=landed_unit,
                ready_on=ready_on,
                late=ready_on > rfq.required_by,
                rate=rate,
                tiers=[
                    (minimum, price, None if rate is None else _places(price * rate.rate, "0.0001"))
                    for minimum, price in terms.tiers
                ],
            )
        )
    _mark_best([row for row in rows if row.quote.is_active])
    return Comparison(
        rfq=rfq,
        currency=currency,
        places=target_places,
        on=on,
        rows=rows,
        missing_rates=missing,
        missing_since=_missing_since(missing, currency=currency, on=on),
    )


def _missing_since(missing: list[str], *, currency: str, on: date) -> dict[str, date | None]:
    """For each source that did not convert, the day since which the pair has had no rate: the
    older of the two currencies' last rates (None when one of them never had a rate)."""
    if not missing:
        return {}
    days = last_rate_days([*missing, currency], on=on)
    since: dict[str, date | None] = {}
    for code in missing:
        pair = [days[code], days[currency]] if code != currency else [days[code]]
        since[code] = None if None in pair else min(day for day in pair if day is not None)
    return since


def _mark_best(rows: list[QuoteRow]) -> None:
    for column, smaller_is_better in COLUMNS.items():
        values = [getattr(row, column) for row in rows if getattr(row, column) is not None]
        if len(values) < 2:
            continue
        best = min(values) if smaller_is_better else max(values)
        for row in rows:
            if getattr(row, column) == best:
                row.best.add(column)


def sort_rows(rows: list[QuoteRow], column: str, *, descending: bool = False) -> list[QuoteRow]:
    """Rows sorted by a column (unknown columns: by landed unit cost); empty values last."""
    if column not in COLUMNS:
        column = "landed_unit"
    present = [row for row in rows if getattr(row, column) is not None]
    absent = [row for row in rows if getattr(row, column) is None]
    return sorted(present, key=lambda row: getattr(row, column), reverse=descending) + absent


def offers_of(comparison: Comparison) -> list[Offer]:
    """The active, converted quotes as the optimiser's offers (in the comparison's currency)."""
    places = _currency_places(row.quote.currency_id for row in comparison.rows)
    return [
        Offer(
            key=row.quote.pk,
            supplier=row.quote.supplier_id,
            terms=row.terms,
            rate=row.rate.rate,
            places=places.get(row.quote.currency_id, 2),
            late=row.late,
            belt=row.quote.supplier.belt.slug if row.quote.supplier.belt else None,
            province=row.quote.supplier.province or None,
        )
        for row in comparison.rows
        if row.quote.is_active and row.rate is not None
    ]


def propose_plan(comparison: Comparison, constraints: Constraints) -> Plan:
    """The cheapest plan meeting the buyer's constraints; the rows learn what it gives them."""
    offers = offers_of(comparison)
    plan = optimise(offers, constraints, time_limit=settings.ALLOCATION_TIME_LIMIT_SECONDS)
    comparison.greedy_fits = plan.greedy is not None and not plan_violations(plan.greedy.lines, offers, constraints)
    comparison.single_fits = plan.single is not None and not plan_violations(plan.single.lines, offers, constraints)
    by_key = {offer.key: offer for offer in offers}
    for row in comparison.rows:
        row.reason = plan.reasons.get(row.quote.pk)
        quantity = plan.lines.get(row.quote.pk, 0)
        row.planned_quantity = quantity
        if quantity:
            offer = by_key[row.quote.pk]
            row.planned_unit_price = offer.terms.unit_price(quantity)
            row.planned_landed = landed_cost(offer, quantity, target_places=comparison.places)
    return plan
