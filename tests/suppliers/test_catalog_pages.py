"""The supplier's catalog pages and the public product page, as people use them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from marketplace.models import Category
from suppliers.models import Product
from tests.factories import CategoryFactory, ExchangeRateFactory, MembershipFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bags() -> Category:
    root = CategoryFactory(name_en="Bags", name_zh="箱包", slug="bags")
    return CategoryFactory(parent=root, name_en="School bags", name_zh="书包", slug="school-bags")


@pytest.fixture
def seller(actors: dict) -> Any:
    return actors["supplier"]


def form(bag_category: Category, **overrides: Any) -> dict[str, Any]:
    values = {
        "sku": "BG-001",
        "title": "Transparent PVC school backpack",
        "description": "Clear backpack for schools.",
        "category": bag_category.pk,
        "unit": "piece",
        "moq": "500",
        "currency": "CNY",
        "lead_time_days": "15",
        "monthly_capacity": "200000",
        "status": "draft",
        "tier_quantity_0": "500",
        "tier_price_0": "12.50",
        "tier_quantity_1": "2000",
        "tier_price_1": "11.80",
        "attribute_name_0": "material",
        "attribute_value_0": "PVC",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def png(name: str = "bag.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size=(200, 150)), content_type="image/png")


def text_of(response: Any) -> str:
    return response.content.decode()


# --- The product form --------------------------------------------------------------------------


def test_a_supplier_adds_a_product_with_tiers_attributes_and_an_image(seller: Any, bags: Category) -> None:
    page = seller.client.get(reverse("suppliers:product_create"))
    assert page.status_code == 200
    assert "School bags" in text_of(page)

    response = seller.client.post(
        reverse("suppliers:product_create"), {**form(bags, status="published"), "images": [png()]}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:product_list")
    product = Product.objects.get(supplier=seller.supplier)
    assert product.status == Product.Status.PUBLISHED
    assert list(product.tiers.values_list("min_quantity", "unit_price")) == [
        (500, Decimal("12.50")),
        (2000, Decimal("11.80")),
    ]
    assert product.attributes == [{"name": "material", "value": "PVC"}]
    assert product.images.count() == 1
    listing = seller.client.get(reverse("suppliers:product_list"))
    assert "Product BG-001 is saved." in text_of(listing)
    assert "CNY 11.80–12.50" in text_of(listing)


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"tier_quantity_1": "100"}, "Tier quantities must go up"),
        ({"tier_price_1": "13.00"}, "cannot cost more per unit"),
        (
            {"tier_quantity_0": None, "tier_price_0": None, "tier_quantity_1": None, "tier_price_1": None},
            "Give at least one price tier.",
        ),
        ({"tier_price_0": "twelve"}, "must be a number such as 12.50"),
        ({"moq": "-5"}, "must be at least 1"),
        ({"moq": "five"}, "must be a whole number"),
        ({"title": ""}, "The title is required."),
        ({"sku": "bad sku!"}, "The SKU is required"),
        ({"attribute_value_0": ""}, "Each attribute needs a name and a value"),
        ({"description": "x" * 20_001}, "at most 20,000 characters"),
        ({"category": "999999"}, "valid choice"),
    ],
)
def test_bad_input_is_shown_inline_and_nothing_is_saved(
    seller: Any, bags: Category, overrides: dict[str, Any], field_message: str
) -> None:
    response = seller.client.post(reverse("suppliers:product_create"), form(bags, **overrides))

    assert response.status_code == 400
    assert field_message in text_of(response)
    assert 'class="errorlist"' in text_of(response)
    assert not Product.objects.exists()


def test_tier_errors_are_shown_above_the_tier_rows(seller: Any, bags: Category) -> None:
    response = seller.client.post(reverse("suppliers:product_create"), form(bags, tier_price_1="13"))
    page = text_of(response)
    tiers = page.index('id="tiers"')
    assert tiers < page.index("cannot cost more per unit") < page.index('name="tier_quantity_0"')


def test_ten_megabytes_of_description_get_a_clear_answer(seller: Any, bags: Category) -> None:
    # A real browser's client: the CSRF check reads the body first, as in production.
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(seller.user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English chosen with the switcher
    page = browser.get(reverse("suppliers:product_create"))
    token = page.context["csrf_token"]

    response = browser.post(
        reverse("suppliers:product_create"),
        {**form(bags, description="包" * 10_000_000), "csrfmiddlewaretoken": str(token)},
    )

    assert response.status_code == 413
    assert "too large" in text_of(response)
    assert not Product.objects.exists()


def test_a_duplicate_sku_is_refused_next_to_the_sku(seller: Any, bags: Category) -> None:
    ProductFactory(supplier=seller.supplier, sku="BG-001")

    response = seller.client.post(reverse("suppliers:product_create"), form(bags))

    assert response.status_code == 400
    assert "You already have a product with this SKU" in text_of(response)
    assert Product.objects.count() == 1


def test_a_text_file_renamed_png_is_refused_on_the_form(seller: Any, bags: Category) -> None:
    fake = SimpleUploadedFile("bag.png", b"just some text, not a picture", content_type="image/png")

    response = seller.client.post(reverse("suppliers:product_create"), {**form(bags), "images": [fake]})

    assert response.status_code == 400
    assert "bag.png: This file is not an image we can read" in text_of(response)
    assert not Product.objects.exists()


def test_publishing_from_the_form_without_an_image_is_refused(seller: Any, bags: Category) -> None:
    response = seller.client.post(reverse("suppliers:product_create"), form(bags, status="published"))

    assert response.status_code == 400
    assert "Add at least one image before publishing" in text_of(response)
    assert not Product.objects.exists()


def test_the_edit_form_shows_the_product_and_saves_changes(seller: Any, bags: Category) -> None:
    product = ProductFactory(supplier=seller.supplier, sku="BG-7", tiers=[(100, "9.50"), (1000, "8.75")])
    image = ProductImageFactory(product=product)
    url = reverse("suppliers:product_edit", kwargs={"pk": product.pk})

    page = text_of(seller.client.get(url))
    assert 'value="BG-7"' in page
    assert 'value="8.75"' in page
    assert f'value="{image.pk}"' in page  # the remove checkbox of the existing image

    response = seller.client.post(
        url,
        form(
            bags,
            sku="BG-7",
            moq="100",
            tier_quantity_0="100",
            tier_price_0="9",
            tier_quantity_1="",
            tier_price_1="",
            remove_images=[image.pk],
            images=[png("new.png")],
        ),
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert list(product.tiers.values_list("min_quantity", "unit_price")) == [(100, Decimal(9))]
    assert product.min_unit_price == Decimal(9)
    assert list(product.images.all()) != [image]
    assert product.images.count() == 1


def test_the_edit_form_keeps_every_tier_of_a_product_with_many(seller: Any, bags: Category) -> None:
    tiers = [(100 * (n + 1), f"{20 - n}.00") for n in range(8)]
    product = ProductFactory(supplier=seller.supplier, tiers=tiers)

    page = text_of(seller.client.get(reverse("suppliers:product_edit", kwargs={"pk": product.pk})))

    assert 'name="tier_quantity_7" value="800"' in page
    assert 'name="tier_quantity_8"' in page  # and a free row for one more


# --- Duplicate, bulk, preview ------------------------------------------------------------------


def test_duplicating_opens_the_copy_for_editing(seller: Any) -> None:
    product = ProductFactory(supplier=seller.supplier, sku="BG-9")

    response = seller.client.post(reverse("suppliers:product_duplicate", kwargs={"pk": product.pk}))

    copy = Product.objects.get(sku="BG-9-copy")
    assert response["Location"] == reverse("suppliers:product_edit", kwargs={"pk": copy.pk})
    assert copy.status == Product.Status.DRAFT
    assert "Copied as draft BG-9-copy" in text_of(seller.client.get(response["Location"]))


def test_bulk_publish_and_archive_from_the_list(seller: Any) -> None:
    drafts = [ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT) for _ in range(2)]
    for product in drafts:
        ProductImageFactory(product=product)
    ids = [product.pk for product in drafts]

    response = seller.client.post(
        reverse("suppliers:product_bulk"), {"action": "publish", "products": ids, "return_query": "status=draft"}
    )

    assert response["Location"] == reverse("suppliers:product_list") + "?status=draft"
    assert set(Product.objects.values_list("status", flat=True)) == {Product.Status.PUBLISHED}
    assert "2 products are published." in text_of(seller.client.get(response["Location"]))

    seller.client.post(reverse("suppliers:product_bulk"), {"action": "archive", "products": ids[:1]})
    assert Product.objects.get(pk=ids[0]).status == Product.Status.ARCHIVED


def test_bulk_publishing_a_product_without_image_says_which(seller: Any) -> None:
    bare = ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT, sku="NO-PICTURE")

    response = seller.client.post(reverse("suppliers:product_bulk"), {"action": "publish", "products": [bare.pk]})

    page = text_of(seller.client.get(response["Location"]))
    assert "no image and cannot be published: NO-PICTURE" in page
    assert Product.objects.get(pk=bare.pk).status == Product.Status.DRAFT


def test_bulk_with_nothing_selected_or_a_bad_action_says_so(seller: Any) -> None:
    product = ProductFactory(supplier=seller.supplier)
    response = seller.client.post(reverse("suppliers:product_bulk"), {"action": "publish"})
    assert "Select at least one product." in text_of(seller.client.get(response["Location"]))
    response = seller.client.post(reverse("suppliers:product_bulk"), {"action": "delete", "products": [product.pk]})
    assert "Choose publish or archive." in text_of(seller.client.get(response["Location"]))
    response = seller.client.post(reverse("suppliers:product_bulk"), {"action": "archive", "products": ["x1"]})
    assert "The selection is not valid" in text_of(seller.client.get(response["Location"]))
    assert Product.objects.get(pk=product.pk).status == Product.Status.PUBLISHED


def test_the_owner_previews_a_draft_that_the_public_cannot_see(seller: Any, actors: dict) -> None:
    draft = ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT, title="Secret new bag")

    preview = seller.client.get(reverse("suppliers:product_preview", kwargs={"pk": draft.pk}))

    assert preview.status_code == 200
    assert "Preview: this is how buyers will see your product" in text_of(preview)
    assert "Secret new bag" in text_of(preview)
    for label in ("anonymous", "buyer", "supplier", "other_supplier", "staff"):
        answer = actors[label].client.get(reverse("suppliers:product_detail", kwargs={"pk": draft.pk}))
        assert answer.status_code == 404, label


def test_another_suppliers_product_answers_404_on_every_route(actors: dict, bags: Category) -> None:
    theirs = ProductFactory(supplier=actors["other_supplier"].supplier, status=Product.Status.DRAFT, title="Theirs")
    client = actors["supplier"].client
    pk = {"pk": theirs.pk}

    assert client.get(reverse("suppliers:product_edit", kwargs=pk)).status_code == 404
    assert client.post(reverse("suppliers:product_edit", kwargs=pk), form(bags)).status_code == 404
    assert client.post(reverse("suppliers:product_duplicate", kwargs=pk)).status_code == 404
    assert client.get(reverse("suppliers:product_preview", kwargs=pk)).status_code == 404
    bulk = client.post(reverse("suppliers:product_bulk"), {"action": "archive", "products": [theirs.pk]})
    assert bulk.status_code == 404
    assert client.get(reverse("suppliers:product_price", kwargs=pk), {"quantity": 100}).status_code == 404
    assert "Theirs" not in text_of(client.get(reverse("suppliers:product_list")))
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Theirs", Product.Status.DRAFT)
    assert Product.objects.count() == 1


def test_a_company_that_does_not_sell_is_sent_to_start_selling(actors: dict) -> None:
    response = actors["buyer"].client.get(reverse("suppliers:product_list"))
    assert response["Location"] == reverse("suppliers:become")


# --- The list ----------------------------------------------------------------------------------


def test_the_list_filters_by_status_category_and_text(seller: Any, bags: Category) -> None:
    ProductFactory(supplier=seller.supplier, title="Canvas tote", sku="TT-1")
    ProductFactory(supplier=seller.supplier, title="Clear backpack", sku="BP-1", category=bags)
    ProductFactory(supplier=seller.supplier, title="Old pencil case", sku="PC-1", status=Product.Status.ARCHIVED)
    url = reverse("suppliers:product_list")

    def titles(**params: Any) -> set[str]:
        page = text_of(seller.client.get(url, params))
        return {title for title in ("Canvas tote", "Clear backpack", "Old pencil case") if title in page}

    assert titles() == {"Canvas tote", "Clear backpack", "Old pencil case"}
    assert titles(status="archived") == {"Old pencil case"}
    assert titles(category=bags.parent_id) == {"Clear backpack"}
    assert titles(q="tt-") == {"Canvas tote"}
    assert titles(status="nonsense", category="x", page_size="lots") == {
        "Canvas tote",
        "Clear backpack",
        "Old pencil case",
    }


def test_the_list_pages_and_caps_the_page_size(seller: Any) -> None:
    ProductFactory.create_batch(3, supplier=seller.supplier)
    page = seller.client.get(reverse("suppliers:product_list"), {"page_size": 2})
    assert "Page 1 of 2" in text_of(page)
    huge = seller.client.get(reverse("suppliers:product_list"), {"page_size": 100000, "page": 99})
    assert huge.status_code == 200
    assert huge.context["page"].paginator.per_page == 100


def test_the_list_makes_the_same_queries_for_two_page_sizes(seller: Any) -> None:
    for product in ProductFactory.create_batch(10, supplier=seller.supplier):
        ProductImageFactory(product=product)
    url = reverse("suppliers:product_list")

    # 12 with the header's belts managed by the user (a belt manager may sell too).
    assert_same_queries_for_page_sizes(lambda size: seller.client.get(url, {"page_size": size}), expected=12)


# --- The public page and its price box ---------------------------------------------------------


def test_the_public_page_shows_the_product_and_its_supplier(actors: dict, bags: Category) -> None:
    product = ProductFactory(
        supplier=actors["supplier"].supplier,
        category=bags,
        title="Transparent PVC school backpack",
        attributes=[{"name": "material", "value": "PVC"}],
        tiers=[(500, "12.50"), (2000, "11.80")],
        moq=500,
        sample_available=True,
        sample_price=Decimal("30"),
        sample_days=5,
    )
    image = ProductImageFactory(product=product)

    page = text_of(actors["anonymous"].client.get(reverse("suppliers:product_detail", kwargs={"pk": product.pk})))

    assert "Transparent PVC school backpack" in page
    assert actors["supplier"].supplier.name in page
    assert "Bags" in page
    assert "School bags" in page
    assert "PVC" in page
    assert "11.80" in page
    assert "CNY 30.00" in page
    assert image.image.url in page
    assert image.thumbnail.url in page
    assert reverse("suppliers:product_price", kwargs={"pk": product.pk}) in page


def test_the_price_box_shows_the_unit_price_and_total_at_a_quantity(actors: dict) -> None:
    product = ProductFactory(moq=500, tiers=[(500, "12.50"), (2000, "11.80")])
    url = reverse("suppliers:product_price", kwargs={"pk": product.pk})
    client = actors["anonymous"].client

    at_2500 = text_of(client.get(url, {"quantity": "2500"}, headers={"HX-Request": "true"}))
    assert "CNY 11.80" in at_2500
    assert "CNY 29,500.00" in at_2500

    below = text_of(client.get(url, {"quantity": "10"}))
    assert "The minimum order is 500" in below

    for bad in ("", "abc", "-3", "0", "1e9", "99999999999999999999", "2.5"):
        answer = client.get(url, {"quantity": bad})
        assert answer.status_code == 200
        assert 'role="alert"' in text_of(answer), bad


def test_the_price_box_works_without_javascript_on_the_page(actors: dict) -> None:
    product = ProductFactory(moq=100, tiers=[(100, "2.00")])
    page = actors["anonymous"].client.get(
        reverse("suppliers:product_detail", kwargs={"pk": product.pk}), {"quantity": 150}
    )
    assert "CNY 300.00" in text_of(page)


def test_the_price_box_converts_to_the_viewers_currency(actors: dict) -> None:
    ExchangeRateFactory(base__code="USD", quote__code="CNY", rate=Decimal("7.00"))
    product = ProductFactory(moq=100, tiers=[(100, "7.00")])
    buyer = actors["buyer"]
    buyer.user.preferred_currency_id = "USD"
    buyer.user.save()

    box = text_of(buyer.client.get(reverse("suppliers:product_price", kwargs={"pk": product.pk}), {"quantity": 100}))

    assert "CNY 700.00" in box
    assert "≈ USD 100.00" in box


def test_an_owner_can_price_its_draft_in_the_preview(seller: Any) -> None:
    draft = ProductFactory(supplier=seller.supplier, status=Product.Status.DRAFT, tiers=[(100, "3")])
    answer = seller.client.get(reverse("suppliers:product_price", kwargs={"pk": draft.pk}), {"quantity": 100})
    assert "CNY 300.00" in text_of(answer)


def test_a_new_supplier_finds_the_catalog_from_its_dashboard(seller: Any) -> None:
    page = text_of(seller.client.get(reverse("suppliers:dashboard")))
    assert reverse("suppliers:product_list") in page


def test_a_member_of_a_selling_company_manages_the_same_catalog(seller: Any) -> None:
    colleague = MembershipFactory(company=seller.company, role="member")
    client = Client()
    client.force_login(colleague.user)
    ProductFactory(supplier=seller.supplier, title="Shared bag")
    assert "Shared bag" in text_of(client.get(reverse("suppliers:product_list")))
