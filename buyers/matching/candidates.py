"""Candidate suppliers of an RFQ and their facts, gathered in the database in a fixed number of queries.

The prefilter (docs/matching.md): active suppliers that work in the RFQ's category subtree —
published products there, a product line (ProductLineCapacity) there, or one of their main
categories there. Everything a score needs is aggregated in SQL, grouped by supplier, never one
query per supplier: the subtree's ids; the belts specialised in the category; per supplier its
products' count, lowest MOQ, fastest lead time and largest capacity with its profile facts (from
the small `SupplierCategoryFacts` table, joined to the profiles, for the category's candidates;
from the products themselves for named suppliers); its product lines' capacity; its main
categories. Then the RFQ's words are matched for the best candidates only (by the score they would
get if all their products matched): on PostgreSQL from the words stored on the facts rows
(`buyers.matching.words`, no product row read), elsewhere on a bounded sample of the products.
See docs/matching.md.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Cast

from buyers.matching.scoring import BELT_BELOW_CATEGORY, BELT_IN_CATEGORY, BeltFacts, Scorer, Signals, SupplierFacts
from buyers.matching.words import RowMatches, facts_word_matches, word_tokens
from buyers.models import SourcingRequest, SupplierCategoryFacts
from marketplace.models import Category, IndustrialBelt, Membership
from suppliers.models import Product, ProductLineCapacity, SupplierProfile
from suppliers.search.expressions import TextMatches, tsquery_text
from suppliers.search.segment import QueryTerm
from suppliers.search.words import text_filter_fallback

# The profile facts read with the category's candidates (`candidate_querysets`).
PROFILE_FIELDS = (
    "supplier__company_id",
    "supplier__belt_id",
    "supplier__verification_status",
    "supplier__response_rate",
    "supplier__response_median_minutes",
    "supplier__rating_average",
    "supplier__rating_count",
    "supplier__on_time_rate",
)
# More candidates than this are cut (those with the most products in the category kept).
CANDIDATE_LIMIT = 5000
# At most this many matching product rows are read to count each supplier's matching products.
WORD_SAMPLE = 1000
# The RFQ's words used to recognise matching products (title words come first in search_text).
MAX_TERMS = 12

_CHINESE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
# Words that say nothing about what is wanted ("50,000 pieces for schools, please quote").
_STOP_WORDS_TEXT = """a an and any are as at be by can for from have in is it of on or our per please quote quotes
the to we with need needed want wanted looking request pcs pc piece pieces unit units set sets
order qty quantity price prices best new urgent urgently within days weeks good quality high cheap"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass
class Candidates:
    """The suppliers to score for an RFQ, and the belts specialised in its category.

    `signals`: what the RFQ's scorer (`candidates_for`'s `scorer`) computed of candidates whose
    facts were final (their words matched), by supplier: scoring them again reuses them.
    """

    suppliers: dict[int, SupplierFacts]
    belts: dict[int, BeltFacts]
    signals: dict[int, Signals] = field(default_factory=dict)


def rfq_terms(search_text: str) -> list[QueryTerm]:
    """The words of an RFQ's stored search text that name what is wanted, each once, at most MAX_TERMS.

    Chinese: the segmented words, plus single characters no word covers; latin: words of two
    letters or more that are not numbers or stop words.
    """
    tokens = (search_text or "").split()
    words = [token for token in tokens if _CHINESE.match(token) and len(token) > 1]
    covered = set("".join(words))
    terms: list[QueryTerm] = []
    seen: set[str] = set()
    for token in tokens:
        chinese = bool(_CHINESE.match(token))
        if chinese:
            if len(token) == 1 and token in covered:
                continue
        elif len(token) < 2 or token.isdigit() or token in STOP_WORDS:
            continue
        if token in seen:
            continue
        seen.add(token)
        terms.append(QueryTerm(word=token, chinese=chinese))
        if len(terms) >= MAX_TERMS:
            break
    return terms


