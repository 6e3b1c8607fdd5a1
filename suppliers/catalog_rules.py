"""What makes product data valid, in one place: the product form, the API and the bulk import
all turn their input into a ProductData through `product_data_from`, and get the same messages.

Input values may be typed (from forms and the API) or text (from CSV and XLSX cells).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.errors import InvalidFields
from marketplace.input_values import MAX_AMOUNT, category_value, currency_value, limited_text
from marketplace.input_values import money as _money
from marketplace.input_values import text as _text
from marketplace.input_values import whole_number as _whole_number
from marketplace.input_values import yes as _yes
from marketplace.models import Category
from suppliers.models import Product, Unit

SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
SKU_RULE = gettext_lazy("The SKU is required: up to 64 letters, digits, dots, dashes, slashes or underscores.")
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_SKU = 64
MAX_ATTRIBUTE_NAME = 50
MAX_ATTRIBUTE_VALUE = 200
MAX_ATTRIBUTES = 30
MAX_TIERS = 10
MAX_QUANTITY = 100_000_000
MAX_MONTHLY_CAPACITY = MAX_QUANTITY * 10
MAX_PRICE = MAX_AMOUNT


@dataclass(frozen=True)
class ProductData:
    sku: str
    title: str
    description: str
    category: Category
    unit: str
    moq: int
    currency: str
    lead_time_days: int
    tiers: tuple[tuple[int, Decimal], ...]
    attributes: tuple[tuple[str, str], ...] = ()
    monthly_capacity: int | None = None
    sample_available: bool = False
    sample_price: Decimal | None = None
    sample_days: int | None = None
    status: str = Product.Status.DRAFT

    def attributes_json(self) -> list[dict[str, str]]:
        return [{"name": name, "value": value} for name, value in self.attributes]


class ProductDataInvalid(InvalidFields):
    """Every problem found in a product's input, by field."""


def unit_value(raw: Any) -> str:
    """A unit of quantity (`Unit`), a piece when none is given: the unit of products, RFQs and quotes."""
    text = _text(raw) or Unit.PIECE
    if text not in Unit.values:
        raise ValueError(
            _("Unknown unit “%(unit)s”; use one of: %(units)s.") % {"unit": text[:20], "units": ", ".join(Unit.values)}
        )
    return text


def parse_tiers(raw: Any) -> list[tuple[int, Decimal]]:
    """Tiers as pairs, or as text "100:12.50; 500:11.80" (quantity:unit price, separated by ;)."""
    if isinstance(raw, list | tuple):
        pairs = [
            (item[0], item[1]) if isinstance(item, list | tuple) else (item["min_quantity"], item["unit_price"])
            for item in raw
        ]
    else:
        pairs = []
        for chunk in filter(None, (part.strip() for part in _text(raw).split(";"))):
            quantity, separator, price = chunk.partition(":")
            if not separator:
                raise ValueError(_("Write each price tier as quantity:unit price, for example 100:12.50."))
            pairs.append((quantity, price))
    tiers = []
    for quantity, price in pairs:
        tiers.append(
            (
                _whole_number(quantity, label=_("A tier quantity"), minimum=1, maximum=MAX_QUANTITY),
                _money(price, label=_("A tier price")),
            )
        )
    return tiers


def check_tiers(tiers: list[tuple[int, Decimal]], *, moq: int | None) -> list[str]:
    """The rules of price tiers; returns the problems (none when valid)."""
    problems: list[str] = []
    if not tiers:
        return [_("Give at least one price tier.")]
    if len(tiers) > MAX_TIERS:
        problems.append(_("At most %(max)s price tiers.") % {"max": MAX_TIERS})
    quantities = [quantity for quantity, _price in tiers]
    if any(later <= earlier for earlier, later in itertools.pairwise(quantities)):
        problems.append(_("Tier quantities must go up from one tier to the next."))
    prices = [price for _quantity, price in tiers]
    if any(later > earlier for earlier, later in itertools.pairwise(prices)):
        problems.append(_("A larger quantity cannot cost more per unit than a smaller one."))
    if moq is not None and quantities[0] > moq:
        problems.append(
            _("The first tier starts at %(first)s, above the minimum order quantity %(moq)s: give a price for the MOQ.")
            % {"first": quantities[0], "moq": moq}
        )
    return problems


