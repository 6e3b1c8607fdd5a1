"""Public products and suppliers through the REST API: search, filters, facets, cursors and details."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from marketplace.api.written import TranslatingListSerializer
from marketplace.models import TextTranslation
from suppliers.api.filters import ProductSearchParamsSerializer
from suppliers.api.public import search_page
from suppliers.api.serializers import ProductListItemSerializer, ProductSearchPageSerializer
from suppliers.models import Certification, Product, SupplierProfile
from suppliers.search.index import suppliers_reindex
from suppliers.search.service import search_products
from tests.factories import (
    CategoryFactory,
    CurrencyFactory,
    ExchangeRateFactory,
    IndustrialBeltFactory,
    SupplierProfileFactory,
)
from tests.querycount import assert_same_queries_for_page_sizes, count_queries
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory
from tests.test_schemathesis import CHECKS as SCHEMA_CHECKS
from tests.test_schemathesis import _wsgi_keeps_the_test_transaction  # noqa: F401 (a fixture)
from tests.test_schemathesis import schema as schema_under_test

pytestmark = pytest.mark.django_db


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def skus(response: Any) -> list[str]:
    return sorted(item["sku"] for item in results(response))


def fields_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


@pytest.fixture
def world() -> dict[str, Any]:
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    school = CategoryFactory(slug="school-backpacks", name_en="School backpacks", name_zh="书包", parent=bags)
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    baigou = IndustrialBeltFactory(slug="baigou", name_en="Baigou bags", name_zh="白沟箱包", province="hebei")
    chenghai = IndustrialBeltFactory(slug="chenghai", name_en="Chenghai toys", name_zh="澄海玩具", province="guangdong")
    bag_factory = SupplierProfileFactory(
        name="Baigou Clear Bags",
        name_zh="白沟透明箱包厂",
        belt=baigou,
        province="hebei",
        verification_status=SupplierProfile.Verification.VERIFIED,
    )
    toy_trader = SupplierProfileFactory(
        name="Chenghai Toy Trading",
        belt=chenghai,
        province="guangdong",
        city="Shantou",
        business_type=SupplierProfile.BusinessType.TRADING,
    )
    bag_factory.main_categories.set([bags])
    toy_trader.main_categories.set([toys])
    suppliers_reindex(supplier_ids=[bag_factory.pk, toy_trader.pk])  # as the profile services do
    clear_bag = ProductFactory(
        supplier=bag_factory,
        sku="BG-CLEAR",
        title="透明书包 Transparent PVC school backpack",
        category=school,
        moq=500,
        lead_time_days=12,
        sample_available=True,
        tiers=[(500, "12.50"), (5000, "11.80")],
    )
    ProductImageFactory(product=clear_bag)
    ProductFactory(
        supplier=bag_factory,
        sku="BG-CANVAS",
        title="Canvas school backpack 帆布书包",
        description="Canvas, two pockets.",
        category=school,
        moq=100,
        lead_time_days=30,
        tiers=[(100, "25.00")],
    )
    ProductFactory(
        supplier=toy_trader,
        sku="TOY-BEAR",
        title="Plush teddy bear 毛绒玩具熊",
        description="Soft toy",
        category=toys,
        moq=1000,
        lead_time_days=20,
        tiers=[(1000, "8.00")],
    )
    ProductFactory(
        supplier=bag_factory,
        sku="BG-DRAFT",
        title="透明书包 draft backpack",
        description="",
        category=school,
        status=Product.Status.DRAFT,
    )
    ProductFactory(
        supplier=bag_factory,
        sku="BG-OLD",
        title="透明书包 archived backpack",
        category=school,
        status=Product.Status.ARCHIVED,
    )
    return {
        "bags": bags,
        "school": school,
        "toys": toys,
        "baigou": baigou,
        "bag_factory": bag_factory,
        "toy_trader": toy_trader,
        "clear_bag": clear_bag,
    }


# --- Product search -----------------------------------------------------------------------------


def test_a_buyer_searching_透明书包_finds_the_baigou_backpack(client: Client, world: dict) -> None:
    found = results(client.get("/api/v1/products/", {"q": "透明书包"}))

    assert [item["sku"] for item in found] == ["BG-CLEAR"]
    item = found[0]
    assert item["belt"] == {"slug": "baigou", "name_en": "Baigou bags", "name_zh": "白沟箱包"}
    assert item["supplier"]["name"] == "Baigou Clear Bags"
    assert item["supplier"]["is_verified"] is True
    assert item["category"]["slug"] == "school-backpacks"
    assert item["from_price"] == "11.80"
    assert item["thumbnail_url"].startswith("http://testserver/")
    assert item["url"] == f"http://testserver/api/v1/products/{world['clear_bag'].pk}/"


def test_an_english_query_finds_the_same_backpack(client: Client, world: dict) -> None:
    assert "BG-CLEAR" in skus(client.get("/api/v1/products/", {"q": "transparent backpack"}))


def test_a_sku_finds_its_product(client: Client, world: dict) -> None:
    assert skus(client.get("/api/v1/products/", {"q": "bg-clear"})) == ["BG-CLEAR"]


def test_drafts_and_archived_products_are_never_public(client: Client, world: dict) -> None:
    listed = skus(client.get("/api/v1/products/", {"limit": 100}))
    draft = Product.objects.get(sku="BG-DRAFT")
    archived = Product.objects.get(sku="BG-OLD")

    assert listed == ["BG-CANVAS", "BG-CLEAR", "TOY-BEAR"]
    assert "BG-DRAFT" not in skus(client.get("/api/v1/products/", {"q": "draft"}))
    assert client.get(f"/api/v1/products/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/products/{archived.pk}/").status_code == 404


def test_the_owner_does_not_see_its_draft_in_the_public_api(actors: dict) -> None:
    owner = actors["supplier"]
    draft = ProductFactory(supplier=owner.supplier, status=Product.Status.DRAFT)

    assert owner.client.get(f"/api/v1/products/{draft.pk}/").status_code == 404


def test_products_of_a_deactivated_supplier_disappear(client: Client, world: dict) -> None:
    SupplierProfile.objects.filter(pk=world["toy_trader"].pk).update(is_active=False)

    assert "TOY-BEAR" not in skus(client.get("/api/v1/products/"))
    assert client.get(f"/api/v1/suppliers/{world['toy_trader'].pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "bags"}, ["BG-CANVAS", "BG-CLEAR"]),
        ({"category": "toys"}, ["TOY-BEAR"]),
        ({"belt": "baigou"}, ["BG-CANVAS", "BG-CLEAR"]),
        ({"province": "guangdong"}, ["TOY-BEAR"]),
        ({"max_moq": 500}, ["BG-CANVAS", "BG-CLEAR"]),
        ({"max_lead_time": 14}, ["BG-CLEAR"]),
        ({"verified": "true"}, ["BG-CANVAS", "BG-CLEAR"]),
        ({"manufacturers": "true"}, ["BG-CANVAS", "BG-CLEAR"]),
        ({"sample": "true"}, ["BG-CLEAR"]),
        ({"max_price": "12"}, ["BG-CLEAR", "TOY-BEAR"]),
        ({"quantity": 1000, "max_price": "12"}, ["TOY-BEAR"]),
        ({"quantity": 5000, "max_price": "12"}, ["BG-CLEAR", "TOY-BEAR"]),
        ({"max_price": "12", "currency": "USD"}, []),
    ],
)
def test_filters_narrow_the_products(client: Client, world: dict, params: dict, expected: list[str]) -> None:
    assert skus(client.get("/api/v1/products/", params)) == expected


def test_with_a_quantity_each_result_shows_its_price_at_that_quantity(client: Client, world: dict) -> None:
    found = results(client.get("/api/v1/products/", {"quantity": 1000, "sort": "price"}))

    assert [(item["sku"], item["price_at_quantity"]) for item in found] == [
        ("TOY-BEAR", "8.00"),
        ("BG-CLEAR", "12.50"),
        ("BG-CANVAS", "25.00"),
    ]


class _DeclaredFields(ProductListItemSerializer):
    """The product list item as DRF writes it from the declared fields, field by field."""

    class Meta(ProductListItemSerializer.Meta):
        list_serializer_class = TranslatingListSerializer

    def to_representation(self, instance: Product) -> dict[str, Any]:
        return serializers.ModelSerializer.to_representation(self, instance)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_hardening_search_results_are_written_as_their_declared_fields_would_be(
    client: Client, world: dict, settings: Any, language: str
) -> None:
    settings.TRANSLATION_PROVIDER = "libretranslate"  # stored translations are shown (none is asked in a test)
    title = "透明书包 Transparent PVC school backpack"  # written in Chinese (more characters than words)
    TextTranslation.objects.create(
        text_hash=TextTranslation.hash_of(title),
        source_language="zh-hans",
        target_language="en",
        source_text=title,
        translated_text="Transparent school backpack",
        translated_at=timezone.now(),
    )
    params = {"q": "backpack", "quantity": 500, "sort": "price"}

    answered = results(client.get("/api/v1/products/", params, HTTP_ACCEPT_LANGUAGE=language))

    found = search_products(query="backpack", quantity=500, sort="price")
    for product in found.items:
        product.listed_category = product.category  # type: ignore[attr-defined]  # as the view sets it
    with translation.override(language):
        request = Request(APIRequestFactory().get("/api/v1/products/", params))
        declared = _DeclaredFields(found.items, many=True, context={"request": request}).data
    assert answered == json.loads(json.dumps(declared))
    assert [item["sku"] for item in answered] == ["BG-CLEAR", "BG-CANVAS"]
    assert [bool(item["title_translated"]) for item in answered] == (
        [True, False] if language == "en" else [False, False]
    )
    assert all(item["price_at_quantity"] and item["published_at"] and item["belt"] for item in answered)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "backpack", "quantity": "500", "sort": "price", "limit": "1"},
        {"category": "bags"},
        {"q": "no such words at all"},
    ],
)
def test_hardening_a_search_page_is_written_as_its_declared_fields_would_be(world: dict, params: dict) -> None:
    """The page (links, sort, facets, results) written directly gives what DRF's loop over the
    declared fields gives, whatever the search: facets with values or none, a next page or none."""
    request = Request(APIRequestFactory().get("/api/v1/products/", params))
    arguments = ProductSearchParamsSerializer(data=params)
    arguments.is_valid(raise_exception=True)
    found = search_products(**arguments.search_arguments())
    page = search_page(request, found)
    context = {"request": request}

    written = ProductSearchPageSerializer(page, context=context).data
    serializer = ProductSearchPageSerializer(page, context=context)
    declared = serializers.Serializer.to_representation(serializer, page)

    assert json.loads(json.dumps(written)) == json.loads(json.dumps(declared))
    assert list(written) == list(declared)
    assert list(written["facets"]) == list(declared["facets"])


def test_each_searchs_parameters_are_read_by_fields_of_its_own(client: Client, world: dict) -> None:
    """The search's parameters are validated by shallow copies of the declared fields (not DRF's
    deep copies, `QueryParamsSerializer`): two searches read one beside the other each get their
    own values and errors, and the declared fields stay unbound for the next request."""
    bad = ProductSearchParamsSerializer(data={"quantity": "many", "sort": "cheapest"})
    good = ProductSearchParamsSerializer(data={"q": "backpack", "quantity": "50", "sort": "price"})

    assert not bad.is_valid()
    assert good.is_valid(), good.errors
    assert set(bad.errors) == {"quantity", "sort"}
    assert "cheapest" in str(bad.errors["sort"][0])
    assert good.search_arguments()["quantity"] == 50
    assert good.search_arguments()["sort"] == "price"
    assert bad.fields["quantity"] is not good.fields["quantity"]
    assert good.fields["quantity"].parent is good
    declared = ProductSearchParamsSerializer._declared_fields["quantity"]
    assert declared.parent is None
    assert declared.field_name is None
    # Over the API, a refused search and then a good one.
    assert client.get("/api/v1/products/", {"quantity": "many"}).status_code == 400
    answered = client.get("/api/v1/products/", {"quantity": "50", "sort": "price"})
    assert answered.status_code == 200
    assert answered.json()["quantity"] == 50


def test_results_come_with_facets_that_name_their_filters(client: Client, world: dict) -> None:
    page = client.get("/api/v1/products/").json()

    assert page["facets"]["total"] == 3
    assert {(value["slug"], value["count"]) for value in page["facets"]["categories"]} == {("bags", 2), ("toys", 1)}
    assert {(value["slug"], value["count"]) for value in page["facets"]["belts"]} == {("baigou", 2), ("chenghai", 1)}


def test_a_buyer_pages_through_every_result_with_cursors(client: Client, world: dict) -> None:
    for number in range(5):
        ProductFactory(supplier=world["toy_trader"], sku=f"TOY-{number}", category=world["toys"])

    seen: list[str] = []
    url: str | None = "/api/v1/products/?limit=2&category=toys"
    while url:
        page = client.get(url).json()
        seen += [item["sku"] for item in page["results"]]
        url = page["next"]

    assert sorted(seen) == ["TOY-0", "TOY-1", "TOY-2", "TOY-3", "TOY-4", "TOY-BEAR"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "no-such"}, "category"),
        ({"belt": "atlantis"}, "belt"),
        ({"province": "narnia"}, "province"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"quantity": "99999999999999999999"}, "quantity"),
        ({"max_price": "NaN"}, "max_price"),
        ({"max_price": "-1"}, "max_price"),
        ({"currency": "XXX"}, "currency"),
        ({"max_moq": "1.5"}, "max_moq"),
        ({"max_lead_time": "999"}, "max_lead_time"),
        ({"verified": "perhaps"}, "verified"),
        ({"sort": "cheapest"}, "sort"),
        ({"limit": "101"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"q": "bad\x00query"}, "q"),
    ],
)
def test_bad_search_parameters_answer_400_naming_the_parameter(
    client: Client, world: dict, params: dict, field: str
) -> None:
    assert field in fields_of(client.get("/api/v1/products/", params))


def test_a_cursor_from_another_sort_answers_400(client: Client, world: dict) -> None:
    cursor = client.get("/api/v1/products/", {"limit": 1, "sort": "newest"}).json()["next_cursor"]

    assert "cursor" in fields_of(client.get("/api/v1/products/", {"sort": "price", "cursor": cursor}))


def test_the_product_search_makes_the_same_queries_for_any_page_size(client: Client, world: dict) -> None:
    for number in range(12):
        product = ProductFactory(supplier=world["toy_trader"], sku=f"T-{number}", category=world["toys"])
        ProductImageFactory(product=product)
    # The API adds no query to the search service's own (whose count the search tests pin): the
    # page's and facets' categories and belts are named from the process's names; a `category`
    # parameter adds one, to find the category by its slug.
    search_products()  # a process that has searched before: the facets' names read,
    search_products(query="plush", quantity=1000)  # and the share of the quantity's MOQ token estimated
    by_category = count_queries(lambda: search_products(category=world["toys"], limit=10))
    by_text = count_queries(lambda: search_products(query="plush", quantity=1000, limit=10))

    assert_same_queries_for_page_sizes(
        lambda size: client.get("/api/v1/products/", {"limit": size, "category": "toys"}), expected=by_category + 1
    )
    assert_same_queries_for_page_sizes(
        lambda size: client.get("/api/v1/products/", {"limit": size, "q": "plush", "quantity": 1000}),
        expected=by_text,
    )


# --- One product --------------------------------------------------------------------------------


def test_a_product_shows_its_tiers_images_and_supplier(client: Client, world: dict) -> None:
    product = client.get(f"/api/v1/products/{world['clear_bag'].pk}/").json()

    assert product["tiers"] == [
        {"min_quantity": 500, "unit_price": "12.5000"},
        {"min_quantity": 5000, "unit_price": "11.8000"},
    ]
    assert len(product["images"]) == 1
    assert product["images"][0]["url"].startswith("http://testserver/")
    assert product["supplier"]["url"] == f"http://testserver/api/v1/suppliers/{world['bag_factory'].pk}/"
    assert product["belt"]["slug"] == "baigou"
    assert product["attributes"] == [{"name": "material", "value": "PVC"}]
    assert product["price"] is None


def test_a_product_gives_its_price_at_a_quantity(client: Client, world: dict) -> None:
    price = client.get(f"/api/v1/products/{world['clear_bag'].pk}/", {"quantity": 6000}).json()["price"]

    assert price == {
        "quantity": 6000,
        "unit_price": "11.8000",
        "total": "70800.00",
        "currency": "CNY",
        "below_moq": False,
        "converted": None,
    }


def test_below_the_moq_a_product_has_no_price(client: Client, world: dict) -> None:
    price = client.get(f"/api/v1/products/{world['clear_bag'].pk}/", {"quantity": 10}).json()["price"]

    assert price["below_moq"] is True
    assert price["unit_price"] is None


def test_a_price_is_converted_to_the_buyers_currency_at_the_latest_rate(client: Client, world: dict) -> None:
    ExchangeRateFactory(
        base=CurrencyFactory(code="CNY"),
        quote=CurrencyFactory(code="USD"),
        rate=Decimal("0.14"),
        valid_on=date.today() - timedelta(days=1),
    )

    price = client.get(f"/api/v1/products/{world['clear_bag'].pk}/", {"quantity": 500, "currency": "USD"}).json()[
        "price"
    ]

    assert price["total"] == "6250.00"
    assert price["converted"]["currency"] == "USD"
    assert Decimal(price["converted"]["amount"]) == Decimal("875.00")


@pytest.mark.parametrize("params", [{"quantity": "0"}, {"quantity": "x"}, {"currency": "ZZZ"}])
def test_bad_price_parameters_answer_400(client: Client, world: dict, params: dict) -> None:
    fields_of(client.get(f"/api/v1/products/{world['clear_bag'].pk}/", params))


def test_an_unknown_product_answers_404(client: Client, world: dict) -> None:
    response = client.get("/api/v1/products/999999999/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- Suppliers ----------------------------------------------------------------------------------


def test_suppliers_are_found_by_name_in_either_language(client: Client, world: dict) -> None:
    by_chinese = results(client.get("/api/v1/suppliers/", {"q": "透明"}))
    by_english = results(client.get("/api/v1/suppliers/", {"q": "toy"}))

    assert [item["name"] for item in by_chinese] == ["Baigou Clear Bags"]
    assert [item["name"] for item in by_english] == ["Chenghai Toy Trading"]
    assert by_chinese[0]["main_categories"] == [{"slug": "bags", "name_en": "Bags", "name_zh": "箱包"}]


def test_without_a_query_verified_suppliers_come_first(client: Client, world: dict) -> None:
    names = [item["name"] for item in results(client.get("/api/v1/suppliers/"))]

    assert names.index("Baigou Clear Bags") < names.index("Chenghai Toy Trading")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"belt": "baigou"}, ["Baigou Clear Bags"]),
        ({"province": "guangdong"}, ["Chenghai Toy Trading"]),
        ({"category": "toys"}, ["Chenghai Toy Trading"]),
        ({"verified": "true"}, ["Baigou Clear Bags"]),
        ({"manufacturers": "true", "q": "chenghai"}, []),
    ],
)
def test_supplier_filters(client: Client, world: dict, params: dict, expected: list[str]) -> None:
    names = sorted(item["name"] for item in results(client.get("/api/v1/suppliers/", params)))

    assert [name for name in names if name in {"Baigou Clear Bags", "Chenghai Toy Trading"}] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"belt": "atlantis"}, "belt"),
        ({"limit": "0"}, "limit"),
        ({"verified": "x"}, "verified"),
        ({"cursor": "!"}, "cursor"),
    ],
)
def test_bad_supplier_search_parameters_answer_400(client: Client, world: dict, params: dict, field: str) -> None:
    assert field in fields_of(client.get("/api/v1/suppliers/", params))


def test_a_suppliers_public_profile_shows_its_facts_and_newest_products(client: Client, world: dict) -> None:
    supplier = world["bag_factory"]
    # Only approved, current documents are public (suppliers/services/verification.py).
    Certification.objects.create(
        supplier=supplier, name="ISO 9001", issuer="SGS", number="Q-1", file="certs/q.pdf", review_status="approved"
    )
    Certification.objects.create(
        supplier=supplier,
        name="Expired",
        issuer="SGS",
        expires_on=date.today() - timedelta(days=1),
        review_status="approved",
    )
    Certification.objects.create(supplier=supplier, name="Awaiting review", issuer="SGS")

    profile = client.get(f"/api/v1/suppliers/{supplier.pk}/").json()

    assert profile["name_zh"] == "白沟透明箱包厂"
    assert profile["verification_status"] == "verified"
    assert profile["certifications"] == [{"name": "ISO 9001", "issuer": "SGS", "number": "Q-1", "expires_on": None}]
    assert sorted(item["sku"] for item in profile["recent_products"]) == ["BG-CANVAS", "BG-CLEAR"]
    clear = next(item for item in profile["recent_products"] if item["sku"] == "BG-CLEAR")
    assert clear["thumbnail_url"].startswith("http://testserver/")


def test_the_supplier_search_makes_the_same_queries_for_any_page_size(client: Client, world: dict) -> None:
    for number in range(12):
        SupplierProfileFactory(name=f"Bag maker {number}").main_categories.set([world["bags"]])

    assert_same_queries_for_page_sizes(lambda size: client.get("/api/v1/suppliers/", {"limit": size}), expected=2)


# --- Throttling ---------------------------------------------------------------------------------


def test_anonymous_clients_are_throttled(client: Client, world: dict, settings: Any) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}

    answers = [client.get("/api/v1/products/").status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    assert client.get("/api/v1/suppliers/").status_code == 429


# --- The schema's promises with real products and suppliers -------------------------------------
# tests/test_schemathesis.py fuzzes these operations over an empty catalog; these check the
# answers that carry products, facets, prices and profiles against the schema too.


@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
def test_public_answers_with_real_data_are_as_the_schema_says(world: dict) -> None:
    ExchangeRateFactory(base=CurrencyFactory(code="CNY"), quote=CurrencyFactory(code="USD"), rate=Decimal("0.14"))
    Certification.objects.create(supplier=world["bag_factory"], name="ISO 9001", issuer="SGS", review_status="approved")
    calls = [
        ("/api/v1/products/", {}, {"q": "透明书包"}),
        ("/api/v1/products/", {}, {"quantity": 1000, "sort": "price", "limit": 1}),
        ("/api/v1/products/{id}/", {"id": world["clear_bag"].pk}, {"quantity": 600, "currency": "USD"}),
        ("/api/v1/products/{id}/", {"id": world["clear_bag"].pk}, {}),
        ("/api/v1/suppliers/", {}, {"q": "透明"}),
        ("/api/v1/suppliers/", {}, {"limit": 1}),
        ("/api/v1/suppliers/{id}/", {"id": world["bag_factory"].pk}, {}),
    ]
    for path, path_parameters, query in calls:
        case = schema_under_test[path]["GET"].Case(path_parameters=path_parameters, query=query)

        response = case.call_and_validate(checks=SCHEMA_CHECKS)

        assert response.status_code == 200, (path, query, response.text)