def _words_condition(terms: list[QueryTerm]) -> Q | None:
    """A product matches when its text contains any of the RFQ's words (None: the RFQ has none)."""
    if not terms:
        return None
    if connection.vendor == "postgresql":
        tsquery = " | ".join(f"({tsquery_text([term])})" for term in terms)
        return Q(TextMatches(tsquery))
    condition = text_filter_fallback([terms[0]])
    for term in terms[1:]:
        condition |= text_filter_fallback([term])
    return condition


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.split(".") if part]


def specialised_belts(*, category_path: str) -> dict[int, BeltFacts]:
    """Belts with a specialty at or above the category (fully specialised) or below it (partly)."""
    above = _ancestor_ids(category_path)
    rows = (
        IndustrialBelt.objects.filter(Q(specialties__in=above) | Q(specialties__path__startswith=category_path))
        .values_list("pk", "name_en", "name_zh", "specialties__path")
        .order_by()
    )
    return _belts_by_level(
        (pk, name_en, name_zh, category_path.startswith(path)) for pk, name_en, name_zh, path in rows
    )


def _belts_by_level(rows: Iterable[tuple[int, str, str, bool]]) -> dict[int, BeltFacts]:
    """The belts of (belt, English name, Chinese name, specialty at or above the category) rows,
    each at its strongest specialisation."""
    belts: dict[int, BeltFacts] = {}
    for pk, name_en, name_zh, above in rows:
        level = BELT_IN_CATEGORY if above else BELT_BELOW_CATEGORY
        known = belts.get(pk)
        if known is None or known.specialisation < level:
            belts[pk] = BeltFacts(specialisation=level, name_en=name_en, name_zh=name_zh)
    return belts


def companies_related_to(buyer_id: int) -> set[int]:
    """The buyer's company and every company one of its members also belongs to: never matched."""
    related = set(
        Membership.objects.filter(user__memberships__company_id=buyer_id).values_list("company_id", flat=True)
    )
    return related | {buyer_id}


def _restricted(queryset: QuerySet, field: str, supplier_ids: Collection[int] | None) -> QuerySet:
    return queryset if supplier_ids is None else queryset.filter(**{f"{field}__in": list(supplier_ids)})


def subtree_ids(category: Category) -> list[int]:
    """The ids of the category and everything below it (a few dozen at most; one small query).

    Passing ids (`category_id = ANY(...)`) rather than joining on the path lets PostgreSQL
    estimate the rows per category and walk the product indexes of exactly those categories.
    """
    return list(Category.objects.filter(path__startswith=category.path).values_list("pk", flat=True))


# How long a category's subtree and specialised belts are reused when `candidates_for` is not given
# them (a supplier matched to open RFQs, named suppliers; staff rarely edit them, and an edit reaches
# those within this time — `rfq_match` reads them fresh with the RFQ). Kept in the cache (Redis in
# production), per category.
CATEGORY_FACTS_SECONDS = 300


# A category's subtree ids and its specialised belts.
CategoryFacts = tuple[list[int], dict[int, BeltFacts]]


def category_facts(category: Category) -> CategoryFacts:
    """The category's subtree ids and its specialised belts, cached CATEGORY_FACTS_SECONDS: two
    queries saved for every RFQ of a category matched in the last minutes."""
    key = f"matching:category:{category.pk}:{category.path}"
    found = cache.get(key)
    if found is None:
        found = (subtree_ids(category), specialised_belts(category_path=category.path))
        cache.set(key, found, CATEGORY_FACTS_SECONDS)
    return found


def category_facts_columns(category: str) -> str:
    """PostgreSQL: `category_facts` as two columns of a query that reads a category as `category`
    (the RFQ's read in `services.matching`): always current, no cache, no query of its own. Read
    them with `category_facts_from_columns`."""
    through = IndustrialBelt.specialties.through._meta.db_table
    return f"""
        ARRAY(SELECT sub.id FROM {Category._meta.db_table} sub
              WHERE starts_with(sub.path, {category}.path) ORDER BY sub.path),
        (SELECT json_agg(json_build_array(belt.id, belt.name_en, belt.name_zh, starts_with({category}.path, spec.path)))
         FROM {through} specialty
         JOIN {Category._meta.db_table} spec ON spec.id = specialty.category_id
         JOIN {IndustrialBelt._meta.db_table} belt ON belt.id = specialty.industrialbelt_id
         WHERE starts_with({category}.path, spec.path) OR starts_with(spec.path, {category}.path))"""  # noqa: S608


