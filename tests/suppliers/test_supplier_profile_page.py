"""The public supplier page: facts in the viewer's language, capacity, certificates, photos and the catalog."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Category, IndustrialBelt
from suppliers.models import Product, SupplierProfile
from tests.factories import CategoryFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory, ProductImageFactory
from tests.suppliers.factories_profile import CertificationFactory, FactoryPhotoFactory, ProductLineCapacityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(name_en="Backpacks", name_zh="双肩包")


@pytest.fixture
def baigou(bags: Category) -> IndustrialBelt:
    return IndustrialBeltFactory(name_en="Baigou bags", name_zh="白沟箱包", province="hebei", city="Baigou")


@pytest.fixture
def xinda(bags: Category, baigou: IndustrialBelt) -> SupplierProfile:
    return SupplierProfileFactory(
        name="Xinda Bags",
        name_zh="鑫达箱包",
        description_en="Transparent PVC school backpacks since 2008.",
        description_zh="自2008年起生产透明PVC书包。",
        year_founded=2008,
        staff_count=320,
        factory_area_m2=12000,
        export_markets=["LK", "DE"],
        languages_spoken=["zh", "en", "ru"],
        belt=baigou,
        province="hebei",
        city="Baigou",
        main_categories=[bags],
        verification_status=SupplierProfile.Verification.VERIFIED,
    )


def page_of(profile: SupplierProfile, client: Client | None = None, **query: object) -> str:
    response = (client or Client()).get(reverse("suppliers:detail", kwargs={"pk": profile.pk}), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_buyer_reads_the_suppliers_facts_in_english(xinda: SupplierProfile, baigou: IndustrialBelt) -> None:
    page = page_of(xinda)
    assert "<h1>Xinda Bags" in page
    assert '<span class="muted small">鑫达箱包</span>' in page
    for text in (
        "Transparent PVC school backpacks since 2008.",
        'data-verification="verified"',
        "Manufacturer",
        "Baigou, Hebei",
        "Backpacks",
        '<dd data-fact="year-founded">2008</dd>',
        '<dd data-fact="staff">320</dd>',
        "Sri Lanka",
        "Germany",
        "Chinese, English, Russian",
        reverse("belt_detail", kwargs={"slug": baigou.slug}),
        'data-section="performance"',
    ):
        assert text in page, text


def test_a_chinese_reader_sees_the_chinese_name_first(xinda: SupplierProfile) -> None:
    client = Client(headers={"accept-language": "zh-hans"})
    page = page_of(xinda, client)
    assert "<h1>鑫达箱包" in page
    assert '<span class="muted small">Xinda Bags</span>' in page
    assert "自2008年起生产透明PVC书包。" in page


def test_the_page_shows_capacity_current_certificates_and_photos_but_never_certificate_files(
    xinda: SupplierProfile, bags: Category
) -> None:
    ProductLineCapacityFactory(
        supplier=xinda, category=bags, product_line="PVC school backpacks", monthly_capacity=200000
    )
    # Buyers see approved, current documents only (suppliers/services/verification.py).
    current = CertificationFactory(supplier=xinda, name="ISO 9001", issuer="SGS", review_status="approved")
    CertificationFactory(
        supplier=xinda,
        name="Lapsed BSCI",
        expires_on=timezone.localdate() - timedelta(days=1),
        review_status="approved",
    )
    CertificationFactory(supplier=xinda, name="Unreviewed SA8000")
    photo = FactoryPhotoFactory(supplier=xinda, caption="Cutting workshop")

    page = page_of(xinda)

    assert "PVC school backpacks" in page
    assert "200,000" in page
    assert "ISO 9001" in page
    assert "SGS" in page
    assert "Lapsed BSCI" not in page
    assert "Unreviewed SA8000" not in page
    assert current.file.name not in page
    assert "certifications/" not in page
    assert reverse("suppliers:certification_file", kwargs={"pk": current.pk}) not in page
    assert photo.thumbnail.url in page
    assert "Cutting workshop" in page


def test_the_catalog_shows_published_products_and_hides_drafts_and_other_suppliers(xinda: SupplierProfile) -> None:
    published = ProductFactory(
        supplier=xinda, title="Clear PVC school backpack", tiers=[(100, "12.50"), (500, "11.80")]
    )
    image = ProductImageFactory(product=published)
    ProductFactory(supplier=xinda, title="Secret draft bag", status=Product.Status.DRAFT)
    ProductFactory(supplier=xinda, title="Old archived bag", status=Product.Status.ARCHIVED)
    ProductFactory(title="Someone else's bag")

    page = page_of(xinda)

    assert "Clear PVC school backpack" in page
    assert "from 11.80 CNY" in page
    assert "MOQ 100 piece" in page
    assert image.thumbnail.url in page
    assert reverse("suppliers:product_detail", kwargs={"pk": published.pk}) in page
    assert "Secret draft bag" not in page
    assert "Old archived bag" not in page
    assert "Someone else&#x27;s bag" not in page
    assert "1 product" in page


def test_the_catalog_shows_24_products_a_page_and_more_on_request(xinda: SupplierProfile) -> None:
    ProductFactory.create_batch(30, supplier=xinda)

    first = page_of(xinda)
    assert first.count("data-product=") == 24
    assert "Page 1 of 2" in first
    assert page_of(xinda, page=2).count("data-product=") == 6
    assert page_of(xinda, page_size=100).count("data-product=") == 30


def test_a_bad_page_or_page_size_shows_the_first_page_with_a_warning(xinda: SupplierProfile) -> None:
    ProductFactory.create_batch(3, supplier=xinda)
    page = page_of(xinda, page=99, page_size=1000)
    assert page.count("data-product=") == 3
    assert "at most 100" in page
    assert "There is no page 99" in page


def test_a_supplier_without_products_says_so(xinda: SupplierProfile) -> None:
    assert "has not published any product yet" in page_of(xinda)


def test_the_public_page_makes_the_same_queries_for_any_page_size(xinda: SupplierProfile, bags: Category) -> None:
    for product in ProductFactory.create_batch(12, supplier=xinda):
        ProductImageFactory(product=product)
    ProductLineCapacityFactory.create_batch(2, supplier=xinda, category=bags)
    CertificationFactory.create_batch(2, supplier=xinda)
    FactoryPhotoFactory.create_batch(2, supplier=xinda)
    client = Client()
    url = reverse("suppliers:detail", kwargs={"pk": xinda.pk})

    assert_same_queries_for_page_sizes(lambda size: client.get(url, {"page_size": size}), expected=8)
