"""The registry of stored indexes: text an app derives from its rows and stores so search and
matching read it without recomputing (a product's `search_text`, an RFQ's), and that must be built
again when the code that derives it changes (a new segmentation, translations added).

Each app registers its indexes in its AppConfig.ready() with the version of the code that builds
them; the kernel keeps, per index, the version its rows were built at (`StoredIndexVersion`) and a
beat task rebuilds, in the background and by batches, every index whose code is newer
(marketplace/services/stored_indexes.py). So an upgrade that changes what an index holds needs no
command run by hand: bump the version. The kernel holds only the registry: it never imports the
apps that fill it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredIndex:
    """One index: `ids_after(after_id, limit)` gives the next ids of the rows it covers, in
    ascending order; `rebuild(ids)` rebuilds those rows inside the caller's transaction."""

    name: str
    version: int
    ids_after: Callable[[int, int], list[int]]
    rebuild: Callable[[list[int]], object]
    batch_size: int = 1000


_INDEXES: dict[str, StoredIndex] = {}


def register_stored_index(index: StoredIndex) -> None:
    """Declare an index (again on a second ready(): the last registration wins)."""
    _INDEXES[index.name] = index


def stored_indexes() -> list[StoredIndex]:
    return [_INDEXES[name] for name in sorted(_INDEXES)]
