"""A buyer reads a Chinese factory's products in its own language: on the product page, in search
results, on the factory's page and through the API (/api/v1/products/, /api/v1/suppliers/<id>/),
translated by the local LibreTranslate-speaking server (tests/translation_server.py). Saving a
product asks for its translations (suppliers' services); a product found without one is asked for
by the page that shows it, which never waits. Without a provider, originals are marked."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.models import TextTranslation
from marketplace.services.translation_requests import translations_request
from suppliers.models import Product, SupplierProfile
from tests.factories import SupplierProfileFactory
from tests.querycount import assert_same_queries_for_page_sizes, count_queries
from tests.suppliers.factories_catalog import ProductFactory
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., object]
TITLE = "透明PVC学生双肩包"
DESCRIPTION = "透明PVC双肩包，16英寸，加厚肩带，前袋印标志。"  # the local server knows it
DESCRIPTION_IN_ENGLISH = "Clear PVC backpacks, 16 inch, padded straps, logo on the front pocket."


@pytest.fixture
def factory() -> SupplierProfile:
    return SupplierProfileFactory(name="Baoding Clearbag Factory", name_zh="保定透明箱包厂")


def chinese_product(factory: SupplierProfile, title: str = TITLE) -> Product:
    return ProductFactory(supplier=factory, title=title, description=DESCRIPTION)


def translated(capture: Capture, *products: Product) -> None:
    """As saving them does: their title and description asked for in English, and made."""
    with capture(execute=True):
        translations_request(
            texts=[text for product in products for text in (product.title, product.description)], languages=["en"]
        )


def page(client: Client, url: str, data: dict[str, Any] | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_cross_border_a_buyer_reads_a_chinese_factorys_product_in_english_wherever_it_shows(
    client: Client,
    factory: SupplierProfile,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    product = chinese_product(factory)
    translated(django_capture_on_commit_callbacks, product)
    asked = len(translation_server.asked)

    product_page = page(client, reverse("suppliers:product_detail", kwargs={"pk": product.pk}))
    results = page(client, reverse("suppliers:search"))
    profile = page(client, reverse("suppliers:detail", kwargs={"pk": factory.pk}))
    listed = client.get(reverse("api-product-list")).json()["results"][0]
    detail = client.get(reverse("api-product-detail", kwargs={"pk": product.pk})).json()
    supplier = client.get(reverse("api-supplier-detail", kwargs={"pk": factory.pk})).json()

    assert f'<h1 lang="en">[en] {TITLE}</h1>' in product_page
    assert DESCRIPTION_IN_ENGLISH in product_page
    assert "Translated automatically from Simplified Chinese · show the original" in product_page
    assert f'<div lang="zh-hans" data-original class="pre-line">{DESCRIPTION}</div>' in product_page
    for listing in (results, profile):
        assert f"[en] {TITLE}" in listing
        assert "data-translated" in listing  # the card's small mark
    assert (listed["title"], listed["title_language"]) == (TITLE, "zh-hans")
    assert listed["title_translated"] == {"language": "en", "text": f"[en] {TITLE}"}
    assert detail["description_translated"] == {"language": "en", "text": DESCRIPTION_IN_ENGLISH}
    assert detail["title_translated"] == {"language": "en", "text": f"[en] {TITLE}"}
    assert supplier["recent_products"][0]["title_translated"] == {"language": "en", "text": f"[en] {TITLE}"}
    assert len(translation_server.asked) == asked  # reading asked for nothing more
    chinese = Client()
    chinese.cookies["django_language"] = "zh-hans"
    assert f'<h1 lang="zh-hans">{TITLE}</h1>' in page(
        chinese, reverse("suppliers:product_detail", kwargs={"pk": product.pk})
    )


def test_cross_border_a_product_found_without_a_translation_shows_its_original_and_asks_for_one(
    client: Client,
    factory: SupplierProfile,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    product = chinese_product(factory)  # saved before any reader's language was known
    url = reverse("suppliers:product_detail", kwargs={"pk": product.pk})

    with django_capture_on_commit_callbacks(execute=True):
        first = page(client, url)

    assert TITLE in first
    assert "Written in Simplified Chinese" in first
    assert sorted(translation_server.asked) == sorted([(TITLE, "en"), (DESCRIPTION, "en")])
    later = page(client, url)
    assert f"[en] {TITLE}" in later
    assert DESCRIPTION_IN_ENGLISH in later
    other = chinese_product(factory, title="透明PVC笔袋")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("api-product-list"))  # the API asks for what its page lacks too
    assert ("透明PVC笔袋", "en") in translation_server.asked
    assert f"[en] {other.title}" in page(client, reverse("suppliers:search"))


def test_cross_border_without_a_provider_a_product_shows_its_original_marked_chinese(
    client: Client, factory: SupplierProfile
) -> None:
    product = chinese_product(factory)

    product_page = page(client, reverse("suppliers:product_detail", kwargs={"pk": product.pk}))
    results = page(client, reverse("suppliers:search"))
    detail = client.get(reverse("api-product-detail", kwargs={"pk": product.pk})).json()

    assert TITLE in product_page
    assert DESCRIPTION in product_page
    assert "Written in Simplified Chinese" in product_page
    assert "Written in Simplified Chinese" in results
    assert (detail["title_language"], detail["title_translated"], detail["description_translated"]) == (
        "zh-hans",
        None,
        None,
    )
    assert not TextTranslation.objects.exists()


def test_cross_border_search_results_and_a_factorys_catalog_read_their_translations_in_one_query(
    settings: Any,
    client: Client,
    factory: SupplierProfile,
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    products = [chinese_product(factory, title=f"透明PVC学生双肩包{number}号") for number in range(12)]
    translated(django_capture_on_commit_callbacks, *products)
    search = reverse("suppliers:search")
    profile = reverse("suppliers:detail", kwargs={"pk": factory.pk})
    api = reverse("api-product-list")

    def counts() -> tuple[int, int, int]:
        return (
            assert_same_queries_for_page_sizes(lambda size: client.get(search, {"limit": size})),
            assert_same_queries_for_page_sizes(lambda size: client.get(profile, {"page_size": size})),
            assert_same_queries_for_page_sizes(lambda size: client.get(api, {"limit": size})),
        )

    with_provider = counts()
    assert page(client, search, {"limit": 10}).count("data-translated") == 10
    settings.TRANSLATION_PROVIDER = ""
    assert with_provider == tuple(count + 1 for count in counts())  # each page's translations: one query
    product_page = reverse("suppliers:product_detail", kwargs={"pk": products[0].pk})
    without = count_queries(lambda: client.get(product_page))
    settings.TRANSLATION_PROVIDER = "libretranslate"
    assert count_queries(lambda: client.get(product_page)) == without + 1
