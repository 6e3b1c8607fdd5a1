"""An RFQ's words counted on the matching facts (PostgreSQL): how many of each supplier's products
in the category contain one of them, without reading a product row.

Migration `buyers/0004` gives every `SupplierCategoryFacts` row a tsvector `words` whose positions
are product ordinals (a lexeme at 3 and 7: the row's third and seventh products contain it), and
the products' MOQ, lead time and capacity in arrays by ordinal. A product matches the RFQ when it
contains any of the RFQ's words (`candidates.rfq_terms`): a latin word in any of the forms the
product search accepts; a Chinese word as the segmented word, or as its characters in a row (the
row's `~` tokens of two characters stored next to each other: exactly the phrase for two
characters, a near superset of it for longer words, which must contain every pair). So the
matching products of a row are the distinct positions of the matching lexemes, with their lowest
MOQ, fastest lead time and largest capacity. A row whose `common_words` (buyers/0013: the words in
every one of its products) hold one of the RFQ's words matches with all its products, and its own
count and figures are the answer: its vector is not read. SQLite has no such columns: there the
words are matched on the products (`candidates._word_matches`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection

from suppliers.search.expressions import tsquery_text
from suppliers.search.segment import QueryTerm

_QUOTED = re.compile(r"'((?:[^']|'')*)'")


@dataclass(frozen=True)
class WordTokens:
    """The lexemes of the facts vectors that stand for an RFQ's words: a product matches when it
    has any of `any_of`, or every lexeme of one of `all_of`."""

    any_of: list[str]
    all_of: list[list[str]]

    def __bool__(self) -> bool:
        return bool(self.any_of or self.all_of)


def _latin_forms(term: QueryTerm) -> list[str]:
    """The forms the product search accepts for a latin word ('bin', 'bins', 'bines')."""
    return [match.replace("''", "'").replace("\\\\", "\\") for match in _QUOTED.findall(tsquery_text([term]))]


def word_tokens(terms: list[QueryTerm]) -> WordTokens:
    any_of: list[str] = []
    all_of: list[list[str]] = []
    for term in terms:
        word = term.word
        if not term.chinese:
            any_of.extend(_latin_forms(term))
        elif len(word) == 1:
            any_of.append(word)
        elif len(word) == 2:
            any_of.extend([word, f"~{word}"])
        else:
            any_of.append(word)
            all_of.append([f"~{word[index : index + 2]}" for index in range(len(word) - 1)])
    return WordTokens(any_of=list(dict.fromkeys(any_of)), all_of=all_of)


# A row one of whose words is in every one of its products (`common_words`, buyers/0013; often a
# word of the category's name) matches with all its products: its own count, lowest MOQ, fastest
# lead time and largest capacity are the answer, read from the row (the overlap computed once per
# row: `OFFSET 0`). Only the other rows' vectors are read (and decompressed) once and cut down to
# the RFQ's lexemes in SQL (`OFFSET 0` keeps PostgreSQL from evaluating that again per reference);
# the few positions left are combined here: three times faster than set operations or aggregates
# per row in SQL. Their products' values come as the arrays' text with -1 for an unknown value
# ("{500,-1,100}"): Python turns a whole array into integers at C speed and reads only the
# matching products'. The rows are found supplier by supplier (the unique index on supplier,
# category and unit; a supplier holds a row or a few in the subtree), ~20 % quicker than PostgreSQL
# combining a bitmap of the subtree's rows with one of the suppliers' (the rows are the same).
WORD_MATCHES_SQL = """
SELECT f.supplier_id, f.unit, found.words, f.products, f.lowest_moq, f.fastest_lead_time, f.largest_capacity,
       CASE WHEN found.words IS NOT NULL THEN array_replace(f.product_moqs, NULL, -1)::text END,
       CASE WHEN found.words IS NOT NULL THEN array_replace(f.product_lead_times, NULL, -1)::text END,
       CASE WHEN found.words IS NOT NULL THEN array_replace(f.product_capacities, NULL, -1)::text END
FROM unnest(%(suppliers)s::bigint[]) AS chosen (id)
JOIN buyers_suppliercategoryfacts f ON f.supplier_id = chosen.id AND f.category_id = ANY (%(categories)s)
CROSS JOIN LATERAL (SELECT coalesce(f.common_words && %(any_of)s::text[], false) OFFSET 0) AS every (product)
CROSS JOIN LATERAL (
    SELECT CASE WHEN NOT every.product
                THEN setweight(ts_filter(setweight(f.words, 'A', %(lexemes)s::text[]), '{a}'), 'D')::text END
    OFFSET 0
) AS found (words)
WHERE every.product OR found.words <> ''
"""
# A lexeme and its positions in the text of a tsvector ('a':1,3); a lexeme's own quotes are doubled.
_LEXEME_POSITIONS = re.compile(r"'((?:[^']|'')*)':([0-9,]+)")


@dataclass(frozen=True)
class RowMatches:
    """The products of one facts row (a supplier, a category, a unit) that match the RFQ's words."""

    supplier_id: int
    unit: str
    matching: int
    lowest_moq: int | None
    fastest_lead_time: int | None
    largest_capacity: int | None


