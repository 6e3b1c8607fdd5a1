"""Forms of the belt staff pages: they check the shape of the input; the belt services decide the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import AmountField, IdField, WholeNumberField
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, IndustrialBelt
from marketplace.selectors.kernel import category_choices
from marketplace.services.belts import REASON_MAX_LENGTH

MAX_COUNT = 2_147_483_647  # the figures' columns are PositiveIntegerFields
MAX_OUTPUT = Decimal("9999999999999999.99")  # DecimalField(max_digits=18, decimal_places=2)

STEP_LABELS = {
    "invited": _("Invited"),
    "claimed": _("Claimed"),
    "published": _("Catalog published"),
    "verified": _("Verified"),
}


class BeltFiguresForm(DomainErrorsMixin, forms.Form):
    """Its city in Chinese, what a belt makes, what it is, and its key figures: edited by staff and
    the belt's managers."""

    city_zh = forms.CharField(
        label=_("City or county (Chinese)"),
        required=False,
        max_length=100,
        help_text=_("For example 保定白沟 for Baigou, Baoding. Chinese readers see it in place of the English name."),
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    specialties = forms.MultipleChoiceField(
        label=_("Specialty categories"),
        required=False,
        help_text=_("The categories the belt's factories make; RFQs in them are matched to the belt first."),
        error_messages={"invalid_choice": _("There is no category “%(value)s”.")},
    )
    number_of_firms = WholeNumberField(
        label=_("Number of firms"), subject=_("The number of firms"), required=False, min_value=0, max_value=MAX_COUNT
    )
    annual_output_cny = AmountField(
        label=_("Annual output (CNY)"),
        subject=_("The annual output"),
        allow_zero=True,
        required=False,
        min_value=0,
        max_value=MAX_OUTPUT,
        max_digits=18,
        decimal_places=2,
    )
    employees = WholeNumberField(
        label=_("Employees"), subject=_("The number of employees"), required=False, min_value=0, max_value=MAX_COUNT
    )
    export_share_percent = WholeNumberField(
        label=_("Export share (%)"), subject=_("The export share"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialties = self.fields["specialties"]
        assert isinstance(specialties, forms.ChoiceField)  # for the type checker
        specialties.choices = category_choices()
        self.fields["specialties"].widget.attrs["size"] = 12

    def clean_specialties(self) -> list[Category]:
        slugs = self.cleaned_data.get("specialties") or []
        return list(Category.objects.filter(slug__in=slugs).order_by("path")) if slugs else []

    @staticmethod
    def initial_for(belt: IndustrialBelt) -> dict[str, Any]:
        return {
            "city_zh": belt.city_zh,
            "description_en": belt.description_en,
            "description_zh": belt.description_zh,
            "specialties": [category.slug for category in belt.specialties.all()],
            "number_of_firms": belt.number_of_firms,
            "annual_output_cny": belt.annual_output_cny,
            "employees": belt.employees,
            "export_share_percent": belt.export_share_percent,
        }


class BeltCreateForm(BeltFiguresForm):
    """A new belt (a draft): its names, place and web address, then what the figures form asks."""

    field_order = ["name_en", "name_zh", "slug", "province", "city", "city_zh"]

    name_en = forms.CharField(label=_("Name (English)"), max_length=150)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=150)
    slug = forms.SlugField(
        label=_("Web address"),
        required=False,
        max_length=160,
        help_text=_(
            "Letters, digits and hyphens, e.g. taizhou-plastics. Left empty, it is made from the English name."
        ),
        error_messages={"invalid": _("Use only letters, digits, hyphens and underscores in the web address.")},
    )
    province = forms.ChoiceField(label=_("Province"), choices=[("", "---------"), *PROVINCE_CHOICES])
    city = forms.CharField(label=_("City or county"), max_length=100)


class BeltTransitionForm(DomainErrorsMixin, forms.Form):
    to_status = forms.ChoiceField(
        label=_("Move to"),
        choices=IndustrialBelt.Status.choices,
        error_messages={"invalid_choice": _("“%(value)s” is not a belt status.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the belt goes back (a pause, or back to draft)."),
    )


class BeltManagerAddForm(DomainErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The e-mail of an existing SourceBelt account."),
        error_messages={"invalid": _("Enter a valid e-mail address, e.g. li.wei@example.com.")},
    )


class BeltManagerRemoveForm(forms.Form):
    remove = IdField(subject=_("The manager"))
