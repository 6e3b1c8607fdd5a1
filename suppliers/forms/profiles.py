"""Forms of the suppliers app: supplier sign-up and the supplier profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import AccountFieldsForm, DomainErrorsMixin
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, IndustrialBelt
from suppliers.models import SupplierProfile
from suppliers.selectors import belts_a_supplier_can_join, categories_a_supplier_can_choose


class BeltChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IndustrialBelt) -> str:
        return f"{obj.name} · {obj.city}"


class CategoryTreeChoiceField(forms.ModelMultipleChoiceField):
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
