"""The matching facts: a supplier's catalog summed up per category and unit, kept current, rebuilt on demand."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from buyers.matching.scoring import RfqFacts, Scorer, SupplierFacts
from buyers.models import Match, SourcingRequest, SupplierCategoryFacts
from buyers.receivers import match_supplier_to_open_rfqs
from buyers.services.matching import _best, rfq_match, supplier_category_facts_rebuild, supplier_category_facts_refresh
from suppliers.models import Product
from suppliers.services.catalog import products_set_status
from tests.buyers.factories import MatchFactory
from tests.buyers.factories_match import BackpackWorld, backpack_rfq, backpack_world, supplier_with_member
from tests.factories import CurrencyFactory
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]


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
    assert facts_of(world.baigou_late) != []  # archiving announces nothing (see docs/matching.md)

    output = StringIO()
    call_command("matching_facts_rebuild", "--batch-size", "2", stdout=output)

    assert facts_of(world.baigou_late) == []
    assert "Rewrote the matching facts of 4 suppliers: 3 rows" in output.getvalue()


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
