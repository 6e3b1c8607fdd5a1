"""Query filters of the public API. An invalid value answers 400 with a message per parameter."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override

from marketplace.forms.fields import WholeNumberField
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, Currency, ExchangeRate, IndustrialBelt
from marketplace.selectors.kernel import category_subtree


class WholeNumberFilter(django_filters.NumberFilter):
    """A number filter that accepts only whole numbers (django-filter's own accepts decimals), read
    as every form reads them (`marketplace.forms.fields.WholeNumberField`)."""

    field_class = WholeNumberField  # type: ignore[assignment]  # the stubs expect a DecimalField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The schema states the bounds the field refuses beyond (drf-spectacular reads this override).
        bounds = {"minimum": kwargs.get("min_value"), "maximum": kwargs.get("max_value")}
        set_override(self, "field", {"type": "integer", **{k: v for k, v in bounds.items() if v is not None}})


class TrueOrFalseField(forms.NullBooleanField):
    """`true` or `false` (also `1`, `0`), as the schema's boolean says; empty is not given. Anything
    else is refused, where Django's own field reads it as "not given" without a word."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: not given, as Django's own
        text = str(value).strip().lower() if value is not None else ""
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        if text:
            raise forms.ValidationError(_("Give true or false."), code="invalid")
        return None


class TrueOrFalseFilter(django_filters.BooleanFilter):
    """A yes/no filter that refuses what is neither (see TrueOrFalseField)."""

    field_class = TrueOrFalseField


class BeltFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(
        choices=PROVINCE_CHOICES,
        label=_("Province"),
        error_messages={"invalid_choice": _("Unknown province “%(value)s”.")},
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        method="filter_category",
        label=_("Category"),
        help_text=_("Slug of a category: belts specialised in it or in any category under it."),
        error_messages={"invalid_choice": _("No category has this slug.")},
    )
    status = django_filters.ChoiceFilter(
        choices=IndustrialBelt.Status.choices,
        label=_("Status"),
        error_messages={"invalid_choice": _("Unknown status “%(value)s”.")},
    )

    class Meta:
        model = IndustrialBelt
        fields = ["province", "category", "status"]

    def filter_category(self, queryset: QuerySet[IndustrialBelt], name: str, value: Category) -> QuerySet:
        return queryset.filter(specialties__in=category_subtree(value)).distinct()


class CategoryFilter(django_filters.FilterSet):
    parent = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        label=_("Parent"),
        help_text=_("Slug of a category: only its direct children."),
        error_messages={"invalid_choice": _("No category has this slug.")},
    )
    depth = WholeNumberFilter(
        label=_("Depth"),
        help_text=_("0 for the top-level categories, 1 for their children, and so on."),
        min_value=0,
        max_value=100,
    )

    class Meta:
        model = Category
        fields = ["parent", "depth"]


class ExchangeRateFilter(django_filters.FilterSet):
    base = django_filters.ModelChoiceFilter(
        queryset=Currency.objects.all(),
        label=_("Base currency"),
        error_messages={"invalid_choice": _("Unknown currency code.")},
    )
    quote = django_filters.ModelChoiceFilter(
        queryset=Currency.objects.all(),
        label=_("Quote currency"),
        error_messages={"invalid_choice": _("Unknown currency code.")},
    )
    valid_on = django_filters.DateFilter(label=_("Valid on"), help_text=_("A date, YYYY-MM-DD."))
    valid_on__lte = django_filters.DateFilter(
        field_name="valid_on",
        lookup_expr="lte",
        label=_("Valid on or before"),
        help_text=_("A date, YYYY-MM-DD: rates of that day and earlier."),
    )

    class Meta:
        model = ExchangeRate
        fields = ["base", "quote", "valid_on", "valid_on__lte"]
