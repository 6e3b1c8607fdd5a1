"""The search pages' filters: query-string parameters parsed into the search service's arguments.

A bad value never fails the page: the field is dropped and the page says which filter it ignored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from marketplace.forms.fields import AmountField, IdField, WholeNumberField
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category
from marketplace.selectors.kernel import belts_visible_to
from suppliers.search.segment import MAX_QUERY_LENGTH
from suppliers.search.service import MAX_LIMIT

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("price", _("Lowest price")),
    ("newest", _("Newest")),
    ("moq", _("Lowest MOQ")),
    ("lead_time", _("Shortest lead time")),
]
MAX_QUANTITY = 100_000_000


class _SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    category = IdField(subject=_("The category"), required=False, widget=forms.HiddenInput)
    belt = IdField(subject=_("The industrial belt"), required=False, widget=forms.HiddenInput)
    province = forms.ChoiceField(
        label=_("Province"), required=False, choices=[("", _("Any province")), *PROVINCE_CHOICES]
    )
    verified = forms.BooleanField(label=_("Verified suppliers only"), required=False)
    manufacturers = forms.BooleanField(label=_("Manufacturers only"), required=False)
    cursor = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    limit = WholeNumberField(
        subject=_("The number of results per page"),
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        widget=forms.HiddenInput,
    )

    def clean_q(self) -> str:
        # A very long query is cut, not refused: the first words are what the buyer meant.
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH]

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data["category"]
        if pk is None:
            return None
        category = Category.objects.filter(pk=pk).first()
        if category is None:
            raise forms.ValidationError(_("There is no such category."))
        return category

    def clean_belt(self) -> Any:
        pk = self.cleaned_data["belt"]
        if pk is None:
            return None
        belt = belts_visible_to(None).filter(pk=pk).first()
        if belt is None:
            raise forms.ValidationError(_("There is no such industrial belt."))
        return belt

    def ignored(self) -> list[str]:
        """A sentence per filter that had a bad value, for the page's messages."""
        return [
            _("The filter “%(filter)s” was ignored: %(reason)s")
            % {"filter": self.fields[name].label or name, "reason": " ".join(str(error) for error in errors)}
            for name, errors in self.errors.items()
            if name != "cursor"
        ]

    def valid_values(self) -> dict[str, Any]:
        """The cleaned value of every field that was valid (call after is_valid())."""
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}

    def search_arguments(self) -> dict[str, Any]:
        raise NotImplementedError


class ProductSearchForm(_SearchForm):
    quantity = WholeNumberField(
        label=_("Quantity"),
        subject=_("The quantity"),
        required=False,
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text=_("Prices are shown and filtered at this quantity."),
    )
    max_price = AmountField(
        label=_("Unit price at most (CNY)"),
        subject=_("The highest unit price"),
        allow_zero=True,
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=4,
    )
    max_moq = WholeNumberField(
        label=_("MOQ at most"),
        subject=_("The highest minimum order quantity"),
        required=False,
        min_value=1,
        max_value=MAX_QUANTITY,
    )
    max_lead_time = WholeNumberField(
        label=_("Lead time at most (days)"),
        subject=_("The longest lead time"),
        required=False,
        min_value=1,
        max_value=365,
    )
    sample = forms.BooleanField(label=_("Sample available"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    field_order = ["q", "sort", "quantity", "max_price", "max_moq", "max_lead_time", "province"]

    def search_arguments(self) -> dict[str, Any]:
        values = self.valid_values()
        arguments: dict[str, Any] = {
            "query": values.get("q") or "",
            "category": values.get("category"),
            "belt": values.get("belt"),
            "province": values.get("province") or None,
            "quantity": values.get("quantity"),
            "max_price": values.get("max_price"),
            "max_moq": values.get("max_moq"),
            "max_lead_time": values.get("max_lead_time"),
            "verified_only": bool(values.get("verified")),
            "manufacturers_only": bool(values.get("manufacturers")),
            "sample_available": bool(values.get("sample")),
            "sort": values.get("sort") or "relevance",
            "cursor": values.get("cursor") or None,
        }
        if values.get("limit"):
            arguments["limit"] = values["limit"]
        return arguments


class SupplierSearchForm(_SearchForm):
    field_order = ["q", "province"]

    def search_arguments(self) -> dict[str, Any]:
        values = self.valid_values()
        arguments: dict[str, Any] = {
            "query": values.get("q") or "",
            "category": values.get("category"),
            "belt": values.get("belt"),
            "province": values.get("province") or None,
            "verified_only": bool(values.get("verified")),
            "manufacturers_only": bool(values.get("manufacturers")),
            "cursor": values.get("cursor") or None,
        }
        if values.get("limit"):
            arguments["limit"] = values["limit"]
        return arguments


def query_string(params: QueryDict, **changes: Any) -> str:
    """The query string with some parameters changed (None removes one); the cursor is always dropped."""
    copy = params.copy()
    copy.pop("cursor", None)
    for name, value in changes.items():
        copy.pop(name, None)
        if value is not None and value != "":
            copy[name] = str(value)
    return copy.urlencode()
