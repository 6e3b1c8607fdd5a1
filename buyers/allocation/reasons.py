"""Why each quote got what it got in a split award, and why no split exists, in the reader's language.

The solver (`buyers.allocation.solver`) writes reasons as codes and facts, never as text; this
module turns them into sentences. The codes and their facts (amounts in the buyer's currency):

| code | facts | reads |
| --- | --- | --- |
| `all_offered` | `quantity`, `landed`, `landed_unit` | 5,000 units: all it offers |
| `share_cap` | … `percent` | 4,000 units: the most one supplier may have (40% of the quantity) |
| `minimum` | … `minimum` | 1,000 units: its minimum order |
| `tier_break` | … `min_quantity`, `unit_price` | 10,000 units: from there its price drops to CNY 13.20 |
| `required` | … | 2,000 units: you required this quote |
| `remainder` | … | 3,500 units: the rest of the quantity |
| `excluded` | | Not used: you excluded it |
| `late` | | Not used: ready after your required date |
| `minimum_too_large` | `minimum`, `most` | Not used: its minimum order of 8,000 units is more than … (4,000) |
| `costlier` | `landed_unit`, `plan_unit` | Not used: CNY 14.10 a unit landed at best, above CNY 13.20, … |
| `not_needed` | `landed_unit` | Not used: the others are cheaper together |
| `no_plan` | `landed_unit` | Not used: no plan meets your constraints |

Unknown codes and malformed facts give an empty string, never an error (a page must not break on a
stored plan written by an older version).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buyers.allocation.solver import Constraints, Reason, delivery_ceiling, share_cap
from marketplace import formatting


def quantity_text(value: object) -> str:
    """A whole number of units with grouping: 12,000 (a stored fact that is no whole number raises)."""
    return formatting.quantity_text(int(str(value)))


def money_text(amount: object, currency: str) -> str:
    """A unit price or landed unit cost with its currency, through the one formatter: CNY 13.20,
    USD 1.8335, JPY 1,200 (a stored fact that is no number raises)."""
    value = Decimal(str(amount))
    if not value.is_finite():
        raise ValueError(amount)
    return formatting.price_text(value, currency)


def percent_text(value: object) -> str:
    """A percentage without needless decimals: 40, 2.5."""
    number = Decimal(str(value)).normalize()
    return format(number.quantize(Decimal(1)) if number == number.to_integral() else number, "f")


def _all_offered(facts: Mapping[str, object], currency: str) -> str:
    return _("%(quantity)s units: all it offers") % {"quantity": quantity_text(facts["quantity"])}


def _share_cap(facts: Mapping[str, object], currency: str) -> str:
    return _("%(quantity)s units: the most one supplier may have (%(percent)s%% of the quantity)") % {
        "quantity": quantity_text(facts["quantity"]),
        "percent": percent_text(facts["percent"]),
    }


def _minimum(facts: Mapping[str, object], currency: str) -> str:
    return _("%(quantity)s units: its minimum order") % {"quantity": quantity_text(facts["quantity"])}


def _tier_break(facts: Mapping[str, object], currency: str) -> str:
    return _("%(quantity)s units: from there its price drops to %(price)s") % {
        "quantity": quantity_text(facts["min_quantity"]),
        "price": money_text(facts["unit_price"], currency),
    }


def _required(facts: Mapping[str, object], currency: str) -> str:
    return _("%(quantity)s units: you required this quote") % {"quantity": quantity_text(facts["quantity"])}


def _remainder(facts: Mapping[str, object], currency: str) -> str:
    return _("%(quantity)s units: the rest of the quantity") % {"quantity": quantity_text(facts["quantity"])}


def _excluded(facts: Mapping[str, object], currency: str) -> str:
    return _("Not used: you excluded it")


def _late(facts: Mapping[str, object], currency: str) -> str:
    return _("Not used: ready after your required date")


def _minimum_too_large(facts: Mapping[str, object], currency: str) -> str:
    return _("Not used: its minimum order of %(minimum)s units is more than the plan could give it (%(most)s)") % {
        "minimum": quantity_text(facts["minimum"]),
        "most": quantity_text(facts["most"]),
    }


def _costlier(facts: Mapping[str, object], currency: str) -> str:
    return _("Not used: %(landed_unit)s a unit landed at best, above %(plan_unit)s, the dearest in the plan") % {
        "landed_unit": money_text(facts["landed_unit"], currency),
        "plan_unit": money_text(facts["plan_unit"], currency),
    }


def _not_needed(facts: Mapping[str, object], currency: str) -> str:
    return _("Not used: the others are cheaper together")


def _no_plan(facts: Mapping[str, object], currency: str) -> str:
    return _("Not used: no plan meets your constraints")


RENDERERS: dict[str, Callable[[Mapping[str, object], str], str]] = {
    "all_offered": _all_offered,
    "share_cap": _share_cap,
    "minimum": _minimum,
    "tier_break": _tier_break,
    "required": _required,
    "remainder": _remainder,
    "excluded": _excluded,
    "late": _late,
    "minimum_too_large": _minimum_too_large,
    "costlier": _costlier,
    "not_needed": _not_needed,
    "no_plan": _no_plan,
}


def reason_text(reason: Reason, *, currency: str) -> str:
    """One offer's reason as a sentence; amounts in `currency` (the buyer's, as the facts are)."""
    render = RENDERERS.get(reason.code)
    if render is None:
        return ""
    try:
        return render(reason.facts, currency)
    except (KeyError, TypeError, ValueError, InvalidOperation):
        return ""


def conflict_text(code: str, constraints: Constraints) -> str:
    """Why no split exists, for one conflict code of `Plan.conflicts`, in the buyer's words."""
    quantity = quantity_text(constraints.quantity)
    if code == "quantity":
        return _("The quotes together cannot make up %(quantity)s units.") % {"quantity": quantity}
    if code == "max_share" and constraints.max_share_percent is not None:
        return _(
            "With at most %(percent)s%% (%(cap)s units) for one supplier, the quotes cannot cover %(quantity)s units."
        ) % {
            "percent": percent_text(constraints.max_share_percent),
            "cap": quantity_text(share_cap(constraints)),
            "quantity": quantity,
        }
    if code == "min_suppliers" and constraints.min_suppliers is not None:
        count = constraints.min_suppliers
        return ngettext(
            "You asked for at least %(count)s supplier; not enough suppliers can take part.",
            "You asked for at least %(count)s suppliers; not enough suppliers can take part.",
            count,
        ) % {"count": count}
    if code == "max_suppliers" and constraints.max_suppliers is not None:
        count = constraints.max_suppliers
        return ngettext(
            "%(count)s supplier cannot cover %(quantity)s units.",
            "%(count)s suppliers cannot cover %(quantity)s units.",
            count,
        ) % {"count": count, "quantity": quantity}
    if code == "min_belts" and constraints.min_belts is not None:
        count = constraints.min_belts
        return ngettext(
            "You asked for quotes from at least %(count)s belt; not enough belts can take part.",
            "You asked for quotes from at least %(count)s belts; not enough belts can take part.",
            count,
        ) % {"count": count}
    if code == "min_provinces" and constraints.min_provinces is not None:
        count = constraints.min_provinces
        return ngettext(
            "You asked for quotes from at least %(count)s province; not enough provinces can take part.",
            "You asked for quotes from at least %(count)s provinces; not enough provinces can take part.",
            count,
        ) % {"count": count}
    if code == "required":
        return _("The quotes you required cannot all be part of one plan.")
    if code == "excluded":
        return _("Without the quotes you excluded, no plan meets your constraints.")
    if code == "late":
        return _("Without the quotes ready after your required date, no plan meets your constraints.")
    if code == "over_delivery":
        return _(
            "No combination of the quotes' minimum orders makes %(quantity)s units without delivering more "
            "than %(ceiling)s (over-delivery tolerance %(percent)s%%)."
        ) % {
            "quantity": quantity,
            "ceiling": quantity_text(delivery_ceiling(constraints)),
            "percent": percent_text(constraints.over_delivery_percent),
        }
    return ""
