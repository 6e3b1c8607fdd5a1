"""Every URL pattern × every actor. A new route without a row in tests/matrix/ fails here."""

from __future__ import annotations

import pytest
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


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_actor_gets_the_expected_answer(route: Route, actor: str, actors: dict) -> None:
    world = build_world(actors)
    url = reverse(route.name, kwargs=route.kwargs(world) if route.kwargs else None)
    client = actors[actor].client
    call = getattr(client, route.method)
    kwargs: dict = {"headers": route.headers} if route.headers else {}
    if route.data is not None:
        kwargs["data"] = route.data(world)
    if route.content_type is not None:
        kwargs["content_type"] = route.content_type
    response = call(url, **kwargs)
    assert response.status_code == route.expect[actor], (
        f"{actor} {route.method.upper()} {url}: expected {route.expect[actor]}, got {response.status_code}"
    )
