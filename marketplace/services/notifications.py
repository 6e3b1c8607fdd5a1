"""The notification outbox: the one service every app calls to tell people about an event.

How it fits together (see docs/notifications.md):

1. `notify()` writes one Notification row per recipient in the caller's transaction. A unique
   constraint (recipient, event key) makes a repeated call a no-op, so a retried task or a double
   click never tells anybody twice.
2. After the caller commits, one delivery task per new row is put on the broker. If the broker is
   down the row simply stays pending: `notification_outbox_sweep()` (run every minute by Celery
   beat) hands pending rows to the workers again. A broker outage delays notifications and loses
   none.
3. `notification_deliver()` claims the row with a conditional UPDATE before it sends, so two
   workers holding the same id never both send; it counts attempts, keeps the last error and gives
   up, with the reason kept, after `settings.NOTIFICATION_MAX_ATTEMPTS`.

A notification's `kind` names its templates, `notifications/<kind>_subject.txt` and
`notifications/<kind>_body.txt`. They are rendered with the row's `context`: in the recipient's
language for e-mail, in the reader's language in the notification centre.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import Notification, User
from marketplace.notification_kinds import check_notification_kind

logger = logging.getLogger(__name__)

# A claimed notification counts as "being sent" for this long: another worker that gets the same
# id meanwhile (a sweeper re-enqueue, a redelivered message) leaves it alone. Sending one e-mail
# takes seconds; the task's first retry comes after 60 s (see marketplace/tasks/notifications.py).
DELIVERY_LEASE = timedelta(seconds=60)

SWEEP_BATCH_SIZE = 500
# At most this many batches per sweep, so that a long broker outage does not make one sweep
# enqueue the whole backlog again every minute while the workers are still draining it.
SWEEP_MAX_BATCHES = 20

_KIND_PATTERN = re.compile(r"^[a-z0-9_]{1,60}$")
_FALLBACK_KIND = "default"


class NotificationDeliveryFailed(Exception):
    """Sending failed and attempts remain: the delivery task retries later, with backoff."""


class DeliveryOutcome:
    """What one call of `notification_deliver` did (the task returns it, for the worker log)."""

    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_CLAIMED = "not_claimed"


# --- Recording: the one entry point for every app ----------------------------------------------


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    event_key: str,
    context: dict[str, Any] | None = None,
    url: str = "",
) -> list[Notification]:
    """Record that `recipients` are to be told about event `event_key`, in the caller's transaction.

    At most one Notification exists per recipient and event key, so calling this twice for the
    same event (a retried task, a double click) tells nobody twice. Delivery happens after commit:
    if the caller's transaction rolls back, nothing was recorded and nothing is sent. `context`
    must be JSON-serialisable; it holds the facts the templates of `kind` show (names as typed,
    never pre-translated text). `url` is a path on this site (or a full URL) the notification
    links to. Returns the notifications created by this call.
    """
    if not kind or not event_key:
        raise ValueError("notify() needs a kind and an event key.")
    check_notification_kind(kind)
    if len(event_key) > Notification.EVENT_KEY_MAX_LENGTH:
        raise ValueError(f"The event key {event_key[:40]!r}... is too long.")
    unique: dict[int, User] = {}
    for recipient in recipients:
        unique.setdefault(recipient.pk, recipient)
    if not unique:
        return []
    with transaction.atomic():
        already = set(
            Notification.objects.filter(event_key=event_key, recipient_id__in=list(unique)).values_list(
                "recipient_id", flat=True
            )
        )
        rows = [
            Notification(recipient=recipient, event_key=event_key, kind=kind, context=context or {}, url=url)
            for pk, recipient in unique.items()
            if pk not in already
        ]
        created = _insert_new(rows)
        if created:
            ids = [notification.pk for notification in created]
            transaction.on_commit(functools.partial(_enqueue_deliveries, ids))
    return created


def notify_each(*, items: Iterable[tuple[User, str, str, dict[str, Any] | None, str]]) -> list[Notification]:
    """`notify()` for many events at once: each item is (recipient, kind, event_key, context, url).

    The same guarantees as `notify()` — at most one Notification per recipient and event key
    (repeated items, a second call, a concurrent call: nobody is told twice), recorded in the
    caller's transaction, delivered after commit — in one read and one insert for all items, so a
    matching run that tells twenty suppliers, each with its own reasons, costs two queries, not
    forty. Returns the notifications created by this call.
    """
    wanted: dict[tuple[int, str], Notification] = {}
    for recipient, kind, event_key, context, url in items:
        if not kind or not event_key:
            raise ValueError("notify_each() needs a kind and an event key in every item.")
        check_notification_kind(kind)
        if len(event_key) > Notification.EVENT_KEY_MAX_LENGTH:
            raise ValueError(f"The event key {event_key[:40]!r}... is too long.")
        wanted.setdefault(
            (recipient.pk, event_key),
            Notification(recipient=recipient, event_key=event_key, kind=kind, context=context or {}, url=url),
        )
    if not wanted:
        return []
    with transaction.atomic():
        keys = {event_key for _pk, event_key in wanted}
        recipients = {pk for pk, _key in wanted}
        already = set(
            Notification.objects.filter(event_key__in=keys, recipient_id__in=recipients).values_list(
                "recipient_id", "event_key"
            )
        )
        created = _insert_new([row for key, row in wanted.items() if key not in already])
        if created:
            ids = [notification.pk for notification in created]
            transaction.on_commit(functools.partial(_enqueue_deliveries, ids))
    return created


def _insert_new(rows: list[Notification]) -> list[Notification]:
    """Insert `rows`; when a concurrent call inserted some of them first, keep only ours."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        created: list[Notification] = []
        for row in rows:
            notification, was_created = Notification.objects.get_or_create(
                recipient_id=row.recipient_id,
                event_key=row.event_key,
                defaults={"kind": row.kind, "context": row.context, "url": row.url},
            )
            if was_created:
                created.append(notification)
        return created


