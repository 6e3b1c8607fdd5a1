"""Forms of belt onboarding: the factory list upload, the invitations filter, the factory's claim."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import DomainErrorsMixin, PasswordPairMixin, _password_fields
from marketplace.forms.fields import WholeNumberField
from suppliers.forms.profiles import CategoryTreeChoiceField
from suppliers.models import FactoryInvitation, SupplierProfile
from suppliers.selectors import categories_a_supplier_can_choose
from suppliers.selectors.onboarding import INVITATION_STATES
from suppliers.services.profiles import MAX_WHOLE_NUMBER, WHOLE_NUMBER_MESSAGES


class FactoryUploadForm(DomainErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Factory list (CSV or XLSX)"),
        help_text=_("Up to 20 MB and 20,000 factories. The first row names the columns."),
    )


STATE_LABELS = {
    "invited": _("Invited, not claimed"),
    "claimed": _("Claimed"),
    "expired": _("Link expired"),
    "revoked": _("Withdrawn"),
}


class InvitationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All invitations")), *((state, STATE_LABELS[state]) for state in INVITATION_STATES)],
    )

    def state_value(self) -> str:
        return self.cleaned_data.get("state", "") if self.is_valid() else ""


class FactoryClaimForm(DomainErrorsMixin, PasswordPairMixin, forms.Form):
    """The invited factory's account: prefilled from the invitation, completed by the factory."""

    company_name = forms.CharField(label=_("Company name"), max_length=200)
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    city = forms.CharField(label=_("City or county of the factory"), max_length=100)
    main_categories = CategoryTreeChoiceField(
        label=_("Main categories"),
        queryset=categories_a_supplier_can_choose(),
        help_text=_("What you make or sell; choose at least one."),
        error_messages={"required": _("Choose at least one category you make or sell.")},
    )
    monthly_capacity = WholeNumberField(
        label=_("Monthly capacity (pieces)"),
        subject=_("The monthly capacity"),
        required=False,
        min_value=1,
        max_value=MAX_WHOLE_NUMBER,
        help_text=_("How many pieces of your main product you can make in a month."),
        error_messages=WHOLE_NUMBER_MESSAGES,
    )
    business_type = forms.ChoiceField(
        label=_("Business type"),
        choices=SupplierProfile.BusinessType.choices,
        initial=SupplierProfile.BusinessType.MANUFACTURER,
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    password1, password2 = _password_fields()

    def __init__(self, *args: Any, invitation: FactoryInvitation, **kwargs: Any) -> None:
        self.invitation = invitation
        kwargs.setdefault(
            "initial",
            {
                "company_name": invitation.company_name,
                "name": invitation.contact_name,
                "phone": invitation.phone,
                "city": invitation.belt.city,
                "main_categories": [category.pk for category in invitation.categories.all()],
                "monthly_capacity": invitation.monthly_capacity,
                "preferred_language": invitation.language,
            },
        )
        super().__init__(*args, **kwargs)

    def password_user(self) -> Any:
        user = super().password_user()
        user.email = self.invitation.email
        return user

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.clean_password_pair()
        return cleaned

    def claim_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `factory_invitation_claim` (besides the token)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "password": data["password1"],
            "preferred_language": data["preferred_language"],
            "company_name": data["company_name"],
            "phone": data["phone"],
            "city": data["city"],
            "main_categories": list(data["main_categories"]),
            "business_type": data["business_type"],
            "monthly_capacity": data["monthly_capacity"],
        }
