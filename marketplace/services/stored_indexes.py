"""Bringing the stored indexes up to the code's version after an upgrade, in the background.

Run every minute by Celery beat (marketplace/tasks/stored_indexes.py). For each registered index
(`marketplace.stored_indexes`) whose version in the code is newer than the one its rows were built
at, the rows are rebuilt in id order, one batch per short transaction holding the index's
`StoredIndexVersion` row (so two workers never rebuild the same index at once: the second skips
it), the last id done kept, until none is left; then the index is at the code's version and the
task does nothing more than read one row per index. A run stops after `seconds`; the next one
goes on where it stopped.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.utils import timezone

from marketplace.models import StoredIndexVersion
from marketplace.stored_indexes import StoredIndex, stored_indexes

logger = logging.getLogger(__name__)

# How long one run rebuilds before leaving the rest to the next (beat runs it every minute).
CATCH_UP_SECONDS = 45.0


def _catch_up_step(index: StoredIndex) -> int | None:
    """Rebuild the next batch of one index; the rows rebuilt (0 when it just finished), or None
    when it is at the code's version or another worker holds it."""
    with transaction.atomic():
        state = StoredIndexVersion.objects.select_for_update(skip_locked=True).filter(name=index.name).first()
        if state is None or state.version >= index.version:
            return None
        if state.building != index.version:  # a walk for another version is over: start again
            state.building, state.after_id = index.version, 0
        ids = index.ids_after(state.after_id, index.batch_size)
        if ids:
            index.rebuild(ids)
            state.after_id = ids[-1]
        else:
            logger.info("The stored index %s is rebuilt at version %s.", index.name, index.version)
            state.version, state.building, state.after_id, state.built_at = index.version, None, 0, timezone.now()
        state.save()
    return len(ids)


def stored_indexes_catch_up(*, seconds: float = CATCH_UP_SECONDS) -> int:
    """Rebuild, batch by batch for at most about `seconds`, the indexes whose code is newer than
    their rows; returns how many rows were rebuilt."""
    deadline = time.monotonic() + seconds
    rebuilt = 0
    for index in stored_indexes():
        StoredIndexVersion.objects.get_or_create(name=index.name)  # version 0: built before versions were kept
        while time.monotonic() < deadline:
            step = _catch_up_step(index)
            if step is None:
                break
            rebuilt += step
    return rebuilt
