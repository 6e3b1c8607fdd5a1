"""The browser protections without a browser (docs/security.md, "Content-Security-Policy").

Every answer carries the Content-Security-Policy and the Permissions-Policy, and no template or
Python module writes what the policy would refuse: a style attribute, a <style> element, a script
without a file, an on*= handler or a javascript: address. tests/browser/test_hardening_csp.py
opens every page in Chromium and listens for the violations themselves.
"""

from __future__ import annotations

import re
import tokenize
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from tests.matrix import all_routes, build_world

ROOT = Path(__file__).resolve().parent.parent
OUR_CODE = ("marketplace", "suppliers", "buyers", "orders", "sourcebelt")

# What the policy must say, directive by directive.
PROMISED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Browser features no page uses: each must be denied to every origin.
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth")

# What the policy refuses in markup, as it would be written in a template or a Python string.
REFUSED_IN_MARKUP = {
    "a style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.IGNORECASE),
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "a script without a file": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "an on*= event handler": re.compile(r"""<[a-z][^>]*\son[a-z]+\s*=\s*["'{]""", re.IGNORECASE | re.DOTALL),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def _policy(response: HttpResponseBase) -> dict[str, str]:
    directives = [part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";")]
    return {name: value for name, _space, value in directives}


def _assert_protected(response: HttpResponseBase, where: str) -> None:
    assert _policy(response) == PROMISED, where
    permissions = response["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in permissions, f"{where}: {feature} is not denied"


def test_hardening_csp_the_policy_is_strict() -> None:
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]

    for value in directives.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"} & set(value)


@pytest.mark.django_db
def test_hardening_csp_every_page_anybody_may_open_carries_both_policies(actors: dict) -> None:
    """Every page of the permission matrix that an anonymous visitor gets, the error pages and
    the admin's log-in, each answered with both headers."""
    world = build_world(actors)
    client = Client()
    opened = 0
    for route in all_routes():
        if route.method != "get" or route.expect["anonymous"] != HTTPStatus.OK:
            continue
        url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            _assert_protected(response, url)
            opened += 1
    assert opened > 20

    for url, status in [("/no-such-page/", 404), ("/admin/login/", 200), ("/api/v1/belts/", 200)]:
        response = client.get(url)
        assert response.status_code == status
        _assert_protected(response, url)


@pytest.mark.django_db
def test_hardening_csp_a_refused_form_gets_the_projects_page_with_both_policies() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "someone@example.com", "password": "x"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "This form could not be sent" in response.content.decode()
    _assert_protected(response, "the CSRF failure page")


# A string literal; from Python 3.12 an f-string's text comes in its own tokens.
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def _markup() -> Iterator[tuple[str, int, str]]:
    """(file, line, text) of what may reach a page: each template less its comments, and each string
    literal of our Python code (format_html, mark_safe, widget attributes)."""
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        # A comment is replaced by as many newlines as it spans, so line numbers stay right.
        yield str(path.relative_to(ROOT)), 1, TEMPLATE_COMMENT.sub(lambda m: "\n" * m[0].count("\n"), text)
    for package in OUR_CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            with path.open("rb") as source:
                for token in tokenize.tokenize(source.readline):
                    if token.type in STRING_TOKENS:
                        yield str(path.relative_to(ROOT)), token.start[0], token.string


def test_hardening_csp_no_template_or_module_writes_what_the_policy_refuses() -> None:
    found = [
        f"{where}:{line + text[: match.start()].count(chr(10))}: {what}"
        for where, line, text in _markup()
        for what, pattern in REFUSED_IN_MARKUP.items()
        for match in pattern.finditer(text)
    ]

    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("markup", "what"),
    [
        ('<p style="color: red">', "a style attribute"),
        ("<style>p { color: red }</style>", "a <style> element"),
        ("<script>alert(1)</script>", "a script without a file"),
        ('<button type="button" onclick="print()">', "an on*= event handler"),
        ('<a href="javascript:history.back()">', "a javascript: address"),
    ],
)
def test_hardening_csp_the_scan_finds_each_kind(markup: str, what: str) -> None:
    assert REFUSED_IN_MARKUP[what].search(markup)
    assert not REFUSED_IN_MARKUP[what].search('<script src="/static/js/app.js" defer></script><p class="x">')
