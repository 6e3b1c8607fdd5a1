"""The words of an RFQ that matching reads (`SourcingRequest.search_text`), in every site language.

An RFQ's stored text holds its title and description, each followed by its stored machine
translations, so an English RFQ's words include the Chinese a factory's catalog is written in and
the reverse (`buyers.matching.candidates.rfq_terms` reads the title's words first). The
translations are asked for in every site language when the RFQ is posted (or edited while open,
`rfq_translations_request`); a worker makes them after commit, and when it stores one the open
RFQs written in that text get their words again (`rfqs_reindex_translated`, from
`buyers.receivers`), and are matched again.

When what this module stores changes, bump `RFQ_INDEX_VERSION`: after the upgrade, Celery beat
rebuilds the open RFQs' words in the background (`marketplace.stored_indexes`, registered in
BuyersConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db.models import Q

from buyers.models import SourcingRequest
from marketplace.selectors.translations import translated_texts
from marketplace.services.translation_requests import translations_request_everywhere
from marketplace.stored_indexes import StoredIndex
from suppliers.search.segment import segment

# The version of what `rfq_index_text` stores. 2: traditional Chinese folded into simplified; the
# title's and description's translations held after each.
RFQ_INDEX_VERSION = 2
REINDEX_BATCH = 500


def rfq_index_text(*, title: str, description: str, translations: Mapping[str, Sequence[str]] | None = None) -> str:
    """The words matching reads for an RFQ: its title and its translations first, then its
    description and its translations. `translations` maps originals to their translations
    (`translated_texts`); without it they are loaded (one query; none without a provider)."""
    if translations is None:
        translations = translated_texts([title, description])
    return segment(
        title,
        *translations.get(title.strip(), ()),
        description,
        *translations.get(description.strip(), ()),
    )


def rfq_translations_request(rfq: SourcingRequest) -> int:
    """Ask for the RFQ's title and description in every site language (inside the caller's
    transaction; made by a worker after commit), so matching can read them."""
    return translations_request_everywhere(texts=[rfq.title, rfq.description])


def rfqs_reindex(*, rfq_ids: Iterable[int]) -> list[int]:
    """Recompute the stored words of these RFQs (call it in a transaction); returns the ids of
    those whose words changed. Three queries whatever the number: the RFQs, their translations,
    one UPDATE per REINDEX_BATCH."""
    rfqs = list(SourcingRequest.objects.filter(pk__in=list(rfq_ids)).only("pk", "title", "description", "search_text"))
    translations = translated_texts(text for rfq in rfqs for text in (rfq.title, rfq.description))
    changed = []
    for rfq in rfqs:
        text = rfq_index_text(title=rfq.title, description=rfq.description, translations=translations)
        if text != rfq.search_text:
            rfq.search_text = text
            changed.append(rfq)
    SourcingRequest.objects.bulk_update(changed, ["search_text"], batch_size=REINDEX_BATCH)
    return [rfq.pk for rfq in changed]


def rfqs_reindex_translated(*, texts: Iterable[str]) -> list[int]:
    """A worker stored translations of `texts`: the open RFQs whose title or description is one of
    them get their words again. Returns the ids of those whose words changed (to match again).
    Only open RFQs are matched, and they are few beside the closed ones: found through the status
    index, compared by text."""
    originals = list({text.strip() for text in texts if text and text.strip()})
    if not originals:
        return []
    written = Q(title__in=originals) | Q(description__in=originals)
    return rfqs_reindex(
        rfq_ids=SourcingRequest.objects.open().filter(written).order_by("pk").values_list("pk", flat=True)
    )


def _open_rfq_ids_after(after_id: int, limit: int) -> list[int]:
    return list(
        SourcingRequest.objects.open().filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)[:limit]
    )


def _open_rfqs_rebuild(rfq_ids: list[int]) -> int:
    """The upgrade's rebuild of open RFQs: translations asked for in every site language (those
    posted before were translated only for their matched suppliers), words recomputed."""
    rfqs = SourcingRequest.objects.filter(pk__in=rfq_ids).values_list("title", "description")
    translations_request_everywhere(texts=[text for texts in rfqs for text in texts])
    return len(rfqs_reindex(rfq_ids=rfq_ids))


# Rebuilt by Celery beat after an upgrade that bumped the version (registered in BuyersConfig.ready()).
STORED_INDEX = StoredIndex(
    name="rfq_search_text", version=RFQ_INDEX_VERSION, ids_after=_open_rfq_ids_after, rebuild=_open_rfqs_rebuild
)