def _positions(vector: str) -> dict[str, list[str]]:
    """'a':1,3 'b':2 -> {"a": ["1", "3"], "b": ["2"]} (the positions' weight D is not written).

    Positions stay strings until the matching ones are known: thousands per RFQ, most of them
    repeated across words (a word of the category's name is in every product)."""
    found: dict[str, list[str]] = {}
    for lexeme, positions in _LEXEME_POSITIONS.findall(vector):
        found[lexeme.replace("''", "'").replace("\\\\", "\\")] = positions.split(",")
    return found


def _matched(tokens: WordTokens, positions: dict[str, list[str]]) -> set[str]:
    matched: set[str] = set()
    for token in tokens.any_of:
        matched.update(positions.get(token, ()))
    for group in tokens.all_of:
        common = set(positions.get(group[0], ()))
        for token in group[1:]:
            common.intersection_update(positions.get(token, ()))
        matched |= common
    return matched


def _integers(text: str) -> list[int]:
    """An integer array's text as integers ("{500,-1,100}" -> [500, -1, 100])."""
    return list(map(int, text[1:-1].split(","))) if text and len(text) > 2 else []


def _lowest(values: list[int]) -> int | None:
    """The lowest known value (-1 stands for unknown)."""
    lowest = min(values, default=-1)
    if lowest < 0:
        lowest = min((value for value in values if value >= 0), default=-1)
    return lowest if lowest >= 0 else None


def facts_word_matches(
    tokens: WordTokens, *, supplier_ids: Collection[int], categories: Collection[int]
) -> list[RowMatches]:
    """The facts rows of these suppliers in these categories with products matching `tokens`
    (PostgreSQL; one query over the facts rows, none over the products)."""
    if not tokens or not supplier_ids:
        return []
    lexemes = [*tokens.any_of, *(token for group in tokens.all_of for token in group)]
    with connection.cursor() as cursor:
        cursor.execute(
            WORD_MATCHES_SQL,
            {
                "any_of": tokens.any_of,
                "lexemes": lexemes,
                "categories": list(categories),
                "suppliers": list(supplier_ids),
            },
        )
        rows = cursor.fetchall()
    found = []
    for row in rows:
        supplier_id, unit, vector, products, lowest_moq, fastest, largest = row[:7]
        if vector is None:  # a word in every product of the row: the row's own figures
            found.append(RowMatches(supplier_id, unit, products, lowest_moq, fastest, largest))
            continue
        positions = _positions(vector)
        moqs, lead_times, capacities = _integers(row[7]), _integers(row[8]), _integers(row[9])
        count = len(moqs)
        if _in_every_product(tokens, positions, count):
            found.append(_row_matches(supplier_id, unit, count, moqs, lead_times, capacities))
            continue
        ordinals = _matched(tokens, positions)
        matched = [ordinal - 1 for ordinal in map(int, ordinals) if 0 < ordinal <= count]
        if not matched:
            continue
        if len(matched) < count:  # else every product of the row matches: the whole arrays
            moqs = [moqs[index] for index in matched]
            lead_times = [lead_times[index] for index in matched]
            capacities = [capacities[index] for index in matched]
        found.append(_row_matches(supplier_id, unit, len(matched), moqs, lead_times, capacities))
    return found


def _in_every_product(tokens: WordTokens, positions: dict[str, list[str]], count: int) -> bool:
    """Whether one of the RFQ's words alone is in each of the row's `count` products (positions
    1 to `count`, a vector's positions being distinct and sorted): common, a word of the category's
    name; then the union of every word's positions need not be made."""
    for token in tokens.any_of:
        found = positions.get(token)
        if found and len(found) == count and int(found[-1]) <= count:
            return True
    return False


def _row_matches(
    supplier_id: int, unit: str, matching: int, moqs: list[int], lead_times: list[int], capacities: list[int]
) -> RowMatches:
    largest = max(capacities, default=-1)
    return RowMatches(
        supplier_id=supplier_id,
        unit=unit,
        matching=matching,
        lowest_moq=_lowest(moqs),
        fastest_lead_time=_lowest(lead_times),
        largest_capacity=largest if largest >= 0 else None,
    )


def facts_products_refresh(*, supplier_ids: Collection[int] | None) -> int:
    """Rewrite the words and product values of these suppliers' facts rows from their published
    products (all suppliers with None); PostgreSQL only, a no-op elsewhere. Returns the rows written."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        ids = None if supplier_ids is None else [int(pk) for pk in supplier_ids]
        cursor.execute("SELECT buyers_facts_products_refresh(%s::bigint[])", [ids])
        return int(cursor.fetchone()[0] or 0)
