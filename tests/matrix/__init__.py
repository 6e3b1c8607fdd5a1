"""The permission matrix: every URL pattern of the project, and what each actor gets from it.

Each area of the project has a module here (`tests/matrix/<area>.py`) with:

    ROUTES: list[Route]            # one Route per URL pattern name (and method)
    def build(world: World) -> None  # optional: adds the objects its routes need to the world

`tests/test_permission_matrix.py` fails when a URL pattern has no Route, and checks every
Route for the six actors: anonymous, buyer, other_buyer, supplier, other_supplier, staff.
`world.actors[label]` holds each actor (user, company, logged-in client, supplier profile).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

ACTORS = ("anonymous", "buyer", "other_buyer", "supplier", "other_supplier", "staff")

World = SimpleNamespace


@dataclass(frozen=True)
class Route:
    """One URL pattern and the status code each actor must get from it.

    `kwargs(world)` gives the URL's keyword arguments; `data(world)` the body of a POST. For a
    route about one actor's private object, build it for the `buyer` or `supplier` actor and
    expect 404 from the others (no existence leaks).
    """

    name: str
    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    data: Callable[[World], dict[str, Any]] | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        missing = set(ACTORS) - set(self.expect)
        if missing:
            raise ValueError(f"Route {self.name} gives no expectation for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]"


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Every actor gets `default`, except those named: `expect(200, anonymous=302)`."""
    unknown = set(overrides) - set(ACTORS)
    if unknown:
        raise ValueError(f"Unknown actors {sorted(unknown)}")
    return {actor: overrides.get(actor, default) for actor in ACTORS}


def area_modules() -> list[Any]:
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]


def all_routes() -> list[Route]:
    return [route for module in area_modules() for route in getattr(module, "ROUTES", [])]


def build_world(actors: dict[str, Any]) -> World:
    world = World(actors=actors)
    for module in area_modules():
        builder = getattr(module, "build", None)
        if builder is not None:
            builder(world)
    return world
