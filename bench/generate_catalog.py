"""Fill a PostgreSQL database with a realistic catalog at scale, for the search benchmark.

    .venv/bin/python bench/generate_catalog.py --database-url postgres://postgres@127.0.0.1:5432/sb_bench1m
    .venv/bin/python bench/generate_catalog.py --products 10000 --suppliers 500 --database-url .../sb_bench10k

Creates the database if it is missing, migrates it, then writes 741 belts, the demo category
tree, N suppliers (companies and profiles) and N products with Chinese and English titles, price
tiers and search text, with COPY. The search text is what `suppliers.search.index` would store:
the same `segment` function, with jieba's answer for each Chinese run computed once (titles and
descriptions are combinations of a few thousand pieces). The product table's secondary indexes
(the GIN full-text and trigram indexes among them) are dropped for the load and built afterwards;
foreign-key triggers are off during the load (the generator writes consistent ids). ANALYZE at
the end.

A database that holds anything but a previous benchmark catalog is refused unless --force:
the generator truncates the catalog tables.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER_TABLE = "bench_catalog_marker"
SEARCH_TABLE = "suppliers_productsearch"
BELTS = 741
CHUNK = 50_000
TIERS = ((1, Decimal("1.00")), (5, Decimal("0.93")), (20, Decimal("0.86")))
CENT = Decimal("0.01")

# Counties and towns with a province, for the belts that are not among the real demo belts.
PLACES = (
    ("义乌", "Yiwu", "zhejiang"),
    ("永康", "Yongkang", "zhejiang"),
    ("温州", "Wenzhou", "zhejiang"),
    ("慈溪", "Cixi", "zhejiang"),
    ("余姚", "Yuyao", "zhejiang"),
    ("诸暨", "Zhuji", "zhejiang"),
    ("海宁", "Haining", "zhejiang"),
    ("桐乡", "Tongxiang", "zhejiang"),
    ("东莞", "Dongguan", "guangdong"),
    ("佛山", "Foshan", "guangdong"),
    ("中山", "Zhongshan", "guangdong"),
    ("潮州", "Chaozhou", "guangdong"),
    ("揭阳", "Jieyang", "guangdong"),
    ("汕头", "Shantou", "guangdong"),
    ("晋江", "Jinjiang", "fujian"),
    ("石狮", "Shishi", "fujian"),
    ("莆田", "Putian", "fujian"),
    ("德化", "Dehua", "fujian"),
    ("苏州", "Suzhou", "jiangsu"),
    ("常熟", "Changshu", "jiangsu"),
    ("丹阳", "Danyang", "jiangsu"),
    ("南通", "Nantong", "jiangsu"),
    ("宿迁", "Suqian", "jiangsu"),
    ("白沟", "Baigou", "hebei"),
    ("清河", "Qinghe", "hebei"),
    ("安平", "Anping", "hebei"),
    ("辛集", "Xinji", "hebei"),
    ("临沂", "Linyi", "shandong"),
    ("即墨", "Jimo", "shandong"),
    ("曹县", "Caoxian", "shandong"),
    ("淄博", "Zibo", "shandong"),
    ("寿光", "Shouguang", "shandong"),
    ("许昌", "Xuchang", "henan"),
    ("漯河", "Luohe", "henan"),
    ("汉川", "Hanchuan", "hubei"),
    ("仙桃", "Xiantao", "hubei"),
    ("邵东", "Shaodong", "hunan"),
    ("浏阳", "Liuyang", "hunan"),
    ("南康", "Nankang", "jiangxi"),
    ("平乡", "Pingxiang", "hebei"),
    ("成都", "Chengdu", "sichuan"),
    ("重庆", "Chongqing", "chongqing"),
    ("容县", "Rongxian", "guangxi"),
    ("安溪", "Anxi", "fujian"),
)
BRANDS = (
    ("恒泰", "Hengtai"),
    ("鑫达", "Xinda"),
    ("华美", "Huamei"),
    ("绿源", "Lvyuan"),
    ("佳和", "Jiahe"),
    ("乐园", "Leyuan"),
    ("星辰", "Xingchen"),
    ("金狮", "Jinshi"),
    ("宏达", "Hongda"),
    ("瑞丰", "Ruifeng"),
    ("明亮", "Mingliang"),
    ("丰源", "Fengyuan"),
    ("安佳", "Anjia"),
    ("金龙", "Jinlong"),
    ("宝石", "Baoshi"),
    ("安保", "Anbao"),
    ("森林", "Senlin"),
    ("远航", "Yuanhang"),
    ("富康", "Fukang"),
    ("永盛", "Yongsheng"),
    ("天成", "Tiancheng"),
    ("博雅", "Boya"),
    ("新光", "Xinguang"),
    ("嘉禾", "Jiahe"),
    ("顺发", "Shunfa"),
    ("兴隆", "Xinglong"),
    ("海悦", "Haiyue"),
)
# Generic words sellers put before a title.
PREFIXES = (
    ("", ""),
    ("新款", "New"),
    ("爆款", "Best-selling"),
    ("外贸", "Export"),
    ("厂家直销", "Factory-direct"),
    ("定制", "Custom"),
    ("批发", "Wholesale"),
)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1_000_000, help="products to create (default %(default)s)")
    parser.add_argument("--suppliers", type=int, default=50_000, help="suppliers to create (default %(default)s)")
    parser.add_argument("--belts", type=int, default=BELTS, help="industrial belts (default %(default)s)")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", ""), help="PostgreSQL URL (default: DATABASE_URL)"
    )
    parser.add_argument("--seed", type=int, default=20250101, help="random seed, for the same catalog every time")
    parser.add_argument("--force", action="store_true", help="run even if the database holds other data")
    arguments = parser.parse_args(argv)
    if not arguments.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give a PostgreSQL --database-url (or set DATABASE_URL)")
    if arguments.products < 1 or arguments.suppliers < 1 or arguments.belts < 1:
        parser.error("--products, --suppliers and --belts must be at least 1")
    return arguments


class Timer:
    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()

    def step(self, label: str) -> None:
        now = time.perf_counter()
        print(f"  {label:<44} {now - self.last:8.1f} s   (total {now - self.started:7.1f} s)", flush=True)
        self.last = now


def _ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")
    connection.close()


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sourcebelt.settings")
    os.environ.setdefault("SECRET_KEY", "bench-catalog-generator-only")  # never serves a request
    import django

    django.setup()


# --- Text and its search tokens ---------------------------------------------------------------


def _segmenter() -> Callable[..., str]:
    """suppliers.search.segment.segment, with jieba's words of each Chinese run remembered.

    Titles and descriptions are built from a few thousand pieces, so after the first products
    jieba is never called again; the tokens are exactly what the application would store.
    """
    try:
        from suppliers.search import segment as module
    except ImportError:  # before the search work: plain jieba, as the brief's fallback
        import jieba

        def plain(*texts: str) -> str:
            return " ".join(word.lower() for text in texts for word in jieba.cut_for_search(text) if word.strip())

        return plain
    if hasattr(module, "_chinese_words"):
        module._chinese_words = cache(module._chinese_words)
    return module.segment


def _copy_text(value: Any) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if any(char in text for char in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy(cursor: Any, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY rows in chunks (bounded memory); returns how many."""
    count = 0
    buffer = io.StringIO()
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    def flush() -> None:
        buffer.seek(0)
        cursor.copy_expert(statement, buffer)
        buffer.seek(0)
        buffer.truncate()

    pending = 0
    for row in rows:
        buffer.write("\t".join(map(_copy_text, row)))
        buffer.write("\n")
        pending += 1
        if pending == CHUNK:
            flush()
            count += pending
            pending = 0
    if pending:
        flush()
        count += pending
    return count


