"""A product's attributes in the reader's language: known names and common values are translated,
the rest is shown as the supplier typed it.

    {% load product_attributes %}
    {{ pair.name|attribute_name }}    material → 材质 in Chinese, "material" in English
    {{ pair.value|attribute_value }}  black → 黑色; "polyester 涤纶" and "42 × 30 × 15 cm" as typed

A supplier types attributes in either language (`material=PVC; 颜色=红色`), so a name or value the
catalogue does not know, or one already in Chinese, is shown unchanged.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

register = template.Library()

NAMES: dict[str, Promise] = {
    "material": pgettext_lazy("product attribute", "material"),
    "materials": pgettext_lazy("product attribute", "material"),
    "colour": pgettext_lazy("product attribute", "colour"),
    "color": pgettext_lazy("product attribute", "colour"),
    "size": pgettext_lazy("product attribute", "size"),
    "weight": pgettext_lazy("product attribute", "weight"),
    "capacity": pgettext_lazy("product attribute", "capacity"),
    "width": pgettext_lazy("product attribute", "width"),
    "height": pgettext_lazy("product attribute", "height"),
    "length": pgettext_lazy("product attribute", "length"),
    "thickness": pgettext_lazy("product attribute", "thickness"),
    "diameter": pgettext_lazy("product attribute", "diameter"),
    "style": pgettext_lazy("product attribute", "style"),
    "pattern": pgettext_lazy("product attribute", "pattern"),
    "packing": pgettext_lazy("product attribute", "packing"),
    "packaging": pgettext_lazy("product attribute", "packing"),
    "pieces per box": pgettext_lazy("product attribute", "pieces per box"),
    "pieces per carton": pgettext_lazy("product attribute", "pieces per carton"),
    "standard": pgettext_lazy("product attribute", "standard"),
    "certification": pgettext_lazy("product attribute", "certification"),
    "brand": pgettext_lazy("product attribute", "brand"),
    "model": pgettext_lazy("product attribute", "model"),
    "voltage": pgettext_lazy("product attribute", "voltage"),
    "power": pgettext_lazy("product attribute", "power"),
    "battery": pgettext_lazy("product attribute", "battery"),
    "age": pgettext_lazy("product attribute", "age"),
    "pages": pgettext_lazy("product attribute", "pages"),
    "language": pgettext_lazy("product attribute", "language"),
    "filling": pgettext_lazy("product attribute", "filling"),
    "protection": pgettext_lazy("product attribute", "protection"),
    "laptop size": pgettext_lazy("product attribute", "laptop size"),
    "steel": pgettext_lazy("product attribute", "steel"),
    "logo": pgettext_lazy("product attribute", "logo"),
}

VALUES: dict[str, Promise] = {
    "black": pgettext_lazy("product attribute value", "black"),
    "white": pgettext_lazy("product attribute value", "white"),
    "red": pgettext_lazy("product attribute value", "red"),
    "blue": pgettext_lazy("product attribute value", "blue"),
    "navy": pgettext_lazy("product attribute value", "navy"),
    "green": pgettext_lazy("product attribute value", "green"),
    "yellow": pgettext_lazy("product attribute value", "yellow"),
    "orange": pgettext_lazy("product attribute value", "orange"),
    "pink": pgettext_lazy("product attribute value", "pink"),
    "purple": pgettext_lazy("product attribute value", "purple"),
    "brown": pgettext_lazy("product attribute value", "brown"),
    "grey": pgettext_lazy("product attribute value", "grey"),
    "gray": pgettext_lazy("product attribute value", "grey"),
    "silver": pgettext_lazy("product attribute value", "silver"),
    "gold": pgettext_lazy("product attribute value", "gold"),
    "clear": pgettext_lazy("product attribute value", "transparent"),
    "transparent": pgettext_lazy("product attribute value", "transparent"),
    "multicolour": pgettext_lazy("product attribute value", "multicolour"),
    "multicolor": pgettext_lazy("product attribute value", "multicolour"),
    "cotton": pgettext_lazy("product attribute value", "cotton"),
    "polyester": pgettext_lazy("product attribute value", "polyester"),
    "nylon": pgettext_lazy("product attribute value", "nylon"),
    "leather": pgettext_lazy("product attribute value", "leather"),
    "pu leather": pgettext_lazy("product attribute value", "PU leather"),
    "canvas": pgettext_lazy("product attribute value", "canvas"),
    "wool": pgettext_lazy("product attribute value", "wool"),
    "silk": pgettext_lazy("product attribute value", "silk"),
    "plastic": pgettext_lazy("product attribute value", "plastic"),
    "rubber": pgettext_lazy("product attribute value", "rubber"),
    "silicone": pgettext_lazy("product attribute value", "silicone"),
    "glass": pgettext_lazy("product attribute value", "glass"),
    "ceramic": pgettext_lazy("product attribute value", "ceramic"),
    "paper": pgettext_lazy("product attribute value", "paper"),
    "wood": pgettext_lazy("product attribute value", "wood"),
    "bamboo": pgettext_lazy("product attribute value", "bamboo"),
    "steel": pgettext_lazy("product attribute value", "steel"),
    "stainless steel": pgettext_lazy("product attribute value", "stainless steel"),
    "aluminium": pgettext_lazy("product attribute value", "aluminium"),
    "aluminum": pgettext_lazy("product attribute value", "aluminium"),
    "iron": pgettext_lazy("product attribute value", "iron"),
    "copper": pgettext_lazy("product attribute value", "copper"),
    "small": pgettext_lazy("product attribute value", "small"),
    "medium": pgettext_lazy("product attribute value", "medium"),
    "large": pgettext_lazy("product attribute value", "large"),
    "yes": pgettext_lazy("product attribute value", "yes"),
    "no": pgettext_lazy("product attribute value", "no"),
}


def _in_language(typed: object, known: dict[str, Promise]) -> str:
    text = "" if typed is None else str(typed)
    word = known.get(" ".join(text.lower().split()))
    if word is None:
        return text
    shown = str(word)
    with translation.override("en"):
        english = str(word)
    # On an English page the supplier's own words ("Color", "clear") stay as typed.
    return text if shown == english else shown


@register.filter
def attribute_name(name: object) -> str:
    return _in_language(name, NAMES)


@register.filter
def attribute_value(value: object) -> str:
    return _in_language(value, VALUES)
