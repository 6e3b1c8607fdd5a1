"""An order page reads in the reader's locale: one date format per language, the glossary's words."""

from __future__ import annotations

import datetime

import pytest

from orders.models import Order, OrderEvent
from tests.orders.builders_orders import order_in

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 6, 3, 29, tzinfo=datetime.UTC)


def _order_page(actors: dict, language: str) -> str:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_in(Order.Status.CONFIRMED, buyer=buyer, supplier=supplier)
    OrderEvent.objects.filter(order=order).update(created_at=MOMENT)
    return buyer.client.get(f"/orders/{order.pk}/", headers={"accept-language": language}).content.decode()


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
