"""Forms of the suppliers app: supplier sign-up, the supplier profile and its sections.

Forms parse and give clear messages early; the services check everything again, so the API and
imports get the same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from marketplace.forms.accounts import AccountFieldsForm, DomainErrorsMixin
from marketplace.forms.fields import ModelIdChoiceField, ModelIdMultipleChoiceField, WholeNumberField
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, IndustrialBelt
from suppliers.models import SupplierProfile, Unit
from suppliers.selectors import belts_a_supplier_can_join, categories_a_supplier_can_choose
from suppliers.services.profiles import (
    EARLIEST_YEAR_FOUNDED,
    MAX_DESCRIPTION_LENGTH,
    MAX_WHOLE_NUMBER,
    SPOKEN_LANGUAGES,
    WHOLE_NUMBER_MESSAGES,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class BeltChoiceField(ModelIdChoiceField):
    def label_from_instance(self, obj: IndustrialBelt) -> str:
        return f"{obj.name} · {obj.city}"


class CategoryTreeChoiceField(ModelIdMultipleChoiceField):
    """Categories shown as an indented tree, in the language being displayed."""

    def label_from_instance(self, obj: Category) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


def _profile_fields(city_field: str) -> dict[str, forms.Field]:
    return {
        "supplier_name": forms.CharField(
            label=_("Supplier name"),
            max_length=200,
            help_text=_("The name buyers see, e.g. your factory's trading name."),
        ),
        "belt": BeltChoiceField(
            label=_("Industrial belt"),
            queryset=belts_a_supplier_can_join(),
            required=False,
            empty_label=_("Not in a listed belt"),
        ),
        "province": forms.ChoiceField(label=_("Province"), choices=[("", "---------"), *PROVINCE_CHOICES]),
        city_field: forms.CharField(label=_("City or county of the factory"), max_length=100),
        "main_categories": CategoryTreeChoiceField(
            label=_("Main categories"),
            queryset=categories_a_supplier_can_choose(),
            help_text=_("What you make or sell; choose at least one."),
            error_messages={"required": _("Choose at least one category you make or sell.")},
        ),
        "business_type": forms.ChoiceField(
            label=_("Business type"),
            choices=SupplierProfile.BusinessType.choices,
            initial=SupplierProfile.BusinessType.MANUFACTURER,
        ),
    }


class SupplierProfileForm(DomainErrorsMixin, forms.Form):
    """The supplier profile of a company that already has an account (become a supplier, edit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_profile_fields("city"))


class CategoryChoiceField(ModelIdChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{'— ' * obj.depth}{obj.name}"


def _positive_number(label: StrOrPromise, help_text: str = "") -> WholeNumberField:
    return WholeNumberField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_WHOLE_NUMBER,
        help_text=help_text,
        error_messages=WHOLE_NUMBER_MESSAGES,
    )


class SupplierProfileEditForm(SupplierProfileForm):
    """The whole profile: the sign-up fields plus the company facts buyers look at."""

    field_order = [
        "supplier_name",
        "name_zh",
        "description_en",
        "description_zh",
        "business_type",
        "year_founded",
        "staff_count",
        "factory_area_m2",
        "province",
        "city",
        "belt",
        "main_categories",
        "export_markets",
        "languages_spoken",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier_name"].label = _("Supplier name (English or pinyin)")
        this_year = timezone.localdate().year
        year_message = _("The year founded must be between %(first)s and %(last)s.") % {
            "first": EARLIEST_YEAR_FOUNDED,
            "last": this_year,
        }
        description_message = _("The description can be at most %(limit)s characters.") % {
            "limit": MAX_DESCRIPTION_LENGTH
        }
        self.fields.update(
            {
                "name_zh": forms.CharField(label=_("Supplier name (Chinese)"), max_length=200, required=False),
                "description_en": forms.CharField(
                    label=_("Description (English)"),
                    required=False,
                    max_length=MAX_DESCRIPTION_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    error_messages={"max_length": description_message},
                ),
                "description_zh": forms.CharField(
                    label=_("Description (Chinese)"),
                    required=False,
                    max_length=MAX_DESCRIPTION_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    error_messages={"max_length": description_message},
                ),
                "year_founded": WholeNumberField(
                    label=_("Year founded"),
                    required=False,
                    min_value=EARLIEST_YEAR_FOUNDED,
                    max_value=this_year,
                    error_messages={"min_value": year_message, "max_value": year_message},
                ),
                "staff_count": _positive_number(_("Staff")),
                "factory_area_m2": _positive_number(_("Factory area (m²)")),
                "export_markets": forms.MultipleChoiceField(
                    label=_("Export markets"),
                    required=False,
                    choices=[(country.code, country.name) for country in countries],
                    widget=forms.SelectMultiple(attrs={"size": 8}),
                    help_text=_("The countries you already sell to. Hold Ctrl (⌘ on a Mac) to choose several."),
                ),
                "languages_spoken": forms.MultipleChoiceField(
                    label=_("Languages spoken"),
                    required=False,
                    choices=list(SPOKEN_LANGUAGES.items()),
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Languages your sales staff can answer buyers in."),
                ),
            }
        )
        self.order_fields(self.field_order)


class CapacityForm(DomainErrorsMixin, forms.Form):
    """How much of one product line the supplier makes in a month."""

    category = CategoryChoiceField(label=_("Category"), queryset=categories_a_supplier_can_choose())
    product_line = forms.CharField(
        label=_("Product line"), max_length=200, help_text=_("For example “PVC school backpacks”.")
    )
    monthly_capacity = WholeNumberField(
        label=_("Monthly capacity"),
        subject=_("The monthly capacity"),
        min_value=1,
        max_value=MAX_WHOLE_NUMBER,
        error_messages=WHOLE_NUMBER_MESSAGES,
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)


class FactoryPhotoForm(DomainErrorsMixin, forms.Form):
    # A FileField, not an ImageField: the service checks the content (marketplace.uploads) with one message.
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("A JPEG, PNG or WebP image, at most 8 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class SupplierSignupForm(AccountFieldsForm):
    """Sign-up of a supplier: the account fields (the company is in China) and the supplier profile."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["country"]
        self.fields["city"].label = _("Company's city (if not the factory's)")
        self.fields.update(_profile_fields("supplier_city"))

    def account_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `supplier_signup`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "password": data["password1"],
            "company_name": data["company_name"],
            "city": data["city"],
            "preferred_language": data["preferred_language"],
            "preferred_currency": data["preferred_currency"],
            "supplier_name": data["supplier_name"],
            "belt": data["belt"],
            "province": data["province"],
            "supplier_city": data["supplier_city"],
            "main_categories": list(data["main_categories"]),
            "business_type": data["business_type"],
        }
