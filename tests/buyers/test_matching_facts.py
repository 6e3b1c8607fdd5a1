"""The matching facts: a supplier's catalog summed up per category and unit, kept current, rebuilt on demand."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from buyers.matching.scoring import (
    BELT_BELOW_CATEGORY,
    BELT_IN_CATEGORY,
    SIGNALS,
    BeltFacts,
    RfqFacts,
    Scorer,
    SupplierFacts,
    score,
)
from buyers.models import Match, SourcingRequest, SupplierCategoryFacts
from buyers.receivers import match_supplier_to_open_rfqs
from buyers.services.matching import _best, rfq_match, supplier_category_facts_rebuild, supplier_category_facts_refresh
from marketplace.models import Membership
from suppliers.models import Product, SupplierProfile
from suppliers.services.catalog import products_set_status
from suppliers.services.metrics import supplier_order_figures_set, supplier_response_figures_set
from suppliers.services.profiles import capacity_add, capacity_delete, supplier_profile_update
from tests.buyers.builders_match import BackpackWorld, backpack_rfq, backpack_world, supplier_with_member
from tests.buyers.factories import MatchFactory
from tests.factories import CurrencyFactory, IndustrialBeltFactory
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory
from tests.suppliers.factories_profile import ProductLineCapacityFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]

# Every facts row's copy of its supplier's profile, next to the profile itself.
_STALE_ROWS_SQL = """
SELECT f.id, f.supplier_id FROM buyers_suppliercategoryfacts f JOIN suppliers_supplierprofile s ON s.id = f.supplier_id
WHERE (f.supplier_company_id, f.supplier_belt_id, f.supplier_active, f.supplier_verification,
       f.supplier_response_rate, f.supplier_response_minutes, f.supplier_rating_average, f.supplier_rating_count,
       f.supplier_on_time_rate, f.supplier_export_markets)
    IS DISTINCT FROM (s.company_id, s.belt_id, s.is_active, s.verification_status, s.response_rate,
                      s.response_median_minutes, s.rating_average, s.rating_count, s.on_time_rate, s.export_markets)
