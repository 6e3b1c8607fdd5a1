"""Delivery of the notification outbox by e-mail: the work of its tasks.

`notification_deliver()` claims the row with a conditional UPDATE before it sends, so two workers
holding the same id never both send; it counts attempts, keeps the last error and gives up, with
the reason kept, after `settings.NOTIFICATION_MAX_ATTEMPTS`. `notification_outbox_sweep()` hands
rows that waited too long to the workers again. Recording is in
marketplace/services/notifications.py; both queue the tasks of marketplace/tasks/notifications.py,
which call this module.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize

from marketplace.models import Notification
from marketplace.notification_texts import notification_absolute_url, notification_render, render_text
from marketplace.selectors.translations import translations_for

logger = logging.getLogger(__name__)

# A claimed notification counts as "being sent" for this long: another worker that gets the same
# id meanwhile (a sweeper re-enqueue, a redelivered message) leaves it alone. Sending one e-mail
# takes seconds; the task's first retry comes after 60 s (see marketplace/tasks/notifications.py).
DELIVERY_LEASE = timedelta(seconds=60)

SWEEP_BATCH_SIZE = 500
# At most this many batches per sweep, so that a long broker outage does not make one sweep
# enqueue the whole backlog again every minute while the workers are still draining it.
SWEEP_MAX_BATCHES = 20


class NotificationDeliveryFailed(Exception):
    """Sending failed and attempts remain: the delivery task retries later, with backoff."""


class DeliveryOutcome:
    """What one call of `notification_deliver` did (the task returns it, for the worker log)."""

    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_CLAIMED = "not_claimed"


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
        headers={"Content-Language": language},
    )
    message.attach_alternative(linebreaks(urlize(text, autoescape=True)), "text/html")
    return message


# --- Delivery: claim, send, record --------------------------------------------------------------


def _delivery_lease() -> timedelta:
    return min(DELIVERY_LEASE, settings.NOTIFICATION_REDELIVER_AFTER)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification by e-mail, at most once; returns a `DeliveryOutcome`.

    The claim is a conditional UPDATE that commits on its own before anything is sent (so this
    deliberately runs outside a transaction): only a pending row below the attempt limit that is
    not being sent right now (no attempt in the last `DELIVERY_LEASE`) is claimed, and the claim
    adds one attempt. Two workers with the same id therefore never both send it. The claim's
    timestamp is the claimant's token: the outcome is recorded only if nobody claimed it since.

    On a sending error the reason is kept in `email_error` and `NotificationDeliveryFailed` is
    raised while attempts remain (the task retries with backoff); the last allowed attempt marks
    the row failed instead. Inactive recipients and those without an e-mail address are skipped.
    """
    max_attempts = settings.NOTIFICATION_MAX_ATTEMPTS
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(
        Q(email_last_attempt_at__isnull=True) | Q(email_last_attempt_at__lte=claimed_at - _delivery_lease()),
        pk=notification_id,
        email_status=Notification.EmailStatus.PENDING,
        email_attempts__lt=max_attempts,
    ).update(email_attempts=F("email_attempts") + 1, email_last_attempt_at=claimed_at)
    if not claimed:
        return DeliveryOutcome.NOT_CLAIMED
    ours = Notification.objects.filter(
        pk=notification_id, email_status=Notification.EmailStatus.PENDING, email_last_attempt_at=claimed_at
    )
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        ours.update(
            email_status=Notification.EmailStatus.SKIPPED,
            email_error="The recipient is inactive or has no e-mail address.",
        )
        return DeliveryOutcome.SKIPPED
    try:
        _build_email(notification).send(fail_silently=False)
    except Exception as exc:
        error = _describe(exc)
        if notification.email_attempts >= max_attempts:
            ours.update(
                email_status=Notification.EmailStatus.FAILED,
                email_error=f"Gave up after {notification.email_attempts} attempts. Last error: {error}",
            )
            logger.warning("Gave up on notification %s: %s", notification_id, error)
            return DeliveryOutcome.FAILED
        ours.update(email_error=error)
        raise NotificationDeliveryFailed(error) from exc
    ours.update(email_status=Notification.EmailStatus.SENT, email_sent_at=timezone.now(), email_error="")
    return DeliveryOutcome.SENT


def notification_outbox_sweep(
    *,
    enqueue: Callable[[list[int]], int],
    batch_size: int = SWEEP_BATCH_SIZE,
    max_batches: int = SWEEP_MAX_BATCHES,
) -> int:
    """Hand pending notifications that waited too long back to the workers; returns how many.

    Stale means: still pending, attempts left, and the last attempt (or the creation, when never
    attempted) older than `settings.NOTIFICATION_REDELIVER_AFTER`: the task was lost (broker
    down at enqueue time, a worker killed mid-send) or its retries ran out. Rows are enqueued in
    primary-key batches; nothing is written here, so enqueueing needs no commit to wait for.
    Re-enqueueing a row that is also still queued is harmless: the claim in
    `notification_deliver` lets only one delivery send. A row stuck at the attempt limit (its
    last worker died) is marked failed here, with the reason.

    `enqueue` hands a batch of ids to the workers and returns how many it enqueued (the sweeper
    task passes `notifications_enqueue_delivery`, which sits next to the tasks it queues).
    """
    max_attempts = settings.NOTIFICATION_MAX_ATTEMPTS
    cutoff = timezone.now() - settings.NOTIFICATION_REDELIVER_AFTER
    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
    with transaction.atomic():
        pending.filter(email_attempts__gte=max_attempts, email_last_attempt_at__lt=cutoff).update(
            email_status=Notification.EmailStatus.FAILED,
            email_error=Concat(
                Value(f"Gave up after {max_attempts} attempts (the last one never reported). Last error: "),
                F("email_error"),
            ),
        )
    stale = (
        pending.filter(email_attempts__lt=max_attempts)
        .filter(
            Q(email_last_attempt_at__isnull=True, created_at__lt=cutoff) | Q(email_last_attempt_at__lt=cutoff),
        )
        .order_by("pk")
    )
    total = 0
    last_pk = 0
    for _batch in range(max_batches):
        ids = list(stale.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        enqueued = enqueue(ids)
        total += enqueued
        if enqueued < len(ids):  # the broker is down: the next sweep tries again
            break
        last_pk = ids[-1]
    return total
