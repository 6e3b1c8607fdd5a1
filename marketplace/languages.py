"""The one rule that picks the language a request is answered in: pages, API answers and the
notifications they show. (E-mails are not answers to a request: they are written in the recipient's
`preferred_language`, see marketplace/services/notification_delivery.py.)

In order, the first that names a language we ship wins:

1. the switcher's choice, the language cookie (`set_language`, and signing in, set it);
2. for an API request, its `Accept-Language` header: a client sets it on purpose;
3. the signed-in user's `preferred_language`;
4. the language of the person a page is addressed to, when the page knows it (the claim page of a
   factory invitation: the invitation's language, the language of its e-mail);
5. the `Accept-Language` header of an anonymous visitor's browser;
6. `LANGUAGE_CODE`.

A browser sends `Accept-Language` on every page, the language of its operating system rather than
a choice, so on pages it does not outweigh the language the user chose in their settings; an API
client without the header gets its user's language, as a page does.

Pages get it from `UserLanguageMiddleware` (marketplace/middleware.py), which replaces Django's
LocaleMiddleware; the API, whose token clients are known only once DRF has authenticated them
(after every middleware), from its authentication classes (marketplace/api/authentication.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation


def _shipped(code: str | None) -> str:
    """`code` as one of settings.LANGUAGES ("zh-Hans" and "zh-cn" are "zh-hans"), else ""."""
    if not code:
        return ""
    try:
        supported = translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return ""
    return supported if supported in dict(settings.LANGUAGES) else ""


def _from_header(request: HttpRequest) -> str:
    """The language of the Accept-Language header, "" without one we ship."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code != "*" and (language := _shipped(code)):
            return language
    return ""


def language_for(request: HttpRequest, user: Any, *, api: bool = False, addressee: str = "") -> str:
    """The language to answer `request` of `user` (a User, AnonymousUser or None) in; `addressee`
    is the language of the person the page is for, when it knows one. See above."""
    chosen = _shipped(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    if api and (asked := _from_header(request)):
        return asked
    if user is not None and user.is_authenticated and (preferred := _shipped(user.preferred_language)):
        return preferred
    return _shipped(addressee) or _from_header(request) or settings.LANGUAGE_CODE


def language_activate(request: HttpRequest, user: Any, *, api: bool = False, addressee: str = "") -> str:
    """Answer `request` in `language_for` it from here on (templates, gettext, DRF messages)."""
    language = language_for(request, user, api=api, addressee=addressee)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    return language
