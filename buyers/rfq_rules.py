"""What makes a sourcing request (RFQ) valid, in one place: the RFQ form and the API both turn
their input into an RfqData through `rfq_data_from`, and get the same messages.

`RfqData` is the one list of an RFQ's input fields (`RFQ_FIELDS`): `rfq_data_from` has one rule
per field and refuses to run without one, the form reads and the posting service stores exactly
these fields, the API answers with them, and `rfq_input_of` gives a stored RFQ's values back as
input. Adding a field means the model's column, its rule here, and its line in RfqData (then its
label in the form and its help in the write serializer, which a test holds to this list).

Input values may be typed (dates, numbers, lists from the API) or text (from a form).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

from buyers.models import Incoterm, Match, SourcingRequest
from marketplace.errors import InvalidFields
from marketplace.formatting import date_text
from marketplace.input_values import category_value, currency_value, limited_text
from marketplace.input_values import date_value as _date
from marketplace.input_values import datetime_value as _datetime
from marketplace.input_values import id_value as _id
from marketplace.input_values import money as _money
from marketplace.input_values import text as _text
from marketplace.input_values import whole_number as _whole_number
from marketplace.input_values import yes as _yes
from marketplace.models import Category, Company
from marketplace.selectors.money import offered_currency_codes
from suppliers.catalog_rules import MAX_QUANTITY, unit_value
from suppliers.models import Product, SupplierProfile
from suppliers.selectors.catalog import category_by_key

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_CITY = 120
MAX_QUOTES = 1000
MAX_INVITED = 50
# How far ahead a request may look: quotes within a year, delivery within three.
DEADLINE_HORIZON = timedelta(days=365)
DELIVERY_HORIZON = timedelta(days=3 * 365)

Visibility = SourcingRequest.Visibility


@dataclass(frozen=True)
class RfqData:
    """A valid RFQ's fields, as the posting services take them: the one list of an RFQ's input
    fields, in the order the form and the API show them. Each is a column of SourcingRequest of
    the same name, except the invited suppliers (Match rows)."""

    title: str
    description: str
    category: Category
    quantity: int
    unit: str
    target_unit_price: Decimal | None
    currency: str
    destination_country: str
    destination_city: str
    incoterm: str
    required_by: date
    quote_deadline: datetime
    visibility: str
    allow_split: bool
    max_quotes: int | None
    invited_suppliers: tuple[SupplierProfile, ...] = ()
    source_product: Product | None = None

    def column_values(self) -> dict[str, Any]:
        """The values of SourcingRequest's columns, by attribute (the currency is its code)."""
        values = {name: getattr(self, name) for name in RFQ_FIELDS if name != INVITATIONS}
        values["currency_id"] = values.pop("currency")
        return values


RFQ_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(RfqData))
INVITATIONS = "invited_suppliers"  # the one RFQ field that is not a column: Match rows


class RfqDataInvalid(InvalidFields):
    """Every problem found in an RFQ's input, by field."""


# --- Lookups (passed in, so tests and callers can choose; these are the defaults) ----------------


def active_currency_codes() -> set[str]:
    """The currencies an RFQ may be posted in: the offered ones (with a recent exchange rate)."""
    return offered_currency_codes()


def listed_suppliers_by_id(ids: Iterable[int]) -> dict[int, SupplierProfile]:
    """Suppliers a buyer may invite: listed (active) profiles, by id."""
    return {supplier.pk: supplier for supplier in SupplierProfile.objects.listed().filter(pk__in=list(ids))}


def public_product_by_id(pk: int) -> Product | None:
    """A product a buyer may request a quote for: published, of an active supplier."""
    return (
        Product.objects.published()
        .filter(pk=pk, supplier__is_active=True)
        .select_related("supplier", "category")
        .first()
    )


# --- Parsing single values ----------------------------------------------------------------------


