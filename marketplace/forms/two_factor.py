"""Forms of two-factor authentication: a code at log-in or set-up, and the proof asked before a change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import DomainErrorsMixin

CODE_MAX_LENGTH = 32


class SecondFactorForm(forms.Form):
    """The second step of a log-in: a code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )


class AppCodeForm(DomainErrorsMixin, forms.Form):
    """The first code from the app, which confirms that the app was set up with the right key."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=CODE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class TwoFactorProofForm(forms.Form):
    """Asked before recovery codes are replaced or two-factor authentication is turned off."""

    proof = forms.CharField(
        label=_("Your password or a current code"),
        max_length=128,
        strip=False,
        help_text=_("Your password, a code from your authenticator app or one of your recovery codes."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