def category_facts_from_columns(subtree: list[int], belts: list[list] | None) -> CategoryFacts:
    """`category_facts` from the two columns of `category_facts_columns`."""
    return list(subtree), _belts_by_level((pk, name_en, name_zh, above) for pk, name_en, name_zh, above in belts or [])


def candidate_querysets(
    rfq: SourcingRequest,
    *,
    supplier_ids: Collection[int] | None = None,
    categories: list[int] | None = None,
    excluded_companies: Collection[int] = (),
) -> dict[str, QuerySet]:
    """The candidate queries of an RFQ (its category loaded), each grouped by supplier:

    - `products`: its published products in the subtree: how many, the lowest MOQ and largest
      monthly capacity in the RFQ's unit, the fastest lead time. For the category's candidates
      (no `supplier_ids`) from `SupplierCategoryFacts`, only active suppliers outside
      `excluded_companies`, with their profile facts (`PROFILE_FIELDS`) in the same rows; for
      named suppliers from their products (always current; a handful of suppliers);
    - `product_lines`: its product lines' monthly capacity in the subtree;
    - `main_categories`: suppliers whose main categories lie in the subtree.

    Restricted to `supplier_ids` when given. The words are matched separately (`_word_matches`).
    """
    ids = categories if categories is not None else subtree_ids(rfq.category)
    same_unit = Q(unit=rfq.unit)
    if supplier_ids is None:
        products = (
            SupplierCategoryFacts.objects.filter(category_id__in=ids, supplier__is_active=True)
            .exclude(supplier__company_id__in=list(excluded_companies))
            .values("supplier_id", *PROFILE_FIELDS, markets=Cast("supplier__export_markets", CharField()))
            .annotate(
                in_category=Sum("products"),
                lowest_moq=Min("lowest_moq", filter=same_unit),
                fastest=Min("fastest_lead_time"),
                capacity=Max("largest_capacity", filter=same_unit),
            )
            .order_by()
        )
    else:
        products = (
            Product.objects.filter(
                status=Product.Status.PUBLISHED, category_id__in=ids, supplier_id__in=list(supplier_ids)
            )
            .values("supplier_id")
            .annotate(
                in_category=Count("*"),
                lowest_moq=Min("moq", filter=same_unit),
                fastest=Min("lead_time_days"),
                capacity=Max("monthly_capacity", filter=same_unit),
            )
            .order_by()
        )
    lines = (
        ProductLineCapacity.objects.filter(category_id__in=ids, unit=rfq.unit)
        .values("supplier_id")
        .annotate(total=Sum("monthly_capacity"))
        .order_by()
    )
    main_categories = (
        SupplierProfile.main_categories.through.objects.filter(category_id__in=ids)
        .values_list("supplierprofile_id", flat=True)
        .distinct()
        .order_by()
    )
    return {
        "products": products,
        "product_lines": _restricted(lines, "supplier_id", supplier_ids),
        "main_categories": _restricted(main_categories, "supplierprofile_id", supplier_ids),
    }


