"""Misspellings forgiven on the SQLite demo database too (suppliers/search/sqlite_words.py).

The suite runs on PostgreSQL; this test runs the search in a subprocess whose DATABASE_URL is a
fresh SQLite file, as `make demo` does, with the search catalog of tests/suppliers/builders_search.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from suppliers.search.sqlite_words import words_close

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from suppliers.search.service import search_products
from tests.suppliers.builders_search import search_catalog
search_catalog()
answers = {}
for query in ["backpak", "backpack", "bakcpack", "hnadbag", "xylophone"]:
    result = search_products(query=query)
    answers[query] = {"titles": [product.title for product in result.items], "fuzzy": result.fuzzy}
# With the catalog's vocabulary (seed_demo refreshes it), misspelt words are corrected first.
from suppliers.search.spelling import vocabulary_refresh
vocabulary_refresh()
for query in ["cnavas hikign", "plsuh", "双间包"]:
    result = search_products(query=query)
    titles = [product.title for product in result.items]
    answers["corrected " + query] = {"titles": titles, "as": result.corrected_query}
print(json.dumps(answers))
"""


def test_cross_border_close_words_allow_one_edit_in_short_words_and_two_in_long_ones() -> None:
    assert words_close("backpak", "Canvas hiking backpack")
    assert words_close("bakcpack", "Canvas hiking backpack"), "two letters swapped are one edit"
    assert words_close("handbga", "Ladies handbag")
    assert words_close("bin", "Waste sorting bins")
    assert not words_close("bag", "Waste sorting bins")
    assert not words_close("xylophone", "Canvas hiking backpack")


def test_cross_border_a_misspelt_word_finds_backpacks_on_the_sqlite_demo_database(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DEBUG": "true",
        "SECRET_KEY": "x",
        "DJANGO_SETTINGS_MODULE": "sourcebelt.settings",
    }
    environment.pop("REDIS_URL", None)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-3000:]
    answers = json.loads(run.stdout.strip().splitlines()[-1])

    assert answers["backpak"] == {"titles": ["Canvas hiking backpack"], "fuzzy": True}
    assert answers["bakcpack"] == {"titles": ["Canvas hiking backpack"], "fuzzy": True}
    assert answers["hnadbag"] == {"titles": ["女士手提包 Ladies handbag"], "fuzzy": True}
    assert "Canvas hiking backpack" in answers["backpack"]["titles"]
    assert answers["xylophone"]["titles"] == []
    assert answers["corrected cnavas hikign"] == {"titles": ["Canvas hiking backpack"], "as": "canvas hiking"}
    assert answers["corrected plsuh"] == {"titles": [], "as": None}
    assert answers["corrected 双间包"]["as"] == "双肩包"
    assert set(answers["corrected 双间包"]["titles"]) == {"透明PVC学生书包", "Canvas hiking backpack"}
