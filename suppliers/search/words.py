"""How the words of a query match a product: the levels a search tries, strictest first.

1. whole words (a latin word with its plural or singular, a Chinese word or its characters in a row);
2. while fewer than FUZZY_BELOW products match, latin words also as prefixes ("waterpr");
3. then the query with its misspelt words corrected against the catalog's vocabulary ("plsuh toy"
   finds "plush toy", "双间包" "双肩包": `spelling`; the result says what it searched for), looked up
   only when the first level found too little;
4. then also titles with close words by trigram similarity ("backpak"; the result is `fuzzy`); on
   SQLite, by a bounded edit distance on the title's words instead (`sqlite_words`); not for a
   query that can only be a SKU (`_only_a_sku`: BG-CLEAR-001), nor for words the catalog holds
   often (`_spelt_right`: the filters, not the spelling, found too few).

A query shaped like a SKU also matches `lower(sku)` exactly and ranks first (SKU_BONUS). On a database
without full-text search (the SQLite demo) `text_filter_fallback` gives the same meaning with LIKE.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import Case, Q, Value, When

from suppliers.catalog_rules import SKU_PATTERN
from suppliers.search.expressions import (
    TextMatches,
    TextRank,
    WordSimilar,
    pairs_are_exact,
    similarity_sum,
    tsquery_text,
)
from suppliers.search.segment import QueryTerm, latin_words, normalised_query, query_terms
from suppliers.search.spelling import Spelling, chinese_correctable, correctable, look_up
from suppliers.search.sqlite_words import WordClose

FUZZY_BELOW = 3
_WORD = re.compile(r"[^\W_]+")
# Added to the relevance of the product whose SKU the query is: it ranks first.
SKU_BONUS = 10.0


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def text_filter_fallback(terms: list[QueryTerm], column: str = "search_text") -> Q:
    """The plain text match for databases without full-text search: every term contained in the text.

    Equivalent to the tsquery: the stored text is space-separated tokens, a Chinese run's characters
    consecutive, so "书 包" in the text is the phrase '书' <-> '包', and " backp" a word beginning so.
    """
    condition = Q()
    for term in terms:
        if term.chinese:
            term_q = _token_contained(column, term.word)
            if len(term.word) > 1:
                term_q |= _token_contained(column, " ".join(term.characters))
        else:
            term_q = Q(**{f"{column}__startswith": term.word}) | Q(**{f"{column}__contains": f" {term.word}"})
        condition &= term_q
    return condition


def _token_contained(column: str, tokens: str) -> Q:
    """The tokens occur as whole tokens in the space-separated text."""
    return (
        Q(**{column: tokens})
        | Q(**{f"{column}__startswith": f"{tokens} "})
        | Q(**{f"{column}__endswith": f" {tokens}"})
        | Q(**{f"{column}__contains": f" {tokens} "})
    )


@dataclass(frozen=True)
class Level:
    """One way of matching the query's words: a condition on the product table and its rank."""

    condition: Q
    rank: Any
    fuzzy: bool = False
    # The words as a tsquery (PostgreSQL, when the query has words): what the search table matches and ranks by.
    tsquery: str | None = None
    # The search table's index form of `tsquery` (Chinese character pairs, see `tsquery_text`), and
    # whether it finds exactly the same rows.
    indexed: str | None = None
    exact: bool = True
    # The query as corrected, when this level searches for misspelt words' corrections too.
    corrected: str | None = None


@dataclass(frozen=True)
class TextSearch:
    """The levels of a query, strictest first, and the SKU it may be."""

    first: Level
    sku: str | None = None
    # The looser levels, built from what the catalog's vocabulary says of the query's Latin words
    # (`spelling.look_up`, one query): only when the first level found too little.
    looser: Callable[[Spelling], list[Level]] | None = None
    words: tuple[str, ...] = ()

    def looser_levels(self) -> Iterator[Level]:
        """The levels after the first; the vocabulary is read when the first of them is asked for."""
        if self.looser is not None:
            yield from self.looser(look_up(list(self.words)))


