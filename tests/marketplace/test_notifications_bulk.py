"""Many notifications at once (`notify_each`, and `notify_members` for the members of companies):
each person told once, in one read and one insert (one statement for `notify_members`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from marketplace.models import Notification
from marketplace.services.notifications import notify, notify_each, notify_members
from tests.factories import CompanyFactory, CurrencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)


def _item(user: object, event_key: str, message: str) -> tuple:
    return (user, "test", event_key, {"message": message}, f"/events/{event_key}/")


def test_each_person_gets_their_own_text_and_link_and_one_email(django_capture_on_commit_callbacks: Callable) -> None:
    alice, bob = UserFactory(), UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_each(items=[_item(alice, "rfq:1", "for alice"), _item(bob, "rfq:1", "for bob")])

    assert len(created) == 2
    assert Notification.objects.get(recipient=alice).context == {"message": "for alice"}
    assert Notification.objects.get(recipient=bob).url == "/events/rfq:1/"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([alice.email, bob.email])


def test_twenty_people_are_recorded_in_one_read_and_one_insert() -> None:
    users = [UserFactory() for _ in range(20)]

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        notify_each(items=[_item(user, "rfq:2", "x") for user in users])

    assert Notification.objects.filter(event_key="rfq:2").count() == 20
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert [word for word in statements if word not in ("SAVEPOINT", "RELEASE")] == ["SELECT", "INSERT"]


def test_nobody_is_told_twice_whether_listed_twice_called_twice_or_already_told_by_notify(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    alice, bob = UserFactory(), UserFactory()
    notify(recipients=[alice], kind="test", event_key="rfq:3", context={"message": "first"})

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_each(
            items=[_item(alice, "rfq:3", "again"), _item(bob, "rfq:3", "new"), _item(bob, "rfq:3", "twice")]
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = notify_each(items=[_item(bob, "rfq:3", "new")])

    assert [n.recipient_id for n in created] == [bob.pk]
    assert again == []
    assert Notification.objects.get(recipient=alice).context == {"message": "first"}
    assert Notification.objects.get(recipient=bob).context == {"message": "new"}


def test_one_person_is_told_about_two_different_events() -> None:
    alice = UserFactory()

    created = notify_each(items=[_item(alice, "rfq:4", "a"), _item(alice, "rfq:5", "b")])

    assert {n.event_key for n in created} == {"rfq:4", "rfq:5"}


class EventFailed(Exception):
    """Whatever went wrong in the event that would have caused the notifications."""


def _record_event_that_fails(user: object) -> None:
    with transaction.atomic():
        notify_each(items=[_item(user, "rfq:6", "x")])
        raise EventFailed


def test_nothing_is_recorded_or_sent_when_the_callers_transaction_rolls_back(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    alice = UserFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(EventFailed):
        _record_event_that_fails(alice)

    assert callbacks == []
    assert not Notification.objects.filter(recipient=alice).exists()
    assert mail.outbox == []


def test_an_item_without_a_kind_is_refused_and_no_items_is_nothing() -> None:
    with pytest.raises(ValueError, match="kind"):
        notify_each(items=[(UserFactory(), "", "rfq:7", None, "")])

    assert notify_each(items=[]) == []


# --- notify_members: every active member of each company ------------------------------------------


def _company_item(company: object, event_key: str, message: str) -> tuple:
    return (company.pk, "test", event_key, {"message": message}, f"/events/{event_key}/")  # type: ignore[attr-defined]


def test_every_active_member_of_each_company_is_told_once_with_their_company_s_text(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    factory, trader = CompanyFactory(), CompanyFactory()
    owner = MembershipFactory(company=factory).user
    colleague = MembershipFactory(company=factory).user
    gone = MembershipFactory(company=factory, user=UserFactory(is_active=False)).user
    both = MembershipFactory(company=trader).user
    MembershipFactory(company=factory, user=both)
    outsider = MembershipFactory().user

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_members(
            items=[_company_item(trader, "rfq:8", "for the trader"), _company_item(factory, "rfq:8", "for the factory")]
        )

    told = Notification.objects.filter(event_key="rfq:8")
    assert sorted(created) == sorted(told.values_list("pk", flat=True))
    assert set(told.values_list("recipient_id", flat=True)) == {owner.pk, colleague.pk, both.pk}
    assert told.get(recipient=owner).context == {"message": "for the factory"}
    assert told.get(recipient=both).context == {"message": "for the trader"}  # listed first
    assert told.get(recipient=owner).url == "/events/rfq:8/"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.email, colleague.email, both.email])
    assert gone.pk not in told.values_list("recipient_id", flat=True)
    assert outsider.pk not in told.values_list("recipient_id", flat=True)


def test_members_already_told_are_not_told_again_and_it_takes_one_statement() -> None:
    company = CompanyFactory()
    first, second = MembershipFactory(company=company).user, MembershipFactory(company=company).user
    notify(recipients=[first], kind="test", event_key="rfq:9", context={"message": "first"})

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        created = notify_members(items=[_company_item(company, "rfq:9", "again")])
    again = notify_members(items=[_company_item(company, "rfq:9", "once more")])

    assert [Notification.objects.get(pk=pk).recipient_id for pk in created] == [second.pk]
    assert again == []
    assert Notification.objects.get(recipient=first).context == {"message": "first"}
    if connection.vendor == "postgresql":
        assert len(captured.captured_queries) == 1


def _record_members_event_that_fails(company: object) -> None:
    with transaction.atomic():
        notify_members(items=[_company_item(company, "rfq:10", "x")])
        raise EventFailed


def test_members_are_told_nothing_when_the_callers_transaction_rolls_back(
    django_capture_on_commit_callbacks: Callable,
) -> None:
    member = MembershipFactory().user

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(EventFailed):
        _record_members_event_that_fails(member.memberships.get().company)

    assert callbacks == []
    assert not Notification.objects.filter(recipient=member).exists()
    assert mail.outbox == []
    assert notify_members(items=[]) == []
    with pytest.raises(ValueError, match="kind"):
        notify_members(items=[(member.memberships.get().company_id, "", "rfq:11", None, "")])
