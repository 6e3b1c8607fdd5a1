"""An RFQ's words counted on the matching facts (PostgreSQL): exact, without reading the products."""

from __future__ import annotations

import pytest
from django.db import connection

from buyers.matching.words import facts_word_matches, word_tokens
from buyers.models import Match
from buyers.services.matching import rfq_match, supplier_category_facts_refresh
from suppliers.models import SupplierProfile
from suppliers.search.index import products_reindex
from suppliers.search.segment import QueryTerm
from tests.buyers.builders_match import BackpackWorld, backpack_rfq, backpack_world, supplier_with_member
from tests.factories import CurrencyFactory
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)


@pytest.fixture
def world() -> BackpackWorld:
    return backpack_world()


def _matching(supplier: object, world: BackpackWorld, *terms: QueryTerm) -> list[tuple[int, int | None, int | None]]:
    rows = facts_word_matches(word_tokens(list(terms)), supplier_ids=[supplier.pk], categories=[world.backpacks.pk])
    return [(row.matching, row.lowest_moq, row.fastest_lead_time) for row in rows]


def test_only_the_products_with_the_rfq_s_words_count_and_they_give_the_moq_and_lead_time(world: BackpackWorld) -> None:
    mixed = supplier_with_member(name="Mixed catalog", belt=world.baigou)
    for moq in (300, 400, 600):
        ProductFactory(
            supplier=mixed,
            category=world.backpacks,
            title="Transparent school backpack",
            moq=moq,
            lead_time_days=14,
            description="",
        )
    ProductFactory(
        supplier=mixed, category=world.backpacks, title="Garden watering can", moq=10, lead_time_days=3, description=""
    )
    supplier_category_facts_refresh(supplier_ids=[mixed.pk])
    # Every product's text holds its category's names ("Backpacks"): the request avoids that word.
    rfq = backpack_rfq(world, title="Transparent rucksack", description="Clear rucksack for pupils.")

    rfq_match(rfq_id=rfq.pk)

    reasons = Match.objects.get(rfq=rfq, supplier=mixed).reasons
    assert {"code": "products", "count": 3} in reasons
    assert {"code": "moq", "moq": 300, "unit": "piece"} in reasons
    assert {"code": "lead_time", "days": 14} in reasons


def test_a_word_in_every_product_counts_them_all_and_a_word_in_some_counts_only_those(world: BackpackWorld) -> None:
    mixed = supplier_with_member(name="Mixed catalog", belt=world.baigou)
    for title, moq, lead_time in (("School backpack", 300, 14), ("Hiking backpack", 50, 30), ("Garden can", 10, 3)):
        ProductFactory(
            supplier=mixed, category=world.backpacks, title=title, moq=moq, lead_time_days=lead_time, description=""
        )
    supplier_category_facts_refresh(supplier_ids=[mixed.pk])
    # Every product's text holds its category's names ("Backpacks").
    every = QueryTerm(word="backpacks", chinese=False)
    hiking, school = QueryTerm(word="hiking", chinese=False), QueryTerm(word="school", chinese=False)

    assert _matching(mixed, world, every) == [(3, 10, 3)]
    assert _matching(mixed, world, hiking, every) == [(3, 10, 3)]
    assert _matching(mixed, world, hiking, school) == [(2, 50, 14)]
    assert _matching(mixed, world, school) == [(1, 300, 14)]


def test_a_word_in_plural_or_singular_finds_the_same_products(world: BackpackWorld) -> None:
    assert _matching(world.baigou_big, world, QueryTerm(word="backpacks", chinese=False)) == [(14, 500, 15)]
    assert _matching(world.baigou_big, world, QueryTerm(word="backpack", chinese=False)) == [(14, 500, 15)]
    assert _matching(world.baigou_big, world, QueryTerm(word="bucket", chinese=False)) == []


