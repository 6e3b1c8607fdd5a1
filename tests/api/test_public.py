"""The public read-only API: belts, categories, currencies and exchange rates, for anyone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from marketplace.models import IndustrialBelt
from tests.factories import (
    CategoryFactory,
    CurrencyFactory,
    ExchangeRateFactory,
    IndustrialBeltFactory,
    StaffFactory,
)
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db


def slugs(response: object) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


@pytest.fixture
def tree() -> dict[str, object]:
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    backpacks = CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)
    school = CategoryFactory(slug="school-backpacks", name_en="School backpacks", name_zh="书包", parent=backpacks)
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    return {"bags": bags, "backpacks": backpacks, "school": school, "toys": toys}


# --- Belts --------------------------------------------------------------------------------------


def test_anyone_sees_live_and_onboarding_belts_but_not_drafts(client: Client) -> None:
    IndustrialBeltFactory(slug="baigou", status=IndustrialBelt.Status.LIVE)
    IndustrialBeltFactory(slug="chenghai", status=IndustrialBelt.Status.ONBOARDING)
    IndustrialBeltFactory(slug="secret", status=IndustrialBelt.Status.DRAFT)

    assert slugs(client.get("/api/v1/belts/")) == ["baigou", "chenghai"]
    assert client.get("/api/v1/belts/secret/").status_code == 404


def test_staff_also_see_draft_belts() -> None:
    IndustrialBeltFactory(slug="secret", status=IndustrialBelt.Status.DRAFT)
    client = Client()
    client.force_login(StaffFactory())

    assert slugs(client.get("/api/v1/belts/")) == ["secret"]
    assert client.get("/api/v1/belts/secret/").status_code == 200


def test_a_belt_shows_its_facts_in_both_languages(client: Client, tree: dict) -> None:
    IndustrialBeltFactory(
        slug="baigou",
        name_en="Baigou bags",
        name_zh="白沟箱包",
        province="hebei",
        city="Baoding",
        number_of_firms=4000,
        annual_output_cny=Decimal("50000000000.00"),
        specialties=[tree["bags"]],
    )

    belt = client.get("/api/v1/belts/baigou/").json()

    assert belt["name_en"] == "Baigou bags"
    assert belt["name_zh"] == "白沟箱包"
    assert belt["province"] == "hebei"
    assert belt["province_name"] == "Hebei"
    assert belt["number_of_firms"] == 4000
    assert belt["annual_output_cny"] == "50000000000.00"
    assert belt["specialties"] == [{"slug": "bags", "name_en": "Bags", "name_zh": "箱包"}]
    assert belt["url"] == "http://testserver/api/v1/belts/baigou/"


def test_belts_filter_by_province_status_and_category_subtree(client: Client, tree: dict) -> None:
    IndustrialBeltFactory(slug="baigou", province="hebei", specialties=[tree["backpacks"]])
    IndustrialBeltFactory(
        slug="pinghu", province="zhejiang", specialties=[tree["school"]], status=IndustrialBelt.Status.ONBOARDING
    )
    IndustrialBeltFactory(slug="chenghai", province="guangdong", specialties=[tree["toys"]])

    assert slugs(client.get("/api/v1/belts/", {"province": "hebei"})) == ["baigou"]
    assert slugs(client.get("/api/v1/belts/", {"category": "bags"})) == ["baigou", "pinghu"]
    assert slugs(client.get("/api/v1/belts/", {"category": "school-backpacks"})) == ["pinghu"]
    assert slugs(client.get("/api/v1/belts/", {"status": "onboarding"})) == ["pinghu"]
    assert slugs(client.get("/api/v1/belts/", {"category": "bags", "province": "zhejiang"})) == ["pinghu"]


def test_a_belt_specialised_in_several_categories_of_a_subtree_is_listed_once(client: Client, tree: dict) -> None:
    IndustrialBeltFactory(slug="baigou", specialties=[tree["bags"], tree["backpacks"], tree["school"]])

    assert slugs(client.get("/api/v1/belts/", {"category": "bags"})) == ["baigou"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"province": "atlantis"}, "province"),
        ({"category": "no-such-category"}, "category"),
        ({"category": "bad\x00slug"}, "category"),
        ({"status": "retired"}, "status"),
    ],
)
def test_an_invalid_belt_filter_is_a_400_naming_the_parameter(client: Client, params: dict, field: str) -> None:
    response = client.get("/api/v1/belts/", params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


def test_the_belt_list_pages_with_a_cursor(client: Client) -> None:
    for n in range(5):
        IndustrialBeltFactory(slug=f"belt-{n}")

    first = client.get("/api/v1/belts/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [b["slug"] for b in first["results"]] == ["belt-0", "belt-1"]
    assert [b["slug"] for b in second["results"]] == ["belt-2", "belt-3"]


def test_a_made_up_cursor_is_a_404_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/belts/", {"cursor": "garbage"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_belt_list_makes_the_same_queries_for_any_page_size(client: Client, tree: dict) -> None:
    for n in range(12):
        IndustrialBeltFactory(slug=f"belt-{n:02d}", specialties=[tree["bags"], tree["toys"]])

    assert_same_queries_for_page_sizes(lambda size: client.get("/api/v1/belts/", {"page_size": size}))


# --- Categories ---------------------------------------------------------------------------------


def test_categories_come_in_tree_order_with_parent_depth_and_path(client: Client, tree: dict) -> None:
    items = client.get("/api/v1/categories/").json()["results"]

    assert [c["slug"] for c in items] == ["bags", "backpacks", "school-backpacks", "toys"]
    school = items[2]
    assert school["parent"] == "backpacks"
    assert school["depth"] == 2
    assert school["path"] == tree["school"].path
    assert school["name_zh"] == "书包"
    assert items[0]["parent"] is None


def test_categories_filter_by_parent_and_depth(client: Client, tree: dict) -> None:
    assert slugs(client.get("/api/v1/categories/", {"parent": "bags"})) == ["backpacks"]
    assert slugs(client.get("/api/v1/categories/", {"depth": 0})) == ["bags", "toys"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"parent": "nope"}, "parent"),
        ({"depth": "deep"}, "depth"),
        ({"depth": "1.5"}, "depth"),
        ({"depth": -1}, "depth"),
    ],
)
def test_an_invalid_category_filter_is_a_400(client: Client, tree: dict, params: dict, field: str) -> None:
    response = client.get("/api/v1/categories/", params)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_a_category_shows_its_ancestors_and_children(client: Client, tree: dict) -> None:
    category = client.get("/api/v1/categories/backpacks/").json()

    assert category["ancestors"] == [{"slug": "bags", "name_en": "Bags", "name_zh": "箱包"}]
    assert category["children"] == [{"slug": "school-backpacks", "name_en": "School backpacks", "name_zh": "书包"}]


def test_an_unknown_category_is_a_404_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/categories/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_category_list_makes_the_same_queries_for_any_page_size(client: Client) -> None:
    root = CategoryFactory()
    for _n in range(12):
        CategoryFactory(parent=root)

    assert_same_queries_for_page_sizes(lambda size: client.get("/api/v1/categories/", {"page_size": size}))


# --- Money --------------------------------------------------------------------------------------


def test_cross_border_currencies_lists_the_active_ones_with_a_fresh_rate_by_code(client: Client) -> None:
    ExchangeRateFactory(base__code="USD", quote=CurrencyFactory(code="QQQ", name="Test dollar", symbol="Q$"))
    ExchangeRateFactory(base__code="USD", quote=CurrencyFactory(code="XXX", name="Retired", is_active=False))
    CurrencyFactory(code="QQR", name="Test dollar without a rate")

    items = client.get("/api/v1/currencies/", {"page_size": 100}).json()["results"]

    codes = [c["code"] for c in items]
    assert codes == sorted(codes)
    assert "XXX" not in codes, "not active"
    assert "QQR" not in codes, "no exchange rate: not offered"
    assert {"code": "QQQ", "name": "Test dollar", "symbol": "Q$", "decimal_places": 2} in items


def test_the_currency_list_makes_the_same_queries_for_any_page_size(client: Client) -> None:
    for n in range(12):
        CurrencyFactory(code=f"Q{chr(65 + n)}A")

    assert_same_queries_for_page_sizes(lambda size: client.get("/api/v1/currencies/", {"page_size": size}))


@pytest.fixture
def rates() -> None:
    usd, cny, eur = CurrencyFactory(code="USD"), CurrencyFactory(code="CNY"), CurrencyFactory(code="EUR")
    ExchangeRateFactory(base=usd, quote=cny, rate=Decimal("7.10"), valid_on=date(2026, 1, 2))
    ExchangeRateFactory(base=usd, quote=cny, rate=Decimal("7.20"), valid_on=date(2026, 1, 1))
    ExchangeRateFactory(base=eur, quote=cny, rate=Decimal("7.90"), valid_on=date(2026, 1, 2))


def pairs(response: object) -> list[tuple[str, str, str, str]]:
    assert response.status_code == 200, response.content
    return [(r["base"], r["quote"], r["rate"], r["valid_on"]) for r in response.json()["results"]]


@pytest.mark.own_exchange_rates
def test_exchange_rates_come_newest_first(client: Client, rates: None) -> None:
    assert pairs(client.get("/api/v1/exchange-rates/")) == [
        ("EUR", "CNY", "7.90000000", "2026-01-02"),
        ("USD", "CNY", "7.10000000", "2026-01-02"),
        ("USD", "CNY", "7.20000000", "2026-01-01"),
    ]


def test_exchange_rates_filter_by_currency_and_date(client: Client, rates: None) -> None:
    assert len(pairs(client.get("/api/v1/exchange-rates/", {"base": "USD", "quote": "CNY"}))) == 2
    assert pairs(client.get("/api/v1/exchange-rates/", {"base": "USD", "valid_on": "2026-01-01"})) == [
        ("USD", "CNY", "7.20000000", "2026-01-01")
    ]
    assert len(pairs(client.get("/api/v1/exchange-rates/", {"valid_on__lte": "2026-01-01"}))) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"base": "ZZZ"}, "base"),
        ({"quote": "dollars"}, "quote"),
        ({"valid_on": "yesterday"}, "valid_on"),
        ({"valid_on__lte": "2026-13-45"}, "valid_on__lte"),
    ],
)
def test_an_invalid_rate_filter_is_a_400(client: Client, rates: None, params: dict, field: str) -> None:
    response = client.get("/api/v1/exchange-rates/", params)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_the_rate_list_makes_the_same_queries_for_any_page_size(client: Client) -> None:
    usd, cny = CurrencyFactory(code="USD"), CurrencyFactory(code="CNY")
    for day in range(1, 13):
        ExchangeRateFactory(base=usd, quote=cny, valid_on=date(2026, 2, day))

    assert_same_queries_for_page_sizes(lambda size: client.get("/api/v1/exchange-rates/", {"page_size": size}))
