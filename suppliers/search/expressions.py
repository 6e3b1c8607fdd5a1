"""The SQL of PostgreSQL text search and trigram matching, written so the indexes are used.

Migration 0004 stores `to_tsvector('simple'::regconfig, search_text)` in a generated column
`search_vector` of the product and supplier tables, GIN-indexed (for products: partial, WHERE
status = 'published'); migration 0003 indexes `title gin_trgm_ops`. The Django models do not
declare `search_vector` (SQLite has no such column), so `SearchVectorColumn` names it on the
query's own table; only PostgreSQL queries use these expressions.
The tsquery is built in Python from segmented words (see `tsquery_text`) and passed as a parameter.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import BooleanField, Expression, F, FloatField, Func, TextField, Value

from suppliers.search.segment import QueryTerm


def lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _word_forms(word: str) -> list[str]:
    """A latin word and its plural or singular ("bin" | "bins", "gloves" | "glove"): exact lexemes."""
    forms = [word]
    if word.isalpha() and len(word) >= 3:
        if word.endswith("es") and len(word) > 4:
            forms.append(word[:-2])
        if word.endswith("s") and len(word) > 3:
            forms.append(word[:-1])
        else:
            forms += [word + "s", word + "es"]
    return list(dict.fromkeys(forms))


def tsquery_text(terms: list[QueryTerm], *, prefixes: bool | Collection[str] = False, pairs: bool = False) -> str:
    """A tsquery: every term must match (AND).

    A Chinese word matches as the segmented word or as its characters in a row ('书包' | '书' <-> '包').
    A latin word matches as a whole word, singular or plural ('bin' | 'bins' | 'bines'), or, with
    `prefixes`, any word it begins ('backp':*). Prefixes are the slower query (the GIN index merges
    every word with that beginning), so the service asks for them only when whole words find little,
    and then (`prefixes` a collection of words) only for the words the catalog does not hold as such.

    With `pairs`, for the search table's index (migration 0006), whose vector also holds every two
    Chinese characters in a row as one token ('~书包'): a two-character word is that token, exactly
    the rows its phrase finds; a longer word its pairs ('毛绒玩具' | '~毛绒' & '~绒玩' & '~玩具'), rows
    that include those its phrase finds (`pairs_are_exact` says whether the plain query must check them).
    """
    parts = []
    for term in terms:
        if not term.chinese:
            if prefixes is True or (not isinstance(prefixes, bool) and term.word in prefixes):
                parts.append(f"{lexeme(term.word)}:*")
            else:
                forms = [lexeme(form) for form in _word_forms(term.word)]
                parts.append(forms[0] if len(forms) == 1 else "(" + " | ".join(forms) + ")")
        elif len(term.word) == 1:
            parts.append(lexeme(term.word))
        elif pairs and len(term.word) == 2:
            parts.append(lexeme(f"~{term.word}"))
        elif pairs:
            both = " & ".join(lexeme(f"~{term.word[i : i + 2]}") for i in range(len(term.word) - 1))
            parts.append(f"({lexeme(term.word)} | {both})")
        else:
            phrase = " <-> ".join(lexeme(char) for char in term.characters)
            parts.append(f"({lexeme(term.word)} | {phrase})")
    return " & ".join(parts)


def pairs_are_exact(terms: list[QueryTerm]) -> bool:
    """The `pairs` tsquery of these terms finds exactly the rows the plain one does."""
    return all(not term.chinese or len(term.word) <= 2 for term in terms)


class _Sql(Func):
    """A Func whose SQL is a template over its compiled arguments, in order ({0}, {1}, ...)."""

    sql_template = ""

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]  # params as a list, as Django's own; the stubs say tuple
        pieces: list[str] = []
        params: list[Any] = []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            pieces.append(sql)
            params.extend(expression_params)
        return self.sql_template.format(*pieces), params


class SearchVectorColumn(Expression):
    """The stored `search_vector` column of the query's base table (product or supplier profile)."""

    output_field = TextField()  # a tsvector; never selected, only matched and ranked

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:  # type: ignore[override]  # params as a list, as Django's own; the stubs say tuple
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name('search_vector')}", []


class TextMatches(_Sql):
    """search_vector @@ tsquery: the GIN index on the stored vector finds the rows, nothing is recomputed."""

    sql_template = "{0} @@ ({1})::tsquery"
    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(SearchVectorColumn(), Value(tsquery))


class TextMatchesExactly(_Sql):
    """The same test as TextMatches, as a function call, which no index answers: a row filter after
    an index found the rows with a looser tsquery."""

    sql_template = "ts_match_vq({0}, ({1})::tsquery)"
    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(SearchVectorColumn(), Value(tsquery))


class TextRank(_Sql):
    """ts_rank of the stored vector for the tsquery, as double precision (exact in a page cursor)."""

    sql_template = "ts_rank({0}, ({1})::tsquery)::float8"
    output_field = FloatField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(SearchVectorColumn(), Value(tsquery))


class WordSimilar(_Sql):
    """word <% column: the word is close to some word of the column (pg_trgm, uses the trigram index)."""

    sql_template = "({0} <%% {1})"
    output_field = BooleanField()

    def __init__(self, word: str, column: str) -> None:
        super().__init__(Value(word), F(column))


class WordSimilarity(_Sql):
    sql_template = "word_similarity({0}, {1})::float8"
    output_field = FloatField()

    def __init__(self, word: str, column: str) -> None:
        super().__init__(Value(word), F(column))


def similarity_sum(words: list[str], column: str) -> Expression:
    total: Expression = WordSimilarity(words[0], column)
    for word in words[1:]:
        total = total + WordSimilarity(word, column)
    return total


class RowCompare(_Sql):
    """(column, column, ...) <op> (value, value, ...): a row comparison, which a B-tree index on those
    columns answers as one range (where `a < x OR (a = x AND b <= y)` would read every row of `a = x`)."""

    output_field = BooleanField()

    def __init__(self, columns: list[str], operator: str, values: list[Any], *, filtered: bool = False) -> None:
        """`filtered`: written so that no index answers it (`column + 0`: numeric columns only), for
        rows another index already bounds to a few thousand — checking each of them costs less than
        a bitmap of every row in the range (the planner, misled by the words' estimate, would build it)."""
        if operator not in ("<", "<=", ">", ">=") or len(columns) != len(values):
            raise ValueError("A row comparison needs one value per column and an order operator.")
        width = len(columns)
        left = ", ".join(f"({{{i}}} + 0)" if filtered else f"{{{i}}}" for i in range(width))
        right = ", ".join(f"{{{i}}}" for i in range(width, 2 * width))
        self.sql_template = f"(({left}) {operator} ({right}))"
        super().__init__(*(F(column) for column in columns), *(Value(value) for value in values))


class SortTokensMatch(_Sql):
    """The search table's row has the sort token (`u50`: lowest unit price at most 50; `q200`: MOQ at
    most 200; `l15`: lead time at most 15 days; `n202612`: created in December 2026, UTC; `bu6`: a
    lowest price in the finer bucket up to 6), as the second column of its GIN index computes them
    (migrations 0016 and 0018, `suppliers_sort_tokens_fine`): intersected with the words in the same
    index scan. `tsquery` is made of such tokens (`'n202612' | 'n202611'`, `'u5' | 'bu6'`)."""

    sql_template = "(suppliers_sort_tokens_fine({0}, {1}, {2}, {3}) @@ ({4})::tsquery)"
    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(F("min_unit_price"), F("moq"), F("lead_time_days"), F("created_at"), Value(tsquery))
