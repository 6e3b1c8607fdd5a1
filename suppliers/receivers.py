"""What the suppliers app does when something happens in the kernel (connected in SuppliersConfig.ready)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def reindex_translated_products(sender: Any, *, texts: list[str], **kwargs: Any) -> None:
    """The translation worker stored translations of `texts`: the published products written in
    them are indexed again, with the translations, by batches, in the worker (so "backpack" finds
    the product written as 书包 from now on), and their suppliers announced as changed.

    Never raises (the translations are stored); a failure is logged, and the products get the
    translations at their next write or `manage.py search_reindex`.
    """
    from suppliers.search.index import products_reindex_translated

    try:
        products_reindex_translated(texts=texts)
    except Exception:
        logger.warning("Could not index again the products of %s translated texts.", len(texts), exc_info=True)
