"""The message pages: the inbox, a thread whose newest messages arrive by htmx polling and by an
htmx send that appends, starting threads from RFQs and orders, attachments, and privacy."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from marketplace.models import Notification
from orders.models import Message, Thread
from orders.services.messages import message_send, thread_mark_read
from tests.orders.builders_messages import matched_rfq, not_a_document, order_between, order_thread, pdf, rfq_thread
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _thread_url(thread: Thread) -> str:
    return reverse("orders:thread_detail", kwargs={"pk": thread.pk})


def _message_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-message="(\d+)"', html)]


# --- The inbox ----------------------------------------------------------------------------------


def test_the_inbox_lists_the_companys_threads_newest_first_with_an_unread_mark(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    about_rfq = rfq_thread(buyer, supplier)
    about_order = order_thread(buyer, supplier)
    thread_mark_read(thread=about_order, user=supplier.user)

    page = supplier.client.get(reverse("orders:thread_list")).content.decode()

    assert re.findall(r'data-thread="(\d+)"', page) == [str(about_order.pk), str(about_rfq.pk)]
    assert page.count("data-unread") == 1
    assert about_rfq.rfq.title in page
    assert "Can you print our logo on the front?" in page


def test_another_company_has_an_empty_inbox(actors: dict) -> None:
    rfq_thread(actors["buyer"], actors["supplier"])

    page = actors["other_buyer"].client.get(reverse("orders:thread_list")).content.decode()

    assert "data-empty" in page
    assert "data-thread=" not in page


def test_the_inbox_makes_the_same_queries_for_any_page_size(actors: dict) -> None:
    buyer = actors["buyer"]
    for _ in range(10):
        rfq_thread(buyer, actors["supplier"])

    def fetch(size: int) -> object:
        return buyer.client.get(reverse("orders:thread_list"), {"page_size": size})

    assert_same_queries_for_page_sizes(fetch, expected=7)


# --- A thread -----------------------------------------------------------------------------------


def test_the_thread_page_shows_the_conversation_and_marks_it_read(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)

    response = supplier.client.get(_thread_url(thread))

    page = response.content.decode()
    assert "Can you print our logo on the front?" in page
    assert 'hx-trigger="every 5s"' in page
    assert not Notification.objects.filter(recipient=supplier.user, read_at__isnull=True, kind="message_new").exists()


def test_a_supplier_sees_the_buyers_country_not_its_name_until_they_do_business(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)

    before = supplier.client.get(_thread_url(thread)).content.decode()
    order_between(buyer=buyer.company, supplier=supplier.supplier, rfq=thread.rfq)
    after = supplier.client.get(_thread_url(thread)).content.decode()

    assert buyer.company.name not in before
    assert "Sri Lanka" in before or "斯里兰卡" in before
    assert buyer.company.name in after


def test_the_buyer_sees_the_suppliers_name(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)

    page = buyer.client.get(_thread_url(thread)).content.decode()

    assert supplier.supplier.name in page


def test_polling_returns_only_the_messages_after_the_last_one_shown(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)
    first = thread.messages.get()
    reply = message_send(thread_id=thread.pk, company=supplier.company, author=supplier.user, body="Yes, we can.")

    response = buyer.client.get(
        reverse("orders:thread_messages", kwargs={"pk": thread.pk}), {"after": first.pk}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert _message_ids(html) == [reply.pk]
    # The poller and the form ask next for what is newer than the reply.
    assert f"?after={reply.pk}" in html
    assert f'id="message-after" value="{reply.pk}" hx-swap-oob="true"' in html


def test_polling_with_nothing_new_keeps_asking_from_the_same_message(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])
    last = thread.messages.get()

    html = (
        actors["buyer"]
        .client.get(reverse("orders:thread_messages", kwargs={"pk": thread.pk}), {"after": last.pk}, headers=HTMX)
        .content.decode()
    )

    assert _message_ids(html) == []
    assert f"?after={last.pk}" in html


def test_polling_with_a_bad_after_is_a_clear_400(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])

    response = actors["buyer"].client.get(
        reverse("orders:thread_messages", kwargs={"pk": thread.pk}), {"after": "yesterday"}
    )

    assert response.status_code == 400
    assert "after" in response.content.decode()


def test_sending_with_htmx_appends_the_new_messages_and_gives_a_fresh_form(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)
    first = thread.messages.get()
    meanwhile = message_send(thread_id=thread.pk, company=supplier.company, author=supplier.user, body="Sure")

    response = buyer.client.post(
        reverse("orders:thread_send", kwargs={"pk": thread.pk}),
        {"body": "Great, send a sample.", "after": first.pk},
        headers=HTMX,
    )

    html = response.content.decode()
    sent = thread.messages.latest("id")
    assert response.status_code == 200
    assert sent.body == "Great, send a sample."
    assert _message_ids(html) == [meanwhile.pk, sent.pk]
    assert 'id="message-form-fields" hx-swap-oob="true"' in html
    assert "Great, send a sample." not in html.split('id="message-form-fields"')[1]


def test_a_refused_htmx_send_shows_why_in_the_form_and_keeps_the_text(actors: dict) -> None:
    buyer = actors["buyer"]
    thread = rfq_thread(buyer, actors["supplier"])
    first = thread.messages.get()

    response = buyer.client.post(
        reverse("orders:thread_send", kwargs={"pk": thread.pk}),
        {"body": "See attached", "after": first.pk, "attachment": not_a_document()},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert "Upload a PDF, or a JPEG, PNG or WebP image." in html
    assert "See attached" in html
    assert thread.messages.count() == 1


def test_sending_without_javascript_goes_back_to_the_thread(actors: dict) -> None:
    buyer = actors["buyer"]
    thread = rfq_thread(buyer, actors["supplier"])

    response = buyer.client.post(reverse("orders:thread_send", kwargs={"pk": thread.pk}), {"body": "Plain form"})

    sent = thread.messages.latest("id")
    assert response.status_code == 302
    assert response["Location"] == f"{_thread_url(thread)}#message-{sent.pk}"


def test_an_empty_message_without_javascript_is_refused_with_a_message(actors: dict) -> None:
    buyer = actors["buyer"]
    thread = rfq_thread(buyer, actors["supplier"])

    response = buyer.client.post(reverse("orders:thread_send", kwargs={"pk": thread.pk}), {"body": "   "})

    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()


def test_an_attachment_is_downloaded_by_both_sides_and_by_nobody_else(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)
    buyer.client.post(reverse("orders:thread_send", kwargs={"pk": thread.pk}), {"body": "", "attachment": pdf()})
    message = Message.objects.exclude(attachment="").get()
    url = reverse("orders:message_attachment", kwargs={"pk": message.pk})

    download = supplier.client.get(url)

    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="drawing.pdf"')
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "data-attachment" in supplier.client.get(_thread_url(thread)).content.decode()
    for outsider in ("other_buyer", "other_supplier"):
        assert actors[outsider].client.get(url).status_code == 404
        assert actors[outsider].client.get(_thread_url(thread)).status_code == 404


# --- Starting a thread --------------------------------------------------------------------------


def test_a_buyer_writes_a_first_message_to_a_matched_supplier(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)
    url = reverse("orders:rfq_thread_start_buyer", kwargs={"rfq_pk": rfq.pk, "supplier_pk": supplier.supplier.pk})

    form = buyer.client.get(url)
    response = buyer.client.post(url, {"body": "What is your MOQ?"})

    thread = Thread.objects.get()
    assert form.status_code == 200
    assert supplier.supplier.name in form.content.decode()
    assert response["Location"].startswith(_thread_url(thread))
    assert (thread.rfq, thread.supplier) == (rfq, supplier.supplier)


def test_starting_again_opens_the_existing_thread(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    thread = rfq_thread(buyer, supplier)

    response = supplier.client.get(reverse("orders:rfq_thread_start", kwargs={"rfq_pk": thread.rfq_id}))

    assert response.status_code == 302
    assert response["Location"] == _thread_url(thread)


def test_a_supplier_writes_to_the_buyer_about_an_order_from_the_order(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)
    url = reverse("orders:order_thread_start", kwargs={"order_pk": order.pk})

    response = supplier.client.post(url, {"body": "We confirm the order."})

    thread = Thread.objects.get(order=order)
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=buyer.user, kind="message_new").count() == 1
    assert supplier.client.get(url)["Location"] == _thread_url(thread)


def test_an_empty_first_message_is_refused_and_no_thread_is_started(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)

    response = buyer.client.post(reverse("orders:order_thread_start", kwargs={"order_pk": order.pk}), {"body": ""})

    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()
    assert not Thread.objects.exists()


def test_the_include_snippets_link_to_the_start_pages(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)

    as_buyer = render_to_string("orders/messages/_start_rfq_thread.html", {"rfq": rfq, "supplier": supplier.supplier})
    as_supplier = render_to_string("orders/messages/_start_rfq_thread.html", {"rfq": rfq})
    about_order = render_to_string(
        "orders/messages/_start_order_thread.html", {"order": order, "acting_company": supplier.company}
    )

    assert f"/orders/messages/rfq/{rfq.pk}/supplier/{supplier.supplier.pk}/" in as_buyer
    assert f"/orders/messages/rfq/{rfq.pk}/" in as_supplier
    assert "Message the buyer" in about_order