"""


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)


@pytest.fixture
def world() -> BackpackWorld:
    return backpack_world()


def facts_of(supplier: object) -> list[tuple[int, str, int, int | None, int | None, int | None]]:
    return list(
        SupplierCategoryFacts.objects.filter(supplier=supplier)
        .order_by("category_id", "unit")
        .values_list("category_id", "unit", "products", "lowest_moq", "fastest_lead_time", "largest_capacity")
    )


def test_the_facts_sum_up_the_published_products_per_category_and_unit(world: BackpackWorld) -> None:
    supplier = supplier_with_member(name="Mixed catalog")
    ProductFactory(supplier=supplier, category=world.backpacks, moq=800, lead_time_days=20, monthly_capacity=5_000)
    ProductFactory(supplier=supplier, category=world.backpacks, moq=300, lead_time_days=25, monthly_capacity=9_000)
    ProductFactory(
        supplier=supplier, category=world.backpacks, unit="dozen", moq=50, lead_time_days=9, monthly_capacity=700
    )
    ProductFactory(supplier=supplier, category=world.backpacks, status=Product.Status.DRAFT, moq=1)
    ProductFactory(supplier=supplier, category=world.plastics, status=Product.Status.ARCHIVED)

    supplier_category_facts_refresh(supplier_ids=[supplier.pk])

    assert facts_of(supplier) == [
        (world.backpacks.pk, "dozen", 1, 50, 9, 700),
        (world.backpacks.pk, "piece", 2, 300, 20, 9_000),
    ]


def test_publishing_through_the_catalog_refreshes_the_supplier_s_facts_after_commit(
    world: BackpackWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    newcomer = supplier_with_member(name="Baigou Newcomer", belt=world.baigou)
    draft = ProductFactory(supplier=newcomer, category=world.backpacks, status=Product.Status.DRAFT, moq=300)
    ProductImageFactory(product=draft)
    assert facts_of(newcomer) == []

    with django_capture_on_commit_callbacks(execute=True):
        products_set_status(supplier=newcomer, product_ids=[draft.pk], status=Product.Status.PUBLISHED)

    assert [(category, products, moq) for category, _unit, products, moq, *_rest in facts_of(newcomer)] == [
        (world.backpacks.pk, 1, 300)
    ]


def test_a_supplier_whose_facts_are_refreshed_becomes_a_candidate_of_a_public_request(world: BackpackWorld) -> None:
    latecomer = supplier_with_member(name="Written by a script", belt=world.baigou)
    ProductFactory(supplier=latecomer, category=world.backpacks, title="Transparent PVC school backpack")
    rfq = backpack_rfq(world)

    rfq_match(rfq_id=rfq.pk)
    assert not Match.objects.filter(rfq=rfq, supplier=latecomer).exists()

    match_supplier_to_open_rfqs(None, supplier_id=latecomer.pk)
    rfq_match(rfq_id=rfq.pk)

    assert Match.objects.filter(rfq=rfq, supplier=latecomer).exists()


def test_the_rebuild_command_drops_the_facts_of_archived_products_and_reports_what_it_wrote(
    world: BackpackWorld,
) -> None:
    ids = list(Product.objects.filter(supplier=world.baigou_late).values_list("pk", flat=True))
    products_set_status(supplier=world.baigou_late, product_ids=ids, status=Product.Status.ARCHIVED)
    # Archived without its commit's callbacks (as a script writing the rows would): the facts stay.
    assert facts_of(world.baigou_late) != []

    output = StringIO()
    call_command("matching_facts_rebuild", "--batch-size", "2", stdout=output)

    # No products left: only its main categories' rows of no products (it stays a candidate there).
    main_categories = sorted(world.baigou_late.main_categories.values_list("pk", flat=True))
    assert facts_of(world.baigou_late) == [(pk, "", 0, None, None, None) for pk in main_categories]
    assert SupplierCategoryFacts.objects.filter(products__gt=0).count() == 3
    rows = SupplierCategoryFacts.objects.count()
    assert f"Rewrote the matching facts of 4 suppliers: {rows} rows" in output.getvalue()


def test_archiving_through_the_catalog_rewrites_the_facts_after_commit(
    world: BackpackWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    """A supplier that archives its products is no longer counted on them: the catalog announces
    the change whatever the new status, and the facts keep only its main categories' rows."""
    ids = list(Product.objects.filter(supplier=world.baigou_late).values_list("pk", flat=True))
    assert [row for row in facts_of(world.baigou_late) if row[2]]  # products counted before

    with django_capture_on_commit_callbacks(execute=True):
        products_set_status(supplier=world.baigou_late, product_ids=ids, status=Product.Status.ARCHIVED)

    assert [row for row in facts_of(world.baigou_late) if row[2]] == []


def test_refreshing_unknown_suppliers_does_nothing() -> None:
    assert supplier_category_facts_refresh(supplier_ids=[]) == 0
    assert supplier_category_facts_refresh(supplier_ids=[987_654]) == 0
    assert supplier_category_facts_rebuild() == (0, 0)


def test_an_invited_supplier_is_scored_on_its_products_even_without_facts(world: BackpackWorld) -> None:
    invited = supplier_with_member(name="Invited, catalog written by a script")
    ProductFactory(supplier=invited, category=world.backpacks, title="Transparent PVC school backpack", moq=100)
    rfq = backpack_rfq(world, visibility=SourcingRequest.Visibility.PRIVATE)
    MatchFactory(rfq=rfq, supplier=invited, source=Match.Source.INVITED, notified_at=None, reasons=[])

    rfq_match(rfq_id=rfq.pk)

    reasons = Match.objects.get(rfq=rfq, supplier=invited).reasons
    assert {"code": "products", "count": 1} in reasons
    assert {"code": "moq", "moq": 100, "unit": "piece"} in reasons


def test_ordering_thousands_of_candidates_stops_early_yet_keeps_exactly_the_best() -> None:
    rng = random.Random(7)
    rfq = RfqFacts(
        quantity=5_000, unit="piece", destination_country="LK", required_by=date(2026, 3, 1), today=date(2026, 1, 1)
    )
    scorer = Scorer(rfq, {}, {"catalog_relevance": 3, "capacity": 2, "moq": 0.5, "lead_time": 2, "verification": 1})
    suppliers = []
    for pk in range(1, 1_501):
        supplier = SupplierFacts(
            supplier_id=pk,
            products_in_category=rng.randrange(1, 40),
            lowest_moq=rng.choice([100, 1_000, 10_000]),
            fastest_lead_time=rng.choice([7, 30, 90]),
            product_capacity=rng.choice([None, 1_000, 50_000]),
            verified=rng.random() < 0.3,
        )
        supplier.matching_products = supplier.products_in_category
        supplier.bound = scorer(supplier)
        supplier.matching_products = rng.randrange(0, supplier.products_in_category + 1)  # its words matched
        suppliers.append(supplier)

    def full_order(supplier: SupplierFacts) -> tuple[float, int, int]:
        return (-scorer(supplier), -supplier.matching_products, supplier.supplier_id)

    best = _best(suppliers, scorer, keep=40, always={1_500})

    assert [s.supplier_id for s in best[:40]] == [s.supplier_id for s in sorted(suppliers, key=full_order)[:40]]
    assert best[-1].supplier_id == 1_500 or 1_500 in [s.supplier_id for s in best[:40]]