# The category's candidates with their catalog and profile facts (PostgreSQL): the same rows as the
# `products` queryset of `candidate_querysets`, as plain tuples (thousands of rows: building a dict
# per row cost more than the query).
CATEGORY_CANDIDATES_SQL = """
SELECT s.id, s.company_id, s.belt_id, s.verification_status, s.response_rate, s.response_median_minutes,
       s.rating_average, s.rating_count, s.on_time_rate, s.export_markets,
       sum(f.products), min(f.lowest_moq) FILTER (WHERE f.unit = %(unit)s),
       min(f.fastest_lead_time), max(f.largest_capacity) FILTER (WHERE f.unit = %(unit)s)
FROM buyers_suppliercategoryfacts f
JOIN suppliers_supplierprofile s ON s.id = f.supplier_id
WHERE f.category_id = ANY (%(categories)s) AND s.is_active AND NOT (s.company_id = ANY (%(excluded)s))
GROUP BY s.id
ORDER BY sum(f.products) DESC, s.id
LIMIT %(limit)s
"""


# The best candidates by their bound (`Scorer.sql_bound`), ranked by PostgreSQL: every supplier
# with published products, a product line or a main category in the subtree, active, not excluded.
# Each of them has a facts row in the subtree (`catalog_facts_rows`: a row of no products where only
# a product line or a main category names the category), and the facts rows carry their supplier's
# profile facts (buyers/0014, kept equal to the profile by triggers): the candidates are read from
# one covering index (`supplier_category_facts_candidates`), their product lines' capacity from the
# lines' category index. The database hands over `limit` rows instead of thousands.
RANKED_CANDIDATES_SQL = """
WITH facts AS (
    SELECT supplier_id AS id, min(supplier_company_id) AS company_id, min(supplier_belt_id) AS belt_id,
           min(supplier_verification) AS verification_status, min(supplier_response_rate) AS response_rate,
           min(supplier_response_minutes) AS response_median_minutes,
           min(supplier_rating_average) AS rating_average, min(supplier_rating_count) AS rating_count,
           min(supplier_on_time_rate) AS on_time_rate, min(supplier_export_markets) AS markets,
           sum(products) AS products, min(lowest_moq) FILTER (WHERE unit = %(unit)s) AS lowest_moq,
           min(fastest_lead_time) AS fastest,
           max(largest_capacity) FILTER (WHERE unit = %(unit)s) AS product_capacity
    FROM buyers_suppliercategoryfacts
    WHERE category_id = ANY (%(categories)s) AND supplier_active
        AND NOT (supplier_company_id = ANY (%(excluded)s))
    GROUP BY supplier_id
), lines AS (
    SELECT supplier_id, sum(monthly_capacity) AS line_capacity
    FROM suppliers_productlinecapacity WHERE category_id = ANY (%(categories)s) AND unit = %(unit)s
    GROUP BY supplier_id
), candidate AS (
    SELECT facts.*, lines.line_capacity
    FROM facts LEFT JOIN lines ON lines.supplier_id = facts.id
)
SELECT id, company_id, belt_id, verification_status, response_rate, response_median_minutes,
       rating_average::float8, rating_count, on_time_rate, markets, products, lowest_moq, fastest, product_capacity,
       line_capacity, {bound} AS bound
FROM candidate
ORDER BY bound DESC, products DESC, id
LIMIT %(limit)s
"""
# How many candidates the database hands over, best bound first. Their words are then matched for
# the best of them (`keep` in `candidates_for`); a supplier below this many others by bound would
# need hundreds of those above it to fall below it once their words are known to reach the top.
RANKED_POOL = 600


def _candidate_facts(row: tuple) -> SupplierFacts:
    """A candidate from the fourteen columns of the candidate queries: the profile's facts (id,
    company, belt, verification, response rate and time, rating, ratings, on-time rate, export
    markets), then its products in the subtree (count, lowest MOQ, fastest lead time, largest
    capacity). Its matching products are all of them until the words are matched."""
    pk, company, belt, verification, rate, minutes, rating, ratings, on_time, markets, count, moq, fastest, capacity = (
        row[:14]
    )
    return SupplierFacts(
        supplier_id=pk,
        company_id=company,
        belt_id=belt,
        verified=verification == SupplierProfile.Verification.VERIFIED,
        export_markets=markets.split(",") if markets else [],  # stored upper case, comma-separated
        response_rate=rate,
        response_median_minutes=minutes,
        rating_average=float(rating) if rating is not None else None,
        rating_count=ratings or 0,
        on_time_rate=on_time,
        products_in_category=int(count),
        matching_products=int(count),
        lowest_moq=moq,
        fastest_lead_time=fastest,
        product_capacity=capacity,
    )


