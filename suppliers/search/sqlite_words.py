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

from suppliers.search.edits import allowed_edits, edit_distance

FUNCTION = "sb_word_close"
_WORD = re.compile(r"[^\W_]+")


def words_close(word: str | None, text: str | None) -> int:
    if not word or not text:
        return 0
    word = word.lower()
    limit = allowed_edits(word)
    return int(any(edit_distance(word, other, limit) is not None for other in _WORD.findall(text.lower())))


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
