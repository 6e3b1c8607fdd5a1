"""Forms of the kernel's public pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.fields import WholeNumberField

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 100


class BeltFilterForm(forms.Form):
    """The belt directory's filters, read from the query string.

    The choices are those the directory can actually show (provinces that have belts, existing
    categories), so an unknown value is an error the page reports while it shows all belts.
    """

    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        error_messages={"invalid_choice": _("There is no industrial belt in the province “%(value)s”.")},
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("There is no category “%(value)s”.")},
    )

    def __init__(
        self, data: Any, *, provinces: list[tuple[str, StrOrPromise]], categories: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ChoiceField)  # for the type checker
        province.choices = [("", _("All provinces")), *provinces]
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)  # for the type checker
        category.choices = [("", _("All categories")), *categories]


class PageForm(forms.Form):
    """Which page of a list, and how long a page is (`page_size` up to 100)."""

    page = WholeNumberField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": _("The page must be a whole number; showing the first page."),
            "min_value": _("Pages are numbered from 1; showing the first page."),
            "max_value": _("There are not that many pages; showing the first page."),
        },
    )
    page_size = WholeNumberField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": _("The page size must be a whole number; showing the usual page size."),
            "min_value": _("The page size must be at least %(limit_value)s; showing the usual page size."),
            "max_value": _("The page size can be at most %(limit_value)s; showing the usual page size."),
        },
    )

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1

    def clean_page_size(self) -> int:
        return self.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE
