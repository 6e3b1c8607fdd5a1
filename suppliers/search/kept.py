"""Values a search process keeps for a while and reads again when they are older (`Kept`).

A search keeps a few values that change rarely and cost a statement to read: the belts' and
categories' names it labels facets with, the edges of the newest rows' windows a walk reads, the
planner's estimate of each sort token's share. Each is kept per process with its own time limit
(docs/architecture.md, "Search"); `forget_all` empties them all (the tests, each
starting from what the database holds).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_every: list[Kept[Any, Any]] = []


class Kept(Generic[K, V]):
    """Values by key, each as this process read it at most `seconds` ago (by the monotonic clock).

    `most`: at most this many values, for keys a client chooses (a search's words): keeping one more
    forgets the values older than `seconds` first, then, when as many are younger, all of them — a
    process never grows with the words it was asked."""

    def __init__(self, seconds: float, *, most: int | None = None) -> None:
        self.seconds = seconds
        self.most = most
        self._values: dict[K, tuple[float, V]] = {}
        _every.append(self)

    def fresh(self, key: K) -> bool:
        """Whether the value of `key` was read less than `seconds` ago."""
        known = self._values.get(key)
        return known is not None and time.monotonic() - known[0] < self.seconds

    def get(self, key: K) -> V:
        """The value of `key` as last kept, however old (KeyError when never kept)."""
        return self._values[key][1]

    def keep(self, key: K, value: V) -> V:
        """Keep `value` for `key`, read now."""
        now = time.monotonic()
        if self.most is not None and key not in self._values and len(self._values) >= self.most:
            self._values = {each: kept for each, kept in self._values.items() if now - kept[0] < self.seconds}
            if len(self._values) >= self.most:
                self._values.clear()
        self._values[key] = (now, value)
        return value

    def read(self, key: K, read: Callable[[], V]) -> V:
        """The value of `key`, read by `read` when this process has none younger than `seconds`."""
        return self.get(key) if self.fresh(key) else self.keep(key, read())

    def forget(self, **kwargs: Any) -> None:
        """Forget every value (the next use reads them again); a signal's receiver too."""
        self._values.clear()


def forget_all() -> None:
    """Forget the values every `Kept` of this process holds."""
    for kept in _every:
        kept.forget()
