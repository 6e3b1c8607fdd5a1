"""Misspelt query words corrected against the catalog's own vocabulary ("plsuh toy" → "plush toy",
"双间包" → "双肩包").

The vocabulary (`SearchWord`) is every Latin-script word of 3 to 30 letters, and every Chinese word of
2 to 8 characters, that some product a buyer can find holds, with how many hold it, a Latin word's
letters sorted and a Chinese word's sound (its pinyin without tones, by pypinyin). It is derived data, rebuilt by
`vocabulary_refresh` (Celery beat, hourly; `manage.py search_vocabulary`): on PostgreSQL from the
search table's vectors (`ts_stat`, one pass), on SQLite (the demo) from the products' search text;
only the words whose count changed are written.

A query word is corrected only when it is not in the vocabulary, and only to a word within a small
edit distance (`allowed_edits`: one edit up to five letters, two beyond; a swap of neighbours is one
edit). The nearest words are found by the trigram index of the vocabulary (`<->`, PostgreSQL's
nearest-neighbour order: no similarity threshold, so "plsuh", whose trigrams share little with
"plush", is still near) and by the sorted letters, which a swap keeps; of those within the distance,
the closest wins, then one with the same letters (a swap is the commonest slip), then the commonest
in the catalog. A Chinese word is corrected to the commonest word of the same sound and length: a
pinyin input method offers every character of a sound, and picking the wrong one (间 for 肩, both
jiān) is how Chinese is misspelt. One query for every word of a search.

The search reads it only when the query's own words find fewer than FUZZY_BELOW products
(`suppliers.search.words`): a word it holds in that many products is not tried as a prefix, and the
corrected words are a level of their own, after the prefixes and before the slow trigram match of
titles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from pypinyin import lazy_pinyin

from suppliers.models import Product, SearchWord
from suppliers.search.edits import allowed_edits, edit_distance
from suppliers.search.segment import FUZZY_WORD_MAX_LENGTH, FUZZY_WORD_MIN_LENGTH

# The words worth a correction: letters only (codes and SKUs are not misspelt words), at least 3.
MIN_LETTERS = FUZZY_WORD_MIN_LENGTH
# Nearest words looked at per query word, by trigrams and by letters each.
NEAREST = 20
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def correctable(word: str) -> bool:
    """Whether a query word may be a misspelling of a catalog word: Latin letters only, 3 to 30 of them."""
    return (
        MIN_LETTERS <= len(word) <= FUZZY_WORD_MAX_LENGTH
        and _LETTERS_ONLY.fullmatch(word) is not None
        and not _CJK.search(word)
    )


# A Chinese word worth a correction: 2 to 8 characters (a single character has no misspelling).
CHINESE_LENGTHS = range(2, 9)
_CHINESE_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def chinese_correctable(word: str) -> bool:
    """Whether a query word may be a Chinese word typed with the wrong characters of its sound."""
    return len(word) in CHINESE_LENGTHS and _CHINESE_WORD.fullmatch(word) is not None


def sound(word: str) -> str:
    """A Chinese word's pinyin without tones ("shuangjianbao"): what a homophone shares."""
    return "".join(lazy_pinyin(word))


def letters(word: str) -> str:
    """The word's letters in order: what a swap of two letters keeps."""
    return "".join(sorted(word))


@dataclass(frozen=True)
class _Near:
    word: str
    products: int


@dataclass(frozen=True)
class Spelling:
    """What the vocabulary says of a query's words: how many products hold each word it knows, and
    the corrections of the misspelt ones."""

    known: dict[str, int]
    corrections: dict[str, str]

    def common(self, word: str, at_least: int) -> bool:
        """Whether at least `at_least` products hold the word itself."""
        return self.known.get(word, 0) >= at_least


def _correction(asked: str, near: list[_Near]) -> str | None:
    """The correction of `asked` among its nearest vocabulary words; None when nothing is close enough."""
    limit = allowed_edits(asked)
    ranked = []
    for candidate in near:
        distance = edit_distance(asked, candidate.word, limit)
        if distance is not None:
            same_letters = letters(candidate.word) == letters(asked)
            ranked.append((distance, not same_letters, -candidate.products, candidate.word))
    return min(ranked)[3] if ranked else None


def _homophone(asked: str, near: list[_Near]) -> str | None:
    """The commonest vocabulary word of the same sound and length as the Chinese word `asked`."""
    ranked = [(-each.products, each.word) for each in near if len(each.word) == len(asked) and each.word != asked]
    return min(ranked)[1] if ranked else None


