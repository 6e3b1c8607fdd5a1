"""The API tokens page of a user's settings: list, create (the key is shown once) and revoke."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.middleware import returns_to
from marketplace.models import ApiToken
from marketplace.security.two_factor import token_creation_allowed
from marketplace.services.api_tokens import EXPIRY_DAYS, NAME_MAX_LENGTH, api_token_create, api_token_revoke
from marketplace.tenancy import AuthenticatedHttpRequest

REVOKED_SHOWN = 20


class ApiTokenForm(forms.Form):
    """A token's name, what it may do and when it expires (after a number of days, on a date, never)."""

    NEVER, ON_DATE = "never", "date"

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("Where you will use it, for example “ERP import” or “my laptop”."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("A read-only token can read everything you can, and change nothing."),
    )
    expiry = forms.ChoiceField(label=gettext_lazy("Expires"), initial="90")  # choices: __init__
    expires_on = forms.DateField(
        label=gettext_lazy("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("With “On a date”: the token works until the end of this day."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_days = [
            (str(days), ngettext("In %(days)d day", "In %(days)d days", days) % {"days": days}) for days in EXPIRY_DAYS
        ]
        expiry: Any = self.fields["expiry"]  # a ChoiceField: the stubs know it as a Field
        expiry.choices = [*in_days, (self.ON_DATE, _("On a date")), (self.NEVER, pgettext("token expiry", "Never"))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expiry") == self.ON_DATE and not data.get("expires_on") and "expires_on" not in self.errors:
            self.add_error("expires_on", _("Choose the day the token should expire."))
        return data

    def expiry_choice(self) -> tuple[int | None, date | None]:
        """(days, date) as `api_token_create` takes them: at most one of them given."""
        choice = self.cleaned_data["expiry"]
        if choice == self.ON_DATE:
            return None, self.cleaned_data["expires_on"]
        return (None, None) if choice == self.NEVER else (int(choice), None)


# The service's field names, as this form names them.
_FORM_FIELD = {"name": "name", "scope": "scope", "expires_in_days": "expiry", "expires_on": "expires_on"}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the user's tokens; a POST creates one and shows its key in this one answer only.

    The key is rendered straight into the response to the POST (never stored, never put in the
    session), and the page is not cached, so it cannot be seen again.
    """
    form = ApiTokenForm(request.POST or None)
    created_key = created_token = None
    if request.method == "POST" and form.is_valid() and not token_creation_allowed(request.user, by_session=True):
        form.add_error(None, _("Log out and log in again with your two-factor code to create a token."))
    elif request.method == "POST" and form.is_valid():
        days, on = form.expiry_choice()
        try:
            created_token, created_key = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=days,
                expires_on=on,
            )
        except DomainError as exc:
            form.add_error(_FORM_FIELD.get(exc.field or ""), exc.message)
        else:
            form = ApiTokenForm()
    status = 400 if request.method == "POST" and form.errors else 200
    mine = ApiToken.objects.filter(user=request.user)
    # Active tokens are at most MAX_ACTIVE_TOKENS_PER_USER; revoked ones pile up, so show the latest.
    active = list(mine.filter(revoked_at__isnull=True).order_by("-created_at"))
    revoked = list(mine.filter(revoked_at__isnull=False).order_by("-revoked_at")[:REVOKED_SHOWN])
    context = {
        "form": form,
        "tokens": active + revoked,
        "created_key": created_key,
        "created_token": created_token,
        "revoked_shown": REVOKED_SHOWN,
    }
    return render(request, "marketplace/tokens/list.html", context, status=status)


@returns_to("api_tokens")
@login_required
@require_POST
def api_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name})
    return redirect("api_tokens")