def supplier_ids_from(raw: Any) -> list[int]:
    """Supplier ids as a list, or as text "12, 34 56" (commas or spaces, also full-width ones).
    Each must be plainly an id (`input_values.id_value`). Raises ValueError."""
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, list | tuple | set) else re.split(r"[\s,;，；、]+", _text(raw))
    ids: list[int] = []
    for item in items:
        text = _text(item)
        if not text:
            continue
        try:
            pk = _id(item, label=_("The supplier"))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a supplier id: give the numbers of the suppliers, such as 12, 34.")
                % {"value": text[:30]}
            ) from None
        if pk not in ids:
            ids.append(pk)
    return ids


def invited_suppliers_from(
    raw: Any,
    *,
    buyer: Company,
    supplier_lookup: Callable[[Iterable[int]], dict[int, SupplierProfile]] = listed_suppliers_by_id,
) -> tuple[SupplierProfile, ...]:
    """The suppliers a buyer invites, checked: they exist, are listed, and are not the buyer itself."""
    ids = supplier_ids_from(raw)
    if len(ids) > MAX_INVITED:
        raise ValueError(_("Invite at most %(max)s suppliers to one request.") % {"max": MAX_INVITED})
    found = supplier_lookup(ids) if ids else {}
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise ValueError(
            _("There is no supplier with the id %(ids)s.") % {"ids": ", ".join(unknown[:5])}
            if len(unknown) == 1
            else _("There are no suppliers with the ids %(ids)s.") % {"ids": ", ".join(unknown[:5])}
        )
    if any(found[pk].company_id == buyer.pk for pk in ids):
        raise ValueError(_("You cannot invite your own company to quote: invite other suppliers."))
    return tuple(found[pk] for pk in ids)


def invited_supplier_ids(rfq: SourcingRequest) -> list[int]:
    """The suppliers the buyer invited to `rfq`, in the order they were invited."""
    return list(rfq.matches.filter(source=Match.Source.INVITED).order_by("id").values_list("supplier_id", flat=True))


def rfq_input_of(rfq: SourcingRequest) -> dict[str, Any]:
    """A stored RFQ's values as RFQ input, which `rfq_data_from` reads back to the same data: what
    an edit starts from. Related records are given by id, the country by its code."""
    attributes = {field.name: field.attname for field in SourcingRequest._meta.concrete_fields}
    values: dict[str, Any] = {}
    for name in RFQ_FIELDS:
        if name == INVITATIONS:
            values[name] = invited_supplier_ids(rfq)
            continue
        value = getattr(rfq, attributes[name])
        values[name] = value.code if isinstance(value, Country) else value
    return values


# --- The whole request --------------------------------------------------------------------------