# One broker message carries the deliveries of at most this many notifications.
DELIVERY_BATCH = 50


def _enqueue_deliveries(notification_ids: list[int]) -> int:
    """Hand the notifications to workers, one message per DELIVERY_BATCH of them (a matching run
    that tells twenty suppliers costs one message, not twenty); returns how many were enqueued.

    Never raises: this runs after the user's transaction committed, and a broker that is down
    must not turn their request into an error. The rows stay pending and the sweeper enqueues
    them again later. The first failure stops the loop, so an outage costs one timeout, not one
    per batch.
    """
    # The tasks module imports this one.
    from marketplace.tasks.notifications import notification_deliver_task, notifications_deliver_task

    enqueued = 0
    for start in range(0, len(notification_ids), DELIVERY_BATCH):
        batch = notification_ids[start : start + DELIVERY_BATCH]
        try:
            if len(batch) == 1:
                notification_deliver_task.delay(batch[0])
            else:
                notifications_deliver_task.delay(batch)
        except Exception:
            logger.warning(
                "Could not enqueue delivery of notifications %s (and %s more); the outbox sweeper will retry.",
                batch[:5],
                len(notification_ids) - enqueued - len(batch),
                exc_info=True,
            )
            break
        enqueued += len(batch)
    return enqueued


# --- Rendering: the same templates for e-mail and for the notification centre ------------------


@dataclass(frozen=True)
class RenderedNotification:
    """A notification's text in one language: a one-line subject and a plain-text body."""

    subject: str
    body: str


@functools.cache
def _text_templates() -> DjangoTemplates:
    """The project's templates, loaded for plain text: no HTML escaping ("A & B" stays "A & B")."""
    base = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "notification-text",
            "DIRS": base.get("DIRS", []),
            "APP_DIRS": base.get("APP_DIRS", False),
            "OPTIONS": {"autoescape": False},
        }
    )


def _render_text(names: list[str], context: dict[str, Any]) -> str:
    engine = _text_templates()
    for name in names:
        try:
            template = engine.get_template(name)
        except TemplateDoesNotExist:
            continue
        text = template.render(context).strip()  # str.strip() also drops the "safe" marking
        return re.sub(r"\n{3,}", "\n\n", text)
    raise TemplateDoesNotExist(", ".join(names))


def _template_names(kind: str, part: str) -> list[str]:
    names = [f"notifications/{kind}_{part}.txt"] if _KIND_PATTERN.match(kind) else []
    return [*names, f"notifications/{_FALLBACK_KIND}_{part}.txt"]


def notification_render(*, notification: Notification, language: str | None = None) -> RenderedNotification:
    """Render the subject and body of `notification` from its kind's templates.

    In `language` when given (e-mail: the recipient's), else in the active language (a page: the
    reader's). An unknown kind falls back to a generic text. Template errors propagate: e-mail
    delivery records them as the failure reason; the notification centre uses
    `notification_text`, which never fails.
    """
    if language:
        with translation.override(language):
            return notification_render(notification=notification)
    context = dict(notification.context) if isinstance(notification.context, dict) else {}
    subject = _render_text(_template_names(notification.kind, "subject"), context)
    body = _render_text(_template_names(notification.kind, "body"), context)
    return RenderedNotification(subject=" ".join(subject.split()), body=body)


def notification_text(notification: Notification) -> RenderedNotification:
    """The title and summary shown in the notification centre, in the active language; never fails."""
    try:
        return notification_render(notification=notification)
    except Exception:
        logger.exception("Could not render notification %s of kind %r", notification.pk, notification.kind)
        return notification_render(notification=Notification(kind=_FALLBACK_KIND))


def notification_absolute_url(url: str) -> str:
    """The link for an e-mail: site paths are made absolute with SITE_URL; full URLs stay."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("/"):
        return f"{settings.SITE_URL}{url}"
    return ""


def _build_email(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    language = recipient.preferred_language or settings.LANGUAGE_CODE
    rendered = notification_render(notification=notification, language=language)
    link = notification_absolute_url(notification.url)
    with translation.override(language):
        text = _render_text(
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


def notification_outbox_sweep(*, batch_size: int = SWEEP_BATCH_SIZE, max_batches: int = SWEEP_MAX_BATCHES) -> int:
    """Hand pending notifications that waited too long back to the workers; returns how many.

    Stale means: still pending, attempts left, and the last attempt (or the creation, when never
    attempted) older than `settings.NOTIFICATION_REDELIVER_AFTER`: the task was lost (broker
    down at enqueue time, a worker killed mid-send) or its retries ran out. Rows are enqueued in
    primary-key batches; nothing is written here, so enqueueing needs no commit to wait for.
    Re-enqueueing a row that is also still queued is harmless: the claim in
    `notification_deliver` lets only one delivery send. A row stuck at the attempt limit (its
    last worker died) is marked failed here, with the reason.
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
        enqueued = _enqueue_deliveries(ids)
        total += enqueued
        if enqueued < len(ids):  # the broker is down: the next sweep tries again
            break
        last_pk = ids[-1]
    return total


# --- The reader's side: marking as read ---------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s notifications read (idempotent). Someone else's: NotFound."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id, recipient=user).first()
        if notification is None:
            raise NotFound(_("No such notification."))
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark all of `user`'s unread notifications read; returns how many changed."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