def test_the_database_ranks_candidates_by_the_same_bound_the_scorer_computes() -> None:
    """The candidate query orders suppliers by `Scorer.sql_bound` in PostgreSQL; it must be the very
    score Python gives the same facts, or the database would hand over the wrong candidates."""
    rng = random.Random(11)
    rfq = RfqFacts(
        quantity=50_000, unit="piece", destination_country="LK", required_by=date(2026, 2, 1), today=date(2026, 1, 10)
    )
    belts = {
        1: BeltFacts(specialisation=BELT_IN_CATEGORY, name_en="Baigou", name_zh="白沟"),
        2: BeltFacts(specialisation=BELT_BELOW_CATEGORY, name_en="Pinghu", name_zh="平湖"),
    }
    weights = {name: rng.choice([0.5, 1.0, 2.0, 3.0]) for name in SIGNALS}
    scorer = Scorer(rfq, belts, weights)
    suppliers = []
    for pk in range(1, 401):
        products = rng.choice([0, 1, 3, 14, 60])
        supplier = SupplierFacts(
            supplier_id=pk,
            belt_id=rng.choice([None, 1, 2, 3]),
            verified=rng.random() < 0.4,
            export_markets=rng.choice([[], ["LK"], ["US", "LK"], ["GB"]]),
            response_rate=rng.choice([None, 0, 55, 100]),
            response_median_minutes=rng.choice([None, 5, 60, 600, 3000]),
            rating_average=rng.choice([None, 1.0, 3.7, 5.0]),
            rating_count=rng.choice([0, 4]),
            on_time_rate=rng.choice([None, 0, 88, 100]),
            products_in_category=products,
            matching_products=products,
            lowest_moq=rng.choice([None, 100, 50_000, 200_000]) if products else None,
            fastest_lead_time=rng.choice([None, 7, 22, 90]) if products else None,
            product_capacity=rng.choice([None, 1_000, 80_000]) if products else None,
            line_capacity=rng.choice([None, 30_000, 500_000]),
        )
        suppliers.append(supplier)
    bound, params = scorer.sql_bound()
    values = []
    for index, s in enumerate(suppliers):
        values.append(
            f"(%(id{index})s, %(p{index})s, %(moq{index})s, %(fast{index})s, %(cap{index})s, %(line{index})s,"
            f" %(belt{index})s, %(mk{index})s, %(ver{index})s, %(rate{index})s, %(min{index})s, %(avg{index})s,"
            f" %(cnt{index})s, %(ontime{index})s)"
        )
        params |= {
            f"id{index}": s.supplier_id,
            f"p{index}": s.products_in_category,
            f"moq{index}": s.lowest_moq,
            f"fast{index}": s.fastest_lead_time,
            f"cap{index}": s.product_capacity,
            f"line{index}": s.line_capacity,
            f"belt{index}": s.belt_id,
            f"mk{index}": ",".join(s.export_markets),
            f"ver{index}": "verified" if s.verified else "pending",
            f"rate{index}": s.response_rate,
            f"min{index}": s.response_median_minutes,
            f"avg{index}": s.rating_average,
            f"cnt{index}": s.rating_count,
            f"ontime{index}": s.on_time_rate,
        }
    columns = (
        "id::int, products::int, lowest_moq::int, fastest::int, product_capacity::int, line_capacity::int,"
        " belt_id::int, markets::text, verification_status::text, response_rate::int,"
        " response_median_minutes::int, rating_average::numeric, rating_count::int, on_time_rate::int"
    )
    # Our own expression and column list; every value is a bound parameter.
    sql = (
        f"SELECT id, {bound} FROM (SELECT {columns} FROM (VALUES {', '.join(values)}) AS v("  # noqa: S608
        "id, products, lowest_moq, fastest, product_capacity, line_capacity, belt_id, markets,"
        " verification_status, response_rate, response_median_minutes, rating_average, rating_count,"
        " on_time_rate)) AS candidate"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        in_sql = {pk: float(value) for pk, value in cursor.fetchall()}

    differences = {s.supplier_id: (in_sql[s.supplier_id], scorer(s)) for s in suppliers}
    assert all(abs(sql_value - python) <= 0.0011 for sql_value, python in differences.values()), differences
    assert len({value for value, _ in differences.values()}) > 50  # the facts really vary the score


def test_hardening_the_scorer_gives_exactly_the_score_signals_and_reasons_of_score() -> None:
    """Matching scores its kept candidates with `Scorer.scored` (weights read once): it must be
    `score` itself, number, signals and reasons alike."""
    rng = random.Random(5)
    rfq = RfqFacts(
        quantity=20_000, unit="piece", destination_country="LK", required_by=date(2026, 3, 1), today=date(2026, 1, 5)
    )
    belts = {1: BeltFacts(specialisation=BELT_IN_CATEGORY, name_en="Baigou", name_zh="白沟")}
    weights = {name: rng.choice([0.0, 0.5, 1.0, 2.0, 3.0]) for name in SIGNALS}
    scorer = Scorer(rfq, belts, weights)
    for pk in range(1, 201):
        supplier = SupplierFacts(
            supplier_id=pk,
            belt_id=rng.choice([None, 1, 2]),
            verified=rng.random() < 0.5,
            export_markets=rng.choice([[], ["LK"], ["GB"]]),
            response_rate=rng.choice([None, 40, 100]),
            response_median_minutes=rng.choice([None, 30, 900]),
            rating_average=rng.choice([None, 2.5, 4.9]),
            rating_count=rng.choice([0, 3]),
            on_time_rate=rng.choice([None, 70]),
            products_in_category=10,
            matching_products=rng.choice([0, 1, 4, 25]),
            lowest_moq=rng.choice([None, 100, 90_000]),
            fastest_lead_time=rng.choice([None, 7, 80]),
            product_capacity=rng.choice([None, 5_000]),
            line_capacity=rng.choice([None, 100_000]),
        )
        invited = rng.random() < 0.2
        assert scorer.scored(supplier, invited=invited) == score(supplier, rfq, belts, weights, invited=invited)


# --- The supplier's profile facts on its facts rows (PostgreSQL, kept by the database) ---------


def _stale_rows() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(_STALE_ROWS_SQL)
        return cursor.fetchall()


def _facts_rows(supplier: SupplierProfile) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM buyers_suppliercategoryfacts WHERE supplier_id = %s", [supplier.pk])
        return int(cursor.fetchone()[0])


def test_every_change_of_a_supplier_s_profile_reaches_its_matching_facts_whoever_writes_it(
    world: BackpackWorld,
) -> None:
    supplier = world.baigou_small
    assert _facts_rows(supplier) == 1
    assert _stale_rows() == []

    supplier_response_figures_set(supplier_id=supplier.pk, rate=88, median_minutes=45)  # a bulk update
    assert _stale_rows() == []
    supplier_order_figures_set(supplier_id=supplier.pk, rating_average=Decimal("4.60"), rating_count=9, on_time_rate=97)
    assert _stale_rows() == []
    SupplierProfile.objects.filter(pk=supplier.pk).update(verification_status=SupplierProfile.Verification.VERIFIED)
    assert _stale_rows() == []
    supplier.refresh_from_db()
    supplier.export_markets = ["LK", "US"]
    supplier.belt = IndustrialBeltFactory()
    supplier.save()  # every column written, two changed
    assert _stale_rows() == []
    SupplierProfile.objects.filter(pk=supplier.pk).update(is_active=False)
    assert _stale_rows() == []
    # New rows take the profile as it is now.
    supplier_category_facts_refresh(supplier_ids=[supplier.pk, world.baigou_big.pk])
    assert _facts_rows(supplier) == 1
    assert _stale_rows() == []


def test_a_supplier_verified_after_its_facts_were_written_is_matched_as_verified(world: BackpackWorld) -> None:
    supplier = world.baigou_small
    rfq = backpack_rfq(world)
    rfq_match(rfq_id=rfq.pk)
    before = Match.objects.get(rfq=rfq, supplier=supplier)
    assert {"code": "verified"} not in before.reasons

    SupplierProfile.objects.filter(pk=supplier.pk).update(
        verification_status=SupplierProfile.Verification.VERIFIED, response_rate=100, response_median_minutes=30
    )
    rfq_match(rfq_id=rfq.pk)

    after = Match.objects.get(rfq=rfq, supplier=supplier)
    assert {"code": "verified"} in after.reasons
    assert {"code": "response_rate", "percent": 100} in after.reasons
    assert after.score > before.score


def test_a_supplier_deactivated_after_its_facts_were_written_is_not_matched_to_a_new_request(
    world: BackpackWorld,
) -> None:
    SupplierProfile.objects.filter(pk=world.baigou_late.pk).update(is_active=False)
    rfq = backpack_rfq(world)

    rfq_match(rfq_id=rfq.pk)

    matched = set(Match.objects.filter(rfq=rfq).values_list("supplier_id", flat=True))
    assert world.baigou_big.pk in matched
    assert world.baigou_late.pk not in matched


def test_a_supplier_with_only_a_product_line_or_a_main_category_there_is_matched_with_its_profile(
    world: BackpackWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    """Such suppliers have a facts row of no products in the category (written when the line is
    added, or when their catalog is refreshed): the ranked query finds them there."""
    line_only = supplier_with_member(
        name="Backpack line, no catalog", verification_status=SupplierProfile.Verification.VERIFIED
    )
    with django_capture_on_commit_callbacks(execute=True):
        capacity_add(
            supplier=line_only,
            category=world.backpacks,
            product_line="PVC school backpacks",
            monthly_capacity=300_000,
            unit="piece",
        )
    main_only = supplier_with_member(name="Backpacks are our trade", main_categories=[world.backpacks])
    dormant = supplier_with_member(name="Dormant backpack maker", main_categories=[world.backpacks])
    for written_by_a_script in (main_only, dormant):
        supplier_category_facts_refresh(supplier_ids=[written_by_a_script.pk])
    SupplierProfile.objects.filter(pk=dormant.pk).update(is_active=False)
    rfq = backpack_rfq(world)

    rfq_match(rfq_id=rfq.pk)

    matches = {match.supplier_id: match for match in Match.objects.filter(rfq=rfq)}
    assert {"code": "verified"} in matches[line_only.pk].reasons
    assert {"code": "capacity", "monthly": 300_000, "unit": "piece"} in matches[line_only.pk].reasons
    assert main_only.pk in matches
    assert dormant.pk not in matches
    assert matches[world.baigou_big.pk].rank < matches[line_only.pk].rank


def test_a_supplier_that_names_a_category_among_its_main_ones_becomes_a_candidate_there_and_stops_being_one(
    world: BackpackWorld, django_capture_on_commit_callbacks: Capture
) -> None:
    """Changing its main categories (or removing its product line) through the profile rewrites its
    facts after commit, and it is matched to the open RFQs it now fits: RFQs matched from then on
    find it in the new category; its old category's row goes with the line."""
    supplier = supplier_with_member(name="Plastics, then backpacks", main_categories=[world.plastics])
    membership = Membership.objects.get(company=supplier.company)
    line = ProductLineCapacityFactory(supplier=supplier, category=world.plastics, monthly_capacity=10_000)
    supplier_category_facts_refresh(supplier_ids=[supplier.pk])
    before = backpack_rfq(world)
    rfq_match(rfq_id=before.pk)
    assert not Match.objects.filter(rfq=before, supplier=supplier).exists()

    with django_capture_on_commit_callbacks(execute=True):
        supplier_profile_update(
            membership=membership,
            supplier_name=supplier.name,
            belt=supplier.belt,
            province=supplier.province,
            city=supplier.city,
            main_categories=[world.backpacks],
            business_type=supplier.business_type,
        )
    told_of_the_open_one = Match.objects.filter(rfq=before, supplier=supplier).exists()
    after = backpack_rfq(world)
    rfq_match(rfq_id=after.pk)
    found_by_the_next_one = Match.objects.filter(rfq=after, supplier=supplier).exists()
    with django_capture_on_commit_callbacks(execute=True):
        capacity_delete(supplier=supplier, capacity_id=line.pk)

    assert told_of_the_open_one
    assert found_by_the_next_one
    assert facts_of(supplier) == [(world.backpacks.pk, "", 0, None, None, None)]