_NEAREST_SQL = f"""
SELECT q.asked, near.word, near.products
FROM unnest(%s::text[], %s::text[]) AS q(asked, letters)
CROSS JOIN LATERAL (
    (SELECT w.word, w.products FROM suppliers_searchword w ORDER BY w.word <-> q.asked LIMIT {NEAREST})
    UNION
    (SELECT w.word, w.products FROM suppliers_searchword w WHERE w.letters = q.letters LIMIT {NEAREST})
) AS near
UNION ALL
SELECT q.asked, w.word, w.products
FROM unnest(%s::text[], %s::text[]) AS q(asked, sound)
JOIN suppliers_searchword w ON w.sound = q.sound OR w.word = q.asked
"""  # noqa: S608 - constants only


def look_up(words: list[str]) -> Spelling:
    """What the vocabulary knows of `words`, and the corrections of those it does not hold; one query,
    none when no word may be a misspelling."""
    latin = sorted({word for word in words if correctable(word)})
    chinese = sorted({word for word in words if chinese_correctable(word)})
    if not latin and not chinese:
        return Spelling({}, {})
    near: dict[str, list[_Near]] = {word: [] for word in latin + chinese}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            sounds = [sound(word) for word in chinese]
            cursor.execute(_NEAREST_SQL, [latin, [letters(word) for word in latin], chinese, sounds])
            for word, candidate, products in cursor.fetchall():
                near[word].append(_Near(candidate, products))
    else:
        _near_in_python(latin, chinese, near)
    known = {word: near_word.products for word, found in near.items() for near_word in found if near_word.word == word}
    fixes = {word: _correction(word, near[word]) for word in latin if word not in known}
    fixes |= {word: _homophone(word, near[word]) for word in chinese if word not in known}
    return Spelling(known, {word: fix for word, fix in fixes.items() if fix is not None})


def _near_in_python(latin: list[str], chinese: list[str], near: dict[str, list[_Near]]) -> None:
    """The demo's vocabulary is small: every word of a length that could be within the distance, and
    every word of the sounds asked."""
    if latin:
        shortest = min(len(word) for word in latin) - 2
        longest = max(len(word) for word in latin) + 2
        rows = SearchWord.objects.filter(length__gte=shortest, length__lte=longest).values_list("word", "products")
        for candidate, products in rows:
            for word in latin:
                near[word].append(_Near(candidate, products))
    if chinese:
        sounds = {word: sound(word) for word in chinese}
        same = SearchWord.objects.filter(Q(sound__in=sounds.values()) | Q(word__in=chinese))
        for candidate, products, its_sound in same.values_list("word", "products", "sound"):
            for word in chinese:
                if its_sound == sounds[word] or candidate == word:
                    near[word].append(_Near(candidate, products))


def corrections(words: list[str]) -> dict[str, str]:
    """The corrections of the misspelt words among `words` (word → catalog word)."""
    return look_up(words).corrections


# Every word of the search table's vectors but its filter tokens (`~b12`...), with how many rows hold it.
_WORDS_SQL = (
    "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM suppliers_productsearch') WHERE left(word, 1) <> '~'"
)
WRITE_BATCH = 1000


@dataclass(frozen=True)
class VocabularyRefresh:
    words: int
    written: int
    removed: int


def _kept(word: str) -> bool:
    return correctable(word) or chinese_correctable(word)


def catalog_words() -> Counter[str]:
    """Each correctable word of the products a buyer can find, with how many of them hold it."""
    counted: Counter[str] = Counter()
    if connection.vendor == "postgresql":
        # One pass over the search table's stored vectors (no text is segmented again).
        with connection.cursor() as cursor:
            cursor.execute(_WORDS_SQL)
            counted.update({word: products for word, products in cursor.fetchall() if _kept(word)})
        return counted
    texts = Product.objects.published().values_list("search_text", flat=True)
    for text in texts.iterator(chunk_size=2000):
        counted.update({word for word in (text or "").split() if _kept(word)})
    return counted


def _vocabulary_row(word: str, products: int) -> SearchWord:
    if chinese_correctable(word):
        return SearchWord(word=word, letters="", length=len(word), products=products, sound=sound(word))
    return SearchWord(word=word, letters=letters(word), length=len(word), products=products)


def vocabulary_refresh() -> VocabularyRefresh:
    """Rebuild the vocabulary from the products a buyer can find now: new words in, counts brought up
    to date, words no such product holds any more out. Only what changed is written; idempotent."""
    counted = catalog_words()
    with transaction.atomic():
        existing = dict(SearchWord.objects.values_list("word", "products"))
        changed = [
            _vocabulary_row(word, products) for word, products in counted.items() if existing.get(word) != products
        ]
        SearchWord.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["word"],
            update_fields=["products", "sound"],
            batch_size=WRITE_BATCH,
        )
        gone = [word for word in existing if word not in counted]
        for start in range(0, len(gone), WRITE_BATCH):
            SearchWord.objects.filter(word__in=gone[start : start + WRITE_BATCH]).delete()
    return VocabularyRefresh(words=len(counted), written=len(changed), removed=len(gone))
