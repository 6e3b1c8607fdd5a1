"""The messaging API: listing threads by cursor, starting threads, sending text and attachments,
polling with `after`, the one error shape for bad input, 404 for a third company, and the schema."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.models import Notification
from orders.models import Message, Thread
from orders.services.messages import message_send
from tests.factories import ApiTokenFactory
from tests.orders.builders_messages import matched_rfq, not_a_document, order_between, pdf, rfq_thread
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db
THREADS = "/api/v1/threads/"


def _messages_url(thread: Thread) -> str:
    return reverse("api-thread-messages", kwargs={"pk": thread.pk})


def test_the_thread_list_shows_the_companys_threads_newest_first_as_it_sees_them(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    older = rfq_thread(buyer, supplier)
    newer = rfq_thread(buyer, supplier, body="Second request")

    as_supplier = supplier.client.get(THREADS).json()
    as_buyer = buyer.client.get(THREADS).json()

    assert [row["id"] for row in as_supplier["results"]] == [newer.pk, older.pk]
    first = as_supplier["results"][0]
    assert (first["about"], first["role"], first["unread"], first["last_message"]) == (
        "rfq",
        "supplier",
        True,
        "Second request",
    )
    assert first["rfq"] == {"id": newer.rfq_id, "reference": newer.rfq.reference, "title": newer.rfq.title}
    assert buyer.company.name not in first["counterpart"]  # the buyer's name waits until they do business
    assert as_buyer["results"][0]["counterpart"] == supplier.supplier.name
    assert as_buyer["results"][0]["role"] == "buyer"


def test_the_thread_list_pages_by_cursor(actors: dict) -> None:
    buyer = actors["buyer"]
    threads = [rfq_thread(buyer, actors["supplier"]) for _ in range(3)]

    first = buyer.client.get(THREADS, {"page_size": 2}).json()
    second = buyer.client.get(first["next"]).json()

    assert [row["id"] for row in first["results"] + second["results"]] == [t.pk for t in reversed(threads)]
    assert second["next"] is None


def test_the_thread_list_makes_the_same_queries_for_any_page_size(actors: dict) -> None:
    buyer = actors["buyer"]
    for _ in range(10):
        rfq_thread(buyer, actors["supplier"])

    def fetch(size: int) -> object:
        return buyer.client.get(THREADS, {"page_size": size})

    assert_same_queries_for_page_sizes(fetch, expected=4)


def test_a_buyer_starts_a_thread_through_the_api(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)

    response = buyer.client.post(
        THREADS,
        {"rfq": rfq.pk, "supplier": supplier.supplier.pk, "body": "What is your MOQ?"},
        content_type="application/json",
    )

    assert response.status_code == 201
    thread = Thread.objects.get(pk=response.json()["id"])
    assert (thread.rfq, thread.supplier) == (rfq, supplier.supplier)
    assert Notification.objects.filter(recipient=supplier.user, kind="message_new").count() == 1


def test_a_supplier_starts_an_order_thread_with_an_attachment(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)

    response = supplier.client.post(THREADS, {"order": order.pk, "attachment": pdf()})

    assert response.status_code == 201, response.json()
    assert response.json()["order"] == {"id": order.pk, "number": order.number}
    assert Message.objects.get().attachment_name == "drawing.pdf"


def test_starting_a_thread_about_both_an_rfq_and_an_order_is_refused(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)

    response = buyer.client.post(
        THREADS, {"rfq": rfq.pk, "order": order.pk, "body": "Hi"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "either" in response.json()["error"]["message"]
    assert not Thread.objects.exists()


def test_sending_and_polling_for_newer_messages(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)
    seen = thread.messages.get()

    sent = supplier.client.post(
        _messages_url(thread), {"body": "Yes, 50,000 by June."}, content_type="application/json"
    )
    polled = buyer.client.get(_messages_url(thread), {"after": seen.pk}).json()

    assert sent.status_code == 201
    body = sent.json()
    assert (body["side"], body["mine"], body["body"], body["attachment"]) == (
        "supplier",
        True,
        "Yes, 50,000 by June.",
        None,
    )
    assert [m["id"] for m in polled["results"]] == [body["id"]]
    assert polled["results"][0]["mine"] is False
    # Reading them marked the buyer's notification read.
    assert not Notification.objects.filter(recipient=buyer.user, kind="message_new", read_at__isnull=True).exists()


def test_a_supplier_is_not_told_the_names_of_the_buyers_people_before_they_do_business(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)

    before = supplier.client.get(_messages_url(thread)).json()["results"][0]
    order_between(buyer=buyer.company, supplier=supplier.supplier)
    after = supplier.client.get(_messages_url(thread)).json()["results"][0]

    assert before["author"] is None
    assert after["author"] == buyer.user.get_short_name()


def test_an_attachment_is_sent_as_multipart_and_downloaded_with_a_token(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)

    sent = buyer.client.post(_messages_url(thread), {"body": "", "attachment": pdf()}).json()
    url = sent["attachment"]["url"]
    token = ApiTokenFactory(user=supplier.user)
    key = "supplier-token-key"
    token.key_hash = type(token).hash_key(key)
    token.save()

    download = Client().get(url, headers={"Authorization": f"Token {key}"})

    assert sent["attachment"]["name"] == "drawing.pdf"
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_bad_input_gets_the_error_shape_with_the_field(actors: dict) -> None:
    buyer = actors["buyer"]
    thread = rfq_thread(buyer, actors["supplier"])

    empty = buyer.client.post(_messages_url(thread), {"body": "  "}, content_type="application/json")
    program = buyer.client.post(_messages_url(thread), {"body": "x", "attachment": not_a_document()})
    after = buyer.client.get(_messages_url(thread), {"after": "-1"})

    assert empty.status_code == program.status_code == after.status_code == 400
    assert empty.json()["error"]["fields"] == {"body": ["Write a message or attach a file."]}
    assert "attachment" in program.json()["error"]["fields"]
    assert "after" in after.json()["error"]["fields"]
    assert thread.messages.count() == 1


def test_a_third_company_gets_404_for_a_thread_its_messages_and_its_attachment(actors: dict) -> None:
    buyer = actors["buyer"]
    thread = rfq_thread(buyer, actors["supplier"])
    message = message_send(thread_id=thread.pk, company=buyer.company, author=buyer.user, body="", attachment=pdf())

    for outsider in ("other_buyer", "other_supplier"):
        client = actors[outsider].client
        assert client.get(reverse("api-thread-detail", kwargs={"pk": thread.pk})).status_code == 404
        assert client.get(_messages_url(thread)).status_code == 404
        assert client.post(_messages_url(thread), {"body": "Hi"}, content_type="application/json").status_code == 404
        assert client.get(reverse("api-message-attachment", kwargs={"pk": message.pk})).status_code == 404
        assert client.get(THREADS).json()["results"] == []
    assert thread.messages.count() == 2


def test_the_messaging_endpoints_are_in_the_openapi_schema(actors: dict) -> None:
    schema = actors["anonymous"].client.get(reverse("api-schema"), {"format": "json"}).json()

    for path in (
        "/api/v1/threads/",
        "/api/v1/threads/{id}/",
        "/api/v1/threads/{id}/messages/",
        "/api/v1/messages/{id}/attachment/",
    ):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/threads/{id}/messages/"]
