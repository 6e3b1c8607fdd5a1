"""Inviting suppliers to an RFQ by searching their names: the picker's fragment finds a supplier by
its English or its Chinese name, never offers the buyer's own company, and the numbers it puts in
the invited field invite those suppliers when the form is sent, as typed numbers always did."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from buyers.models import Match, SourcingRequest
from tests.buyers.builders_post import posting_world, rfq_form
from tests.conftest import Actor
from tests.factories import SupplierProfileFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db
PICKER = reverse("buyers:supplier_picker")
NEW = reverse("buyers:rfq_create")


def listed_numbers(response: Any) -> list[int]:
    """The supplier numbers the fragment offers to invite, in order."""
    assert response.status_code == 200
    return [int(number) for number in re.findall(r'data-picker-add="(\d+)"', response.content.decode())]


def test_cross_border_a_buyer_finds_a_factory_by_its_chinese_name(actors: dict) -> None:
    factory = SupplierProfileFactory(name="Baigou Hongda Luggage", name_zh="白沟宏达箱包厂")
    SupplierProfileFactory(name="Yiwu Star Toys", name_zh="义乌星星玩具")

    response = actors["buyer"].client.get(PICKER, {"q": "宏达箱包"})

    assert listed_numbers(response) == [factory.pk]
    page = response.content.decode()
    assert "Baigou Hongda Luggage" in page
    assert "白沟宏达箱包厂" in page


def test_cross_border_a_name_typed_in_traditional_chinese_finds_the_factory_named_in_simplified(actors: dict) -> None:
    factory = SupplierProfileFactory(name="Baigou Hongda Bags", name_zh="白沟宏达书包厂")
    SupplierProfileFactory(name="Yiwu Star Toys", name_zh="义乌星星玩具")
    client = actors["buyer"].client

    assert listed_numbers(client.get(PICKER, {"q": "書包廠"})) == [factory.pk]
    assert listed_numbers(client.get(PICKER, {"q": "白溝 宏達"})) == [factory.pk]


def test_cross_border_a_factory_that_wrote_its_name_in_traditional_chinese_is_found_as_typed(actors: dict) -> None:
    factory = SupplierProfileFactory(name="Hongda Bags (HK)", name_zh="宏達書包廠")

    assert listed_numbers(actors["buyer"].client.get(PICKER, {"q": "書包"})) == [factory.pk]


def test_cross_border_a_buyer_finds_a_factory_by_part_of_its_english_name(actors: dict) -> None:
    factory = SupplierProfileFactory(name="Baigou Hongda Luggage", name_zh="白沟宏达箱包厂")
    SupplierProfileFactory(name="Yiwu Star Toys", name_zh="义乌星星玩具")

    assert listed_numbers(actors["buyer"].client.get(PICKER, {"q": "hongda lug"})) == [factory.pk]


def test_cross_border_a_chinese_reader_sees_the_chinese_name_first(actors: dict) -> None:
    SupplierProfileFactory(name="Baigou Hongda Luggage", name_zh="白沟宏达箱包厂")

    client = actors["buyer"].client
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"  # the language switcher's choice

    page = client.get(PICKER, {"q": "Hongda"})

    assert "<strong>白沟宏达箱包厂</strong>" in page.content.decode()


def test_cross_border_the_picker_never_offers_the_buyers_own_company(actors: dict) -> None:
    seller = actors["supplier"]
    seller.supplier.name, seller.supplier.name_zh = "Baigou Own Bags", "白沟自家箱包"
    seller.supplier.save(update_fields=["name", "name_zh"])
    other = SupplierProfileFactory(name="Baigou Other Bags", name_zh="白沟别家箱包")

    assert listed_numbers(seller.client.get(PICKER, {"q": "Baigou"})) == [other.pk]
    assert listed_numbers(seller.client.get(PICKER, {"q": "自家"})) == []
    # Another company sees both.
    assert sorted(listed_numbers(actors["buyer"].client.get(PICKER, {"q": "baigou"}))) == sorted(
        [seller.supplier.pk, other.pk]
    )


def test_cross_border_inactive_suppliers_are_not_offered(actors: dict) -> None:
    SupplierProfileFactory(name="Closed Bags Ltd", is_active=False)

    assert listed_numbers(actors["buyer"].client.get(PICKER, {"q": "Closed"})) == []


# (A control character in the address is refused before the picker: tests/marketplace/test_hardening_pages.py.)
@pytest.mark.parametrize("query", ["", "   ", "%", "_", "x" * 5000, "' OR 1=1 --"])
def test_cross_border_an_empty_or_odd_search_lists_nothing_and_never_fails(actors: dict, query: str) -> None:
    SupplierProfileFactory(name="Baigou Hongda Luggage")

    assert listed_numbers(actors["buyer"].client.get(PICKER, {"q": query})) == []


def test_cross_border_a_search_that_finds_nothing_says_so(actors: dict) -> None:
    page = actors["buyer"].client.get(PICKER, {"q": "Nowhere Works"})

    assert listed_numbers(page) == []
    assert "No other supplier is named “Nowhere Works”." in page.content.decode()


def test_cross_border_the_picker_lists_at_most_ten_in_the_same_number_of_queries(actors: dict) -> None:
    for number in range(12):
        SupplierProfileFactory(name=f"Baigou Bags {number:02d}")
    for number in range(2):
        SupplierProfileFactory(name=f"Yiwu Toys {number}")
    client = actors["buyer"].client
    client.get(PICKER, {"q": "warm up the session"})

    few = count_queries(lambda: client.get(PICKER, {"q": "Yiwu"}))
    many = count_queries(lambda: client.get(PICKER, {"q": "Baigou"}))

    assert len(listed_numbers(client.get(PICKER, {"q": "Baigou"}))) == 10
    assert few == many == 5  # the session, the user, the membership (twice), the suppliers


def test_cross_border_picked_numbers_invite_those_suppliers_and_show_as_chips(actors: dict) -> None:
    categories = posting_world()
    buyer: Actor = actors["buyer"]
    hongda = SupplierProfileFactory(name="Baigou Hongda Luggage", name_zh="白沟宏达箱包厂")
    star = SupplierProfileFactory(name="Yiwu Star Toys", name_zh="义乌星星玩具")
    form = buyer.client.get(NEW).content.decode()
    assert 'hx-get="' + PICKER + '"' in form
    assert "data-picker-field" in form
    picked = listed_numbers(buyer.client.get(PICKER, {"q": "宏达"})) + listed_numbers(
        buyer.client.get(PICKER, {"q": "Star Toys"})
    )
    assert picked == [hongda.pk, star.pk]

    buyer.client.post(
        NEW,
        rfq_form(
            categories["school"],
            visibility="private",
            invited_suppliers=", ".join(str(pk) for pk in picked),
            action="publish",
        ),
    )

    rfq = SourcingRequest.objects.get(buyer=buyer.company)
    assert rfq.status == SourcingRequest.Status.OPEN
    assert list(rfq.matches.order_by("id").values_list("supplier", "source")) == [
        (hongda.pk, Match.Source.INVITED),
        (star.pk, Match.Source.INVITED),
    ]
    edit = buyer.client.get(reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk})).content.decode()
    chips = re.findall(r'data-supplier-chip="(\d+)">([^<]+)<', edit)
    assert [(int(pk), name.strip()) for pk, name in chips] == [
        (hongda.pk, "Baigou Hongda Luggage"),
        (star.pk, "Yiwu Star Toys"),
    ]


def test_cross_border_a_typed_number_still_works_and_a_wrong_one_is_refused_without_chips(actors: dict) -> None:
    categories = posting_world()
    buyer: Actor = actors["buyer"]
    star = SupplierProfileFactory(name="Yiwu Star Toys")

    response = buyer.client.post(
        NEW, rfq_form(categories["school"], visibility="private", invited_suppliers=f"{star.pk}, 99999999")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is no supplier with the id 99999999." in page
    assert re.findall(r'data-supplier-chip="(\d+)"', page) == [str(star.pk)]
