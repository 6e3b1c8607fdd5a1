"""What makes a quote's terms valid, in one place: the quote form and the API both turn their
input into QuoteTerms through `quote_terms_from`, and get the same messages.

Rules that need the RFQ (quantity against the RFQ's, split allowed) are checked here too, so a
supplier sees every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from buyers.models import Incoterm, Quote, SourcingRequest
from marketplace.errors import InvalidFields
from marketplace.input_values import date_value, money, whole_number
from marketplace.pricing import PriceTerms, price_at
from marketplace.selectors.money import currency_refusal, offered_currency_codes
from suppliers.catalog_rules import check_tiers, parse_tiers

MAX_LEAD_TIME_DAYS = 365
MAX_VALIDITY_DAYS = 366


@dataclass(frozen=True)
class QuoteTerms:
    unit_price: Decimal
    currency: str
    quantity: int
    lead_time_days: int
    valid_until: date
    incoterm: str
    tiers: tuple[tuple[int, Decimal], ...] = ()
    min_order_quantity: int | None = None
    port: str = ""
    freight: Decimal | None = None
    freight_basis: str = Quote.FreightBasis.SHIPMENT
    sample_available: bool = False
    sample_price: Decimal | None = None
    sample_days: int | None = None
    notes: str = ""

    def as_json(self) -> dict[str, Any]:
        """The terms as a version snapshot (amounts as strings, so they stay exact)."""
        return {
            "unit_price": str(self.unit_price),
            "tiers": [[quantity, str(price)] for quantity, price in self.tiers],
            "currency": self.currency,
            "quantity": self.quantity,
            "min_order_quantity": self.min_order_quantity,
            "lead_time_days": self.lead_time_days,
            "valid_until": self.valid_until.isoformat(),
            "incoterm": self.incoterm,
            "port": self.port,
            "freight": None if self.freight is None else str(self.freight),
            "freight_basis": self.freight_basis,
            "sample_available": self.sample_available,
            "sample_price": None if self.sample_price is None else str(self.sample_price),
            "sample_days": self.sample_days,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QuoteTerms:
        """The terms of a version snapshot (as_json); keys missing from older snapshots take defaults."""

        def amount(key: str) -> Decimal | None:
            return None if data.get(key) in {None, ""} else Decimal(str(data[key]))

        return cls(
            unit_price=Decimal(str(data["unit_price"])),
            currency=str(data.get("currency") or ""),
            quantity=int(data.get("quantity") or 1),
            lead_time_days=int(data.get("lead_time_days") or 1),
            valid_until=date.fromisoformat(data["valid_until"]) if data.get("valid_until") else date.max,
            incoterm=str(data.get("incoterm") or ""),
            tiers=tuple((int(quantity), Decimal(str(price))) for quantity, price in data.get("tiers") or ()),
            min_order_quantity=data.get("min_order_quantity"),
            port=str(data.get("port") or ""),
            freight=amount("freight"),
            freight_basis=str(data.get("freight_basis") or Quote.FreightBasis.SHIPMENT),
            sample_available=bool(data.get("sample_available")),
            sample_price=amount("sample_price"),
            sample_days=data.get("sample_days"),
            notes=str(data.get("notes") or ""),
        )

    @classmethod
    def of_quote(cls, quote: Quote) -> QuoteTerms:
        """The current terms of a quote row (the same as its latest version's)."""
        return cls(
            unit_price=quote.unit_price,
            currency=quote.currency_id,
            quantity=quote.quantity,
            lead_time_days=quote.lead_time_days,
            valid_until=quote.valid_until,
            incoterm=quote.incoterm,
            tiers=tuple((int(quantity), Decimal(str(price))) for quantity, price in quote.tiers or ()),
            min_order_quantity=quote.min_order_quantity,
            port=quote.port,
            freight=quote.freight,
            freight_basis=quote.freight_basis,
            sample_available=quote.sample_available,
            sample_price=quote.sample_price,
            sample_days=quote.sample_days,
            notes=quote.notes,
        )

    def price_terms(self) -> PriceTerms:
        """The terms as the pricing rule reads them: the tiers (or the one unit price from the
        minimum order up), the quantity offered as the most, and how freight is charged."""
        tiers = self.tiers or ((self.min_order_quantity or 1, self.unit_price),)
        return PriceTerms.of(
            tiers,
            minimum=self.min_order_quantity,
            maximum=self.quantity,
            freight=self.freight,
            freight_per_unit=self.freight_basis == Quote.FreightBasis.UNIT,
        )


class QuoteTermsInvalid(InvalidFields):
    """Every problem found in a quote's terms, by field."""


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def quote_terms_from(
    data: Mapping[str, Any], *, rfq: SourcingRequest, today: date | None = None, kept_currency: str | None = None
) -> QuoteTerms:
    """Check a quote's input against the rules and the RFQ; raises QuoteTermsInvalid with every problem.

    The currency must be offered (a recent exchange rate), or be `kept_currency`, the one of the
    quote being revised: a revision may stay in it."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def check(name: str, parse: Any) -> None:
        try:
            values[name] = parse()
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))

    check(
        "quantity",
        lambda: whole_number(data.get("quantity"), label=_("The quantity offered"), minimum=1, maximum=rfq.quantity),
    )
    if "quantity" in values and values["quantity"] < rfq.quantity and not rfq.allow_split:
        errors.setdefault("quantity", []).append(
            _("This request is not split across suppliers: offer the whole quantity of %(quantity)s.")
            % {"quantity": rfq.quantity}
        )
    if not _blank(data.get("min_order_quantity")):
        check(
            "min_order_quantity",
            lambda: whole_number(
                data.get("min_order_quantity"),
                label=_("The minimum order"),
                minimum=1,
                maximum=values.get("quantity", rfq.quantity),
            ),
        )
    tiers: list[tuple[int, Decimal]] = []
    if not _blank(data.get("tiers")) and data.get("tiers") != []:
        try:
            tiers = parse_tiers(data.get("tiers"))
            problems = check_tiers(tiers, moq=values.get("min_order_quantity"))
            if problems:
                errors.setdefault("tiers", []).extend(problems)
        except ValueError as error:
            errors.setdefault("tiers", []).append(str(error))
    if not _blank(data.get("unit_price")):
        check("unit_price", lambda: money(data.get("unit_price"), label=_("The unit price")))
    if tiers and "quantity" in values and "tiers" not in errors:
        # With tiers, the unit price is the tier's price at the quantity offered (one rule).
        price = price_at(tiers, values["quantity"])
        if price is None:
            errors.setdefault("tiers", []).append(_("No tier covers the quantity offered."))
        elif "unit_price" in values and values["unit_price"] != price:
            errors.setdefault("unit_price", []).append(
                _("At the quantity offered your tiers give %(price)s a unit: leave the unit price empty or give that.")
                % {"price": price.normalize()}
            )
        else:
            values["unit_price"] = price
    elif not tiers and "unit_price" not in values and "unit_price" not in errors:
        errors.setdefault("unit_price", []).append(_("Give a unit price or quantity-break prices."))

    currency = str(data.get("currency") or "").strip().upper()
    if currency != kept_currency and currency not in offered_currency_codes():
        errors.setdefault("currency", []).append(currency_refusal(currency))
    check(
        "lead_time_days",
        lambda: whole_number(
            data.get("lead_time_days"), label=_("The lead time"), minimum=1, maximum=MAX_LEAD_TIME_DAYS
        ),
    )
    check("valid_until", lambda: date_value(data.get("valid_until"), label=_("The valid-until date")))
    if "valid_until" in values:
        if values["valid_until"] < today:
            errors.setdefault("valid_until", []).append(_("The valid-until date has already passed."))
        elif (values["valid_until"] - today).days > MAX_VALIDITY_DAYS:
            errors.setdefault("valid_until", []).append(_("A quote can be valid for at most a year."))
    incoterm = str(data.get("incoterm") or "").strip().upper()
    if incoterm not in Incoterm.values:
        errors.setdefault("incoterm", []).append(
            _("“%(value)s” is not an Incoterm; choose one such as FOB or CIF.") % {"value": incoterm}
            if incoterm
            else _("Choose an Incoterm.")
        )
    if not _blank(data.get("freight")):
        check("freight", lambda: money(data.get("freight"), label=_("The freight"), allow_zero=True))
    freight_basis = str(data.get("freight_basis") or Quote.FreightBasis.SHIPMENT).strip().lower()
    if freight_basis not in Quote.FreightBasis.values:
        errors.setdefault("freight_basis", []).append(_("Say whether freight is charged per shipment or per unit."))
    sample_available = data.get("sample_available") in {True, "true", "True", "1", "on", "yes"}
    if sample_available and not _blank(data.get("sample_price")):
        check("sample_price", lambda: money(data.get("sample_price"), label=_("The sample price"), allow_zero=True))
    if sample_available and not _blank(data.get("sample_days")):
        check(
            "sample_days",
            lambda: whole_number(
                data.get("sample_days"), label=_("The sample lead time"), minimum=1, maximum=MAX_LEAD_TIME_DAYS
            ),
        )
    port = str(data.get("port") or "").strip()
    if len(port) > 120:
        errors.setdefault("port", []).append(_("At most 120 characters."))
    notes = str(data.get("notes") or "").strip()
    if len(notes) > 5000:
        errors.setdefault("notes", []).append(_("At most 5,000 characters."))
    if errors:
        raise QuoteTermsInvalid(errors=errors)
    return QuoteTerms(
        unit_price=values["unit_price"],
        currency=currency,
        quantity=values["quantity"],
        lead_time_days=values["lead_time_days"],
        valid_until=values["valid_until"],
        incoterm=incoterm,
        tiers=tuple(tiers),
        min_order_quantity=values.get("min_order_quantity"),
        port=port,
        freight=values.get("freight"),
        freight_basis=freight_basis,
        sample_available=sample_available,
        sample_price=values.get("sample_price"),
        sample_days=values.get("sample_days"),
        notes=notes,
    )
