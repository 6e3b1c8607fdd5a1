"""The buyer's constraints on the proposed split, read the same way from the comparison page's form
and the API's query: `plan_constraints_from` turns what was sent into the optimiser's
Constraints, or raises PlanInputInvalid with every problem by field.

Fields (all optional): `max_share` (% of the RFQ's quantity one supplier may get), `min_suppliers`,
`max_suppliers`, `min_belts`, `min_provinces`, `over_delivery` (% more than the quantity the
buyer accepts, 0–20), `exclude` and `require` (supplier ids, repeated or comma-separated),
`allow_late` (quotes ready after the required date may be used).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from buyers.allocation import Constraints
from buyers.models import Quote, SourcingRequest
from marketplace.errors import InvalidFields
from marketplace.input_values import ID_PATTERN, SPACE_PATTERN, id_value, money, text, whole_number, yes

PLAN_FIELDS = (
    "max_share",
    "min_suppliers",
    "max_suppliers",
    "min_belts",
    "min_provinces",
    "over_delivery",
    "exclude",
    "require",
    "allow_late",
)
MAX_OVER_DELIVERY = Decimal("20")
MAX_PLAN_COUNT = 1000
MAX_SUPPLIER_IDS = 500
# What `exclude` and `require` take, as the API's schema states it: ids separated by commas, with
# white space and empty places between them (`_values`, `id_value`). Each id must also be of a
# supplier that quoted, and there may be at most MAX_SUPPLIER_IDS: rules no pattern can state.
# The empty value (not given) is left out here, as the schema gives it as a branch of its own.
_SUPPLIER_ID_PLACE = f"{SPACE_PATTERN}*(?:{ID_PATTERN}{SPACE_PATTERN}*)?"
SUPPLIER_IDS_PATTERN = (
    f"^(?:{_SUPPLIER_ID_PLACE}(?:,{_SUPPLIER_ID_PLACE})+"  # two places or more
    f"|{SPACE_PATTERN}+|{SPACE_PATTERN}*{ID_PATTERN}{SPACE_PATTERN}*)$"  # one place, not empty
)


class PlanInputInvalid(InvalidFields):
    """Every problem found in the buyer's constraints, by field."""


def _values(data: Mapping[str, Any], name: str) -> list[Any]:
    raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    values: list[Any] = []
    for item in items:
        if isinstance(item, str):
            values.extend(part for part in item.split(",") if part.strip())
        else:
            values.append(item)
    return values


def _blank(data: Mapping[str, Any], name: str) -> bool:
    return not text(data.get(name))


def plan_constraints_from(
    data: Mapping[str, Any], *, rfq: SourcingRequest, quotes: Iterable[Quote], target_places: int = 2
) -> Constraints:
    """The optimiser's constraints from the buyer's input, checked against the RFQ's quotes."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}

    def check(name: str, parse: Any) -> None:
        if _blank(data, name):
            return
        try:
            values[name] = parse(data.get(name))
        except ValueError as error:
            errors.setdefault(name, []).append(str(error))

    def percent(label: str, *, most: Decimal) -> Any:
        def parse(raw: Any) -> Decimal:
            value = money(raw, label=label)
            if value > most:
                raise ValueError(_("%(label)s can be at most %(max)s %%.") % {"label": label, "max": most})
            return value

        return parse

    def count(label: str) -> Any:
        return lambda raw: whole_number(raw, label=label, minimum=1, maximum=MAX_PLAN_COUNT)

    check("max_share", percent(_("The largest share per supplier"), most=Decimal("100")))
    check("min_suppliers", count(_("The least number of suppliers")))
    check("max_suppliers", count(_("The most suppliers")))
    check("min_belts", count(_("The least number of belts")))
    check("min_provinces", count(_("The least number of provinces")))
    if not _blank(data, "over_delivery"):
        try:
            value = money(data.get("over_delivery"), label=_("The over-delivery tolerance"), allow_zero=True)
            if value > MAX_OVER_DELIVERY:
                raise ValueError(_("The over-delivery tolerance can be at most 20 %."))
            values["over_delivery"] = value
        except ValueError as error:
            errors.setdefault("over_delivery", []).append(str(error))
    if (
        values.get("min_suppliers") is not None
        and values.get("max_suppliers") is not None
        and values["min_suppliers"] > values["max_suppliers"]
    ):
        errors.setdefault("max_suppliers", []).append(
            _("The most suppliers cannot be fewer than the least number of suppliers.")
        )

    quote_of_supplier = {quote.supplier_id: quote.pk for quote in quotes}
    chosen: dict[str, set[int]] = {}
    for name, label in (("exclude", _("A supplier to leave out")), ("require", _("A supplier to include"))):
        keys: set[int] = set()
        items = _values(data, name)
        if len(items) > MAX_SUPPLIER_IDS:
            errors.setdefault(name, []).append(_("Name at most 500 suppliers."))
            items = []
        for item in items:
            try:
                supplier_id = id_value(item, label=label)
            except ValueError as error:
                errors.setdefault(name, []).append(str(error))
                continue
            if supplier_id not in quote_of_supplier:
                errors.setdefault(name, []).append(
                    _("Supplier %(id)s has not quoted on this request.") % {"id": supplier_id}
                )
                continue
            keys.add(quote_of_supplier[supplier_id])
        chosen[name] = keys
    both = chosen.get("exclude", set()) & chosen.get("require", set())
    if both:
        errors.setdefault("require", []).append(_("A supplier cannot be both left out and required."))
    if not rfq.allow_split and values.get("max_share") is not None and values["max_share"] < 100:
        errors.setdefault("max_share", []).append(_("This request is not split: one supplier gets all of it."))
    if errors:
        raise PlanInputInvalid(errors=errors)
    return Constraints(
        quantity=rfq.quantity,
        target_places=target_places,
        over_delivery_percent=values.get("over_delivery", Decimal("0")),
        max_share_percent=values.get("max_share"),
        min_suppliers=values.get("min_suppliers"),
        max_suppliers=values.get("max_suppliers") if rfq.allow_split else 1,
        min_belts=values.get("min_belts"),
        min_provinces=values.get("min_provinces"),
        excluded=frozenset(chosen.get("exclude", set())),
        required=frozenset(chosen.get("require", set())),
        allow_late=yes(data.get("allow_late")),
    )
