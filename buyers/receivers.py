"""What the buyers app does when something happens in the apps below it (connected in BuyersConfig.ready)."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def match_supplier_to_open_rfqs(sender: Any, *, supplier_id: int, **kwargs: Any) -> None:
    """A supplier joined or its catalog changed: rewrite its matching facts at once (one grouped
    query over its products, so that RFQs matched from now on see them even while the broker is
    down), then match it to the open RFQs it fits, after commit.

    Never raises (the supplier's change already succeeded); a failure is logged, and
    `manage.py matching_facts_rebuild` repairs the facts.
    """
    from buyers.services.matching import supplier_category_facts_refresh
    from buyers.tasks.matching import supplier_enqueue_matching

    try:
        supplier_category_facts_refresh(supplier_ids=[int(supplier_id)])
    except Exception:
        logger.warning("Could not refresh the matching facts of supplier %s.", supplier_id, exc_info=True)
    try:
        transaction.on_commit(functools.partial(supplier_enqueue_matching, int(supplier_id)))
    except Exception:
        logger.warning("Could not schedule matching of supplier %s.", supplier_id, exc_info=True)