def test_a_chinese_word_matches_its_characters_in_a_row_however_the_product_was_segmented(
    world: BackpackWorld,
) -> None:
    maker = supplier_with_member(name="Chinese titles", belt=world.baigou)
    ProductFactory(supplier=maker, category=world.backpacks, title="透明双肩书包", description="", moq=100)
    ProductFactory(supplier=maker, category=world.backpacks, title="书包肩带", description="", moq=50)
    supplier_category_facts_refresh(supplier_ids=[maker.pk])

    # "肩书包" is no word of either title; only the first has its characters next to each other.
    assert _matching(maker, world, QueryTerm(word="肩书包", chinese=True)) == [
        (1, 100, ProductFactory._meta.model.objects.filter(supplier=maker, moq=100).get().lead_time_days)
    ]
    assert _matching(maker, world, QueryTerm(word="书包", chinese=True))[0][0] == 2


def test_the_words_follow_the_catalog_when_the_facts_are_refreshed(world: BackpackWorld) -> None:
    product = ProductFactory(
        supplier=world.baigou_small, category=world.backpacks, title="Folding camping stool", description=""
    )
    supplier_category_facts_refresh(supplier_ids=[world.baigou_small.pk])
    assert _matching(world.baigou_small, world, QueryTerm(word="stool", chinese=False))[0][0] == 1

    product.title = "Folding camping chair"
    product.save()
    products_reindex(product_ids=[product.pk])  # as the catalog services do
    supplier_category_facts_refresh(supplier_ids=[world.baigou_small.pk])

    assert _matching(world.baigou_small, world, QueryTerm(word="stool", chinese=False)) == []
    assert _matching(world.baigou_small, world, QueryTerm(word="chair", chinese=False))[0][0] == 1


def _counted(supplier: SupplierProfile, world: BackpackWorld, *words: str) -> list[tuple[int, int | None, int | None]]:
    tokens = word_tokens([QueryTerm(word=word, chinese=False) for word in words])
    rows = facts_word_matches(tokens, supplier_ids=[supplier.pk], categories=[world.backpacks.pk])
    return [(row.matching, row.lowest_moq, row.fastest_lead_time) for row in rows]


def test_a_word_no_longer_in_every_product_counts_only_the_products_that_still_have_it(world: BackpackWorld) -> None:
    supplier = world.baigou_small
    # Its two backpacks: a word of both counts both, with the row's lowest MOQ and fastest lead time.
    assert _counted(supplier, world, "transparent") == [(2, 1000, 12)]
    chair = ProductFactory(
        supplier=supplier, category=world.backpacks, title="Folding stool", description="", moq=40, lead_time_days=5
    )
    supplier_category_facts_refresh(supplier_ids=[supplier.pk])
    assert _counted(supplier, world, "transparent") == [(2, 1000, 12)]
    assert _counted(supplier, world, "stool") == [(1, 40, 5)]
    assert _counted(supplier, world, "stool", "transparent") == [(3, 40, 5)]

    chair.title = "Folding transparent stool"
    chair.save()
    products_reindex(product_ids=[chair.pk])
    supplier_category_facts_refresh(supplier_ids=[supplier.pk])

    assert _counted(supplier, world, "transparent") == [(3, 40, 5)]


def test_the_rows_whose_words_are_in_every_product_count_as_their_vectors_do(world: BackpackWorld) -> None:
    """The shortcut of the word query (a word in every product of a row) gives what reading the
    row's vector gives, for every row and word of the world."""
    ProductFactory(supplier=world.baigou_small, category=world.backpacks, title="Folding stool", moq=40)
    supplier_category_facts_refresh(supplier_ids=[world.baigou_small.pk])
    suppliers = [world.baigou_big, world.baigou_small, world.baigou_late, world.taizhou_maker]
    words = [("transparent",), ("backpacks",), ("stool",), ("plastic",), ("stool", "backpack"), ("nothing",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM buyers_suppliercategoryfacts WHERE cardinality(common_words) > 0")
        assert cursor.fetchone()[0] >= 3  # the shortcut is taken

    shortcut = {(s.pk, w): _counted(s, world, *w) for s in suppliers for w in words}
    with connection.cursor() as cursor:
        cursor.execute("UPDATE buyers_suppliercategoryfacts SET common_words = NULL")
    vectors = {(s.pk, w): _counted(s, world, *w) for s in suppliers for w in words}

    assert shortcut == vectors
    assert shortcut[(world.baigou_big.pk, ("transparent",))] == [(14, 500, 15)]