def rfq_data_from(
    raw: Mapping[str, Any],
    *,
    buyer: Company,
    publishing: bool = False,
    now: datetime | None = None,
    category_lookup: Callable[[str], Category | None] = category_by_key,
    currency_codes: set[str] | None = None,
    kept_currency: str | None = None,
    supplier_lookup: Callable[[Iterable[int]], dict[int, SupplierProfile]] = listed_suppliers_by_id,
    product_lookup: Callable[[int], Product | None] = public_product_by_id,
) -> RfqData:
    """Validate one RFQ's input. Raises RfqDataInvalid with every problem found.

    `publishing` says the request is (or is about to be) open to quotes: a private request then
    needs an invited supplier. `category_lookup` finds a category by id or slug. `kept_currency`
    is the currency an edited request is in: it stays allowed when it is no longer offered.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    codes = active_currency_codes() if currency_codes is None else currency_codes
    if kept_currency:
        codes = {*codes, kept_currency}
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def check(name: str, parse: Callable[[], Any]) -> None:
        try:
            values[name] = parse()
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))

    def title() -> str:
        text = limited_text(raw.get("title"), label=_("The title"), maximum=MAX_TITLE)
        if not text:
            raise ValueError(_("Say what you need in the title, such as “Transparent school backpacks”."))
        return text

    def target_unit_price() -> Decimal | None:
        if _text(raw.get("target_unit_price")) == "":
            return None
        return _money(raw.get("target_unit_price"), label=_("The target unit price"))

    def destination_country() -> str:
        text = _text(raw.get("destination_country")).upper()
        if not text:
            raise ValueError(_("Choose the country the goods go to."))
        if not countries.alpha2(text):
            raise ValueError(_("Unknown country “%(code)s”; use a two-letter code such as LK.") % {"code": text[:10]})
        return countries.alpha2(text)

    def incoterm() -> str:
        text = _text(raw.get("incoterm")).upper() or Incoterm.FOB
        if text not in Incoterm.values:
            raise ValueError(
                _("Unknown Incoterm “%(term)s”; use one of: %(terms)s.")
                % {"term": text[:10], "terms": ", ".join(Incoterm.values)}
            )
        return text

    def required_by() -> date:
        value = _date(raw.get("required_by"), label=_("The required delivery date"))
        if value < today:
            raise ValueError(_("The required delivery date has passed; choose a later one."))
        if value > today + DELIVERY_HORIZON:
            raise ValueError(_("The required delivery date can be at most three years ahead."))
        return value

    def quote_deadline() -> datetime:
        value = _datetime(raw.get("quote_deadline"), label=_("The quote deadline"))
        if value <= now:
            raise ValueError(_("The quote deadline has passed; choose a time in the future."))
        if value > now + DEADLINE_HORIZON:
            raise ValueError(_("The quote deadline can be at most a year ahead."))
        return value

    def visibility() -> str:
        text = _text(raw.get("visibility")) or Visibility.PUBLIC
        if text not in Visibility.values:
            raise ValueError(_("The visibility must be public or private."))
        return text

    def max_quotes() -> int | None:
        if _text(raw.get("max_quotes")) == "":
            return None
        return _whole_number(raw.get("max_quotes"), label=_("The most quotes wanted"), minimum=1, maximum=MAX_QUOTES)

    def invited() -> tuple[SupplierProfile, ...]:
        return invited_suppliers_from(raw.get("invited_suppliers"), buyer=buyer, supplier_lookup=supplier_lookup)

    def source_product() -> Product | None:
        given = raw.get("source_product")
        if given is None or _text(given) == "":
            return None
        try:
            product = product_lookup(_id(given, label=_("The product")))
        except ValueError:
            product = None
        if product is None:
            raise ValueError(_("The product this request came from is no longer offered."))
        return product

    rules: dict[str, Callable[[], Any]] = {
        "title": title,
        "description": lambda: limited_text(
            raw.get("description"), label=_("The description"), maximum=MAX_DESCRIPTION
        ),
        "category": lambda: category_value(raw.get("category"), lookup=category_lookup),
        "quantity": lambda: _whole_number(
            raw.get("quantity"), label=_("The quantity"), minimum=1, maximum=MAX_QUANTITY
        ),
        "unit": lambda: unit_value(raw.get("unit")),
        "target_unit_price": target_unit_price,
        "currency": lambda: currency_value(raw.get("currency"), codes=codes, default="USD"),
        "destination_country": destination_country,
        "destination_city": lambda: limited_text(
            raw.get("destination_city"), label=_("The city or port"), maximum=MAX_CITY
        ),
        "incoterm": incoterm,
        "required_by": required_by,
        "quote_deadline": quote_deadline,
        "visibility": visibility,
        "allow_split": lambda: _yes(raw.get("allow_split")),
        "max_quotes": max_quotes,
        "invited_suppliers": invited,
        "source_product": source_product,
    }
    for name in RFQ_FIELDS:  # a field without a rule is a KeyError, at once
        check(name, rules[name])

    deadline, delivery = values.get("quote_deadline"), values.get("required_by")
    if deadline is not None and delivery is not None and timezone.localdate(deadline) >= delivery:
        errors.setdefault("quote_deadline", []).append(
            _("Quotes must be due before the required delivery date (%(date)s).") % {"date": date_text(delivery)}
        )
    if (
        publishing
        and values.get("visibility") == Visibility.PRIVATE
        and "invited_suppliers" in values
        and not values["invited_suppliers"]
    ):
        errors.setdefault("invited_suppliers", []).append(
            _("A private request goes only to the suppliers you invite: invite at least one, or make it public.")
        )
    product = values.get("source_product")
    if product is not None and product.supplier.company_id == buyer.pk:
        errors.setdefault("source_product", []).append(
            _("This is your own company's product: you cannot request a quote from yourself.")
        )
    if errors:
        raise RfqDataInvalid(errors=errors)
    return RfqData(**values)