def product_data_from(
    raw: Mapping[str, Any],
    *,
    category_lookup: Callable[[str], Category | None],
    currency_codes: set[str],
    kept_currency: str | None = None,
) -> ProductData:
    """Validate one product's input. Raises ProductDataInvalid with every problem found.

    `category_lookup` finds a category from what was given (id or slug); `currency_codes` are the
    offered currency codes. Both are passed in so a 10,000-row import looks them up once.
    `kept_currency` is the currency an edited product is in: it stays allowed when no longer offered.
    """
    if kept_currency:
        currency_codes = {*currency_codes, kept_currency}
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def check(name: str, parse: Callable[[], Any]) -> None:
        try:
            values[name] = parse()
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))

    def sku() -> str:
        text = _text(raw.get("sku"))
        if not SKU_PATTERN.fullmatch(text):
            raise ValueError(str(SKU_RULE))
        return text

    def title() -> str:
        text = limited_text(raw.get("title"), label=_("The title"), maximum=MAX_TITLE)
        if not text:
            raise ValueError(_("The title is required."))
        return text

    def optional_number(name: str, label: str, maximum: int) -> Callable[[], int | None]:
        return lambda: (
            None
            if _text(raw.get(name)) == ""
            else _whole_number(raw.get(name), label=label, minimum=1, maximum=maximum)
        )

    def attributes() -> tuple[tuple[str, str], ...]:
        given = raw.get("attributes") or []
        if isinstance(given, str):  # "material=PVC; colour=clear"
            given = [part.partition("=")[::2] for part in given.split(";") if part.strip()]
        pairs = []
        for item in given:
            name, value = (item.get("name"), item.get("value")) if isinstance(item, Mapping) else item
            name, value = _text(name), _text(value)
            if not name or not value:
                raise ValueError(_("Each attribute needs a name and a value, such as material=PVC."))
            if len(name) > MAX_ATTRIBUTE_NAME or len(value) > MAX_ATTRIBUTE_VALUE:
                raise ValueError(_("Attribute names can have 50 characters and values 200."))
            pairs.append((name, value))
        if len(pairs) > MAX_ATTRIBUTES:
            raise ValueError(_("At most %(max)s attributes.") % {"max": MAX_ATTRIBUTES})
        return tuple(pairs)

    def status() -> str:
        text = _text(raw.get("status")) or Product.Status.DRAFT
        if text not in Product.Status.values:
            raise ValueError(_("The status must be draft, published or archived."))
        return text

    check("sku", sku)
    check("title", title)
    check(
        "description", lambda: limited_text(raw.get("description"), label=_("The description"), maximum=MAX_DESCRIPTION)
    )
    check("category", lambda: category_value(raw.get("category"), lookup=category_lookup))
    check("unit", lambda: unit_value(raw.get("unit")))
    check("currency", lambda: currency_value(raw.get("currency"), codes=currency_codes, default="CNY"))
    check(
        "moq",
        lambda: _whole_number(raw.get("moq"), label=_("The minimum order quantity"), minimum=1, maximum=MAX_QUANTITY),
    )
    check(
        "lead_time_days",
        lambda: _whole_number(raw.get("lead_time_days"), label=_("The lead time"), minimum=1, maximum=365),
    )
    check("monthly_capacity", optional_number("monthly_capacity", _("The monthly capacity"), MAX_MONTHLY_CAPACITY))
    check("sample_days", optional_number("sample_days", _("The sample lead time"), 365))
    check(
        "sample_price",
        lambda: (
            None
            if _text(raw.get("sample_price")) == ""
            else _money(raw.get("sample_price"), label=_("The sample price"), allow_zero=True)
        ),
    )
    check("attributes", attributes)
    check("status", status)
    check("tiers", lambda: parse_tiers(raw.get("tiers")))
    if "tiers" in values:
        problems = check_tiers(values["tiers"], moq=values.get("moq"))
        if problems:
            errors.setdefault("tiers", []).extend(problems)
    if errors:
        raise ProductDataInvalid(errors=errors)
    return ProductData(
        sku=values["sku"],
        title=values["title"],
        description=values["description"],
        category=values["category"],
        unit=values["unit"],
        moq=values["moq"],
        currency=values["currency"],
        lead_time_days=values["lead_time_days"],
        tiers=tuple(values["tiers"]),
        attributes=values["attributes"],
        monthly_capacity=values["monthly_capacity"],
        sample_available=_yes(raw.get("sample_available")),
        sample_price=values["sample_price"],
        sample_days=values["sample_days"],
        status=values["status"],
    )
