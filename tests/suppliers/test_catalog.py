"""The supplier's catalog services: create, edit, duplicate, publish and archive products."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.errors import InvalidInput, NotFound
from marketplace.models import Category
from suppliers.catalog_rules import ProductData, ProductDataInvalid, product_data_from
from suppliers.models import PriceTier, Product, ProductImage, SupplierProfile
from suppliers.selectors.catalog import catalog_for_supplier, category_by_key, product_for_supplier, product_public
from suppliers.services.catalog import (
    MAX_IMAGES_PER_PRODUCT,
    product_create,
    product_duplicate,
    product_update,
    products_set_status,
)
from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(name_en="School bags", name_zh="书包", slug="school-bags")


@pytest.fixture
def supplier() -> SupplierProfile:
    belt = IndustrialBeltFactory(name_en="Baigou bags", province="hebei", city="Baigou")
    return SupplierProfileFactory(belt=belt, province="hebei", city="Baigou")


def png(name: str = "bag.png", **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/png")


def jpeg(name: str = "bag.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(image_format="JPEG", size=(300, 200)), content_type="image/jpeg")


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels (its pixel data is not there)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat_data = zlib.compress(b"\x00" * 16)
    idat = struct.pack(">I", len(idat_data)) + b"IDAT" + idat_data + struct.pack(">I", zlib.crc32(b"IDAT" + idat_data))
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + end


def data(category: Category, **overrides: object) -> ProductData:
    raw = {
        "sku": "BG-001",
        "title": "Transparent PVC school backpack",
        "description": "Clear backpack for schools. 透明书包",
        "category": str(category.pk),
        "unit": "piece",
        "moq": "500",
        "currency": "CNY",
        "lead_time_days": "15",
        "monthly_capacity": "200000",
        "tiers": "500:12.50; 2000:11.80; 10000:10.90",
        "attributes": "material=PVC; colour=clear",
        **overrides,
    }
    return product_data_from(raw, category_lookup=category_by_key, currency_codes={"CNY", "USD"})


# --- Creating ----------------------------------------------------------------------------------


def test_a_supplier_adds_a_product_with_tiers_and_images(supplier: SupplierProfile, bags: Category) -> None:
    product = product_create(supplier=supplier, data=data(bags, status="published"), images=[png(), jpeg()])

    product.refresh_from_db()
    assert product.status == Product.Status.PUBLISHED
    assert product.published_at is not None
    assert [(t.min_quantity, t.unit_price) for t in product.tiers.order_by("min_quantity")] == [
        (500, Decimal("12.50")),
        (2000, Decimal("11.80")),
        (10000, Decimal("10.90")),
    ]
    assert product.min_unit_price == Decimal("10.90")
    assert (product.belt_id, product.province) == (supplier.belt_id, "hebei")
    assert product.attributes == [{"name": "material", "value": "PVC"}, {"name": "colour", "value": "clear"}]
    images = list(product.images.order_by("position"))
    assert [image.position for image in images] == [0, 1]
    assert (images[1].width, images[1].height) == (300, 200)
    assert all(image.thumbnail.name.endswith("-thumb.jpg") for image in images)
    assert "bag" not in images[0].image.name  # stored under our own name, not the uploader's
    assert "transparent" in product.search_text


def test_a_draft_needs_no_image_but_publishing_does(supplier: SupplierProfile, bags: Category) -> None:
    draft = product_create(supplier=supplier, data=data(bags), images=[])
    assert draft.status == Product.Status.DRAFT
    assert draft.published_at is None

    with pytest.raises(InvalidInput) as refused:
        product_create(supplier=supplier, data=data(bags, sku="BG-002", status="published"), images=[])
    assert refused.value.field == "images"
    assert "at least one image" in refused.value.message
    assert not Product.objects.filter(sku="BG-002").exists()


def test_a_sku_is_unique_in_a_suppliers_catalog_only(supplier: SupplierProfile, bags: Category) -> None:
    product_create(supplier=supplier, data=data(bags), images=[])

    with pytest.raises(InvalidInput) as refused:
        product_create(supplier=supplier, data=data(bags, title="Another bag"), images=[])

    assert refused.value.field == "sku"
    assert "already have a product with this SKU" in refused.value.message
    assert Product.objects.filter(supplier=supplier).count() == 1
    other = SupplierProfileFactory()
    assert product_create(supplier=other, data=data(bags), images=[]).sku == "BG-001"


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ("2000:11.80; 500:12.50", "must go up"),
        ("500:11.80; 2000:12.50", "cannot cost more per unit"),
        ("", "at least one price tier"),
        ("1000:11.80", "give a price for the MOQ"),
        ("500-12.50", "quantity:unit price"),
    ],
)
def test_bad_price_tiers_are_refused_with_a_clear_message(bags: Category, tiers: str, message: str) -> None:
    with pytest.raises(ProductDataInvalid) as refused:
        data(bags, tiers=tiers)
    assert message in " ".join(refused.value.errors["tiers"])


def test_ten_megabytes_of_description_are_refused(bags: Category) -> None:
    with pytest.raises(ProductDataInvalid) as refused:
        data(bags, description="包" * 10_000_000)
    assert "at most 20,000 characters" in refused.value.errors["description"][0]


def test_a_text_file_renamed_png_is_refused_and_nothing_is_written(supplier: SupplierProfile, bags: Category) -> None:
    fake = SimpleUploadedFile("photo.png", b"name,price\nbag,12.50\n", content_type="image/png")

    with pytest.raises(InvalidInput) as refused:
        product_create(supplier=supplier, data=data(bags), images=[png(), fake])

    assert refused.value.field == "images"
    assert refused.value.message.startswith("photo.png:")
    assert "not an image we can read" in refused.value.message
    assert not Product.objects.exists()
    assert not ProductImage.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(supplier: SupplierProfile, bags: Category) -> None:
    huge = SimpleUploadedFile("huge.png", png_claiming(8000, 6000), content_type="image/png")

    with pytest.raises(InvalidInput) as refused:
        product_create(supplier=supplier, data=data(bags), images=[huge])

    assert "too many pixels (8000 × 6000)" in refused.value.message
    assert not Product.objects.exists()


def test_a_tiny_image_is_refused(supplier: SupplierProfile, bags: Category) -> None:
    with pytest.raises(InvalidInput) as refused:
        product_create(supplier=supplier, data=data(bags), images=[png(size=(20, 20))])
    assert "too small" in refused.value.message


def test_a_product_has_at_most_ten_images(supplier: SupplierProfile, bags: Category) -> None:
    with pytest.raises(InvalidInput) as refused:
        product_create(supplier=supplier, data=data(bags), images=[png(f"{n}.png") for n in range(11)])
    assert f"at most {MAX_IMAGES_PER_PRODUCT} images" in refused.value.message
    assert not Product.objects.exists()


# --- Editing -----------------------------------------------------------------------------------


def test_editing_replaces_tiers_and_keeps_the_lowest_price(supplier: SupplierProfile, bags: Category) -> None:
    product = product_create(supplier=supplier, data=data(bags), images=[png()])

    product_update(
        supplier=supplier,
        product_id=product.pk,
        data=data(bags, moq="100", tiers="100:15; 1000:9.5", title="Clear backpack, 2025 model"),
    )

    product.refresh_from_db()
    assert list(product.tiers.values_list("min_quantity", "unit_price")) == [(100, Decimal(15)), (1000, Decimal("9.5"))]
    assert product.min_unit_price == Decimal("9.5")
    assert product.title == "Clear backpack, 2025 model"
    assert "2025" in product.search_text
    assert PriceTier.objects.count() == 2


def test_editing_adds_and_removes_images(supplier: SupplierProfile, bags: Category) -> None:
    product = product_create(supplier=supplier, data=data(bags), images=[png("a.png"), png("b.png")])
    first, second = product.images.order_by("position")

    product_update(
        supplier=supplier, product_id=product.pk, data=data(bags), new_images=[jpeg()], removed_image_ids=[first.pk]
    )

    images = list(product.images.order_by("position"))
    assert second in images
    assert first not in images
    assert len(images) == 2
    assert images[-1].position == 2


def test_removing_the_last_image_of_a_published_product_is_refused(supplier: SupplierProfile, bags: Category) -> None:
    product = product_create(supplier=supplier, data=data(bags, status="published"), images=[png()])

    with pytest.raises(InvalidInput) as refused:
        product_update(
            supplier=supplier,
            product_id=product.pk,
            data=data(bags, status="published"),
            removed_image_ids=[product.images.get().pk],
        )

    assert refused.value.field == "images"
    assert product.images.count() == 1


def test_a_sku_taken_by_another_product_is_refused_on_edit(supplier: SupplierProfile, bags: Category) -> None:
    product_create(supplier=supplier, data=data(bags, sku="BG-001"), images=[])
    second = product_create(supplier=supplier, data=data(bags, sku="BG-002"), images=[])

    with pytest.raises(InvalidInput) as refused:
        product_update(supplier=supplier, product_id=second.pk, data=data(bags, sku="BG-001", title="Renamed"))

    assert refused.value.field == "sku"
    second.refresh_from_db()
    assert (second.sku, second.title) == ("BG-002", "Transparent PVC school backpack")


def test_another_suppliers_product_cannot_be_touched(supplier: SupplierProfile, bags: Category) -> None:
    theirs = ProductFactory(title="Their bag")
    with pytest.raises(NotFound):
        product_update(supplier=supplier, product_id=theirs.pk, data=data(bags))
    with pytest.raises(NotFound):
        product_duplicate(supplier=supplier, product_id=theirs.pk)
    with pytest.raises(NotFound):
        products_set_status(supplier=supplier, product_ids=[theirs.pk], status="archived")
    with pytest.raises(NotFound):
        product_for_supplier(supplier=supplier, product_id=theirs.pk)
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Their bag", Product.Status.PUBLISHED)
    assert Product.objects.count() == 1


# --- Duplicating -------------------------------------------------------------------------------


def test_duplicating_copies_a_product_as_a_draft_with_a_new_sku(supplier: SupplierProfile, bags: Category) -> None:
    original = product_create(supplier=supplier, data=data(bags, status="published"), images=[png(), jpeg()])

    copy = product_duplicate(supplier=supplier, product_id=original.pk)
    second_copy = product_duplicate(supplier=supplier, product_id=original.pk)

    assert (copy.sku, second_copy.sku) == ("BG-001-copy", "BG-001-copy-2")
    assert copy.status == Product.Status.DRAFT
    assert copy.published_at is None
    assert copy.title == original.title
    assert copy.attributes == original.attributes
    assert list(copy.tiers.values_list("min_quantity", "unit_price")) == list(
        original.tiers.values_list("min_quantity", "unit_price")
    )
    assert copy.min_unit_price == original.min_unit_price
    copied, kept = list(copy.images.order_by("position")), list(original.images.order_by("position"))
    assert len(copied) == 2
    assert {image.image.name for image in copied}.isdisjoint({image.image.name for image in kept})
    assert copied[0].image.read() == kept[0].image.read()
    assert copy.search_text


def test_a_long_skus_copy_stays_within_sixty_four_characters(supplier: SupplierProfile, bags: Category) -> None:
    original = product_create(supplier=supplier, data=data(bags, sku="X" * 64), images=[])
    copy = product_duplicate(supplier=supplier, product_id=original.pk)
    assert copy.sku == "X" * 59 + "-copy"


# --- Publishing and archiving ------------------------------------------------------------------


def test_bulk_publish_and_archive(supplier: SupplierProfile) -> None:
    products = [ProductFactory(supplier=supplier, status=Product.Status.DRAFT) for _ in range(3)]
    for product in products:
        ProductImageFactory(product=product)
    ids = [product.pk for product in products]

    assert products_set_status(supplier=supplier, product_ids=ids, status=Product.Status.PUBLISHED) == 3
    first_published = {p.pk: p.published_at for p in Product.objects.filter(pk__in=ids)}
    assert all(first_published.values())

    assert products_set_status(supplier=supplier, product_ids=ids[:2], status=Product.Status.ARCHIVED) == 2
    assert products_set_status(supplier=supplier, product_ids=ids[:2], status=Product.Status.PUBLISHED) == 2

    statuses = dict(Product.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert set(statuses.values()) == {Product.Status.PUBLISHED}
    assert {p.pk: p.published_at for p in Product.objects.filter(pk__in=ids)} == first_published


def test_publishing_products_without_an_image_is_refused_naming_them(supplier: SupplierProfile) -> None:
    with_image = ProductFactory(supplier=supplier, status=Product.Status.DRAFT, sku="HAS-IMAGE")
    ProductImageFactory(product=with_image)
    bare = ProductFactory(supplier=supplier, status=Product.Status.DRAFT, sku="NO-IMAGE")

    with pytest.raises(InvalidInput) as refused:
        products_set_status(supplier=supplier, product_ids=[with_image.pk, bare.pk], status=Product.Status.PUBLISHED)

    assert "NO-IMAGE" in refused.value.message
    assert "HAS-IMAGE" not in refused.value.message
    assert "Nothing was changed" in refused.value.message
    assert set(Product.objects.values_list("status", flat=True)) == {Product.Status.DRAFT}


# --- Reading -----------------------------------------------------------------------------------


def test_the_supplier_sees_its_own_drafts_and_filters_them(supplier: SupplierProfile, bags: Category) -> None:
    child = CategoryFactory(parent=bags, name_en="Backpacks")
    draft = ProductFactory(supplier=supplier, status=Product.Status.DRAFT, category=child, sku="BP-1")
    published = ProductFactory(supplier=supplier, title="Canvas tote", sku="TT-9")
    ProductFactory(title="Someone else's backpack")

    assert list(catalog_for_supplier(supplier=supplier)) == [published, draft]
    assert list(catalog_for_supplier(supplier=supplier, status="draft")) == [draft]
    assert list(catalog_for_supplier(supplier=supplier, category=bags)) == [draft]
    assert list(catalog_for_supplier(supplier=supplier, q="tote")) == [published]
    assert list(catalog_for_supplier(supplier=supplier, q="bp-")) == [draft]


def test_the_public_sees_published_products_of_active_suppliers_only(supplier: SupplierProfile) -> None:
    published = ProductFactory(supplier=supplier)
    draft = ProductFactory(supplier=supplier, status=Product.Status.DRAFT)
    archived = ProductFactory(supplier=supplier, status=Product.Status.ARCHIVED)

    assert product_public(product_id=published.pk) == published
    for hidden in (draft, archived):
        with pytest.raises(NotFound):
            product_public(product_id=hidden.pk)
    assert product_public(product_id=draft.pk, supplier=supplier) == draft

    SupplierProfile.objects.filter(pk=supplier.pk).update(is_active=False)
    with pytest.raises(NotFound):
        product_public(product_id=published.pk)
