"""A small reader of gettext .po files for the catalogue tests (tests/test_translations.py, tests/test_glossary.py)."""

from __future__ import annotations


def po_blocks(po_text: str) -> list[dict[str, str]]:
    """Each entry of a .po text as its fields (`msgctxt`, `msgid`, `msgstr`, `msgstr[0]`...), comments
    left out and continued lines joined; the header is the entry with an empty msgid."""
    blocks: list[dict[str, str]] = []
    for block in po_text.split("\n\n"):
        fields: dict[str, str] = {}
        keyword = ""
        for line in block.strip().splitlines():
            line = line.strip()
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[keyword] = fields.get(keyword, "") + line[1:-1]
            elif " " in line:
                keyword, _, value = line.partition(" ")
                fields[keyword] = value.strip()[1:-1]
        if fields:
            blocks.append(fields)
    return blocks
