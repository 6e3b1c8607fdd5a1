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


def rematch_translated_rfqs(sender: Any, *, texts: list[str], **kwargs: Any) -> None:
    """The translation worker stored translations of `texts`: the open RFQs written in them get
    their words again (with the translations), and those whose words changed are matched again,
    so factories whose catalogs are written only in the other language are found and told (the
    RFQ was matched at once, in its own language, when it was posted).

    Never raises (the translations are stored); a failure is logged, and the RFQ keeps the matches
    it has.
    """
    from buyers.services.matching import rfqs_matching_due_now
    from buyers.services.rfq_index import rfqs_reindex_translated
    from buyers.tasks.matching import rfq_enqueue_matching

    try:
        with transaction.atomic():
            changed = rfqs_reindex_translated(texts=texts)
            rfqs_matching_due_now(rfq_ids=changed)
            for rfq_id in changed:
                transaction.on_commit(functools.partial(rfq_enqueue_matching, rfq_id))
    except Exception:
        logger.warning("Could not match again the RFQs of %s translated texts.", len(texts), exc_info=True)
