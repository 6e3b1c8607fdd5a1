"""The orders API: lists for either side with pinned query counts, one order, "order now", one
endpoint per transition with clear 409 / 400 answers, and staff resolving disputes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from orders.models import Order, PaymentMilestone
from tests.factories import SupplierProfileFactory
from tests.orders.builders_orders import order_at
from tests.querycount import assert_same_queries_for_page_sizes
from tests.suppliers.factories_catalog import ProductFactory

Status = Order.Status
JSON = "application/json"
pytestmark = pytest.mark.django_db


def _order(actors: dict, status: str = Status.PLACED) -> Order:
    return order_at(status, buyer=actors["buyer"].company, supplier=actors["supplier"].supplier)


def _post(actor: object, name: str, order: Order, data: dict | None = None, **kwargs: int) -> object:
    return actor.client.post(reverse(name, kwargs={"pk": order.pk, **kwargs}), data or {}, content_type=JSON)


def test_the_list_makes_the_same_queries_for_any_page_size(actors: dict) -> None:
    for _ in range(10):
        _order(actors)
    client = actors["buyer"].client

    assert_same_queries_for_page_sizes(
        lambda size: client.get(reverse("api-order-list"), {"page_size": size}), expected=6
    )


def test_a_company_that_buys_and_sells_lists_both_sides_and_filters_by_side(actors: dict) -> None:
    supplier = actors["supplier"]
    sale = _order(actors)
    purchase = order_at(Status.PLACED, buyer=supplier.company, supplier=SupplierProfileFactory())
    url = reverse("api-order-list")

    everything = supplier.client.get(url).json()["results"]
    purchases = supplier.client.get(url, {"side": "buyer"}).json()["results"]

    assert {row["id"]: row["side"] for row in everything} == {sale.pk: "supplier", purchase.pk: "buyer"}
    assert [row["id"] for row in purchases] == [purchase.pk]


def test_a_bad_filter_is_a_clear_400(actors: dict) -> None:
    response = actors["buyer"].client.get(reverse("api-order-list"), {"status": "lost"})

    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_the_order_shows_the_actions_its_side_may_take(actors: dict) -> None:
    order = _order(actors)

    as_supplier = actors["supplier"].client.get(reverse("api-order-detail", args=[order.pk])).json()
    as_buyer = actors["buyer"].client.get(reverse("api-order-detail", args=[order.pk])).json()

    assert as_supplier["actions"] == ["confirm", "cancel"]
    assert as_buyer["actions"] == ["cancel"]
    assert [m["percent"] for m in as_buyer["milestones"]] == [30, 70]
    assert as_buyer["number"] == order.number


def test_an_order_goes_through_the_api_from_placed_to_reviewed(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = _order(actors)
    deposit, balance = order.milestones.order_by("position")

    _post(supplier, "api-order-confirm", order)
    _post(buyer, "api-order-milestone-paid", order, {"reference": "TT-1"}, milestone_id=deposit.pk)
    answer = _post(supplier, "api-order-milestone-received", order, milestone_id=deposit.pk).json()
    assert answer["status"] == Status.DEPOSIT_PAID
    _post(supplier, "api-order-start-production", order)
    _post(supplier, "api-order-milestone-received", order, milestone_id=balance.pk)
    shipped = _post(
        supplier, "api-order-ship", order, {"carrier": "COSCO", "tracking_number": "COSU61", "quantity": 1000}
    ).json()
    _post(buyer, "api-order-deliver", order)
    _post(buyer, "api-order-complete", order)
    reviewed = _post(buyer, "api-order-review", order, {"rating": 5, "comment": "On time."})

    assert shipped["shipments"][0]["tracking_number"] == "COSU61"
    assert reviewed.status_code == 200
    assert reviewed.json()["status"] == Status.COMPLETED
    assert reviewed.json()["review"]["rating"] == 5
    assert PaymentMilestone.objects.filter(order=order, status=PaymentMilestone.Status.RECEIVED).count() == 2


def test_a_transition_out_of_order_answers_409_and_changes_nothing(actors: dict) -> None:
    order = _order(actors)

    response = _post(actors["buyer"], "api-order-deliver", order)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert "cannot be marked delivered now" in response.json()["error"]["message"]
    order.refresh_from_db()
    assert order.status == Status.PLACED


def test_shipping_without_a_tracking_number_is_a_400_naming_the_field(actors: dict) -> None:
    order = _order(actors, Status.IN_PRODUCTION)

    response = _post(actors["supplier"], "api-order-ship", order, {"carrier": "COSCO", "quantity": 10})

    assert response.status_code == 400
    assert "tracking_number" in response.json()["error"]["fields"]


def test_cancelling_without_a_reason_is_a_400(actors: dict) -> None:
    order = _order(actors)

    response = _post(actors["buyer"], "api-order-cancel", order, {"reason": ""})

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Status.PLACED


def test_ordering_from_the_catalog_below_the_moq_is_a_400(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100)

    response = actors["buyer"].client.post(
        reverse("api-order-from-catalog"), {"product": product.pk, "quantity": 99}, content_type=JSON
    )

    assert response.status_code == 400
    assert "quantity" in response.json()["error"]["fields"]
    assert not Order.objects.exists()


def test_ordering_from_the_catalog_answers_the_new_order(actors: dict) -> None:
    product = ProductFactory(supplier=actors["supplier"].supplier, moq=100, tiers=[(100, "12.50"), (500, "11.80")])

    response = actors["buyer"].client.post(
        reverse("api-order-from-catalog"),
        {"product": product.pk, "quantity": 500, "destination_country": "de", "notes": "Blue zips."},
        content_type=JSON,
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["side"], body["goods_total"], body["destination_country"]) == (
        "placed",
        "buyer",
        "5900.00",
        "DE",
    )
    assert body["events"][0]["reason"] == "Blue zips."


def test_staff_resolve_a_dispute_through_the_api(actors: dict) -> None:
    order = _order(actors, Status.DISPUTED)

    response = _post(
        actors["staff"], "api-order-resolve-dispute", order, {"outcome": "resume", "resolution": "Resend 200 bags."}
    )
    again = _post(actors["staff"], "api-order-resolve-dispute", order, {"outcome": "resume", "resolution": "Again."})

    assert response.status_code == 200
    assert response.json()["status"] == Status.SHIPPED
    assert again.status_code == 409
