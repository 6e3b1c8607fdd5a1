"""Public pages of the kernel: home, language choice (belts and categories below)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from marketplace.services.accounts import user_set_language


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/home.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it as its preference."""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 60 * 60 * 24 * 365,
            samesite="Lax",
            secure=request.is_secure(),
        )
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
    return response
