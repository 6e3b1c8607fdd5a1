"""An order page reads in the reader's locale: one date and number format per language, the glossary's words."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from marketplace.models import Notification
from marketplace.notification_texts import notification_render
from orders.models import Order, OrderEvent
from tests.orders.builders_orders import order_in, place_order

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 6, 3, 29, tzinfo=datetime.UTC)


def _order_page(actors: dict, language: str) -> str:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Order.Status.CONFIRMED, buyer=buyer, supplier=supplier)
    OrderEvent.objects.filter(order=order).update(created_at=MOMENT)
    buyer.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # chosen with the switcher
    return buyer.client.get(f"/orders/{order.pk}/").content.decode()


def test_cross_border_an_english_order_page_dates_its_history_in_iso_form(actors: dict) -> None:
    page = _order_page(actors, "en")

    assert "2026-12-06 03:29" in page
    assert "Dec. 6, 2026" not in page
    assert "12/06/2026" not in page


def test_cross_border_a_chinese_order_page_dates_its_history_in_chinese_and_uses_the_glossary(actors: dict) -> None:
    page = _order_page(actors, "zh-hans")

    assert "2026年12月6日 03:29" in page
    assert "2026-12-06 03:29" not in page
    assert "已创建" in page  # the history's first row, not 创建时间
    assert "来源" in page  # where the order came from
    assert "发货地" not in page
    assert '<th scope="col">到期</th>' in page  # when a payment falls due, not 待支付
    assert "待付款" in page  # the status of a payment not made yet


def _large_order_page(actors: dict, language: str, path: str = "") -> str:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = place_order(
        buyer=buyer.company, supplier=supplier.supplier, actor=buyer.user, quantity=20000, unit_price="7.56"
    )
    buyer.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # chosen with the switcher
    return buyer.client.get(f"/orders/{order.pk}/{path}").content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cross_border_an_order_page_groups_the_digits_of_its_quantities_and_amounts(
    actors: dict, language: str
) -> None:
    page = _large_order_page(actors, language)

    assert "20,000" in page  # the line's quantity, as "474,000 piece/month" is printed
    assert "USD 151,200.00" in page  # goods, total and the line total
    assert "USD 45,360.00" in page  # the 30 % deposit
    assert "20000" not in page
    assert "151200" not in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_cross_border_the_printable_order_groups_its_amounts_too(actors: dict, language: str) -> None:
    page = _large_order_page(actors, language, "print/")

    assert "20,000" in page
    assert "USD 151,200.00" in page
    assert "7.56" in page
    assert "151200" not in page


def test_cross_border_the_supplier_s_order_e_mail_groups_the_total_in_both_languages(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    place_order(buyer=buyer.company, supplier=supplier.supplier, actor=buyer.user, quantity=20000, unit_price="7.56")
    placed = Notification.objects.get(kind="order_placed", recipient=supplier.user)

    english = notification_render(notification=placed, language="en").body
    chinese = notification_render(notification=placed, language="zh-hans").body

    assert "151,200.00 USD" in english
    assert "151,200.00 USD" in chinese
    assert "151200" not in english + chinese