# --- The database ------------------------------------------------------------------------------


def _refuse_real_data(cursor: Any, force: bool) -> None:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER_TABLE])
    if cursor.fetchone()[0]:
        return
    cursor.execute(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM marketplace_user LIMIT 1) u)"
        " + (SELECT count(*) FROM (SELECT 1 FROM marketplace_company LIMIT 1) c)"
        " + (SELECT count(*) FROM (SELECT 1 FROM suppliers_product LIMIT 1) p)"
    )
    if cursor.fetchone()[0] and not force:
        raise SystemExit(
            "This database holds users, companies or products that the benchmark generator did not write. "
            "It would truncate them: use a database of its own, or pass --force if you mean it."
        )


SECONDARY_INDEXES_SQL = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = %s AND NOT x.indisprimary AND NOT x.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
"""


# The definitions of the indexes dropped for the load, kept in the database until they are created
# again: a run that stops half-way (an error, Ctrl-C) leaves them there for the next run to create.
DROPPED_TABLE = "bench_dropped_indexes"


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """Drop the tables' secondary indexes; return their definitions to create them again (with those
    an earlier run dropped and never created)."""
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {DROPPED_TABLE} (definition text PRIMARY KEY)")
    for table in tables:
        cursor.execute(SECONDARY_INDEXES_SQL, [table])
        for name, definition in cursor.fetchall():
            cursor.execute(f"INSERT INTO {DROPPED_TABLE} VALUES (%s) ON CONFLICT DO NOTHING", [definition])  # noqa: S608 - our own table
            cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(f"SELECT definition FROM {DROPPED_TABLE} ORDER BY definition")  # noqa: S608 - our own table
    return [row[0] for row in cursor.fetchall()]


def _truncate(cursor: Any) -> None:
    cursor.execute(
        "TRUNCATE suppliers_pricetier, suppliers_productimage, suppliers_product, suppliers_catalogimport,"
        " suppliers_supplierprofile_main_categories, suppliers_productlinecapacity, suppliers_certification,"
        " suppliers_factoryphoto, suppliers_supplierprofile, marketplace_company,"
        " marketplace_industrialbelt_specialties, marketplace_industrialbelt RESTART IDENTITY CASCADE"
    )


def _seed_categories() -> dict[str, Any]:
    from marketplace.demo.categories import CATEGORY_TREE
    from marketplace.models import Category

    found: dict[str, Any] = {}

    def walk(nodes: list[Any], parent: Any) -> None:
        for position, (slug, name_en, name_zh, children) in enumerate(nodes):
            category, _ = Category.objects.update_or_create(
                slug=slug, defaults={"parent": parent, "name_en": name_en, "name_zh": name_zh, "position": position}
            )
            found[slug] = category
            walk(children, category)

    walk(CATEGORY_TREE, None)
    return found


def _category_texts(categories: dict[str, Any], segment: Callable[..., str]) -> dict[str, str]:
    """Each category's segmented names with its ancestors', as products_index_text orders them."""
    by_id = {category.pk: category for category in categories.values()}
    texts = {}
    for slug, category in categories.items():
        ids = [int(part) for part in category.path.split(".") if part]
        names = [name for pk in ids for name in (by_id[pk].name_en, by_id[pk].name_zh)]
        texts[slug] = segment(*names)
    return texts


class Belt:
    __slots__ = ("id", "line_categories", "name_en", "name_zh", "province", "slug", "text")

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self, name, value)


def _make_belts(count: int, rng: random.Random, categories: dict[str, Any]) -> list[Belt]:
    """The real demo belts first, then invented ones: a place and one product line each."""
    from marketplace.demo.belts import BELTS as REAL
    from suppliers.demo.products import LINES

    line_slugs = sorted({line.category for line in LINES})
    belts: list[Belt] = []
    for spec in REAL[:count]:
        own = [slug for slug in line_slugs if any(_is_under(categories, slug, s) for s in spec.specialties)]
        belts.append(
            Belt(
                slug=spec.slug,
                name_en=spec.name_en,
                name_zh=spec.name_zh,
                province=spec.province,
                line_categories=own or [rng.choice(line_slugs)],
            )
        )
    number = 0
    while len(belts) < count:
        place_zh, place_en, province = PLACES[number % len(PLACES)]
        slug = line_slugs[(number * 7 + number // len(PLACES)) % len(line_slugs)]
        category = categories[slug]
        belts.append(
            Belt(
                slug=f"bench-{number + 1:04d}-{place_en.lower()}-{slug}",
                name_en=f"{place_en} {category.name_en.lower()}",
                name_zh=f"{place_zh}{category.name_zh}",
                province=province,
                line_categories=[slug],
            )
        )
        number += 1
    return belts


def _is_under(categories: dict[str, Any], slug: str, root: str) -> bool:
    return root in categories and categories[slug].path.startswith(categories[root].path)


def _write_belts(cursor: Any, belts: list[Belt], categories: dict[str, Any], segment: Callable[..., str]) -> None:
    now = datetime.now(UTC)
    rows = (
        (
            index,
            belt.name_en,
            belt.name_zh,
            belt.slug,
            belt.province,
            belt.name_en.split(" ")[0],
            belt.name_zh[:2],
            f"The {belt.name_en} industrial belt.",
            f"{belt.name_zh}产业带。",
            "live",
            200 + index % 3000,
            None,
            None,
            None,
            now,
            now,
        )
        for index, belt in enumerate(belts, start=1)
    )
    _copy(
        cursor,
        "marketplace_industrialbelt",
        [
            "id",
            "name_en",
            "name_zh",
            "slug",
            "province",
            "city",
            "city_zh",
            "description_en",
            "description_zh",
            "status",
            "number_of_firms",
            "annual_output_cny",
            "employees",
            "export_share_percent",
            "created_at",
            "updated_at",
        ],
        iter(rows),
    )
    for index, belt in enumerate(belts, start=1):
        belt.id = index
        belt.text = segment(belt.name_en, belt.name_zh)
    _copy(
        cursor,
        "marketplace_industrialbelt_specialties",
        ["industrialbelt_id", "category_id"],
        ((belt.id, categories[slug].pk) for belt in belts for slug in belt.line_categories),
    )


class Supplier:
    __slots__ = ("belt", "id", "verified")

    def __init__(self, supplier_id: int, belt: Belt, verified: bool) -> None:
        self.id, self.belt, self.verified = supplier_id, belt, verified


def _write_suppliers(
    cursor: Any,
    count: int,
    belts: list[Belt],
    categories: dict[str, Any],
    category_texts: dict[str, str],
    segment: Callable[..., str],
    rng: random.Random,
) -> list[Supplier]:
    from suppliers.demo.products import lines_by_category

    lines = lines_by_category()
    now = datetime.now(UTC)
    suppliers = []
    companies = []
    profiles = []
    main_categories = []
    for supplier_id in range(1, count + 1):
        # Real belts are big: the first dozen get a fifth of the suppliers.
        belt = belts[rng.randrange(min(13, len(belts)))] if rng.random() < 0.2 else rng.choice(belts)
        brand_zh, brand_en = BRANDS[supplier_id % len(BRANDS)]
        slug = rng.choice(belt.line_categories)
        noun_zh, noun_en = lines[slug][0].nouns[0]
        place_en = belt.name_en.split(" ")[0]
        place_zh = belt.name_zh[:2]
        name = f"{place_en} {brand_en} {noun_en.title()} Co., Ltd. No. {supplier_id}"
        name_zh = f"{place_zh}{brand_zh}{noun_zh}有限公司{supplier_id}号"
        verified = rng.random() < 0.3
        business_type = rng.choices(["manufacturer", "trading", "both"], weights=[7, 2, 1])[0]
        description_en = f"We make {noun_en}s in the {belt.name_en} belt."
        description_zh = f"{belt.name_zh}产业带{noun_zh}生产厂家。"
        text = " ".join(
            (
                segment(name, name_zh, place_en, belt.name_en, belt.name_zh),
                category_texts[slug],
                segment(description_en, description_zh),
            )
        )
        companies.append((supplier_id, name, "CN", place_en, "", now, True))
        profiles.append(
            (
                supplier_id,
                supplier_id,
                name,
                name_zh,
                description_en,
                description_zh,
                1985 + supplier_id % 38,
                20 + supplier_id % 900,
                1000 + supplier_id % 40000,
                "US,GB,LK" if supplier_id % 3 == 0 else "",
                '["zh-hans", "en"]',
                belt.id,
                belt.province,
                place_en,
                business_type,
                "verified" if verified else "pending",
                rng.random() > 0.01,
                text,
                now,
                # A track record for about a third of them (ratings 3.0–5.0, on time 60–100 %).
                *(
                    (round(rng.uniform(3.0, 5.0), 2), rng.randint(1, 40), rng.randint(60, 100))
                    if rng.random() < 0.33
                    else (None, 0, None)
                ),
            )
        )
        main_categories.append((supplier_id, categories[slug].pk))
        suppliers.append(Supplier(supplier_id, belt, verified))
    _copy(
        cursor,
        "marketplace_company",
        ["id", "name", "country", "city", "website", "created_at", "sells"],
        iter(companies),
    )
    _copy(
        cursor,
        "suppliers_supplierprofile",
        [
            "id",
            "company_id",
            "name",
            "name_zh",
            "description_en",
            "description_zh",
            "year_founded",
            "staff_count",
            "factory_area_m2",
            "export_markets",
            "languages_spoken",
            "belt_id",
            "province",
            "city",
            "business_type",
            "verification_status",
            "is_active",
            "search_text",
            "created_at",
            "rating_average",
            "rating_count",
            "on_time_rate",
        ],
        iter(profiles),
    )
    _copy(
        cursor,
        "suppliers_supplierprofile_main_categories",
        ["supplierprofile_id", "category_id"],
        iter(main_categories),
    )
    return suppliers


PRODUCT_COLUMNS = [
    "id",
    "supplier_id",
    "sku",
    "title",
    "description",
    "category_id",
    "attributes",
    "unit",
    "moq",
    "currency_id",
    "lead_time_days",
    "monthly_capacity",
    "sample_available",
    "sample_price",
    "sample_days",
    "status",
    "belt_id",
    "province",
    "min_unit_price",
    "search_text",
    "created_at",
    "updated_at",
    "published_at",
]


def _products(
    count: int,
    suppliers: list[Supplier],
    categories: dict[str, Any],
    category_texts: dict[str, str],
    segment: Callable[..., str],
    rng: random.Random,
    tiers: list[tuple[int, int, int, str]],
) -> Iterator[tuple[Any, ...]]:
    """Product rows; appends each product's tiers (id, product id, quantity, price) to `tiers`."""
    from suppliers.demo.products import COLOURS, lines_by_category

    lines = lines_by_category()
    now = datetime.now(UTC)
    two_years = 2 * 365 * 24 * 3600
    attribute_cache: dict[int, tuple[str, str]] = {}
    title_cache: dict[tuple[str, str], str] = {}
    tier_id = 0
    for product_id in range(1, count + 1):
        supplier = suppliers[rng.randrange(len(suppliers))]
        slug = rng.choice(supplier.belt.line_categories)
        line = rng.choice(lines[slug])
        prefix_zh, prefix_en = rng.choice(PREFIXES)
        modifier_zh, modifier_en = rng.choice(line.modifiers)
        noun_zh, noun_en = rng.choice(line.nouns)
        colour_zh, colour_en = rng.choice(COLOURS) if rng.random() < 0.5 else ("", "")
        title_zh = f"{prefix_zh}{colour_zh}{modifier_zh}{noun_zh}"
        title_en = " ".join(filter(None, (prefix_en, colour_en, modifier_en, noun_en)))
        title = f"{title_zh} {title_en[0].upper()}{title_en[1:]}"
        sku = f"SB{supplier.id:05d}-{product_id:07d}"

        low, high = float(line.price_cny[0]), float(line.price_cny[1])
        price = Decimal(str(round(low + (high - low) * rng.random(), 2)))
        moq = line.moq * rng.choice((1, 1, 2, 5))
        lead_time = max(3, line.lead_time_days + rng.randrange(-5, 10))
        for factor, discount in TIERS:
            tier_id += 1
            tiers.append((tier_id, product_id, moq * factor, str((price * discount).quantize(CENT))))
        lowest = (price * TIERS[-1][1]).quantize(CENT)

        key = id(line)
        if key not in attribute_cache:
            pairs = [{"name": name, "value": value} for name, value in line.attributes]
            attribute_cache[key] = (
                json.dumps(pairs, ensure_ascii=False),
                segment(*(f"{name} {value}" for name, value in line.attributes)),
            )
        attributes_json, attributes_text = attribute_cache[key]
        belt = supplier.belt
        description = (
            f"{title_zh}，{belt.name_zh}工厂直供，起订量{moq}，{lead_time}天交货。\n"
            f"{title_en}, from a factory of the {belt.name_en} belt. MOQ {moq}, ready in {lead_time} days."
        )
        title_key = (title, "")
        title_text = title_cache.get(title_key)
        if title_text is None:
            title_text = title_cache[title_key] = segment(title)
        search_text = " ".join(
            filter(
                None,
                (title_text, segment(sku), attributes_text, category_texts[slug], belt.text, segment(description)),
            )
        )
        created = now - timedelta(seconds=rng.randrange(two_years))
        roll = rng.random()
        status = "published" if roll < 0.95 else ("draft" if roll < 0.98 else "archived")
        sample = rng.random() < 0.6
        yield (
            product_id,
            supplier.id,
            sku,
            title,
            description,
            categories[slug].pk,
            attributes_json,
            line.unit,
            moq,
            "CNY",
            lead_time,
            moq * rng.randrange(100, 1000),
            sample,
            str((price * 2).quantize(CENT)) if sample else None,
            rng.randrange(3, 10) if sample else None,
            status,
            belt.id,
            belt.province,
            str(lowest),
            search_text,
            created,
            created,
            created if status != "draft" else None,
        )


