"""Delivery of the notification outbox by e-mail: the work of its tasks.

`notifications_deliver()` claims due rows (marketplace/relay.py: `SELECT … FOR UPDATE SKIP LOCKED`
in small batches, with a lease) before it sends, so two workers never both send one notification;
it counts attempts, keeps the last error, schedules the retry (`email_due_at`, with backoff) and
gives up, with the reason kept, after `settings.NOTIFICATION_MAX_ATTEMPTS`. The task queued after
commit calls it for the new rows; the relay, run by beat every `RELAY_INTERVAL`, calls it for
whatever is due (a delivery lost with the broker or a killed worker, a retry). Recording is in
marketplace/services/notifications.py; the tasks are in marketplace/tasks/notifications.py.

E-mail is sent at least once, and each notification's e-mails carry one `Message-ID`
(`notification_message_id`): a worker killed between sending and recording leaves the row to be
sent again, and the copy is recognisable as the same message. In-app, a notification exists once
(a unique constraint on recipient and event key).
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize

from marketplace.models import Notification
from marketplace.notification_texts import notification_absolute_url, notification_render, render_text
from marketplace.relay import claim_due, claimed_batches, lease_renew
from marketplace.selectors.translations import translations_for

logger = logging.getLogger(__name__)

# After a failed attempt n, the next is due RETRY_FIRST_DELAY * 2**(n-1) later, at most RETRY_MAX_DELAY.
RETRY_FIRST_DELAY = timedelta(seconds=60)
RETRY_MAX_DELAY = timedelta(hours=1)


class DeliveryOutcome:
    """What delivering one notification did."""

    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"  # sending failed; attempts remain and the retry is due later
    FAILED = "failed"  # given up
    NOT_CLAIMED = "not_claimed"  # not due, being sent by another worker, or no longer pending


def notification_message_id(notification: Notification) -> str:
    """The `Message-ID` of every e-mail of this notification: the same for a resend, so that mail
    clients and the recipient can recognise a copy sent again after a crash."""
    domain = urlsplit(settings.SITE_URL).hostname or "sourcebelt.invalid"
    return f"<notification-{notification.pk}.{notification.created_at:%Y%m%d%H%M%S%f}@{domain}>"


# The context keys whose values are what people wrote (an RFQ's title, the start of a message, what
# a buyer asks in a negotiation round, a reason given), at the top or in a list of items (a digest's RFQs).
WRITTEN_KEYS = ("title", "rfq_title", "excerpt", "message", "reason")


def _written(context: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """Where the context holds what people wrote: (the dict, its key) for each."""
    places = [(context, key) for key in WRITTEN_KEYS if isinstance(context.get(key), str)]
    for value in context.values():
        if isinstance(value, list):
            places += [
                (item, key)
                for item in value
                if isinstance(item, dict)
                for key in WRITTEN_KEYS
                if isinstance(item.get(key), str)
            ]
    return places


def _in_language(notification: Notification, language: str) -> dict[str, Any]:
    """The notification's context with what people wrote in `language` where a machine translation
    is stored when it is sent, otherwise the original: sending never waits for a translation."""
    context = copy.deepcopy(notification.context) if isinstance(notification.context, dict) else {}
    places = _written(context)
    translations = translations_for(texts=[place[key] for place, key in places], language=language)
    for place, key in places:
        place[key] = translations.of(place[key]).text
    return context


def _build_email(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    rendered = notification_render(
        notification=notification, language=language, context=_in_language(notification, language)
    )
    link = notification_absolute_url(notification.url)
    with translation.override(language):
        text = render_text(
            ["notifications/email.txt"],
            {"name": recipient.get_short_name(), "body": rendered.body, "link": link},
        )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={"Content-Language": language, "Message-ID": notification_message_id(notification)},
    )
    message.attach_alternative(linebreaks(urlize(text, autoescape=True)), "text/html")
    return message


# --- Delivery: claim, send, record --------------------------------------------------------------


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def email_retry_delay(attempts: int) -> timedelta:
    """How long a failed e-mail waits before its next attempt (1 minute, doubling, at most an hour)."""
    return min(RETRY_FIRST_DELAY * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


def _pending() -> QuerySet[Notification]:
    """Pending notifications with attempts left: the rows a delivery may claim."""
    return Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING, email_attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS
    )


def _deliver_claimed(notification_id: int, held_until: datetime) -> str:
    """Send one claimed notification: take it for this attempt (counted) if the claim still holds,
    send, record the outcome while the attempt's lease holds."""
    now = timezone.now()
    token = lease_renew(
        _pending(),
        pk=notification_id,
        due_field="email_due_at",
        held_until=held_until,
        email_attempts=F("email_attempts") + 1,
        email_last_attempt_at=now,
    )
    if token is None:
        return DeliveryOutcome.NOT_CLAIMED
    ours = Notification.objects.filter(
        pk=notification_id, email_status=Notification.EmailStatus.PENDING, email_due_at=token
    )
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        ours.update(
            email_status=Notification.EmailStatus.SKIPPED,
            email_error="The recipient is inactive or has no e-mail address.",
            email_due_at=None,
        )
        return DeliveryOutcome.SKIPPED
    try:
        _build_email(notification).send(fail_silently=False)
    except Exception as exc:
        error = _describe(exc)
        if notification.email_attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            ours.update(
                email_status=Notification.EmailStatus.FAILED,
                email_error=f"Gave up after {notification.email_attempts} attempts. Last error: {error}",
                email_due_at=None,
            )
            logger.warning("Gave up on notification %s: %s", notification_id, error)
            return DeliveryOutcome.FAILED
        ours.update(email_error=error, email_due_at=timezone.now() + email_retry_delay(notification.email_attempts))
        logger.info("Notification %s not sent (attempt %s): %s", notification_id, notification.email_attempts, error)
        return DeliveryOutcome.RETRY
    ours.update(
        email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now(), email_error="", email_due_at=None
    )
    return DeliveryOutcome.SENT