def product_text_search(query: str, terms: list[QueryTerm]) -> TextSearch:
    sku = query.strip().lower() if SKU_PATTERN.fullmatch(query.strip()) else None
    latin = tuple(term.word for term in terms if not term.chinese)
    if not uses_postgres_search():
        return _fallback_text_search(query, terms, sku)
    if not terms and not sku:
        return TextSearch(Level(Q(pk__in=[]), Value(0.0)))

    def level(
        tsquery: str, indexed: str, *, extra: Q | None = None, extra_rank: Any = None, fuzzy: bool = False
    ) -> Level:
        condition = Q(TextMatches(tsquery)) if terms else Q(pk__in=[])
        rank: Any = TextRank(tsquery) if terms else Value(0.0)
        if sku:
            condition |= Q(sku_lower=sku)
            rank = rank + Case(When(sku_lower=sku, then=Value(SKU_BONUS)), default=Value(0.0))
        if extra is not None:
            condition |= extra
            rank = rank + extra_rank
        if not terms:
            return Level(condition, rank, fuzzy)
        return Level(condition, rank, fuzzy, tsquery, indexed, pairs_are_exact(terms))

    whole_words = tsquery_text(terms)
    indexed_words = tsquery_text(terms, pairs=True)
    if not latin and not any(chinese_correctable(term.word) for term in terms):
        return TextSearch(level(whole_words, indexed_words), sku=sku)

    def looser(spelling: Spelling) -> list[Level]:
        # Only a word the vocabulary may hold (letters only, 3 to 30: `correctable`) and holds in
        # fewer than FUZZY_BELOW products is looked for as the beginning of longer words; any other
        # stays whole, its prefix merging every word it begins in the index: 'toy':* took 40 ms at
        # 1M for nothing, 'ba':* merged every word from bag to basket (1-2 s), and a number, which
        # the vocabulary never holds, every number and code beginning with it ('1000':* 10.6 s).
        prefixed = {word for word in latin if correctable(word) and not spelling.common(word, FUZZY_BELOW)}
        prefixes = f"({whole_words}) | ({tsquery_text(terms, prefixes=prefixed)})"
        indexed_prefixes = f"({indexed_words}) | ({tsquery_text(terms, prefixes=prefixed, pairs=True)})"
        levels = [level(prefixes, indexed_prefixes)] if prefixed else []
        fixed = _corrected_query(query, spelling)
        if fixed is not None:
            fixed_terms = query_terms(fixed)
            either = f"({whole_words}) | ({tsquery_text(fixed_terms)})"
            indexed_either = f"({indexed_words}) | ({tsquery_text(fixed_terms, pairs=True)})"
            exact = pairs_are_exact(terms) and pairs_are_exact(fixed_terms)
            levels.append(replace(level(either, indexed_either), corrected=fixed, exact=exact))
        words = latin_words(query)
        if words and not _only_a_sku(query) and not _spelt_right(words, spelling):
            close = Q()
            for word in words:
                close &= Q(WordSimilar(word, "title"))
            extra_rank = similarity_sum(words, "title")
            levels.append(level(prefixes, indexed_prefixes, extra=close, extra_rank=extra_rank, fuzzy=True))
        return levels

    return TextSearch(level(whole_words, indexed_words), sku=sku, looser=looser, words=_words(terms))


def _only_a_sku(query: str) -> bool:
    """Whether the query can only be a SKU: one token shaped like one, with a digit and a separator
    (BG-CLEAR-001). Found by none of the stricter levels, it is not looked for by title similarity:
    titles hold no SKUs, and the similarity of its fragments (no, 0001) matched titles at random and
    took 12-17 ms at 1M products (the no-match class's slowest search)."""
    text = query.strip()
    return (
        SKU_PATTERN.fullmatch(text) is not None
        and any(char.isdigit() for char in text)
        and any(char in "-./_" for char in text)
    )


def _spelt_right(words: list[str], spelling: Spelling) -> bool:
    """Whether the catalog holds every word in FUZZY_BELOW products or more, or the vocabulary
    corrects it: then what kept the matches below FUZZY_BELOW is the filters (backpack at 100 units,
    where no backpack's MOQ is that low; the corrected words' level, tried before, found none with
    them), which titles merely like the words would not pass either. Their trigram look-up on the
    product table read every such title to find none: backpack at 100 units 1.06 s at 1M, "sorting
    binn" at most 0.01 CNY 0.7 s."""
    return all(spelling.common(word, FUZZY_BELOW) or word in spelling.corrections for word in words)


def _words(terms: list[QueryTerm]) -> tuple[str, ...]:
    return tuple(term.word for term in terms)


def _fallback_text_search(query: str, terms: list[QueryTerm], sku: str | None) -> TextSearch:
    """The levels with LIKE (SQLite): a Latin word already matches as a prefix there."""
    condition = text_filter_fallback(terms) if terms else Q(pk__in=[])
    if sku:
        condition |= Q(sku__iexact=sku)

    def looser(spelling: Spelling) -> list[Level]:
        levels = []
        fixed = _corrected_query(query, spelling)
        if fixed is not None:
            corrected = condition | text_filter_fallback(query_terms(fixed))
            levels.append(Level(corrected, Value(0.0), corrected=fixed))
        words = latin_words(query)
        if words and not _only_a_sku(query) and not _spelt_right(words, spelling):
            # SQLite has no trigrams: the title's words within a small edit distance (sqlite_words).
            close = Q()
            for word in words:
                close &= Q(WordClose(word, "title"))
            levels.append(Level(condition | close, Value(0.0), fuzzy=True))
        return levels

    return TextSearch(Level(condition, Value(0.0)), looser=looser, words=_words(terms))


def _corrected_query(query: str, spelling: Spelling) -> str | None:
    """The query with each misspelt Latin word replaced by its correction (in lower case, as searched),
    or None when no word needs one."""
    fixes = spelling.corrections
    if not fixes:
        return None
    corrected = _WORD.sub(lambda word: fixes.get(word.group(), word.group()), normalised_query(query))
    for word, fix in fixes.items():
        if chinese_correctable(word):  # (a Chinese word is part of a run of characters, not a word of its own)
            corrected = corrected.replace(word, fix)
    return corrected
