"""The belt directory and the belt page, as a visitor sees them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CategoryFactory, IndustrialBeltFactory, StaffFactory, SupplierProfileFactory
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, **params: object) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def bags() -> dict:
    bags = CategoryFactory(slug="bags", name_en="Bags & luggage", name_zh="箱包")
    backpacks = CategoryFactory(parent=bags, slug="backpacks", name_en="Backpacks", name_zh="双肩包")
    school = CategoryFactory(parent=backpacks, slug="school-bags", name_en="School bags", name_zh="书包")
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    baigou = IndustrialBeltFactory(
        slug="baigou-bags",
        name_en="Baigou bags",
        name_zh="白沟箱包",
        province="hebei",
        city="Baigou, Baoding",
        number_of_firms=4500,
        annual_output_cny=Decimal("30000000000"),
        employees=150000,
        export_share_percent=20,
        description_en="China's largest bag market.",
        description_zh="全国最大的箱包集散地。",
        specialties=[school],
    )
    chenghai = IndustrialBeltFactory(
        slug="chenghai-toys", name_en="Chenghai toys", name_zh="澄海玩具", province="guangdong", specialties=[toys]
    )
    return {
        "bags": bags,
        "backpacks": backpacks,
        "school": school,
        "toys": toys,
        "baigou": baigou,
        "chenghai": chenghai,
    }


def test_the_directory_lists_live_and_onboarding_belts_but_not_drafts(client: Client) -> None:
    IndustrialBeltFactory(name_en="Live belt", status="live")
    IndustrialBeltFactory(name_en="Onboarding belt", status="onboarding")
    IndustrialBeltFactory(name_en="Draft belt", status="draft")
    html = page(client, reverse("belt_list"))
    assert "Live belt" in html
    assert "Onboarding belt" in html
    assert "Draft belt" not in html


def test_staff_see_draft_belts_in_the_directory(client: Client) -> None:
    IndustrialBeltFactory(name_en="Draft belt", status="draft")
    client.force_login(StaffFactory())
    assert "Draft belt" in page(client, reverse("belt_list"))


def test_a_card_shows_both_names_place_status_specialties_firms_and_output(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"))
    assert "Baigou bags" in html
    assert "白沟箱包" in html
    assert "Hebei" in html
    assert "Baigou, Baoding" in html
    assert "Live" in html
    assert "School bags" in html
    assert "4,500" in html
    assert "30,000,000,000" in html


def test_in_chinese_the_chinese_name_comes_first(client: Client, bags: dict) -> None:
    client.cookies["django_language"] = "zh-hans"
    html = page(client, reverse("belt_list"))
    assert html.index("白沟箱包") < html.index("Baigou bags")


def test_filtering_by_province_shows_only_that_provinces_belts(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"), province="hebei")
    assert "Baigou bags" in html
    assert "Chenghai toys" not in html


def test_the_province_filter_offers_only_provinces_that_have_belts(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"))
    assert '<option value="hebei"' in html
    assert '<option value="guangdong"' in html
    assert '<option value="yunnan"' not in html


def test_filtering_by_a_category_finds_belts_specialised_anywhere_in_its_subtree(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"), category="bags")
    assert "Baigou bags" in html
    assert "Chenghai toys" not in html
    assert "Baigou bags" not in page(client, reverse("belt_list"), category="toys")


def test_a_belt_specialised_in_several_matching_categories_is_listed_once(client: Client, bags: dict) -> None:
    bags["baigou"].specialties.add(bags["backpacks"], bags["bags"])
    html = page(client, reverse("belt_list"), category="bags")
    assert html.count('href="/belts/baigou-bags/"') == 1
    assert "1 belt" in html


def test_an_unknown_province_or_category_shows_all_belts_with_a_message(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"), province="atlantis", category="no-such-thing")
    assert "Baigou bags" in html
    assert "Chenghai toys" in html
    assert "There is no industrial belt in the province “atlantis”." in html
    assert "There is no category “no-such-thing”." in html


def test_a_page_that_is_not_a_number_shows_the_first_page_with_a_message(client: Client) -> None:
    for number in range(30):
        IndustrialBeltFactory(name_en=f"Belt {number:02d}")
    html = page(client, reverse("belt_list"), page="abc")
    assert "Belt 00" in html
    assert "The page must be a whole number" in html
    assert "Page 1 of 2" in html


def test_a_page_past_the_end_shows_the_first_page_with_a_message(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"), page="99")
    assert "There is no page 99" in html
    assert "Baigou bags" in html


def test_the_directory_shows_24_belts_a_page_and_pages_keep_the_filters(client: Client) -> None:
    for number in range(30):
        IndustrialBeltFactory(name_en=f"Belt {number:02d}", province="zhejiang")
    first = page(client, reverse("belt_list"), province="zhejiang")
    assert "Belt 23" in first
    assert "Belt 24" not in first
    assert "province=zhejiang&amp;page=2" in first
    second = page(client, reverse("belt_list"), province="zhejiang", page=2)
    assert "Belt 24" in second
    assert "Belt 23" not in second


def test_a_page_size_above_100_is_refused_with_a_message(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_list"), page_size="500")
    assert "The page size can be at most 100" in html
    assert "Baigou bags" in html


def test_the_directory_makes_the_same_number_of_queries_for_any_page_size(client: Client) -> None:
    categories = [CategoryFactory() for _ in range(3)]
    for number in range(12):
        belt = IndustrialBeltFactory(name_en=f"Belt {number:02d}", province="zhejiang" if number % 2 else "hebei")
        belt.specialties.set(categories)
        SupplierProfileFactory(belt=belt)
    client.force_login(StaffFactory())

    def fetch(size: int) -> object:
        return client.get(reverse("belt_list"), {"page_size": size, "category": categories[0].slug})

    # Session and user (2), provinces and categories for the filters (2), the chosen category (1),
    # the count, the page of belts and their specialties (3), the layout's acting membership and memberships (2).
    assert_same_queries_for_page_sizes(fetch, small=2, large=10, expected=10)


def test_the_belt_page_shows_names_description_figures_and_specialty_links(client: Client, bags: dict) -> None:
    html = page(client, reverse("belt_detail", args=["baigou-bags"]))
    assert "白沟箱包" in html
    assert "China&#x27;s largest bag market." in html
    assert "30,000,000,000" in html
    assert "150,000" in html
    assert "20%" in html
    assert 'href="/categories/school-bags/"' in html


def test_the_belt_page_is_described_in_chinese_for_a_chinese_reader(client: Client, bags: dict) -> None:
    client.cookies["django_language"] = "zh-hans"
    html = page(client, reverse("belt_detail", args=["baigou-bags"]))
    assert "全国最大的箱包集散地。" in html
    assert "China&#x27;s largest bag market." not in html


def test_the_belt_page_lists_its_active_suppliers_verified_first(client: Client, bags: dict) -> None:
    SupplierProfileFactory(belt=bags["baigou"], name="Aaa Pending Bags", verification_status="pending")
    SupplierProfileFactory(belt=bags["baigou"], name="Zzz Verified Bags", verification_status="verified")
    SupplierProfileFactory(belt=bags["baigou"], name="Closed Bags", is_active=False)
    SupplierProfileFactory(belt=bags["chenghai"], name="Toy Maker")
    html = page(client, reverse("belt_detail", args=["baigou-bags"]))
    assert html.index("Zzz Verified Bags") < html.index("Aaa Pending Bags")
    assert "Verified" in html
    assert "Awaiting verification" in html
    assert "Closed Bags" not in html
    assert "Toy Maker" not in html


def test_a_draft_belt_page_is_not_found_except_for_staff(client: Client) -> None:
    IndustrialBeltFactory(slug="secret", name_en="Secret belt", status="draft")
    assert client.get(reverse("belt_detail", args=["secret"])).status_code == 404
    client.force_login(StaffFactory())
    html = page(client, reverse("belt_detail", args=["secret"]))
    assert "Draft: only staff can see this belt." in html


def test_an_unknown_belt_is_not_found(client: Client) -> None:
    assert client.get(reverse("belt_detail", args=["nowhere"])).status_code == 404


def test_in_chinese_the_annual_output_is_counted_in_hundred_millions(client: Client, bags: dict) -> None:
    client.cookies["django_language"] = "zh-hans"
    html = page(client, reverse("belt_detail", args=["baigou-bags"]))
    assert re.search(r"300 ?(hundred million yuan|亿元)", html)
    assert "30000000000" not in html


def test_the_home_page_shows_the_biggest_live_belts_and_how_many_firms_they_hold(client: Client, bags: dict) -> None:
    IndustrialBeltFactory(name_en="Draft belt", status="draft", number_of_firms=99999)
    html = page(client, reverse("home"))
    assert "Baigou bags" in html
    assert "Draft belt" not in html
    assert "5,500" in html  # 4,500 firms in Baigou and 1,000 in Chenghai
    assert 'href="/categories/bags/"' in html


def test_the_belt_page_makes_as_many_queries_for_many_suppliers_as_for_one(client: Client, bags: dict) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("belt_detail", args=["baigou-bags"])).status_code == 200
        return len(captured.captured_queries)

    SupplierProfileFactory(belt=bags["baigou"], main_categories=[bags["school"]])
    one = queries()
    for _ in range(8):
        SupplierProfileFactory(belt=bags["baigou"], main_categories=[bags["school"], bags["backpacks"]])
    assert queries() == one
