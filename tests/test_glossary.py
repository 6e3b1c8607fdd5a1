"""The Simplified Chinese catalogue follows the glossary of trade terms in docs/glossary.md.

The glossary's table names each English term, the Chinese it is translated with (one or more
accepted forms) and the renderings it must not have. For every entry of
locale/zh_Hans/LC_MESSAGES/django.po whose msgid uses the term as a word, the msgstr must contain
one of the accepted forms and none of the rejected ones. Placeholders (`%(supplier)s`), markup,
`<code>` and quoted API values (“rfq”) are not words of the sentence and are skipped. A few
entries use a term in another sense; they are listed in EXCEPTIONS with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.po import po_blocks

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "docs" / "glossary.md"
CATALOGUES = [ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / name for name in ("django.po", "djangojs.po")]

# (term, msgid): the msgid uses the term in a sense the glossary's row does not cover; an entry with a
# message context is named "[context] msgid".
RATE_QUOTE = "the quote currency of an exchange rate, beside its base currency: 计价币种"
CONTRACT_PARTIES = "the signature block of a printed order: the contract's parties are 买方 and 卖方"
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("sample", "Download a sample file"): "an example file, not a product sample (示例文件)",
    ("quote", "[exchange rate] quote"): RATE_QUOTE,
    ("quote", "Quote currency"): RATE_QUOTE,
    ("due", "[payment status] Due"): "the status of a payment not made yet: 待付款",
    ("due", "matching due"): "a time the worker is scheduled to act, not a deadline: 时间",
    ("due", "next attempt due"): "a time the worker is scheduled to act, not a deadline: 时间",
    ("buyer", "For the buyer"): CONTRACT_PARTIES,
    ("supplier", "For the supplier"): CONTRACT_PARTIES,
    ("buyer", "buyer or supplier: your company's side of the order."): "the API's values, kept in English",
    ("supplier", "buyer or supplier: your company's side of the order."): "the API's values, kept in English",
    ("MOQ", "Unknown sort order “{input}”: use relevance, price, newest, moq or lead_time."): (
        "the API's values, kept in English"
    ),
    ("MOQ", "The order applied: relevance, price, newest, moq or lead_time."): "the API's values, kept in English",
}

NOT_WORDS = re.compile(
    r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|<code>.*?</code>|<[^>]+>|“[a-z_]+”|`[^`]*`|\?[a-z_]+=|[a-z]+_[a-z_]+|[a-z]+\.[a-z_.]+"
)


@dataclass(frozen=True)
class Term:
    english: str
    chinese: tuple[str, ...]
    rejected: tuple[str, ...]

    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"\b{re.escape(self.english)}(s|es)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgstr: str

    @property
    def name(self) -> str:
        return f"[{self.context}] {self.msgid}" if self.context else self.msgid


def forms(cell: str) -> tuple[str, ...]:
    return tuple(form.strip() for form in cell.split("/") if form.strip() and form.strip() != "—")


def glossary_terms(text: str) -> list[Term]:
    """The rows of the table under "## Terms": | English | Chinese | not | notes |."""
    section = text.split("## Terms", 1)[1].split("\n## ", 1)[0]
    terms = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 3 or cells[0] in {"English", ""} or set(cells[0]) <= {"-"}:
            continue
        terms.append(Term(english=cells[0], chinese=forms(cells[1]), rejected=forms(cells[2])))
    return terms


def po_entries(po_text: str) -> list[Entry]:
    entries = []
    for fields in po_blocks(po_text):
        if fields.get("msgid"):
            for keyword, value in fields.items():
                if keyword.startswith("msgstr"):
                    entries.append(Entry(context=fields.get("msgctxt"), msgid=fields["msgid"], msgstr=value))
    return entries


def departures(terms: list[Term], entries: list[Entry]) -> list[str]:
    found = []
    for term in terms:
        pattern = term.pattern()
        for entry in entries:
            if not entry.msgstr or not pattern.search(NOT_WORDS.sub(" ", entry.msgid)):
                continue
            if (term.english, entry.name) in EXCEPTIONS:
                continue
            if not any(form in entry.msgstr for form in term.chinese):
                found.append(f"  {entry.msgid!r} => {entry.msgstr!r}: “{term.english}” is {' / '.join(term.chinese)}")
            for form in term.rejected:
                if form in entry.msgstr:
                    found.append(f"  {entry.msgid!r} => {entry.msgstr!r}: “{term.english}” is not {form}")
    return found


def test_cross_border_the_chinese_catalogue_follows_the_glossary() -> None:
    terms = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
    assert len(terms) >= 15, "docs/glossary.md has lost its table of terms"
    entries = [entry for po in CATALOGUES if po.exists() for entry in po_entries(po.read_text(encoding="utf-8"))]
    found = departures(terms, entries)
    assert not found, (
        f"{len(found)} translations depart from docs/glossary.md (translate them with the glossary's "
        "Chinese, or add the entry to EXCEPTIONS in this file with the reason):\n" + "\n".join(found)
    )


def test_cross_border_every_exception_to_the_glossary_is_still_in_the_catalogue() -> None:
    names = {entry.name for po in CATALOGUES if po.exists() for entry in po_entries(po.read_text(encoding="utf-8"))}
    stale = sorted(msgid for _, msgid in EXCEPTIONS if msgid not in names)
    assert not stale, f"These exceptions name strings the catalogue no longer has: {stale}"


def test_cross_border_the_glossary_check_sees_a_wrong_word() -> None:
    terms = [Term(english="origin", chinese=("产地",), rejected=("发货地",))]
    entries = [
        Entry(context=None, msgid="Origin", msgstr="发货地"),
        Entry(context=None, msgid="Country of origin", msgstr="产地国"),
        Entry(context=None, msgid="The %(origin)s file", msgstr="%(origin)s 文件"),
    ]
    assert departures(terms, entries) == [
        "  'Origin' => '发货地': “origin” is 产地",
        "  'Origin' => '发货地': “origin” is not 发货地",
    ]


def test_cross_border_no_translation_says_ni_to_the_reader() -> None:
    """The reader is addressed as 您 everywhere, never 你 (nor 你们)."""
    entries = [entry for po in CATALOGUES if po.exists() for entry in po_entries(po.read_text(encoding="utf-8"))]
    familiar = [f"  {entry.msgid!r} => {entry.msgstr!r}" for entry in entries if "你" in entry.msgstr]
    assert not familiar, f"{len(familiar)} translations address the reader as 你 instead of 您:\n" + "\n".join(familiar)