def notifications_deliver(
    *, notification_ids: Sequence[int] | None = None, time_budget: float | None = None
) -> Counter[str]:
    """E-mail the pending notifications that are due — these ones, or (None) all — and count the
    outcomes (`DeliveryOutcome`).

    Each is claimed first (marketplace/relay.py): a row another worker is sending, not yet due for
    its retry, already sent, given up or out of attempts is left alone, so a task queued twice,
    or a task and the relay at once, send it once. The claim stands for `RELAY_LEASE`: a worker
    killed mid-send leaves the row to whoever comes after the lease. A failed send stays pending
    with its error and is due again after a backoff (60 s, 120 s, ... at most an hour); the
    attempt that reaches `NOTIFICATION_MAX_ATTEMPTS` marks it failed. Inactive recipients and
    those without an e-mail address are skipped. `time_budget` (seconds) bounds a relay run. Call
    outside a transaction: each claim and outcome commits on its own, before and after sending.
    """
    outcomes: Counter[str] = Counter()
    claims = claimed_batches(
        lambda: claim_due(_pending(), due_field="email_due_at", ids=notification_ids), time_budget=time_budget
    )
    for notification_id, held_until in claims:
        outcomes[_deliver_claimed(notification_id, held_until)] += 1
    return outcomes


def notification_deliver(*, notification_id: int) -> str:
    """E-mail one notification if it is due (see `notifications_deliver`); returns its outcome."""
    outcomes = notifications_deliver(notification_ids=[notification_id])
    return next(iter(outcomes), DeliveryOutcome.NOT_CLAIMED)


def notifications_give_up_stuck() -> int:
    """Mark failed the pending notifications whose last allowed attempt never reported (its worker
    died) once its lease ran out, with the reason; returns how many."""
    max_attempts = settings.NOTIFICATION_MAX_ATTEMPTS
    return Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING,
        email_attempts__gte=max_attempts,
        email_due_at__lte=timezone.now(),
    ).update(
        email_status=Notification.EmailStatus.FAILED,
        email_due_at=None,
        email_error=Concat(
            Value(f"Gave up after {max_attempts} attempts (the last one never reported). Last error: "),
            F("email_error"),
        ),
    )


def notifications_relay(*, time_budget: float) -> int:
    """The relay's run (beat, every `RELAY_INTERVAL`): give up what is stuck at the attempt limit,
    then deliver what is due for up to `time_budget` seconds. Returns how many were sent."""
    notifications_give_up_stuck()
    return notifications_deliver(time_budget=time_budget)[DeliveryOutcome.SENT]
