"""The order pages: lists with filters and pinned query counts, one order with the actions its
viewer may take, the printable purchase order, "order now", and the staff's disputes page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Dispute, Order, Review
from tests.factories import SupplierProfileFactory
from tests.orders.builders_orders import order_at
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory

Status = Order.Status
pytestmark = pytest.mark.django_db


def _orders(actors: dict, count: int, status: str = Status.PLACED) -> list[Order]:
    return [order_at(status, buyer=actors["buyer"].company, supplier=actors["supplier"].supplier) for _ in range(count)]


def test_the_buyer_lists_its_purchases_with_the_same_queries_for_any_page_size(actors: dict) -> None:
    _orders(actors, 10)
    client = actors["buyer"].client

    assert_same_queries_for_page_sizes(
        lambda size: client.get(reverse("orders:order_list"), {"page_size": size}), expected=10
    )


def test_the_supplier_lists_its_sales_with_the_same_queries_for_any_page_size(actors: dict) -> None:
    _orders(actors, 10)
    client = actors["supplier"].client

    assert_same_queries_for_page_sizes(
        lambda size: client.get(reverse("orders:sales_list"), {"page_size": size}), expected=11
    )


def test_the_buyer_filters_its_purchases_by_status_supplier_and_date(actors: dict) -> None:
    placed, shipped = _orders(actors, 1)[0], _orders(actors, 1, Status.SHIPPED)[0]
    elsewhere = order_at(Status.PLACED, buyer=actors["buyer"].company, supplier=SupplierProfileFactory())
    Order.objects.filter(pk=elsewhere.pk).update(created_at=timezone.now() - timedelta(days=40))
    url = reverse("orders:order_list")
    client = actors["buyer"].client

    def listed(**query: object) -> set[str]:
        return set(re.findall(r'data-order="(\d+)"', client.get(url, query).content.decode()))

    assert listed() == {str(placed.pk), str(shipped.pk), str(elsewhere.pk)}
    assert listed(status="shipped") == {str(shipped.pk)}
    assert listed(counterparty=actors["supplier"].supplier.pk) == {str(placed.pk), str(shipped.pk)}
    assert listed(placed_from=(timezone.localdate() - timedelta(days=7)).isoformat()) == {
        str(placed.pk),
        str(shipped.pk),
    }
    assert listed(status="nonsense") == {str(placed.pk), str(shipped.pk), str(elsewhere.pk)}


def test_another_buyer_sees_none_of_the_orders(actors: dict) -> None:
    order = _orders(actors, 1)[0]

    response = actors["other_buyer"].client.get(reverse("orders:order_list"))

    assert order.number not in response.content.decode()


def test_the_supplier_confirms_an_order_from_its_page(actors: dict) -> None:
    order = _orders(actors, 1)[0]
    client = actors["supplier"].client
    page = client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert reverse("orders:order_confirm", args=[order.pk]) in page

    response = client.post(reverse("orders:order_confirm", args=[order.pk]), follow=True)

    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    assert "is confirmed" in response.content.decode()


def test_the_buyer_is_not_offered_the_suppliers_buttons(actors: dict) -> None:
    order = _orders(actors, 1)[0]

    page = actors["buyer"].client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()

    assert reverse("orders:order_confirm", args=[order.pk]) not in page
    assert reverse("orders:order_cancel", args=[order.pk]) in page


def test_a_transition_out_of_order_shows_why_on_the_page(actors: dict) -> None:
    order = _orders(actors, 1, Status.SHIPPED)[0]

    response = actors["supplier"].client.post(
        reverse("orders:order_cancel", args=[order.pk]), {"reason": "Too late."}, follow=True
    )

    order.refresh_from_db()
    assert order.status == Status.SHIPPED
    assert "cannot be cancelled now" in response.content.decode()


def test_a_bad_shipping_form_is_shown_again_with_its_messages(actors: dict) -> None:
    order = _orders(actors, 1, Status.IN_PRODUCTION)[0]

    response = actors["supplier"].client.post(
        reverse("orders:order_ship", args=[order.pk]), {"carrier": "COSCO", "tracking_number": "C1", "quantity": "5000"}
    )

    assert response.status_code == 400
    assert "Ship between 1 and the 1000 ordered." in response.content.decode()


def test_the_buyer_reviews_a_completed_order_from_its_page(actors: dict) -> None:
    order = _orders(actors, 1, Status.COMPLETED)[0]
    client = actors["buyer"].client

    client.post(reverse("orders:order_review", args=[order.pk]), {"rating": "4", "comment": "Good zips."})
    page = client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()

    assert Review.objects.get(order=order).rating == 4
    assert 'data-rating="4"' in page
    assert 'id="review-form"' not in page


def test_the_purchase_order_prints_without_outside_assets(actors: dict) -> None:
    order = _orders(actors, 1)[0]

    page = actors["supplier"].client.get(reverse("orders:order_print", args=[order.pk])).content.decode()

    assert order.number in page
    assert "css/print.css" in page  # the print layout, served by the app
    assert not re.search(r'(src|href)="(https?:)?//', page)  # its stylesheet and script are the app's own


def test_order_now_places_an_order_at_the_tier_price(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100, tiers=[(100, "12.50"), (500, "11.80")])

    response = actors["buyer"].client.post(
        reverse("orders:order_from_catalog", args=[product.pk]), {"quantity": "500", "notes": "Blue zips."}
    )

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order_detail", args=[order.pk])
    assert (order.buyer, order.destination_country.code) == (actors["buyer"].company, "LK")
    assert str(order.goods_total) == "5900.00"


def test_order_now_below_the_moq_says_so(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100)

    response = actors["buyer"].client.post(reverse("orders:order_from_catalog", args=[product.pk]), {"quantity": "50"})

    assert response.status_code == 400
    assert "The minimum order is 100" in response.content.decode()
    assert not Order.objects.exists()


def test_staff_resolve_a_dispute_from_their_page(actors: dict) -> None:
    order = _orders(actors, 1, Status.DISPUTED)[0]
    dispute = Dispute.objects.get(order=order)
    client = actors["staff"].client
    listed = f'data-dispute="{dispute.pk}"'
    assert listed in client.get(reverse("orders:dispute_list")).content.decode()

    client.post(
        reverse("orders:dispute_resolve", args=[dispute.pk]), {"outcome": "complete", "resolution": "Goods accepted."}
    )

    order.refresh_from_db()
    assert order.status == Status.COMPLETED
    assert listed not in client.get(reverse("orders:dispute_list")).content.decode()


def test_staff_read_an_order_in_the_admin_without_changing_its_status(actors: dict) -> None:
    order = _orders(actors, 1, Status.SHIPPED)[0]
    client = actors["staff"].client

    page = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    listing = client.get(reverse("admin:orders_order_changelist"))

    assert page.status_code == 200
    assert listing.status_code == 200
    assert 'name="status"' not in page.content.decode()


def test_the_order_now_include_posts_what_the_order_view_needs(actors: dict, rf: object) -> None:
    from django.template.loader import render_to_string

    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100)
    request = rf.get("/")
    request.user = actors["buyer"].user

    html = render_to_string("orders/_order_now.html", {"product": product}, request=request)
    fields = set(re.findall(r'name="(\w+)"', html)) - {"csrfmiddlewaretoken"}
    response = actors["buyer"].client.post(
        reverse("orders:order_from_catalog", args=[product.pk]), dict.fromkeys(fields, "") | {"quantity": "100"}
    )

    assert reverse("orders:order_from_catalog", args=[product.pk]) in html
    assert fields == {"quantity", "destination_city", "notes"}
    assert response.status_code == 302


@pytest.mark.parametrize("status", list(Status))
def test_both_sides_open_the_order_and_its_purchase_order_in_every_status(actors: dict, status: str) -> None:
    order = _orders(actors, 1, status)[0]

    for side in ("buyer", "supplier"):
        client = actors[side].client
        page = client.get(reverse("orders:order_detail", args=[order.pk]))
        printable = client.get(reverse("orders:order_print", args=[order.pk]))
        assert (page.status_code, printable.status_code) == (200, 200), side
        assert f'data-order-status="{status}"' in page.content.decode()
