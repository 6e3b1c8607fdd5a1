"""Every URL pattern × every actor. A new route without a row in tests/matrix/ fails here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template.backends.django import Template as DjangoTemplate
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from tests.matrix import ACTORS, Route, all_routes, build_world

# The Django admin guards itself (staff only); the matrix checks its index, not its hundreds of pages.
EXEMPT_NAMESPACES = {"admin"}

ROUTES = all_routes()


def project_url_names() -> set[str]:
    """The name of every URL pattern the project serves (unnamed patterns are reported by regex)."""
    names: set[str] = set()

    def walk(patterns: list, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                if inner in EXEMPT_NAMESPACES:
                    continue
                walk(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace)
            elif isinstance(pattern, URLPattern):
                if pattern.callback is serve:  # uploaded files in development (DEBUG), not an app route
                    continue
                names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_is_in_the_permission_matrix() -> None:
    listed = {route.name for route in ROUTES}
    missing = sorted(project_url_names() - listed)
    assert not missing, f"URL patterns without a row in tests/matrix/: {missing}"


def test_the_matrix_lists_no_route_that_does_not_exist() -> None:
    listed = {route.name for route in ROUTES} - {"admin:index"}
    stale = sorted(listed - project_url_names())
    assert not stale, f"Rows in tests/matrix/ for routes that no longer exist: {stale}"


@pytest.fixture
def refusals_not_rendered() -> Iterator[Callable[[bool], None]]:
    """Switches template rendering off while an actor is refused (only the status matters then).

    The pages an actor is meant to see (200) render for real, so a template that breaks for one
    kind of user still fails here; a 404 or 403 page is rendered by the error-page tests.
    """
    real_render = DjangoTemplate.render
    stubbed = {"on": False}

    def render(self: DjangoTemplate, context: object = None, request: object = None) -> str:
        return "" if stubbed["on"] else real_render(self, context, request)

    with patch.object(DjangoTemplate, "render", render):
        yield lambda on: stubbed.__setitem__("on", on)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_each_actor_gets_the_expected_answer(
    route: Route, actors: dict, refusals_not_rendered: Callable[[bool], None]
) -> None:
    """The world is built once per route; each actor's request runs in a savepoint rolled back
    after it, so every actor meets the world as built, whatever the one before it changed."""
    world = build_world(actors)
    url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
    wrong: list[str] = []
    for actor in ACTORS:
        kwargs: dict = {"headers": route.headers} if route.headers else {}
        if route.data is not None:
            kwargs["data"] = route.data(world)  # anew for each actor: an uploaded file is read once
        if route.content_type is not None:
            kwargs["content_type"] = route.content_type
        expected = route.expect[actor]
        refusals_not_rendered(expected != HTTPStatus.OK)
        with transaction.atomic():
            response = getattr(actors[actor].client, route.method)(url, **kwargs)
            transaction.set_rollback(True)
        cache.clear()  # rate limits and lockouts count per test, not per actor
        if response.status_code != expected:
            wrong.append(f"{actor} {route.method.upper()} {url}: expected {expected}, got {response.status_code}")
    assert not wrong, "\n".join(wrong)
