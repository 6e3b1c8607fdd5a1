"""The supplier's own catalog through the REST API: list, create, update, archive, publish, images, imports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from marketplace.services.api_tokens import api_token_create
from suppliers.models import CatalogImport, Product, ProductImage, SupplierProfile
from tests.conftest import Actor
from tests.factories import CategoryFactory, MembershipFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory, image_bytes
from tests.test_schemathesis import CHECKS as SCHEMA_CHECKS
from tests.test_schemathesis import _wsgi_keeps_the_test_transaction  # noqa: F401 (a fixture)
from tests.test_schemathesis import schema as schema_under_test

pytestmark = pytest.mark.django_db

PRODUCTS = "/api/v1/catalog/products/"


def token_client(user: Any) -> Client:
    """A program's client: an API token in the Authorization header, no session."""
    _token, key = api_token_create(user=user, name="erp")
    # An integration that reads English (the user may prefer Chinese: an explicit header decides).
    return Client(headers={"Authorization": f"Token {key}", "Accept-Language": "en"})


@pytest.fixture
def categories() -> dict[str, Any]:
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    backpacks = CategoryFactory(slug="backpacks", name_en="Backpacks", name_zh="背包", parent=bags)
    school = CategoryFactory(slug="school-backpacks", name_en="School backpacks", name_zh="书包", parent=backpacks)
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    return {"bags": bags, "backpacks": backpacks, "school": school, "toys": toys}


@pytest.fixture
def seller(actors: dict[str, Actor]) -> Actor:
    actor = actors["supplier"]
    actor.client = token_client(actor.user)
    return actor


def backpack(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "sku": "BG-PVC-01",
        "title": "Transparent PVC school backpack 透明书包",
        "description": "Clear PVC, reinforced straps.",
        "category": "school-backpacks",
        "unit": "piece",
        "moq": 500,
        "currency": "CNY",
        "lead_time_days": 15,
        "monthly_capacity": 200_000,
        "sample_available": True,
        "sample_price": "30.00",
        "sample_days": 5,
        "attributes": [{"name": "material", "value": "PVC"}, {"name": "colour", "value": "clear"}],
        "tiers": [{"min_quantity": 500, "unit_price": "12.50"}, {"min_quantity": 5000, "unit_price": "11.80"}],
    }
    body.update(changes)
    return body


def post(client: Client, body: Any, url: str = PRODUCTS) -> Any:
    return client.post(url, body, content_type="application/json")


def fields_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


