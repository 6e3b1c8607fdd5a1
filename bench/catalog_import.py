"""Benchmark of the catalog import: a 10,000-row CSV checked and imported, then imported again.

    DATABASE_URL=postgres://... .venv/bin/python bench/catalog_import.py [--rows 10000] [--keep]

Runs against the (migrated) database DATABASE_URL names, with the import task's service called
directly (as an eager task would): no worker is needed. It creates its own supplier ("Bench
import factory") and category, generates the file (Chinese and English titles, three price
tiers, attributes), and prints the time of each step and rows per second:

1. upload: reading the file and validating every row (what the supplier waits for on upload);
2. first run: every row creates a product (bulk inserts, tiers, search text);
3. second run: the same file again, every row updates a product by SKU.

The target of issue 3: a 10,000-row file imports (upload + run) in under a minute on this machine.
The bench supplier's products are deleted at the start, and at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="sourcebelt-bench-media-"))

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from marketplace.models import Category, Company, Currency  # noqa: E402
from suppliers.catalog_files import COLUMNS  # noqa: E402
from suppliers.models import CatalogImport, Product, SupplierProfile  # noqa: E402
from suppliers.services.imports import catalog_import_run, catalog_import_upload  # noqa: E402

BENCH_SUPPLIER = "Bench import factory"
BENCH_CATEGORY = "bench-import-backpacks"
WORDS = [
    ("Transparent PVC school backpack", "透明PVC书包"),
    ("Nylon laptop backpack", "尼龙电脑双肩包"),
    ("Canvas tote bag", "帆布托特包"),
    ("Waterproof hiking backpack", "防水登山包"),
    ("Kids cartoon school bag", "儿童卡通书包"),
]
COLOURS = ["black", "navy", "clear", "pink", "grey", "红色", "蓝色"]


def bench_supplier() -> tuple[SupplierProfile, Category]:
    Currency.objects.get_or_create(code="CNY", defaults={"name": "Chinese yuan", "symbol": "¥"})
    category, _created = Category.objects.get_or_create(
        slug=BENCH_CATEGORY, defaults={"name_en": "Bench backpacks", "name_zh": "基准书包"}
    )
    supplier = SupplierProfile.objects.filter(name=BENCH_SUPPLIER).first()
    if supplier is None:
        company = Company.objects.create(name=BENCH_SUPPLIER, country="CN", city="Baoding", sells=True)
        supplier = SupplierProfile.objects.create(
            company=company, name=BENCH_SUPPLIER, province="hebei", city="Baoding"
        )
    return supplier, category


def catalog_csv(rows: int, *, seed: int = 3) -> bytes:
    chance = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for number in range(rows):
        english, chinese = chance.choice(WORDS)
        moq = chance.choice([100, 200, 300, 500, 1000])
        price = chance.randint(800, 6000) / 100
        writer.writerow(
            [
                f"BENCH-{number:06d}",
                f"{english} {chinese} {number}",
                f"{english}, factory direct. {chinese},工厂直销,支持定制。",
                BENCH_CATEGORY,
                "piece",
                moq,
                "CNY",
                chance.randint(7, 45),
                f"{moq}:{price:.2f}; {moq * 5}:{price * 0.95:.2f}; {moq * 20}:{price * 0.9:.2f}",
                f"material=PVC; colour={chance.choice(COLOURS)}; size={chance.randint(30, 50)} cm",
                chance.choice(["", "50000", "200000"]),
                chance.choice(["yes", "no"]),
                "30",
                "5",
                "draft",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def timed_upload(supplier: SupplierProfile, content: bytes) -> tuple[CatalogImport, float]:
    started = time.perf_counter()
    catalog_import = catalog_import_upload(
        supplier=supplier, user=None, upload=SimpleUploadedFile("bench.csv", content, content_type="text/csv")
    )
    return catalog_import, time.perf_counter() - started


def timed_run(catalog_import: CatalogImport) -> tuple[CatalogImport, float]:
    started = time.perf_counter()
    finished = catalog_import_run(import_id=catalog_import.pk)
    elapsed = time.perf_counter() - started
    assert finished is not None
    assert finished.status == CatalogImport.Status.DONE, finished.failure_reason
    return finished, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench supplier's products afterwards")
    arguments = parser.parse_args()

    supplier, _category = bench_supplier()
    Product.objects.filter(supplier=supplier).delete()
    content = catalog_csv(arguments.rows)
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    print(f"file: {arguments.rows:,} rows, {len(content) / 1024 / 1024:.1f} MB CSV")

    slowest = 0.0
    for label in ("first import (creates)", "second import (updates)"):
        catalog_import, checking = timed_upload(supplier, content)
        assert catalog_import.status == CatalogImport.Status.READY, catalog_import.errors[:3]
        finished, running = timed_run(catalog_import)
        both = checking + running
        slowest = max(slowest, both)
        print(
            f"{label}: check {checking:.1f} s ({arguments.rows / checking:,.0f} rows/s), "
            f"run {running:.1f} s ({arguments.rows / running:,.0f} rows/s), "
            f"total {both:.1f} s ({arguments.rows / both:,.0f} rows/s); "
            f"created {finished.created_count:,}, updated {finished.updated_count:,}"
        )
    verdict = "OK" if slowest < 60 else "TOO SLOW"
    print(f"target: a 10,000-row import (check + run) under 60 s; slowest here {slowest:.1f} s: {verdict}")

    if not arguments.keep:
        Product.objects.filter(supplier=supplier).delete()
        for catalog_import in CatalogImport.objects.filter(supplier=supplier):
            catalog_import.file.delete(save=False)
        CatalogImport.objects.filter(supplier=supplier).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
