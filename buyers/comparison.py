"""Comparing an RFQ's quotes in the buyer's currency, and proposing a split that covers the
quantity at the lowest landed cost.

Every amount is converted with the dated exchange rate valid on the comparison day
(marketplace.selectors.money), and the rates used are listed so the page can show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from buyers.models import Quote, SourcingRequest
from marketplace.errors import NotFound
from marketplace.selectors.money import Rate, exchange_rate_on

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
    unit_price: Decimal | None
    total: Decimal | None
    freight: Decimal | None
    landed_total: Decimal | None
    landed_unit: Decimal | None
    ready_on: date
    late: bool
    rate: Rate | None
    best: set[str] = field(default_factory=set)

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


@dataclass
class Comparison:
    rfq: SourcingRequest
    currency: str
    on: date
    rows: list[QuoteRow]
    # Source currencies with no rate on or before `on`: their amounts are shown unconverted.
    missing_rates: list[str]

    @property
    def rates(self) -> list[Rate]:
        seen: dict[str, Rate] = {}
        for row in self.rows:
            if row.rate is not None and row.rate.derivation != "same":
                seen.setdefault(row.rate.base, row.rate)
        return list(seen.values())


def _places(amount: Decimal, places: str = "0.01") -> Decimal:
    return amount.quantize(Decimal(places))


def compare_quotes(*, rfq: SourcingRequest, quotes: Iterable[Quote], currency: str, on: date) -> Comparison:
    """Rows for the buyer's comparison: active quotes first converted into `currency`, with the
    best value of each column marked."""
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
        ready_on = on + timedelta(days=quote.lead_time_days)
        if rate is None:
            unit = total = freight = landed = landed_unit = None
        else:
            unit = _places(quote.unit_price * rate.rate, "0.0001")
            total = _places(quote.unit_price * quote.quantity * rate.rate)
            freight = None if quote.freight is None else _places(quote.freight * rate.rate)
            landed = total + (freight or Decimal("0"))
            landed_unit = _places(landed / quote.quantity, "0.0001")
        rows.append(
            QuoteRow(
                quote=quote,
                unit_price=unit,
                total=total,
                freight=freight,
                landed_total=landed,
                landed_unit=landed_unit,
                ready_on=ready_on,
                late=ready_on > rfq.required_by,
                rate=rate,
            )
        )
    _mark_best([row for row in rows if row.quote.is_active])
    return Comparison(rfq=rfq, currency=currency, on=on, rows=rows, missing_rates=missing)


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


def propose_allocation(comparison: Comparison, *, quantity: int | None = None) -> dict[int, int]:
    """Quantities per quote id that cover `quantity` (the RFQ's by default) at the lowest landed
    cost, using only active quotes that meet the required date and could be converted. The
    result may cover less than the quantity when those quotes together offer less."""
    remaining = comparison.rfq.quantity if quantity is None else quantity
    usable = [row for row in comparison.rows if row.quote.is_active and not row.late and row.landed_unit is not None]
    allocation: dict[int, int] = {}
    for row in sorted(usable, key=lambda row: (row.landed_unit, -row.quantity, row.quote.pk)):
        if remaining <= 0:
            break
        give = min(row.quantity, remaining)
        allocation[row.quote.pk] = give
        remaining -= give
    return allocation


def allocation_total(comparison: Comparison, allocation: Mapping[int, int]) -> Decimal | None:
    """The landed cost of an allocation in the comparison's currency (None if a quote lacks a rate)."""
    by_id = {row.quote.pk: row for row in comparison.rows}
    total = Decimal("0")
    for quote_id, quantity in allocation.items():
        row = by_id.get(quote_id)
        if row is None or row.landed_total is None:
            return None
        total += row.landed_total * quantity / row.quantity
    return _places(total)
