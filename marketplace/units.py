"""The units goods are counted in, and how a quantity reads with its unit in the reader's language.

Products, RFQs, orders and capacities store a unit's code (`piece`, `kg`...). A quantity is printed
with its unit through `quantity_with_unit` (the template filter of the same name in `money`), which
picks the plural form the language needs: "1 piece", "20,000 pieces", "20,000 件". The unit's
name alone (a price "per piece", a form's choice) is its label, `Unit(code).label`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    SET = "set", _("set")
    PAIR = "pair", _("pair")
    DOZEN = "dozen", _("dozen")
    BOX = "box", _("box")
    CARTON = "carton", _("carton")
    ROLL = "roll", _("roll")
    KILOGRAM = "kg", _("kilogram")
    TONNE = "tonne", _("tonne")
    METRE = "metre", _("metre")
    SQUARE_METRE = "m2", _("square metre")
    LITRE = "litre", _("litre")


# A quantity with its unit, singular and plural: the plural form is chosen by `count` (the
# quantity, or 2 for a fraction: "1.5 kilograms"), the digits come grouped as `quantity`.
COUNTED: dict[str, _StrPromise] = {
    Unit.PIECE: ngettext_lazy("%(quantity)s piece", "%(quantity)s pieces", "count"),
    Unit.SET: ngettext_lazy("%(quantity)s set", "%(quantity)s sets", "count"),
    Unit.PAIR: ngettext_lazy("%(quantity)s pair", "%(quantity)s pairs", "count"),
    Unit.DOZEN: ngettext_lazy("%(quantity)s dozen", "%(quantity)s dozen", "count"),
    Unit.BOX: ngettext_lazy("%(quantity)s box", "%(quantity)s boxes", "count"),
    Unit.CARTON: ngettext_lazy("%(quantity)s carton", "%(quantity)s cartons", "count"),
    Unit.ROLL: ngettext_lazy("%(quantity)s roll", "%(quantity)s rolls", "count"),
    Unit.KILOGRAM: ngettext_lazy("%(quantity)s kilogram", "%(quantity)s kilograms", "count"),
    Unit.TONNE: ngettext_lazy("%(quantity)s tonne", "%(quantity)s tonnes", "count"),
    Unit.METRE: ngettext_lazy("%(quantity)s metre", "%(quantity)s metres", "count"),
    Unit.SQUARE_METRE: ngettext_lazy("%(quantity)s square metre", "%(quantity)s square metres", "count"),
    Unit.LITRE: ngettext_lazy("%(quantity)s litre", "%(quantity)s litres", "count"),
}


def unit_label(unit: object) -> str:
    """A unit's name in the active language ("piece", 件); an unknown code as it is."""
    try:
        return str(Unit(str(unit)).label)
    except ValueError:
        return str(unit or "")