_VERIFIED = SupplierProfile.Verification.VERIFIED.value


def _ranked_candidate_facts(row: tuple) -> SupplierFacts:
    """A candidate from a row of `RANKED_CANDIDATES_SQL`: the columns of `_candidate_facts`, then
    its product lines' capacity and its bound. Its numbers come as Python wants them (the rating
    a float8, the sums integers); 600 per RFQ, built with positional arguments in `SupplierFacts`'
    field order (less than half the time of converting and naming each)."""
    pk, company, belt, verification, rate, minutes, rating, ratings, on_time, markets, count, moq, fastest, capacity = (
        row[:14]
    )
    return SupplierFacts(
        pk,  # supplier_id
        company,  # company_id
        belt,  # belt_id
        True,  # is_active
        verification == _VERIFIED,  # verified
        markets.split(",") if markets else [],  # export_markets: stored upper case, comma-separated
        rate,  # response_rate
        minutes,  # response_median_minutes
        rating,  # rating_average
        ratings or 0,  # rating_count
        on_time,  # on_time_rate
        count,  # products_in_category
        count,  # matching_products, until the words are matched
        moq,  # lowest_moq
        fastest,  # fastest_lead_time
        capacity,  # product_capacity
        row[14],  # line_capacity
        round(row[15], 3),  # bound, as `Scorer` rounds the score
    )


def _ranked_candidates(
    rfq: SourcingRequest, scorer: Scorer, *, categories: list[int], excluded_companies: Collection[int]
) -> dict[int, SupplierFacts]:
    """The RANKED_POOL best candidates of the category by bound, with every fact scoring needs."""
    bound, params = scorer.sql_bound()
    params |= {
        "unit": rfq.unit,
        "categories": list(categories),
        "excluded": list(excluded_companies),
        "limit": RANKED_POOL,
    }
    with connection.cursor() as cursor:
        cursor.execute(RANKED_CANDIDATES_SQL.format(bound=bound), params)
        rows = cursor.fetchall()
    return {row[0]: _ranked_candidate_facts(row) for row in rows}


def _ranked_candidates_for(
    rfq: SourcingRequest,
    scorer: Scorer,
    *,
    belts: dict[int, BeltFacts],
    categories: list[int],
    excluded_companies: Collection[int],
    keep: int,
) -> Candidates:
    """`candidates_for` on PostgreSQL for the category's candidates: ranked by bound in the
    database; the words matched for the best `keep // 2`, then for the next ones (up to `keep`)
    whose bound still reaches the `keep // 2`-th best score found."""
    found = _ranked_candidates(rfq, scorer, categories=categories, excluded_companies=excluded_companies)
    ordered = list(found.values())  # best bound first
    head = keep // 2
    with_products = [supplier for supplier in ordered if supplier.products_in_category]
    first = [supplier.supplier_id for supplier in with_products[:head]]
    _word_matches_from_facts(rfq, found, first, categories)
    known: dict[int, Signals] = {}
    if len(with_products) > head:
        # Their words are matched: their facts are final, and so are their signals (kept).
        scores = []
        for pk in first:
            signals = known[pk] = scorer.signals(found[pk])
            scores.append(scorer.number(signals))
        scores += [supplier.bound or 0.0 for supplier in ordered if not supplier.products_in_category]
        floor = heapq.nlargest(head, scores)[-1] if len(scores) >= head else float("-inf")
        rest: list[int] = []
        for supplier in with_products[head:keep]:
            if (supplier.bound or 0.0) < floor:
                break
            rest.append(supplier.supplier_id)
        _word_matches_from_facts(rfq, found, rest, categories)
        for supplier in with_products[head + len(rest) :]:
            supplier.matching_products = 0
    return Candidates(suppliers=found, belts=belts, signals=known)


