"""Accounts opened by sign-up whose address was never confirmed: replaced by a newer sign-up or an
invitation to the address (marketplace/services/accounts.py), and removed once they are old
(`unconfirmed_signups_discard`, run by Celery beat: marketplace/tasks/unconfirmed_accounts.py).

This module queues no task, so the task that runs it can import it (docs/architecture.md).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from marketplace.models import Company, Membership, User

logger = logging.getLogger(__name__)

# Rows per transaction, and how long one run removes before leaving the rest to the next (beat runs
# it every quarter hour; it shares the periodic workers' two slots with the jobs due every minute).
DISCARD_BATCH = 200
DISCARD_SECONDS = 45.0
# The confirmation e-mail is made by a task after the sign-up commits, and its link works for
# PASSWORD_RESET_TIMEOUT from then: an account is kept at least this much longer than that.
SENDING_MARGIN = timedelta(days=1)


def unconfirmed_signup_age() -> timedelta:
    """How old an unconfirmed sign-up is when it is removed: UNCONFIRMED_SIGNUP_DAYS, and never
    before its e-mailed link stopped working (PASSWORD_RESET_TIMEOUT, a day's margin after it)."""
    link = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return max(timedelta(days=settings.UNCONFIRMED_SIGNUP_DAYS), link + SENDING_MARGIN)


def confirmation_link_outlives(user: User) -> bool:
    """Whether a confirmation link made now would still work when the account is removed: then
    none is sent (the e-mail task ran very late; signing up again sends a new one)."""
    link = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return timezone.now() + link >= user.date_joined + unconfirmed_signup_age()


def accounts_discard_unconfirmed(users: Sequence[User]) -> None:
    """Delete accounts whose address was never confirmed, with the companies each was the only
    member of.

    Whoever signed up with the address may not own it; the owner's own sign-up (or an invitation to
    the address) takes the address over. Such an account never logged in, so it made nothing else.
    """
    only_member = _companies_only_of(users)
    User.objects.filter(pk__in=[user.pk for user in users]).delete()
    Company.objects.filter(pk__in=only_member).delete()


def _companies_only_of(users: Sequence[User]) -> list[int]:
    """The companies one of `users` belongs to and nobody else does."""
    members: dict[int, set[int]] = defaultdict(set)
    memberships = Membership.objects.filter(company__memberships__user__in=users)
    for company_id, user_id in memberships.values_list("company_id", "user_id"):
        members[company_id].add(user_id)
    return [company_id for company_id, held in members.items() if len(held) == 1]


def _what_a_signup_makes() -> set[type[models.Model]]:
    """The rows a sign-up writes: the account, its memberships, its company, the company's
    profiles (rows one to one with a company, as the selling side's) and their many-to-many links."""
    profiles = {
        relation.related_model
        for relation in Company._meta.related_objects
        if relation.one_to_one and isinstance(relation.related_model, type)
    }
    links: set[type[models.Model]] = set()
    for profile in profiles:
        for field in profile._meta.many_to_many:
            through = field.remote_field.through
            if through is not None and through._meta.auto_created:
                links.add(through)
    return {User, Membership, Company, *profiles, *links}


def _hold_only_their_signups(users: Sequence[User]) -> bool:
    """Whether deleting the accounts and the companies only they belong to removes only what their
    sign-ups wrote and clears nobody's authorship: asked of Django's own deletion collector, so a
    relation added later, in any app, keeps an account that has something behind it."""
    collector = Collector(using=DEFAULT_DB_ALIAS)
    try:
        collector.collect(list(users))
        companies = list(Company.objects.filter(pk__in=_companies_only_of(users)))
        if companies:
            collector.collect(companies)
    except (ProtectedError, RestrictedError):
        return False
    if any(_any(rows) for updates in collector.field_updates.values() for rows in updates):
        return False  # rows that name the account (or its company) as their author
    made = _what_a_signup_makes()
    if any(model not in made and not _derived(model) for model, rows in collector.data.items() if rows):
        return False
    return not any(
        rows.model not in made and not _derived(rows.model) and _any(rows) for rows in collector.fast_deletes
    )


def _derived(model: type[models.Model]) -> bool:
    """Whether the model's rows are derived from others, like an index (`DERIVED_DATA = True` on the
    model: matching's facts of a supplier's catalog and main categories, rewritten at will): they
    go with what they are derived from and never count as something the account made."""
    return bool(getattr(model, "DERIVED_DATA", False))


def _any(rows: Any) -> bool:
    """Whether the collector's rows (a queryset, not yet read, or the rows themselves) hold any."""
    return bool(rows.exists()) if isinstance(rows, models.QuerySet) else bool(rows)


def unconfirmed_signups_discard(*, batch_size: int = DISCARD_BATCH, seconds: float = DISCARD_SECONDS) -> int:
    """Remove the sign-ups never confirmed and older than `unconfirmed_signup_age()`, with the
    companies only they belonged to; returns how many accounts were removed.

    By batches in id order, each one short transaction that locks its accounts with SKIP LOCKED, so
    runs side by side share the work and a sign-up taking over an address waits for one batch at
    most. An account with anything beyond its sign-up (a staff role, a token, a second factor, a
    notification, a belt, an order...) is kept and counted in the log. A run stops after about
    `seconds`; the next goes on, and one with nothing left to do changes nothing.
    """
    deadline = time.monotonic() + seconds
    cutoff = timezone.now() - unconfirmed_signup_age()
    removed = kept = after_id = 0
    while time.monotonic() < deadline:
        with transaction.atomic():
            batch = list(
                User.objects.select_for_update(skip_locked=True)
                .filter(
                    pk__gt=after_id,
                    is_active=False,
                    email_confirmed_at__isnull=True,
                    date_joined__lt=cutoff,
                    last_login__isnull=True,
                    is_staff=False,
                    is_superuser=False,
                )
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            after_id = batch[-1].pk
            # The whole batch at once; only a batch with something more is looked at account by account.
            clean = batch if _hold_only_their_signups(batch) else [u for u in batch if _hold_only_their_signups([u])]
            if clean:
                accounts_discard_unconfirmed(clean)
            removed, kept = removed + len(clean), kept + len(batch) - len(clean)
    if removed or kept:
        logger.info(
            "Removed %d sign-ups never confirmed (older than %s); kept %d that hold more than their sign-up.",
            removed,
            unconfirmed_signup_age(),
            kept,
        )
    return removed
