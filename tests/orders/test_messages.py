"""Messaging between a buyer and a supplier: who may start a thread about an RFQ or an order, one
thread per RFQ and supplier and per order, attachments checked by content, one notification per
message and person, and only the two companies ever seeing a thread."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from buyers.models import SourcingRequest
from marketplace.errors import InvalidInput, NotFound
from marketplace.models import Notification
from marketplace.notification_texts import notification_text
from orders.models import Message, Thread
from orders.selectors.messages import message_attachment_of_company, thread_of_company, threads_of_company
from orders.services.messages import (
    message_send,
    order_thread_start,
    rfq_thread_start,
    thread_mark_read,
)
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import CompanyFactory, MembershipFactory, SupplierProfileFactory, UserFactory
from tests.orders.factories_messages import (
    matched_rfq,
    not_a_document,
    order_between,
    order_thread,
    pdf,
    png,
    rfq_thread,
)

pytestmark = pytest.mark.django_db


# --- Starting a thread about an RFQ -------------------------------------------------------------


def test_a_buyer_starts_a_thread_with_a_matched_supplier_by_writing_the_first_message(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)

    message = rfq_thread_start(
        company=buyer.company, author=buyer.user, rfq_id=rfq.pk, supplier_id=supplier.supplier.pk, body="  Hello  "
    )

    thread = message.thread
    assert (thread.buyer, thread.supplier, thread.rfq, thread.order) == (buyer.company, supplier.supplier, rfq, None)
    assert (message.body, message.author, message.author_company) == ("Hello", buyer.user, buyer.company)
    assert thread.last_message_at == message.created_at


def test_a_buyer_may_write_to_a_supplier_that_quoted_without_being_matched(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = SourcingRequestFactory(buyer=buyer.company)
    QuoteFactory(rfq=rfq, supplier=supplier.supplier)

    message = rfq_thread_start(
        company=buyer.company, author=buyer.user, rfq_id=rfq.pk, supplier_id=supplier.supplier.pk, body="Hi"
    )

    assert message.thread.supplier == supplier.supplier


def test_a_buyer_cannot_write_about_its_rfq_to_a_supplier_that_neither_quoted_nor_was_matched(actors: dict) -> None:
    buyer = actors["buyer"]
    rfq = matched_rfq(buyer, actors["supplier"])

    with pytest.raises(NotFound):
        rfq_thread_start(
            company=buyer.company,
            author=buyer.user,
            rfq_id=rfq.pk,
            supplier_id=actors["other_supplier"].supplier.pk,
            body="Hi",
        )
    assert not Thread.objects.exists()


def test_a_buyer_cannot_start_a_thread_about_another_buyers_rfq(actors: dict) -> None:
    rfq = matched_rfq(actors["buyer"], actors["supplier"])
    intruder = actors["other_buyer"]

    with pytest.raises(NotFound):
        rfq_thread_start(
            company=intruder.company,
            author=intruder.user,
            rfq_id=rfq.pk,
            supplier_id=actors["supplier"].supplier.pk,
            body="Hi",
        )


def test_a_supplier_writes_to_the_buyer_of_an_rfq_it_was_matched_to(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)

    message = rfq_thread_start(company=supplier.company, author=supplier.user, rfq_id=rfq.pk, body="A question")

    assert (message.thread.buyer, message.thread.supplier, message.author_company) == (
        buyer.company,
        supplier.supplier,
        supplier.company,
    )


def test_a_supplier_cannot_write_about_a_private_rfq_it_was_not_sent(actors: dict) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE)
    supplier = actors["other_supplier"]

    with pytest.raises(NotFound):
        rfq_thread_start(company=supplier.company, author=supplier.user, rfq_id=rfq.pk, body="Hi")


def test_a_company_that_only_buys_cannot_write_as_a_supplier(actors: dict) -> None:
    rfq = matched_rfq(actors["buyer"], actors["supplier"])
    other = actors["other_buyer"]

    with pytest.raises(NotFound):
        rfq_thread_start(company=other.company, author=other.user, rfq_id=rfq.pk, body="Hi")


def test_both_sides_writing_about_one_rfq_share_one_thread(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)

    first = rfq_thread_start(company=supplier.company, author=supplier.user, rfq_id=rfq.pk, body="Question")
    answer = rfq_thread_start(
        company=buyer.company, author=buyer.user, rfq_id=rfq.pk, supplier_id=supplier.supplier.pk, body="Answer"
    )

    assert first.thread_id == answer.thread_id
    assert Thread.objects.count() == 1


def test_each_supplier_gets_its_own_thread_about_the_same_rfq(actors: dict) -> None:
    buyer = actors["buyer"]
    rfq = matched_rfq(buyer, actors["supplier"])
    MatchFactory(rfq=rfq, supplier=actors["other_supplier"].supplier)

    for seller in ("supplier", "other_supplier"):
        rfq_thread_start(company=actors[seller].company, author=actors[seller].user, rfq_id=rfq.pk, body="Hi")

    assert Thread.objects.filter(rfq=rfq).count() == 2


# --- Threads about orders -----------------------------------------------------------------------


def test_either_side_of_an_order_writes_in_the_orders_one_thread(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = order_between(buyer=buyer.company, supplier=supplier.supplier)

    first = order_thread_start(company=supplier.company, author=supplier.user, order_id=order.pk, body="Confirmed")
    second = order_thread_start(company=buyer.company, author=buyer.user, order_id=order.pk, body="Thanks")

    assert first.thread_id == second.thread_id
    thread = first.thread
    assert (thread.order, thread.rfq, thread.buyer, thread.supplier) == (order, None, buyer.company, supplier.supplier)


def test_a_company_outside_the_order_cannot_write_about_it(actors: dict) -> None:
    order = order_between(buyer=actors["buyer"].company, supplier=actors["supplier"].supplier)

    for outsider in ("other_buyer", "other_supplier"):
        with pytest.raises(NotFound):
            order_thread_start(
                company=actors[outsider].company, author=actors[outsider].user, order_id=order.pk, body="Hi"
            )


# --- Sending ------------------------------------------------------------------------------------


def test_an_empty_message_is_refused_with_a_clear_message_and_nothing_is_written(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])

    with pytest.raises(InvalidInput, match="Write a message or attach a file"):
        message_send(thread_id=thread.pk, company=actors["supplier"].company, author=actors["supplier"].user, body="  ")
    assert thread.messages.count() == 1


def test_a_message_over_ten_thousand_characters_is_refused(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])

    with pytest.raises(InvalidInput, match="10,000"):
        message_send(
            thread_id=thread.pk, company=actors["buyer"].company, author=actors["buyer"].user, body="x" * 10_001
        )


def test_a_message_may_be_only_an_attachment_a_pdf_or_an_image(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])
    supplier = actors["supplier"]

    drawing = message_send(
        thread_id=thread.pk, company=supplier.company, author=supplier.user, body="", attachment=pdf()
    )
    photo = message_send(thread_id=thread.pk, company=supplier.company, author=supplier.user, body="", attachment=png())

    assert (drawing.attachment_name, photo.attachment_name) == ("drawing.pdf", "sample.png")
    assert drawing.attachment.read().startswith(b"%PDF-")


def test_an_attachment_that_is_not_a_pdf_or_an_image_is_refused_whatever_its_name(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])

    with pytest.raises(InvalidInput, match="PDF") as refused:
        message_send(
            thread_id=thread.pk,
            company=actors["buyer"].company,
            author=actors["buyer"].user,
            body="See attached",
            attachment=not_a_document(),
        )
    assert refused.value.field == "attachment"
    assert thread.messages.count() == 1


def test_a_third_company_cannot_send_in_a_thread(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])

    for outsider in ("other_buyer", "other_supplier"):
        with pytest.raises(NotFound):
            message_send(thread_id=thread.pk, company=actors[outsider].company, author=actors[outsider].user, body="Hi")
    assert thread.messages.count() == 1


# --- Notifications ------------------------------------------------------------------------------


def test_every_member_of_the_other_company_is_notified_once_per_message(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    colleague = MembershipFactory(company=supplier.company).user
    buyer_colleague = MembershipFactory(company=buyer.company).user

    thread = rfq_thread(buyer, supplier)
    message_send(thread_id=thread.pk, company=buyer.company, author=buyer.user, body="And another thing")

    told = Notification.objects.filter(kind="message_new")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted([supplier.user.pk, colleague.pk] * 2)
    assert not told.filter(recipient__in=[buyer.user, buyer_colleague]).exists()
    assert told.values("event_key").distinct().count() == 2


def test_a_member_of_both_companies_is_not_told_of_its_own_message(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    MembershipFactory(user=buyer.user, company=supplier.company)

    rfq_thread(buyer, supplier)

    assert not Notification.objects.filter(recipient=buyer.user).exists()
    assert Notification.objects.filter(recipient=supplier.user).count() == 1


def test_the_supplier_is_told_the_buyers_country_not_its_name_before_they_do_business(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq_thread(buyer, supplier, body="Can you do 50,000 by June?")

    notification = Notification.objects.get(recipient=supplier.user, kind="message_new")
    text = notification_text(notification)  # rendered in the reader's language; the test reads in English
    assert notification.url == f"/orders/messages/{Thread.objects.get().pk}/#message-{Message.objects.get().pk}"
    assert buyer.company.name not in text.body
    assert notification.context["sender_country"] == "LK"
    assert "Can you do 50,000 by June?" in text.body


def test_in_an_order_thread_the_supplier_is_told_who_the_buyer_is(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order_thread(buyer, supplier)

    notification = Notification.objects.get(recipient=supplier.user, kind="message_new")
    assert notification.context["sender"] == buyer.company.name
    assert notification.context["order_number"].startswith("PO-")


def test_the_buyer_is_told_which_supplier_wrote(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    rfq = matched_rfq(buyer, supplier)
    rfq_thread_start(company=supplier.company, author=supplier.user, rfq_id=rfq.pk, body="Question")

    notification = Notification.objects.get(recipient=buyer.user, kind="message_new")
    assert supplier.supplier.name in notification_text(notification).body


def test_opening_a_thread_marks_its_message_notifications_read_and_no_others(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    first = rfq_thread(buyer, supplier)
    second = order_thread(buyer, supplier)

    assert thread_mark_read(thread=first, user=supplier.user) == 1

    unread = Notification.objects.filter(recipient=supplier.user, kind="message_new", read_at__isnull=True)
    assert list(unread.values_list("event_key", flat=True)) == [f"message:{second.pk}:{second.messages.get().pk}"]


# --- Scoped reads -------------------------------------------------------------------------------


def test_only_the_two_companies_see_a_thread(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])

    for party in ("buyer", "supplier"):
        assert thread_of_company(company=actors[party].company, thread_id=thread.pk) == thread
        assert list(threads_of_company(company=actors[party].company)) == [thread]
    for outsider in ("other_buyer", "other_supplier"):
        with pytest.raises(NotFound):
            thread_of_company(company=actors[outsider].company, thread_id=thread.pk)
        assert not threads_of_company(company=actors[outsider].company).exists()


def test_a_third_company_cannot_read_an_attachment(actors: dict) -> None:
    thread = rfq_thread(actors["buyer"], actors["supplier"])
    message = message_send(
        thread_id=thread.pk, company=actors["buyer"].company, author=actors["buyer"].user, body="", attachment=pdf()
    )

    assert message_attachment_of_company(company=actors["supplier"].company, message_id=message.pk) == message
    with pytest.raises(NotFound):
        message_attachment_of_company(company=actors["other_supplier"].company, message_id=message.pk)


def test_the_inbox_shows_the_newest_conversation_first_with_unread_marks(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    older = rfq_thread(buyer, supplier)
    newer = order_thread(buyer, supplier)
    thread_mark_read(thread=newer, user=supplier.user)

    threads = list(threads_of_company(company=supplier.company, reader=supplier.user))

    assert threads == [newer, older]
    assert [thread.unread for thread in threads] == [False, True]
    assert threads[1].last_body == "Can you print our logo on the front?"


def test_a_company_that_buys_and_sells_sees_its_threads_on_both_sides(actors: dict) -> None:
    seller = actors["supplier"]
    as_buyer = rfq_thread(seller, actors["other_supplier"])
    as_seller = rfq_thread(actors["buyer"], seller)

    assert set(threads_of_company(company=seller.company)) == {as_buyer, as_seller}


def test_a_message_from_someone_who_left_keeps_its_company(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    leaver = UserFactory()
    MembershipFactory(user=leaver, company=buyer.company)
    thread = rfq_thread(buyer, supplier)
    message = message_send(thread_id=thread.pk, company=buyer.company, author=leaver, body="Bye")

    leaver.delete()

    message.refresh_from_db()
    assert (message.author, message.author_company) == (None, buyer.company)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_both_sides_writing_their_first_message_at_once_share_one_thread() -> None:
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL.")
    buyer_company, seller_profile = CompanyFactory(), SupplierProfileFactory()
    buyer_user, seller_user = UserFactory(), UserFactory()
    MembershipFactory(user=buyer_user, company=buyer_company)
    MembershipFactory(user=seller_user, company=seller_profile.company)
    rfq = SourcingRequestFactory(buyer=buyer_company)
    MatchFactory(rfq=rfq, supplier=seller_profile)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(company: object, user: object, supplier_id: int | None) -> None:
        try:
            barrier.wait()
            rfq_thread_start(company=company, author=user, rfq_id=rfq.pk, supplier_id=supplier_id, body="Hello")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    writers = [
        threading.Thread(target=write, args=(buyer_company, buyer_user, seller_profile.pk)),
        threading.Thread(target=write, args=(seller_profile.company, seller_user, None)),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()

    assert errors == []
    thread = Thread.objects.get()
    assert thread.messages.count() == 2