def _category_candidate_rows(
    rfq: SourcingRequest, *, categories: list[int], excluded_companies: Collection[int]
) -> list:
    if connection.vendor != "postgresql":
        rows = candidate_querysets(rfq, categories=categories, excluded_companies=excluded_companies)["products"]
        return [
            (
                row["supplier_id"],
                row["supplier__company_id"],
                row["supplier__belt_id"],
                row["supplier__verification_status"],
                row["supplier__response_rate"],
                row["supplier__response_median_minutes"],
                row["supplier__rating_average"],
                row["supplier__rating_count"],
                row["supplier__on_time_rate"],
                row["markets"],
                row["in_category"],
                row["lowest_moq"],
                row["fastest"],
                row["capacity"],
            )
            for row in rows
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            CATEGORY_CANDIDATES_SQL,
            {
                "unit": rfq.unit,
                "categories": list(categories),
                "excluded": list(excluded_companies),
                # The cut `candidates_for` makes (those with more products first), made here.
                "limit": CANDIDATE_LIMIT,
            },
        )
        return cursor.fetchall()


def word_matches_queryset(rfq: SourcingRequest, *, supplier_ids: Collection[int], categories: list[int]) -> QuerySet:
    """The published products of these suppliers in the subtree whose words match the RFQ's."""
    words = _words_condition(rfq_terms(rfq.search_text))
    queryset = Product.objects.filter(
        status=Product.Status.PUBLISHED, category_id__in=categories, supplier_id__in=list(supplier_ids)
    )
    if words is not None:
        queryset = queryset.filter(words)
    return queryset.values_list("supplier_id", "moq", "lead_time_days", "monthly_capacity", "unit").order_by()


def _word_matches(
    rfq: SourcingRequest, found: dict[int, SupplierFacts], chosen: list[int], categories: list[int]
) -> None:
    """Count each chosen supplier's matching products (reading at most WORD_SAMPLE of them) and take
    MOQ, lead time and capacity from its matching products when it has any.

    Reading product rows is the one costly step (a product row is wide), so it is bounded: when
    more than WORD_SAMPLE products match, each supplier's count is scaled from the sample (rows
    come in physical order, a fair sample) and capped by its products in the category.
    """
    if not chosen:
        return
    rows = list(word_matches_queryset(rfq, supplier_ids=chosen, categories=categories)[: WORD_SAMPLE + 1])
    full = len(rows) > WORD_SAMPLE
    rows = rows[:WORD_SAMPLE]
    scale = sum(found[pk].products_in_category for pk in chosen) / WORD_SAMPLE if full else 1.0
    seen: dict[int, list[tuple[int, int, int | None, str]]] = {}
    for supplier_id, moq, lead, capacity, unit in rows:
        seen.setdefault(supplier_id, []).append((moq, lead, capacity, unit))
    for supplier_id in chosen:
        supplier = found[supplier_id]
        matched = seen.get(supplier_id, [])
        supplier.matching_products = min(supplier.products_in_category, round(len(matched) * max(scale, 1.0)))
        if matched:
            same_unit = [row for row in matched if row[3] == rfq.unit]
            supplier.lowest_moq = min((row[0] for row in same_unit), default=None)
            supplier.fastest_lead_time = min(row[1] for row in matched)
            supplier.product_capacity = max((row[2] or 0 for row in same_unit), default=0) or None


