"""The API tokens page of a user's settings: list, create (the key is shown once) and revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.middleware import returns_to
from marketplace.models import ApiToken
from marketplace.services.api_tokens import NAME_MAX_LENGTH, api_token_create, api_token_revoke
from marketplace.tenancy import AuthenticatedHttpRequest

REVOKED_SHOWN = 20


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("Where you will use it, for example “ERP import” or “my laptop”."),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the user's tokens; a POST creates one and shows its key in this one answer only.

    The key is rendered straight into the response to the POST (never stored, never put in the
    session), and the page is not cached, so it cannot be seen again.
    """
    form = ApiTokenForm(request.POST or None)
    created_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            form = ApiTokenForm()
    status = 400 if request.method == "POST" and form.errors else 200
    mine = ApiToken.objects.filter(user=request.user)
    # Active tokens are at most MAX_ACTIVE_TOKENS_PER_USER; revoked ones pile up, so show the latest.
    active = list(mine.filter(revoked_at__isnull=True).order_by("-created_at"))
    revoked = list(mine.filter(revoked_at__isnull=False).order_by("-revoked_at")[:REVOKED_SHOWN])
    context = {"form": form, "tokens": active + revoked, "created_key": created_key, "revoked_shown": REVOKED_SHOWN}
    return render(request, "marketplace/tokens/list.html", context, status=status)


@returns_to("api_tokens")
@login_required
@require_POST
def api_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = api_token_revoke(user=request.user, token_id=pk)
    messages.success(request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name})
    return redirect("api_tokens")
