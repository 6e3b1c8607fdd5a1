"""How far apart two words are: the edit distance that decides what counts as a misspelling.

One edit for words of up to five letters, two for longer ones; a swap of neighbours counts as one
edit ("bakcpack" is one edit from "backpack"). Used by the catalog's spelling corrections
(`spelling`) and by the SQLite demo's close-word match (`sqlite_words`); no Django here, so the
SQLite function can be registered before the apps are loaded.
"""

from __future__ import annotations


def allowed_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """The optimal-string-alignment (Damerau-Levenshtein) distance of a and b, or None when over `limit`."""
    if abs(len(a) - len(b)) > limit:
        return None
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
            return None
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else None