def _word_matches_from_facts(
    rfq: SourcingRequest, found: dict[int, SupplierFacts], chosen: list[int], categories: list[int]
) -> None:
    """`_word_matches` on PostgreSQL for the category's candidates: exact counts from the facts
    rows' words (`buyers.matching.words`), no product row read, no sample."""
    tokens = word_tokens(rfq_terms(rfq.search_text))
    if not chosen or not tokens:
        return  # no words: every product in the category counts (as set by the caller)
    rows: dict[int, list[RowMatches]] = {}
    for row in facts_word_matches(tokens, supplier_ids=chosen, categories=categories):
        rows.setdefault(row.supplier_id, []).append(row)
    for supplier_id in chosen:
        supplier = found[supplier_id]
        matched = rows.get(supplier_id, [])
        if len(matched) == 1:  # the common case (a leaf category, one unit): the row's own figures
            row = matched[0]
            same = row.unit == rfq.unit
            supplier.matching_products = min(supplier.products_in_category, row.matching)
            supplier.lowest_moq = row.lowest_moq if same else None
            supplier.fastest_lead_time = row.fastest_lead_time
            supplier.product_capacity = (row.largest_capacity or None) if same else None
            continue
        supplier.matching_products = min(supplier.products_in_category, sum(row.matching for row in matched))
        if matched:
            same_unit = [row for row in matched if row.unit == rfq.unit]
            supplier.lowest_moq = min((row.lowest_moq for row in same_unit if row.lowest_moq is not None), default=None)
            supplier.fastest_lead_time = min(
                (row.fastest_lead_time for row in matched if row.fastest_lead_time is not None), default=None
            )
            supplier.product_capacity = max((row.largest_capacity or 0 for row in same_unit), default=0) or None


def candidates_for(
    rfq: SourcingRequest,
    *,
    supplier_ids: Collection[int] | None = None,
    excluded_companies: Collection[int] = (),
    scorer: Scorer | None = None,
    keep: int = 400,
    category: CategoryFacts | None = None,
) -> Candidates:
    """The facts of the suppliers to score for `rfq` (its category loaded).

    With `supplier_ids`, exactly those suppliers (active ones) are scored, whether or not they work
    in the category (a private RFQ's invited suppliers; one supplier matched to open RFQs).
    Without, the category's candidates (at most CANDIDATE_LIMIT, those with more products first),
    minus `excluded_companies`. The RFQ's words are matched (on PostgreSQL from the facts rows'
    words, exactly; elsewhere on a sample of the products) for the `keep // 2` best by `scorer`
    (the RFQ's, with the category's belts: it scores a candidate as if all its products in the
    category matched, an upper bound of its score), then for the next ones (up to `keep` in all)
    whose bound still reaches the `keep // 2`-th best score found: the others could not reach the
    top. `category`: the category's subtree and belts when the caller read them
    (`category_facts_columns`), else `category_facts`.
    """
    categories, belts = category if category is not None else category_facts(rfq.category)
    excluded = set(excluded_companies) if supplier_ids is None else set()
    if supplier_ids is None and scorer is not None and connection.vendor == "postgresql":
        return _ranked_candidates_for(
            rfq, scorer, belts=belts, categories=categories, excluded_companies=excluded, keep=keep
        )
    queries = candidate_querysets(rfq, supplier_ids=supplier_ids, categories=categories, excluded_companies=excluded)
    found: dict[int, SupplierFacts] = {}
    profiled: set[int] = set()

    def facts(supplier_id: int) -> SupplierFacts:
        if supplier_id not in found:
            found[supplier_id] = SupplierFacts(supplier_id=supplier_id)
        return found[supplier_id]

    if supplier_ids is None:
        rows = _category_candidate_rows(rfq, categories=categories, excluded_companies=excluded)
        for row in rows:
            supplier = _candidate_facts(row)
            found[supplier.supplier_id] = supplier
        profiled.update(found)
    else:
        for row in queries["products"]:
            supplier = facts(row["supplier_id"])
            supplier.products_in_category = row["in_category"]
            supplier.lowest_moq = row["lowest_moq"]
            supplier.fastest_lead_time = row["fastest"]
            supplier.product_capacity = row["capacity"]
    for row in queries["product_lines"]:
        facts(row["supplier_id"]).line_capacity = row["total"]
    for supplier_id in queries["main_categories"]:
        facts(supplier_id)
    if supplier_ids is not None:
        for supplier_id in supplier_ids:
            facts(supplier_id)
    elif len(found) > CANDIDATE_LIMIT:
        biggest = sorted(found.values(), key=lambda s: (-s.products_in_category, s.supplier_id))[:CANDIDATE_LIMIT]
        found = {supplier.supplier_id: supplier for supplier in biggest}

    _add_profile_facts(found, excluded_companies=excluded, skip=profiled)
    for supplier in found.values():
        supplier.matching_products = supplier.products_in_category  # until the words are matched
    with_products = [supplier for supplier in found.values() if supplier.products_in_category]

    def match_words(suppliers: list[SupplierFacts]) -> None:
        chosen = [supplier.supplier_id for supplier in suppliers]
        if supplier_ids is None and connection.vendor == "postgresql":
            _word_matches_from_facts(rfq, found, chosen, categories)
        else:
            _word_matches(rfq, found, chosen, categories)

    if supplier_ids is not None or len(with_products) <= keep:
        match_words(with_products)
        return Candidates(suppliers=found, belts=belts)
    first = scorer

    def order(supplier: SupplierFacts) -> tuple[float, int, int]:
        if first is not None:
            value = supplier.bound = first(supplier)
        else:
            belt = belts.get(supplier.belt_id) if supplier.belt_id else None
            value = belt.specialisation if belt else 0.0
        return (-value, -supplier.products_in_category, supplier.supplier_id)

    with_products.sort(key=order)
    head = keep // 2 if first is not None else keep
    match_words(with_products[:head])
    rest: list[SupplierFacts] = []
    if first is not None:
        # The words of the best `head` by bound are known: the `head`-th best score among them and
        # the candidates without products is a floor; a candidate whose bound is below it could
        # not enter the best `head`, so only those above it (up to `keep` in all) need their words.
        scores = [first(supplier) for supplier in with_products[:head]]
        scores += [first(supplier) for supplier in found.values() if not supplier.products_in_category]
        floor = heapq.nlargest(head, scores)[-1] if len(scores) >= head else float("-inf")
        for supplier in with_products[head:keep]:
            if (supplier.bound or 0.0) < floor:
                break
            rest.append(supplier)
        match_words(rest)
    for supplier in with_products[head + len(rest) :]:
        supplier.matching_products = 0
    return Candidates(suppliers=found, belts=belts)