def generate(arguments: argparse.Namespace) -> None:
    _ensure_database(arguments.database_url)
    _setup_django(arguments.database_url)
    from django.core.management import call_command
    from django.db import connection

    timer = Timer()
    print(
        f"Generating {arguments.belts} belts, {arguments.suppliers} suppliers, {arguments.products} products "
        f"in {urlsplit(arguments.database_url).path.lstrip('/')}:",
        flush=True,
    )
    call_command("migrate", verbosity=0)
    timer.step("migrate")
    rng = random.Random(arguments.seed)
    segment = _segmenter()
    segment("预热 warm up")  # jieba loads its dictionary here, not inside a timed step
    with connection.cursor() as cursor:
        _refuse_real_data(cursor, arguments.force)
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = False
    cursor = raw.cursor()
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (generated_at timestamptz, products int)")
    _truncate(cursor)
    dropped = _drop_indexes(cursor, ["suppliers_product", "suppliers_pricetier", SEARCH_TABLE])
    raw.commit()
    timer.step(f"truncate, drop {len(dropped)} indexes")

    categories = _seed_categories()
    category_texts = _category_texts(categories, segment)
    cursor.execute("SET session_replication_role = replica")  # no FK triggers during the load
    belts = _make_belts(arguments.belts, rng, categories)
    _write_belts(cursor, belts, categories, segment)
    timer.step(f"{len(belts)} belts")
    suppliers = _write_suppliers(cursor, arguments.suppliers, belts, categories, category_texts, segment, rng)
    timer.step(f"{len(suppliers)} suppliers")

    tiers: list[tuple[int, int, int, str]] = []
    written = 0
    rows = _products(arguments.products, suppliers, categories, category_texts, segment, rng, tiers)
    while True:
        batch = [row for _, row in zip(range(CHUNK * 4), rows, strict=False)]
        if not batch:
            break
        written += _copy(cursor, "suppliers_product", PRODUCT_COLUMNS, iter(batch))
        _copy(cursor, "suppliers_pricetier", ["id", "product_id", "min_quantity", "unit_price"], iter(tiers))
        tiers.clear()
        print(f"    {written:>9} products", flush=True)
    timer.step(f"{written} products with {written * len(TIERS)} price tiers")
    cursor.execute("SET session_replication_role = DEFAULT")
    for table in ("marketplace_industrialbelt", "marketplace_company", "suppliers_supplierprofile"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608 - our own table names
    for table in ("suppliers_product", "suppliers_pricetier"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608 - our own table names
    raw.commit()
    # The search table (migration 0006): its triggers were off with the others during the load, so
    # it is filled here in one statement from its own definition, in creation order like a live table.
    cursor.execute(
        f"INSERT INTO {SEARCH_TABLE} SELECT * FROM {SEARCH_TABLE}_source ORDER BY created_at, product_id"  # noqa: S608 - our own table
    )
    raw.commit()
    timer.step(f"search table, {cursor.rowcount} rows")

    cursor.execute("SET maintenance_work_mem = '1GB'")
    for definition in dropped:
        cursor.execute(definition)
        cursor.execute(f"DELETE FROM {DROPPED_TABLE} WHERE definition = %s", [definition])  # noqa: S608 - our own table
        raw.commit()
        timer.step(f"index {definition.split(' ON ')[0].split()[-1]}")
    cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES (now(), %s)", [written])  # noqa: S608
    raw.commit()
    raw.autocommit = True
    # Their visibility maps and hint bits, as autovacuum keeps them on a live table: the sorts'
    # index-only scans read these two (the price at a quantity walks the tiers; without it a tier
    # walk fetched 97,000 heap rows).
    cursor.execute(f"VACUUM {SEARCH_TABLE}")
    cursor.execute("VACUUM suppliers_pricetier")
    cursor.execute("ANALYZE")
    timer.step("VACUUM search table and tiers, ANALYZE")
    print(f"Done in {time.perf_counter() - timer.started:.0f} s.", flush=True)


def main(argv: list[str] | None = None) -> None:
    generate(_arguments(argv))


if __name__ == "__main__":
    main()
