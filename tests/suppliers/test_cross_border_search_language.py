"""Search reads traditional Chinese as simplified, in queries and in what it indexes (OpenCC)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from suppliers.models import Product
from suppliers.search.segment import segment
from suppliers.search.service import search_products
from tests.suppliers.builders_search import SearchCatalog, search_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog() -> SearchCatalog:
    return search_catalog()


def found(query: str) -> list[Product]:
    return search_products(query=query).items


def test_cross_border_traditional_chinese_is_indexed_in_simplified_characters() -> None:
    assert segment("透明學生書包") == segment("透明学生书包")


def test_cross_border_a_query_in_traditional_chinese_finds_the_simplified_school_bag(catalog: SearchCatalog) -> None:
    assert found("書包") == found("书包") == [catalog.school_bag]
    assert found("透明學生書包") == [catalog.school_bag]


def test_cross_border_a_product_written_in_traditional_chinese_is_found_in_simplified(catalog: SearchCatalog) -> None:
    Product.objects.filter(pk=catalog.handbag.pk).update(title="女士手提包 真皮錢包")
    call_command("search_reindex", "--products-only")

    assert found("钱包") == found("錢包") == [catalog.handbag]
