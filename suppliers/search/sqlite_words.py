"""Misspellings forgiven on SQLite (the demo), where PostgreSQL's trigram similarity does not exist.

`words_close(word, text)` is registered on every SQLite connection as the SQL function
`sb_word_close`: 1 when some word of `text` is within a small edit distance of `word` (one edit for
words of up to five letters, two for longer ones; a swap of neighbours counts as one edit), else 0.
`WordClose` names it in a query. Like the trigram level on PostgreSQL, it is tried only when the
strict match finds fewer than FUZZY_BELOW products (suppliers/search/words.py).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import BooleanField, F, Func, Value

FUNCTION = "sb_word_close"
_WORD = re.compile(r"[^\W_]+")


def _allowed_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _within(a: str, b: str, limit: int) -> bool:
    """Whether the optimal-string-alignment (Damerau-Levenshtein) distance of a and b is <= limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def words_close(word: str | None, text: str | None) -> int:
    if not word or not text:
        return 0
    word = word.lower()
    limit = _allowed_edits(word)
    return int(any(_within(word, other, limit) for other in _WORD.findall(text.lower())))


def register(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On `connection_created`: give a new SQLite connection the function (PostgreSQL has pg_trgm)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 2, words_close, deterministic=True)


class WordClose(Func):
    """sb_word_close(word, column) = 1: some word of the column is close to `word` (SQLite only)."""

    function = FUNCTION
    output_field = BooleanField()

    def __init__(self, word: str, column: str) -> None:
        super().__init__(Value(word), F(column))
