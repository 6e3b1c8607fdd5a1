"""What suppliers and staff typed once reads in the reader's language: currency names, a product's
attribute names and common values, a belt's city and province."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import IndustrialBeltFactory
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, language: str) -> str:
    """The page as read by someone who chose `language` with the switcher."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


def test_cross_border_a_chinese_buyer_chooses_the_currency_by_its_chinese_name(actors: dict) -> None:
    chinese = _get(actors["buyer"].client, reverse("buyers:rfq_create"), "zh-hans")
    english = _get(actors["buyer"].client, reverse("buyers:rfq_create"), "en")

    assert "CNY · 人民币" in chinese
    assert "USD · 美元" in chinese
    assert "US dollar" not in chinese
    assert "CNY · Chinese yuan" in english
    assert 'value="USD"' in chinese  # the code the form sends (and the API speaks) is unchanged


def test_cross_border_a_product_s_known_attributes_read_in_chinese_and_the_rest_as_typed(client: object) -> None:
    product = ProductFactory(
        attributes=[
            {"name": "material", "value": "PVC"},
            {"name": "Color", "value": "black"},
            {"name": "size", "value": "42 × 30 × 15 cm"},
            {"name": "handle drop", "value": "polyester 涤纶"},
        ]
    )
    url = reverse("suppliers:product_detail", kwargs={"pk": product.pk})

    chinese = _get(client, url, "zh-hans")
    english = _get(client, url, "en")

    assert "<dt>材质</dt><dd>PVC</dd>" in chinese
    assert "<dt>颜色</dt><dd>黑色</dd>" in chinese
    assert "<dt>尺寸</dt><dd>42 × 30 × 15 cm</dd>" in chinese
    assert "<dt>handle drop</dt><dd>polyester 涤纶</dd>" in chinese  # unknown: as the supplier typed it
    assert "<dt>Color</dt><dd>black</dd>" in english  # English keeps the supplier's own words


def test_cross_border_a_belt_page_names_its_city_and_province_in_the_reader_s_language(client: object) -> None:
    belt = IndustrialBeltFactory(province="hebei", city="Baigou, Baoding", city_zh="保定白沟")
    url = reverse("belt_detail", kwargs={"slug": belt.slug})

    assert "河北 保定白沟" in _get(client, url, "zh-hans")
    assert "Baigou, Baoding, Hebei" in _get(client, url, "en")
    assert "保定白沟" in _get(client, reverse("belt_list"), "zh-hans")


def test_cross_border_a_belt_without_a_chinese_city_name_shows_the_one_it_has(client: object) -> None:
    # A known city reads in Chinese from the table of places; one the table lacks reads as entered.
    known = IndustrialBeltFactory(province="zhejiang", city="Yiwu", city_zh="")
    assert "浙江 义乌" in _get(client, reverse("belt_detail", kwargs={"slug": known.slug}), "zh-hans")
    belt = IndustrialBeltFactory(province="zhejiang", city="Xiaoshan Riverside", city_zh="")

    assert "浙江 Xiaoshan Riverside" in _get(client, reverse("belt_detail", kwargs={"slug": belt.slug}), "zh-hans")
