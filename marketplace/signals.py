"""Domain signals of the kernel, for the apps built on top of it.

The kernel must not import the apps above it, yet their search indexes hold the machine
translations of what people wrote (a product's title, an RFQ's description). So the translation
worker announces here the texts whose translations it just stored, and the apps that index those
texts listen (`suppliers.receivers`, `buyers.receivers`, connected in their AppConfig.ready()).

- `texts_translated(texts=[...])`: these originals (stripped, as `TextTranslation.source_text`)
  have a new translation stored; whatever indexes them should index them again.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from django.dispatch import Signal

logger = logging.getLogger(__name__)

texts_translated = Signal()


def texts_translated_announce(texts: Collection[str]) -> None:
    """Send `texts_translated` once for these texts. Never raises: the translations are stored; a
    receiver that fails is logged (the index catches up at the text's next write)."""
    if not texts:
        return
    for receiver, result in texts_translated.send_robust(sender=None, texts=sorted(set(texts))):
        if isinstance(result, Exception):
            logger.warning("A receiver of texts_translated failed: %r", receiver, exc_info=result)
