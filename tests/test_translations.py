"""Simplified Chinese ships complete: a string without its translation fails the suite.

The check runs `makemessages` on a copy of the source, exactly as `make messages` would, so a new
string in a template or in Python shows up as untranslated here before anyone has to remember to
run it. It also checks that the committed .mo catalogue is the compiled form of the committed .po,
since Django reads only the .mo.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.po import po_blocks

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans"
MESSAGES = Path("locale") / LOCALE / "LC_MESSAGES"
# The same --ignore patterns as the Makefile's `messages` target.
IGNORE = [".venv/*", "var/*"]
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "var", "node_modules", "__pycache__", ".ruff_cache", "*.pyc")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="sourcebelt.settings")
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def require_committed_catalogue(domain: str = "django") -> Path:
    po = ROOT / MESSAGES / f"{domain}.po"
    if not po.exists():
        pytest.fail(
            f"{po.relative_to(ROOT)} does not exist: there is no Simplified Chinese translation. "
            "Run `make messages`, translate every entry in that file, and run `make messages` again "
            "to compile it."
        )
    return po


def msgids(po_text: str) -> list[str]:
    """The msgids of the entries in a .po text (with `msgctxt` shown as a prefix), header excluded."""
    entries: list[str] = []
    for fields in po_blocks(po_text):
        msgid = fields.get("msgid", "")
        if msgid:
            context = fields.get("msgctxt")
            entries.append(f"[{context}] {msgid}" if context else msgid)
    return entries


def test_every_interface_string_has_a_chinese_translation(tmp_path: Path) -> None:
    committed = require_committed_catalogue()
    copy = tmp_path / "source"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE)

    ignores = [f"--ignore={pattern}" for pattern in IGNORE]
    run([sys.executable, "manage.py", "makemessages", "-l", LOCALE, "--no-obsolete", *ignores], cwd=copy)
    po = copy / MESSAGES / "django.po"

    untranslated = msgids(run(["msgattrib", "--untranslated", "--no-wrap", str(po)], cwd=copy).stdout)
    fuzzy = msgids(run(["msgattrib", "--only-fuzzy", "--no-wrap", str(po)], cwd=copy).stdout)

    problems = [f"  untranslated: {text!r}" for text in untranslated] + [f"  fuzzy: {text!r}" for text in fuzzy]
    assert not problems, (
        f"{len(problems)} interface strings lack a checked Simplified Chinese translation in "
        f"{committed.relative_to(ROOT)} (run `make messages`, translate them, remove the fuzzy flags, "
        "and run `make messages` again):\n" + "\n".join(problems)
    )


def test_the_committed_catalogues_are_compiled(tmp_path: Path) -> None:
    require_committed_catalogue()
    for po in sorted((ROOT / MESSAGES).glob("*.po")):
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run `make messages` to compile {po.name}."
        fresh = tmp_path / mo.name
        run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], cwd=tmp_path)
        with mo.open("rb") as committed_file, fresh.open("rb") as fresh_file:
            committed_catalogue = gettext.GNUTranslations(committed_file)._catalog  # type: ignore[attr-defined]
            fresh_catalogue = gettext.GNUTranslations(fresh_file)._catalog  # type: ignore[attr-defined]
        differing = sorted(
            str(key)
            for key in set(committed_catalogue) | set(fresh_catalogue)
            if committed_catalogue.get(key) != fresh_catalogue.get(key)
        )
        assert not differing, (
            f"{mo.relative_to(ROOT)} is out of date with {po.name} (run `make messages`); it differs for: "
            + ", ".join(differing[:20])
        )


def test_the_po_reader_finds_untranslated_entries() -> None:
    """The reader the checks rely on: header skipped, wrapped and contextual msgids joined."""
    po_text = (
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: templates/base.html:10\nmsgid "Log out"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n\n'
        'msgid ""\n"A long "\n"sentence"\nmsgstr ""\n'
    )
    assert msgids(po_text) == ["Log out", "[menu] Open", "A long sentence"]