def png_upload(name: str = "front.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size=(200, 200)), content_type="image/png")


# --- Create -------------------------------------------------------------------------------------


def test_a_supplier_adds_a_draft_product_with_tiers_and_attributes(seller: Actor, categories: dict) -> None:
    response = post(seller.client, backpack())

    assert response.status_code == 201, response.content
    product = response.json()
    assert product["sku"] == "BG-PVC-01"
    assert product["status"] == "draft"
    assert product["category"] == {"slug": "school-backpacks", "name_en": "School backpacks", "name_zh": "书包"}
    assert product["tiers"] == [
        {"min_quantity": 500, "unit_price": "12.5000"},
        {"min_quantity": 5000, "unit_price": "11.8000"},
    ]
    assert product["attributes"] == [{"name": "material", "value": "PVC"}, {"name": "colour", "value": "clear"}]
    assert product["min_unit_price"] == "11.8000"
    assert product["sample_price"] == "30.00"
    assert product["images"] == []
    assert product["url"] == f"http://testserver{PRODUCTS}{product['id']}/"
    stored = Product.objects.get(pk=product["id"])
    assert stored.supplier == seller.supplier
    assert stored.belt == seller.supplier.belt
    assert "书包" in stored.search_text


def test_asking_to_publish_a_new_product_without_an_image_is_refused(seller: Actor, categories: dict) -> None:
    fields = fields_of(post(seller.client, backpack(status="published")))

    assert fields["images"] == ["Add at least one image before publishing the product."]
    assert not Product.objects.exists()


def test_tiers_out_of_order_are_refused_and_nothing_is_written(seller: Actor, categories: dict) -> None:
    tiers = [{"min_quantity": 5000, "unit_price": "11.80"}, {"min_quantity": 500, "unit_price": "12.50"}]

    fields = fields_of(post(seller.client, backpack(tiers=tiers)))

    assert "Tier quantities must go up from one tier to the next." in fields["tiers"]
    assert not Product.objects.exists()


def test_a_larger_quantity_may_not_cost_more_per_unit(seller: Actor, categories: dict) -> None:
    tiers = [{"min_quantity": 500, "unit_price": "11.00"}, {"min_quantity": 5000, "unit_price": "12.00"}]

    fields = fields_of(post(seller.client, backpack(tiers=tiers)))

    assert fields["tiers"] == ["A larger quantity cannot cost more per unit than a smaller one."]


def test_a_product_needs_at_least_one_tier(seller: Actor, categories: dict) -> None:
    assert fields_of(post(seller.client, backpack(tiers=[])))["tiers"] == ["Give at least one price tier."]


def test_a_sku_already_in_the_catalog_is_refused(seller: Actor, categories: dict) -> None:
    ProductFactory(supplier=seller.supplier, sku="BG-PVC-01")

    fields = fields_of(post(seller.client, backpack()))

    assert fields["sku"] == ["You already have a product with this SKU; each product needs its own."]
    assert Product.objects.count() == 1


def test_another_supplier_may_use_the_same_sku(seller: Actor, actors: dict, categories: dict) -> None:
    ProductFactory(supplier=actors["other_supplier"].supplier, sku="BG-PVC-01")

    assert post(seller.client, backpack()).status_code == 201


def test_an_unknown_category_is_refused(seller: Actor, categories: dict) -> None:
    fields = fields_of(post(seller.client, backpack(category="no-such-category")))

    assert fields["category"] == ["There is no category “no-such-category”: choose one from the list."]


def test_ten_megabytes_of_text_are_refused_with_a_clear_message(seller: Actor, categories: dict) -> None:
    response = post(seller.client, backpack(description="x" * 10_000_000))

    assert response.status_code == 413
    assert response.json()["error"]["message"].startswith("The request is too large: its text may hold at most 2.5 MB")
    assert not Product.objects.exists()


def test_a_description_over_its_limit_is_refused(seller: Actor, categories: dict) -> None:
    fields = fields_of(post(seller.client, backpack(description="x" * 100_000)))

    assert fields["description"] == ["The description can be at most 20,000 characters."]
    assert not Product.objects.exists()


def test_a_title_too_long_is_refused(seller: Actor, categories: dict) -> None:
    fields = fields_of(post(seller.client, backpack(title="包" * 201)))

    assert fields["title"] == ["The title can be at most 200 characters."]


def test_values_of_the_wrong_type_are_refused_field_by_field(seller: Actor, categories: dict) -> None:
    body = backpack(
        title={"en": "Backpack"},
        moq="many",
        lead_time_days=1.5,
        sample_available="perhaps",
        sample_price="cheap",
        attributes={"material": "PVC"},
        tiers="500:12.50",
        unit="bucketful",
    )

    fields = fields_of(post(seller.client, body))

    assert set(fields) == {
        "title",
        "moq",
        "lead_time_days",
        "sample_available",
        "sample_price",
        "attributes",
        "tiers",
        "unit",
    }
    assert fields["moq"] == ["The minimum order quantity must be a whole number."]
    assert fields["unit"] == ["Unknown unit “bucketful”."]
    assert not Product.objects.exists()


def test_bad_numbers_in_tiers_are_refused(seller: Actor, categories: dict) -> None:
    tiers = [{"min_quantity": 0, "unit_price": "-1"}]

    fields = fields_of(post(seller.client, backpack(tiers=tiers, moq=0)))

    assert fields["moq"] == ["The minimum order quantity must be at least 1."]
    assert "A tier quantity must be at least 1." in fields["tiers"]


def test_missing_fields_are_named(seller: Actor, categories: dict) -> None:
    fields = fields_of(post(seller.client, {}))

    assert set(fields) >= {"sku", "title", "category", "moq", "lead_time_days", "tiers"}


def test_a_body_that_is_not_json_is_refused(seller: Actor) -> None:
    response = seller.client.post(PRODUCTS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_null_character_is_refused_not_a_server_error(seller: Actor, categories: dict) -> None:
    fields = fields_of(post(seller.client, backpack(title="bad\x00title")))

    assert fields["title"] == ["A control character (such as a NUL byte) cannot be part of any text: remove it."]


# --- Read and list ------------------------------------------------------------------------------


def test_the_catalog_lists_own_products_with_drafts_and_not_others(seller: Actor, actors: dict) -> None:
    ProductFactory(supplier=seller.supplier, sku="PUB")
    ProductFactory(supplier=seller.supplier, sku="DRAFT", status=Product.Status.DRAFT)
    ProductFactory(supplier=seller.supplier, sku="OLD", status=Product.Status.ARCHIVED)
    ProductFactory(supplier=actors["other_supplier"].supplier, sku="THEIRS")

    response = seller.client.get(PRODUCTS)

    assert response.status_code == 200
    assert sorted(item["sku"] for item in response.json()["results"]) == ["DRAFT", "OLD", "PUB"]


def test_the_catalog_filters_by_status_category_subtree_and_text(seller: Actor, categories: dict) -> None:
    ProductFactory(supplier=seller.supplier, sku="SCHOOL-1", title="Clear backpack", category=categories["school"])
    ProductFactory(supplier=seller.supplier, sku="SCHOOL-2", category=categories["school"], status=Product.Status.DRAFT)
    ProductFactory(supplier=seller.supplier, sku="TOY-1", title="Plush bear", category=categories["toys"])

    def skus(query: str) -> list[str]:
        response = seller.client.get(f"{PRODUCTS}?{query}")
        assert response.status_code == 200, response.content
        return sorted(item["sku"] for item in response.json()["results"])

    assert skus("status=draft") == ["SCHOOL-2"]
    assert skus("category=bags") == ["SCHOOL-1", "SCHOOL-2"]
    assert skus("q=plush") == ["TOY-1"]
    assert skus("q=school-1") == ["SCHOOL-1"]


def test_bad_filters_of_the_catalog_answer_400(seller: Actor) -> None:
    assert set(fields_of(seller.client.get(f"{PRODUCTS}?status=lost&category=nowhere"))) == {"status", "category"}


def test_the_catalog_pages_with_cursors(seller: Actor) -> None:
    for number in range(5):
        ProductFactory(supplier=seller.supplier, sku=f"P-{number}")

    seen: list[str] = []
    url: str | None = f"{PRODUCTS}?page_size=2"
    while url:
        page = seller.client.get(url).json()
        seen += [item["sku"] for item in page["results"]]
        url = page["next"]

    assert sorted(seen) == [f"P-{number}" for number in range(5)]


def test_the_catalog_list_makes_the_same_queries_for_any_page_size(seller: Actor) -> None:
    for number in range(12):
        product = ProductFactory(supplier=seller.supplier, sku=f"Q-{number}", tiers=[(100, "2.00"), (500, "1.50")])
        ProductImageFactory(product=product)
    seller.client.get(PRODUCTS)  # the token's first use is recorded once

    # 7 with the lockout's check of the caller's address (a token request from a locked address is refused)
    assert_same_queries_for_page_sizes(lambda size: seller.client.get(f"{PRODUCTS}?page_size={size}"), expected=7)


def test_a_supplier_reads_its_own_draft(seller: Actor) -> None:
    draft = ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT)

    response = seller.client.get(f"{PRODUCTS}{draft.pk}/")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"


# --- Update -------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_given(seller: Actor, categories: dict) -> None:
    product = ProductFactory(
        supplier=seller.supplier, sku="KEEP", category=categories["school"], tiers=[(100, "9.00"), (1000, "8.00")]
    )
    ProductImageFactory(product=product)

    response = seller.client.patch(
        f"{PRODUCTS}{product.pk}/", {"title": "New title", "lead_time_days": 20}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "New title"
    assert body["lead_time_days"] == 20
    assert body["sku"] == "KEEP"
    assert [tier["min_quantity"] for tier in body["tiers"]] == [100, 1000]
    assert body["status"] == "published"


def test_patch_with_tiers_replaces_them_and_the_lowest_price(seller: Actor, categories: dict) -> None:
    product = ProductFactory(supplier=seller.supplier, category=categories["school"], moq=100)
    ProductImageFactory(product=product)

    response = seller.client.patch(
        f"{PRODUCTS}{product.pk}/",
        {"tiers": [{"min_quantity": 100, "unit_price": "7.00"}, {"min_quantity": 900, "unit_price": "6.25"}]},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert product.min_unit_price == Decimal("6.25")
    assert list(product.tiers.order_by("min_quantity").values_list("min_quantity", flat=True)) == [100, 900]


def test_patch_with_bad_tiers_changes_nothing(seller: Actor, categories: dict) -> None:
    product = ProductFactory(supplier=seller.supplier, category=categories["school"], title="Unchanged")

    response = seller.client.patch(
        f"{PRODUCTS}{product.pk}/",
        {"title": "Changed", "tiers": [{"min_quantity": 100, "unit_price": "0"}]},
        content_type="application/json",
    )

    assert "tiers" in fields_of(response)
    product.refresh_from_db()
    assert product.title == "Unchanged"


def test_put_replaces_the_whole_product(seller: Actor, categories: dict) -> None:
    product = ProductFactory(supplier=seller.supplier, sku="OLD-SKU", status=Product.Status.DRAFT)

    response = seller.client.put(
        f"{PRODUCTS}{product.pk}/", backpack(description="", sample_available=False), content_type="application/json"
    )

    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert product.sku == "BG-PVC-01"
    assert product.description == ""
    assert product.sample_price is None
    assert product.category == categories["school"]


def test_put_with_missing_fields_is_refused(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier)

    response = seller.client.put(f"{PRODUCTS}{product.pk}/", {"title": "Only this"}, content_type="application/json")

    assert "tiers" in fields_of(response)


def test_renaming_a_sku_to_one_already_used_is_refused(seller: Actor) -> None:
    ProductFactory(supplier=seller.supplier, sku="TAKEN")
    product = ProductFactory(supplier=seller.supplier, sku="MINE", status=Product.Status.DRAFT)

    response = seller.client.patch(f"{PRODUCTS}{product.pk}/", {"sku": "TAKEN"}, content_type="application/json")

    assert "sku" in fields_of(response)
    product.refresh_from_db()
    assert product.sku == "MINE"


# --- Archive, images, publish -------------------------------------------------------------------


def test_archiving_hides_a_product_from_buyers(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier, title="Archived backpack")

    response = seller.client.post(f"{PRODUCTS}{product.pk}/archive/")

    assert response.status_code == 200
    assert response.json()["status"] == "archived"
    assert Client().get(f"/api/v1/products/{product.pk}/").status_code == 404


def test_publishing_needs_an_image_then_buyers_find_the_product(seller: Actor, categories: dict) -> None:
    product_id = post(seller.client, backpack()).json()["id"]

    refused = seller.client.post(f"{PRODUCTS}{product_id}/publish/")
    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith("Add at least one image before publishing the product")

    uploaded = seller.client.post(f"{PRODUCTS}{product_id}/images/", {"images": [png_upload(), png_upload("b.png")]})
    assert uploaded.status_code == 201, uploaded.content
    images = uploaded.json()["images"]
    assert len(images) == 2
    assert images[0]["url"].startswith("http://testserver/")
    assert images[0]["thumbnail_url"]

    published = seller.client.post(f"{PRODUCTS}{product_id}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert Client().get(f"/api/v1/products/{product_id}/").status_code == 200


def test_a_file_renamed_to_look_like_an_image_is_refused(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT)
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")

    fields = fields_of(seller.client.post(f"{PRODUCTS}{product.pk}/images/", {"images": [fake]}))

    assert fields["images"] == ["photo.png: This file is not an image we can read (JPEG, PNG or WebP)."]
    assert not ProductImage.objects.exists()


def test_an_image_upload_without_files_is_refused(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier)

    fields = fields_of(seller.client.post(f"{PRODUCTS}{product.pk}/images/", {}))

    assert fields["images"] == ["Attach one or more image files in the “images” field."]


def test_images_must_be_sent_as_multipart(seller: Actor) -> None:
    product = ProductFactory(supplier=seller.supplier)

    response = seller.client.post(f"{PRODUCTS}{product.pk}/images/", {"images": []}, content_type="application/json")

    assert response.status_code == 415


# --- Who may -----------------------------------------------------------------------------------


def test_another_suppliers_product_answers_404_and_stays_unchanged(seller: Actor, actors: dict) -> None:
    theirs = ProductFactory(supplier=actors["other_supplier"].supplier, title="Theirs", status=Product.Status.DRAFT)
    url = f"{PRODUCTS}{theirs.pk}/"

    assert seller.client.get(url).status_code == 404
    assert seller.client.patch(url, {"title": "Mine"}, content_type="application/json").status_code == 404
    assert seller.client.put(url, backpack(), content_type="application/json").status_code == 404
    assert seller.client.post(f"{url}archive/").status_code == 404
    assert seller.client.post(f"{url}publish/").status_code == 404
    assert seller.client.post(f"{url}images/", {"images": [png_upload()]}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Theirs", Product.Status.DRAFT)
    assert not theirs.images.exists()


def test_a_company_that_only_buys_gets_403_with_a_clear_message(actors: dict, categories: dict) -> None:
    client = token_client(actors["buyer"].user)

    response = post(client, backpack())

    assert response.status_code == 403
    assert "does not sell yet" in response.json()["error"]["message"]
    assert client.get(PRODUCTS).status_code == 403
    assert client.get("/api/v1/catalog/imports/").status_code == 403
    assert not Product.objects.exists()


def test_staff_acting_for_no_company_get_403(actors: dict) -> None:
    response = actors["staff"].client.get(PRODUCTS)

    assert response.status_code == 403
    assert "acts for no company" in response.json()["error"]["message"]


def test_a_member_of_two_companies_acts_for_the_first_joined(actors: dict) -> None:
    buyer = actors["buyer"]
    MembershipFactory(user=buyer.user, company=actors["supplier"].company)

    assert token_client(buyer.user).get(PRODUCTS).status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "products/"),
        ("post", "products/"),
        ("get", "products/1/"),
        ("put", "products/1/"),
        ("patch", "products/1/"),
        ("post", "products/1/archive/"),
        ("post", "products/1/publish/"),
        ("post", "products/1/images/"),
        ("get", "imports/"),
        ("get", "imports/1/"),
    ],
)
def test_anonymous_clients_must_authenticate(method: str, path: str) -> None:
    response = getattr(Client(), method)(f"/api/v1/catalog/{path}")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


# --- Imports ------------------------------------------------------------------------------------


def make_import(supplier: SupplierProfile, **fields: Any) -> CatalogImport:
    values: dict[str, Any] = {
        "file": "imports/catalog.csv",
        "original_name": "catalog.csv",
        "file_format": "csv",
        "status": CatalogImport.Status.RUNNING,
        "total_rows": 200,
        "processed_rows": 50,
        "created_count": 40,
        "updated_count": 10,
    }
    values.update(fields)
    return CatalogImport.objects.create(supplier=supplier, **values)


def test_a_supplier_follows_an_imports_progress(seller: Actor) -> None:
    running = make_import(seller.supplier)

    listed = seller.client.get("/api/v1/catalog/imports/").json()["results"]
    detail = seller.client.get(f"/api/v1/catalog/imports/{running.pk}/").json()

    assert [item["id"] for item in listed] == [running.pk]
    assert "errors" not in listed[0]
    assert detail["status"] == "running"
    assert detail["progress_percent"] == 25
    assert (detail["created_count"], detail["updated_count"]) == (40, 10)
    assert detail["errors"] == []


def test_an_import_with_errors_lists_each_problem(seller: Actor) -> None:
    problems = [
        {"row": 3, "column": "tiers", "message": "Tier quantities must go up from one tier to the next."},
        {"row": 4, "column": "status", "message": "Imported as a draft: it has no image.", "warning": True},
    ]
    invalid = make_import(seller.supplier, status=CatalogImport.Status.INVALID, processed_rows=0, errors=problems)

    detail = seller.client.get(f"/api/v1/catalog/imports/{invalid.pk}/").json()

    assert detail["status"] == "invalid"
    assert detail["status_name"] == "Has errors"
    assert detail["errors"] == problems


def test_another_suppliers_import_answers_404(seller: Actor, actors: dict) -> None:
    theirs = make_import(actors["other_supplier"].supplier)

    assert seller.client.get(f"/api/v1/catalog/imports/{theirs.pk}/").status_code == 404
    assert seller.client.get("/api/v1/catalog/imports/").json()["results"] == []


def test_the_import_list_makes_the_same_queries_for_any_page_size(seller: Actor) -> None:
    for _number in range(12):
        make_import(seller.supplier)
    seller.client.get("/api/v1/catalog/imports/")  # the token's first use is recorded once

    assert_same_queries_for_page_sizes(
        lambda size: seller.client.get(f"/api/v1/catalog/imports/?page_size={size}"), expected=5
    )


# --- The schema's promises, as a seller with real data ------------------------------------------
# tests/test_schemathesis.py fuzzes every operation as a buyer (whose catalog calls answer 403);
# these make the same checks where the catalog answers with real products.

catalog_schema = schema_under_test.include(path_regex="^/api/v1/catalog/")


@pytest.fixture
def seller_key(actors: dict[str, Actor], categories: dict) -> str:
    supplier = actors["supplier"].supplier
    product = ProductFactory(supplier=supplier, sku="SCHEMA-1", category=categories["school"])
    ProductImageFactory(product=product)
    ProductFactory(supplier=supplier, sku="SCHEMA-2", status=Product.Status.DRAFT, category=categories["school"])
    make_import(supplier, errors=[{"row": 2, "column": "moq", "message": "Bad.", "warning": True}])
    _token, key = api_token_create(user=actors["supplier"].user, name="schema")
    return key


@catalog_schema.parametrize()
@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
@hypothesis_settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_catalog_operation_answers_a_seller_as_its_schema_says(case: Any, seller_key: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Token {seller_key}"}, checks=SCHEMA_CHECKS)


@pytest.mark.usefixtures("_wsgi_keeps_the_test_transaction")
def test_a_sellers_own_objects_answer_as_the_schema_says(seller_key: str) -> None:
    headers = {"Authorization": f"Token {seller_key}"}
    published = Product.objects.get(sku="SCHEMA-1")
    draft = Product.objects.get(sku="SCHEMA-2")
    calls = [
        ("/api/v1/catalog/products/", "GET", {}, None, 200),
        ("/api/v1/catalog/products/", "POST", {}, backpack(), 201),
        ("/api/v1/catalog/products/{id}/", "GET", {"id": draft.pk}, None, 200),
        ("/api/v1/catalog/products/{id}/", "PATCH", {"id": draft.pk}, {"title": "Patched"}, 200),
        ("/api/v1/catalog/products/{id}/", "PUT", {"id": draft.pk}, backpack(sku="PUT-1"), 200),
        ("/api/v1/catalog/products/{id}/publish/", "POST", {"id": draft.pk}, None, 409),
        ("/api/v1/catalog/products/{id}/publish/", "POST", {"id": published.pk}, None, 200),
        ("/api/v1/catalog/products/{id}/archive/", "POST", {"id": published.pk}, None, 200),
        ("/api/v1/catalog/imports/", "GET", {}, None, 200),
        ("/api/v1/catalog/imports/{id}/", "GET", {"id": CatalogImport.objects.get().pk}, None, 200),
    ]
    for path, method, path_parameters, body, status in calls:
        case = schema_under_test[path][method].Case(
            path_parameters=path_parameters, **({"body": body} if body is not None else {})
        )

        response = case.call_and_validate(headers=headers, checks=SCHEMA_CHECKS)

        assert response.status_code == status, (method, path, response.text)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"sku": "S" * 65}, "sku", "The SKU is required: up to 64"),
        ({"sku": "-starts-with-a-dash"}, "sku", "The SKU is required: up to 64"),
        ({"attributes": [{"name": "n" * 51, "value": "PVC"}]}, "attributes", "at most 50 characters"),
        ({"attributes": [{"name": "material", "value": str(n)} for n in range(31)]}, "attributes", "At most 30"),
        ({"tiers": [{"min_quantity": 500 + n, "unit_price": "5.00"} for n in range(11)]}, "tiers", "At most 10"),
    ],
)
def test_hardening_a_product_over_a_limit_the_schema_states_is_refused_and_not_stored(
    seller: Actor, categories: dict, change: dict[str, Any], field: str, message: str
) -> None:
    fields = fields_of(post(seller.client, backpack(**change)))

    assert message in str(fields[field])
    assert not Product.objects.filter(supplier=seller.supplier).exists()
