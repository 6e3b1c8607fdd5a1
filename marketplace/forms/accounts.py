"""Forms of accounts and tenancy: they check the shape of the input; services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError
from marketplace.forms.fields import CurrencyField
from marketplace.models import Company, Membership, User


def current_language_choice() -> str:
    """The interface language being shown, as one of the languages a user can prefer."""
    return "zh-hans" if (get_language() or "").lower().startswith("zh") else "en"


class DomainErrorsMixin(forms.BaseForm):
    """Shows a service's refusal next to the field it is about, or above the form (mixed into a
    forms.Form; based on BaseForm so that its fields and errors are typed)."""

    def add_domain_error(self, error: DomainError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class PasswordPairMixin(forms.BaseForm):
    """Two password fields that must match and pass Django's validators (minimum length 10...)."""

    def password_user(self) -> User:
        """The account the password is for, so the validators can refuse one too like its name."""
        data = self.cleaned_data
        return User(email=data.get("email", ""), name=data.get("name", ""))

    def clean_password_pair(self) -> None:
        data = self.cleaned_data
        password1, password2 = data.get("password1"), data.get("password2")
        if not password1 or not password2:
            return
        if password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
            return
        try:
            validate_password(password1, user=self.password_user())
        except ValidationError as exc:
            self.add_error("password1", exc)


def _password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class AccountFieldsForm(DomainErrorsMixin, PasswordPairMixin, forms.Form):
    """What every sign-up asks: the person, its company, its language and currency."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1, password2 = _password_fields()
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    country = Company._meta.get_field("country").formfield(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    preferred_currency = CurrencyField(label=_("Show prices in"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("preferred_language", current_language_choice())
        kwargs["initial"].setdefault("preferred_currency", settings.DEFAULT_CURRENCY)
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account with this e-mail address already exists. Log in, or reset your password.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.clean_password_pair()
        return cleaned

    def account_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `account_signup`."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "password": data["password1"],
            "company_name": data["company_name"],
            "country": data["country"],
            "city": data["city"],
            "preferred_language": data["preferred_language"],
            "preferred_currency": data["preferred_currency"],
        }


class BuyerSignupForm(AccountFieldsForm):
    """Sign-up of a company that buys (every company can; selling comes with a supplier profile)."""


class LoginForm(AuthenticationForm):
    """Log in with an e-mail address; addresses are stored lower-case, so any case is accepted."""

    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class AccountSettingsForm(DomainErrorsMixin, forms.Form):
    """A user's own settings, starting from the saved ones (`initial`). The saved display currency
    stays among the choices, with a note, when it is no longer offered (no recent exchange rate)."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    preferred_currency = CurrencyField(label=_("Show prices in"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency = self.fields["preferred_currency"]
        assert isinstance(currency, CurrencyField)  # for the type checker
        currency.keep(self.initial.get("preferred_currency"))


class CompanyForm(DomainErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    country = Company._meta.get_field("country").formfield(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class InvitationForm(DomainErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class InvitationSignupForm(DomainErrorsMixin, PasswordPairMixin, forms.Form):
    """A short sign-up for an invited person: the e-mail address is the invited one, fixed."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password1, password2 = _password_fields()
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        kwargs.setdefault("initial", {}).setdefault("preferred_language", current_language_choice())
        super().__init__(*args, **kwargs)

    def password_user(self) -> User:
        return User(email=self.email, name=self.cleaned_data.get("name", ""))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.clean_password_pair()
        return cleaned
