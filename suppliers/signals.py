"""Domain signals of the suppliers app, for the apps built on top of it.

The suppliers app must not import the apps above it (`buyers`, `orders`), yet matching must learn
that a supplier joined or published products. So the catalog and profile services announce it
here, after their transaction commits, and `buyers.receivers` listens.

- `catalog_changed(supplier_id=...)`: a supplier was created, published products or added a
  product line; what it can be matched to may have changed.
"""

from __future__ import annotations

import functools
import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

catalog_changed = Signal()


def _send_catalog_changed(supplier_id: int) -> None:
    for receiver, result in catalog_changed.send_robust(sender=None, supplier_id=supplier_id):
        if isinstance(result, Exception):
            logger.warning("A receiver of catalog_changed failed: %r", receiver, exc_info=result)


def catalog_changed_on_commit(*, supplier_id: int) -> None:
    """Announce `catalog_changed` once the current transaction commits (at once outside one).

    Never raises into the caller: the supplier's own change already succeeded.
    """
    transaction.on_commit(functools.partial(_send_catalog_changed, supplier_id))
