"""The SQL of PostgreSQL text search and trigram matching, written so the indexes are used.

The indexes of migration 0003 are on exactly `to_tsvector('simple'::regconfig, search_text)` (partial:
WHERE status = 'published') and on `title gin_trgm_ops`. Django's SearchVector wraps its column in
COALESCE and would miss them, so these expressions write the indexed expression themselves.
The tsquery is built in Python from segmented words (see `tsquery_text`) and passed as a parameter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Expression, F, FloatField, Func, Value

from suppliers.search.segment import QueryTerm


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(terms: list[QueryTerm]) -> str:
    """A tsquery: every term must match (AND).

    A Chinese word matches as the segmented word or as its characters in a row ('书包' | '书' <-> '包');
    a latin word as a prefix ('backp':*).
    """
    parts = []
    for term in terms:
        if not term.chinese:
            parts.append(f"{_lexeme(term.word)}:*")
        elif len(term.word) == 1:
            parts.append(_lexeme(term.word))
        else:
            phrase = " <-> ".join(_lexeme(char) for char in term.characters)
            parts.append(f"({_lexeme(term.word)} | {phrase})")
    return " & ".join(parts)


class _Sql(Func):
    """A Func whose SQL is a template over its compiled arguments, in order ({0}, {1}, ...)."""

    sql_template = ""

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        pieces: list[str] = []
        params: list[Any] = []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            pieces.append(sql)
            params.extend(expression_params)
        return self.sql_template.format(*pieces), params


class TextMatches(_Sql):
    """search_text @@ tsquery, on the indexed expression."""

    sql_template = "to_tsvector('simple'::regconfig, {0}) @@ ({1})::tsquery"
    output_field = BooleanField()

    def __init__(self, tsquery: str, column: str = "search_text") -> None:
        super().__init__(F(column), Value(tsquery))


class TextRank(_Sql):
    """ts_rank of the search text for the tsquery, as double precision (exact in a page cursor)."""

    sql_template = "ts_rank(to_tsvector('simple'::regconfig, {0}), ({1})::tsquery)::float8"
    output_field = FloatField()

    def __init__(self, tsquery: str, column: str = "search_text") -> None:
        super().__init__(F(column), Value(tsquery))


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