def _add_profile_facts(
    found: dict[int, SupplierFacts], *, excluded_companies: set[int], skip: Collection[int] = ()
) -> None:
    """Fill in the profile facts of the candidates not in `skip` (one query); inactive suppliers
    and those of the excluded companies are dropped."""
    wanted = [pk for pk in found if pk not in skip]
    if not wanted:
        return
    # The export markets as stored ("LK,US"): converting thousands to Country objects costs more than the query.
    profiles = (
        SupplierProfile.objects.filter(pk__in=wanted)
        .annotate(markets=Cast("export_markets", output_field=CharField()))
        .values_list(
            "pk",
            "company_id",
            "belt_id",
            "is_active",
            "verification_status",
            "markets",
            "response_rate",
            "response_median_minutes",
            "rating_average",
            "rating_count",
            "on_time_rate",
        )
    )
    kept = set()
    for row in profiles:
        pk, company_id, belt_id, is_active, verification, markets, rate, minutes, rating, ratings, on_time = row
        if not is_active or company_id in excluded_companies:
            continue
        supplier = found[pk]
        kept.add(pk)
        supplier.company_id = company_id
        supplier.belt_id = belt_id
        supplier.verified = verification == SupplierProfile.Verification.VERIFIED
        supplier.export_markets = _country_codes(markets)
        supplier.response_rate = rate
        supplier.response_median_minutes = minutes
        supplier.rating_average = float(rating) if rating is not None else None
        supplier.rating_count = ratings or 0
        supplier.on_time_rate = on_time
    for pk in [pk for pk in wanted if pk not in kept]:
        del found[pk]


def _country_codes(value: object) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [code.strip().upper() for code in value.split(",") if code.strip()]
    return [str(getattr(code, "code", code)).upper() for code in value]  # type: ignore[attr-defined]
