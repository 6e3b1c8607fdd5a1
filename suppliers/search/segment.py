"""Turning text, Chinese or not, into the words the search index holds — and queries into the same words.

PostgreSQL's text search splits on spaces and punctuation and knows nothing of Chinese, where words
are written without spaces. So every text is segmented here before it is stored in `search_text`:

- Traditional Chinese is first folded into Simplified (OpenCC's `t2s`), in texts and queries alike,
  so 書包 finds 书包 and the reverse (the search tokens are always simplified);

- each run of Chinese characters gives jieba's words (`cut_for_search`, which also yields the shorter
  words inside long ones), then every one of its characters, in order. The single characters make
  one-character queries (包) match, and, being consecutive, let a query word match as a phrase of
  characters (书 <-> 包) even where jieba cut the stored text differently;
- everything else gives lower-cased words of letters and digits; a chunk such as a SKU "BG-2024-001"
  gives its parts ("bg", "2024", "001") and the chunk as one token without separators ("bg2024001").

The tokens contain only letters, digits and Chinese characters, so PostgreSQL's parser keeps each
one as one lexeme, and a query can name them in a tsquery literally. Queries are segmented by the
same `tokens` function (see `query_terms`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import jieba
from opencc import OpenCC

# CJK unified ideographs (with extension A) and compatibility ideographs.
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r"\S+")

MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 12


@cache
def _jieba() -> jieba.Tokenizer:
    """jieba's dictionary, loaded once per process and quietly (it logs its loading otherwise)."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


@cache
def _t2s() -> OpenCC:
    """OpenCC's traditional-to-simplified converter, its dictionaries loaded once per process."""
    return OpenCC("t2s")


def segmenter_load() -> None:
    """Load jieba's dictionary and OpenCC's now, not in the first search: gunicorn calls this in its
    master before it forks the workers (sourcebelt/gunicorn_conf.py), which then share the loaded
    dictionaries (copy-on-write) instead of each loading its own in its first request (~1.2 s)."""
    tokens("预热 warm up 書包")


def simplified(text: str) -> str:
    """`text` with its traditional Chinese characters and phrases written in simplified ones."""
    return _t2s().convert(text)


def _normalised(text: str) -> str:
    # NFKC folds full-width latin (ＰＶＣ) and digits into ASCII, which Chinese input methods produce.
    return unicodedata.normalize("NFKC", text).lower()


def normalised_query(query: str) -> str:
    """The query as it is searched: folded (NFKC), in lower case, cut at MAX_QUERY_LENGTH, spaces collapsed."""
    return " ".join(_normalised(query or "")[:MAX_QUERY_LENGTH].split())


def _latin_tokens(text: str) -> Iterator[str]:
    for chunk in _CHUNK.findall(text):
        words = _WORD.findall(chunk)
        yield from words
        if len(words) > 1:
            yield "".join(words)


def _pieces(text: str) -> Iterator[tuple[bool, str]]:
    """The text cut into (is_chinese, piece) in order, the Chinese pieces in simplified characters."""
    position = 0
    for match in _CJK_RUN.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, simplified(match.group())
        position = match.end()
    if position < len(text):
        yield False, text[position:]


def _chinese_words(run: str) -> list[str]:
    return [word for word in _jieba().cut_for_search(run) if len(word) > 1 and _CJK_RUN.fullmatch(word)]


def tokens(text: str) -> list[str]:
    """The search tokens of a text, in order (words may repeat)."""
    result: list[str] = []
    for is_chinese, piece in _pieces(_normalised(text or "")):
        if is_chinese:
            result += _chinese_words(piece)
            result += list(piece)
        else:
            result += _latin_tokens(piece)
    return result


def segment(*texts: str) -> str:
    """The search text of some texts: their tokens joined by spaces."""
    return " ".join(token for text in texts for token in tokens(text))


@dataclass(frozen=True)
class QueryTerm:
    """One word a result must contain.

    A Chinese word matches as the segmented word or as its characters next to each other; a latin
    word matches any stored word it begins ("backp" finds "backpacks").
    """

    word: str
    chinese: bool

    @property
    def characters(self) -> tuple[str, ...]:
        return tuple(self.word) if self.chinese else ()


def query_terms(query: str) -> list[QueryTerm]:
    """The words of a search query, each once, at most MAX_QUERY_TERMS of them."""
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for is_chinese, piece in _pieces(_normalised(query or "")[:MAX_QUERY_LENGTH]):
        if is_chinese:
            words = _chinese_words(piece)
            # A single character, or characters jieba does not join, are searched as they are.
            covered = set("".join(words))
            words += [char for char in piece if char not in covered]
        else:
            words = list(_latin_tokens(piece))
        for word in words:
            if word not in seen:
                seen.add(word)
                terms.append(QueryTerm(word=word, chinese=is_chinese))
    return terms[:MAX_QUERY_TERMS]


# The longest word whose misspellings are looked for. Catalog words are shorter (the longest English
# words of the demo and the generator's lists have under 20 letters); a trigram look-up of a long
# "word" reads a posting list per trigram (a 200-letter one ran into the anonymous request's budget).
FUZZY_WORD_MAX_LENGTH = 30
# The shortest a query needs one of: a word of one or two letters has two or three trigrams, which
# most titles share ("or" of "' OR 1=1 --" at 100 units: its look-up read most titles of 1M, 0.54 s,
# to match none). Beside a longer word it stays, each title like both (as "xl" in "backpak xl").
FUZZY_WORD_MIN_LENGTH = 3


def latin_words(query: str) -> list[str]:
    """The non-Chinese words of a query, for fuzzy matching of misspellings; none when a word is
    longer than any catalog word (FUZZY_WORD_MAX_LENGTH): that is not a misspelling; none either when
    every word is shorter than FUZZY_WORD_MIN_LENGTH (every title is like them)."""
    words = [term.word for term in query_terms(query) if not term.chinese and not term.word.isdigit()]
    if any(len(word) > FUZZY_WORD_MAX_LENGTH for word in words):
        return []
    if all(len(word) < FUZZY_WORD_MIN_LENGTH for word in words):
        return []
    return words
