"""Belt onboarding: importing a belt's factories, inviting them with signed links, claiming, reminders.

1. `factory_import_create` (suppliers/services/onboarding_queue.py) checks an uploaded CSV or XLSX
   as a whole (type by content, size, columns, at least one row), records a QUEUED FactoryImport
   and queues its task after commit.
2. `factory_import_run` (the task's body) claims the import with a conditional update, so it runs
   once however often the task is delivered, then checks the rows one by one: each valid row
   becomes a FactoryInvitation whose e-mail is queued after its batch commits; each invalid row
   is kept with its values and row-numbered messages for the error report. Progress is written
   after each batch of `BATCH_SIZE` rows.
3. The invitee has no account, so its e-mail does not go through the notification outbox (which
   is for users): it is recorded as due and a task sends it after commit, in the invitation's
   language, at least once (suppliers/services/invitation_delivery.py: the relay sends what a
   broker outage or a killed worker left due). The link carries the invitation's id and its
   `token_nonce`, signed with django.core.signing; sending again (a resend or a reminder)
   changes the nonce, so only the newest link works (a resend: `factory_invitation_resend`, in
   suppliers/services/onboarding_queue.py).
4. `factory_invitation_claim` opens the factory's account from the link through the existing
   sign-up service (user, company, owner membership, supplier profile in the invitation's belt),
   adds a product-line capacity, and closes the invitation, all in one transaction.
5. `factory_invitations_remind` (daily, Celery beat) e-mails a fresh link to factories that have
   not claimed after FACTORY_INVITATION_REMIND_AFTER_DAYS, at most FACTORY_INVITATION_MAX_REMINDERS
   times, each row claimed by a conditional update so two runs never remind twice.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import Category, Currency, User
from marketplace.selectors.belts import belts_managed_by
from suppliers.catalog_files import MAX_CELL_CHARS
from suppliers.factory_files import (
    COLUMNS,
    PHONE_CHARACTERS,
    FactoryRow,
    category_lookup,
    check_factory_row,
    read_factory_file,
)
from suppliers.models import FactoryImport, FactoryInvitation, SupplierProfile, Unit
from suppliers.services.profiles import capacity_add, supplier_signup

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
# Rows kept for the error report: enough to fix a file, bounded so one bad file stays a small row.
MAX_REPORTED_ROWS = 5_000
# A RUNNING import whose worker died (the broker redelivers its task) may be claimed again after this.
STALE_RUN_AFTER = timedelta(minutes=30)
STALE_RUN_MARGIN = timedelta(seconds=5)
REMIND_BATCH_SIZE = 500
LINK_SALT = "suppliers.factory-invitation"  # separates these signatures from any other signed value


class QueueEmail(Protocol):
    """Queues the e-mail of an invitation (or a reminder) after the current transaction commits."""

    def __call__(self, invitation_id: int, nonce: str, *, reminder: bool = False) -> None: ...


# --- The import ----------------------------------------------------------------------------------


def _claim_import(import_id: int) -> bool:
    """QUEUED (or a RUNNING one abandoned by a dead worker) -> RUNNING, by one caller only."""
    now = timezone.now()
    queued = FactoryImport.objects.filter(pk=import_id, status=FactoryImport.Status.QUEUED)
    stale = FactoryImport.objects.filter(
        pk=import_id, status=FactoryImport.Status.RUNNING, started_at__lt=now - STALE_RUN_AFTER
    )
    fields = {
        "status": FactoryImport.Status.RUNNING,
        "started_at": now,
        "failure_reason": "",
        "processed_rows": 0,
        "invited_count": 0,
        "errors": [],
        # If this worker is killed, the relay queues the run again once the stale-run rule allows.
        "run_due_at": now + STALE_RUN_AFTER + STALE_RUN_MARGIN,
        "run_requeues": 0,
    }
    return bool(queued.update(**fields) or stale.update(**fields))


def _new_nonce() -> str:
    return secrets.token_hex(16)


def _link_expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.FACTORY_INVITATION_VALID_DAYS)


def _existing_problem(email: str, *, import_id: int, existing: dict[str, FactoryInvitation]) -> str | None:
    """Why this e-mail cannot be invited again (None when this import invited it before a restart)."""
    invitation = existing.get(email)
    if invitation is not None:
        if invitation.factory_import_id == import_id:
            return None
        if invitation.claimed_at is not None:
            return _("This factory was already invited and has claimed its account.")
        if invitation.revoked_at is not None:
            return _("This e-mail address was invited before and the invitation was withdrawn.")
        return _("This e-mail address was already invited.")
    return ""


def _invite_batch(
    *,
    factory_import: FactoryImport,
    batch: list[FactoryRow],
    lookup: Callable[[str], Category | None],
    first_row_of_email: dict[str, int],
    queue_email: QueueEmail,
) -> tuple[int, list[dict[str, Any]]]:
    """Check and invite one batch of rows in one transaction; (invited, rejected rows)."""
    checks = [(row, check_factory_row(row.values, lookup=lookup)) for row in batch]
    emails = [check.data.email for _row, check in checks if check.data is not None]
    rejected: list[dict[str, Any]] = []
    invited = 0
    now = timezone.now()
    with transaction.atomic():
        existing = {
            invitation.email.lower(): invitation
            for invitation in FactoryInvitation.objects.filter(email__in=emails).only(
                "pk", "email", "factory_import_id", "claimed_at", "revoked_at"
            )
        }
        accounts = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        for row, check in checks:
            problems = [
                (column, _("This cell has more than %(max)s characters.") % {"max": f"{MAX_CELL_CHARS:,}"})
                for column in row.too_long
            ]
            problems += check.problems
            data = check.data
            if data is not None:
                earlier = first_row_of_email.get(data.email)
                if earlier is not None:
                    problems.append(
                        (
                            "email",
                            _("The e-mail address %(email)s is already on row %(row)s.")
                            % {"email": data.email, "row": earlier},
                        )
                    )
                else:
                    first_row_of_email[data.email] = row.number
                    taken = _existing_problem(data.email, import_id=factory_import.pk, existing=existing)
                    if taken is None:
                        invited += 1  # invited by this import before its worker was lost
                        continue
                    if taken:
                        problems.append(("email", taken))
                    elif data.email in accounts:
                        problems.append(
                            (
                                "email",
                                _(
                                    "There is already an account with this e-mail address: the factory can "
                                    "start selling from it instead."
                                ),
                            )
                        )
            if problems or data is None:
                rejected.append(
                    {
                        "row": row.number,
                        "values": row.values,
                        "problems": [{"column": column, "message": message} for column, message in problems],
                    }
                )
                continue
            nonce = _new_nonce()
            try:
                with transaction.atomic():
                    invitation = FactoryInvitation.objects.create(
                        belt_id=factory_import.belt_id,
                        factory_import=factory_import,
                        company_name=data.company_name,
                        contact_name=data.contact_name,
                        email=data.email,
                        phone=data.phone,
                        monthly_capacity=data.monthly_capacity,
                        language=data.language,
                        token_nonce=nonce,
                        created_by_id=factory_import.created_by_id,
                        created_at=now,
                        sent_at=now,
                        expires_at=_link_expiry(now),
                    )
            except IntegrityError:
                # Invited meanwhile by another import or by hand: the unique constraint decides.
                rejected.append(
                    {
                        "row": row.number,
                        "values": row.values,
                        "problems": [{"column": "email", "message": _("This e-mail address was already invited.")}],
                    }
                )
                continue
            invitation.categories.set(data.categories)
            queue_email(invitation.pk, nonce)
            invited += 1
    return invited, rejected


def factory_import_run(*, import_id: int, queue_email: QueueEmail) -> FactoryImport | None:
    """Check an import's rows one by one and invite every valid factory; the body of its task.

    Claims the import first (QUEUED -> RUNNING in one conditional UPDATE), so a second delivery
    of the task does nothing and returns None. Rows are handled in batches of BATCH_SIZE, one
    transaction each; after each batch the progress (`processed_rows`, `invited_count`) and the
    rejected rows so far are written, so the progress bar moves. A worker lost mid-run leaves the
    import RUNNING; after STALE_RUN_AFTER a redelivered task claims it again and the rows this
    import already invited count as invited, without a second e-mail. An unexpected error marks
    the import FAILED with the reason; the invitations of the finished batches stay.

    `queue_email` queues an invitation's e-mail after its batch commits (the task passes
    `factory_invitation_enqueue_email`, which sits next to the task it queues).
    """
    if not _claim_import(import_id):
        return None
    factory_import = FactoryImport.objects.select_related("belt").get(pk=import_id)
    try:
        with factory_import.file.open("rb") as stored:
            factory_file = read_factory_file(stored.read())
        FactoryImport.objects.filter(pk=import_id).update(total_rows=len(factory_file.rows))
        lookup = category_lookup()
        first_row_of_email: dict[str, int] = {}
        rejected: list[dict[str, Any]] = []
        rejected_total = 0
        for start in range(0, len(factory_file.rows), BATCH_SIZE):
            batch = factory_file.rows[start : start + BATCH_SIZE]
            invited, batch_rejected = _invite_batch(
                factory_import=factory_import,
                batch=batch,
                lookup=lookup,
                first_row_of_email=first_row_of_email,
                queue_email=queue_email,
            )
            rejected_total += len(batch_rejected)
            room = MAX_REPORTED_ROWS - len(rejected)
            rejected += batch_rejected[: max(room, 0)]
            FactoryImport.objects.filter(pk=import_id).update(
                processed_rows=F("processed_rows") + len(batch),
                invited_count=F("invited_count") + invited,
                errors=rejected,
            )
        done: dict[str, Any] = {"status": FactoryImport.Status.DONE, "finished_at": timezone.now(), "run_due_at": None}
        if rejected_total > len(rejected):
            done["failure_reason"] = _(
                "%(count)s more rows with problems are not listed: fix the listed rows and upload them again."
            ) % {"count": rejected_total - len(rejected)}
        FactoryImport.objects.filter(pk=import_id).update(**done)
    except Exception as error:
        logger.exception("Factory import %s failed.", import_id)
        reason = error.message if isinstance(error, InvalidInput) else _("An unexpected error stopped the import.")
        FactoryImport.objects.filter(pk=import_id).update(
            status=FactoryImport.Status.FAILED, finished_at=timezone.now(), failure_reason=reason, run_due_at=None
        )
    factory_import.refresh_from_db()
    return factory_import


def factory_import_error_rows(factory_import: FactoryImport) -> Iterable[list[str]]:
    """The rejected rows as the error report lists them: row number, the row's columns, its problems."""
    for entry in factory_import.errors:
        values = entry.get("values", {})
        problems = " | ".join(
            f"{problem.get('column', '')}: {problem.get('message', '')}" for problem in entry.get("problems", [])
        )
        yield [str(entry.get("row", "")), *(str(values.get(column, "")) for column in COLUMNS), problems]


# --- The signed link -----------------------------------------------------------------------------


def factory_invitation_token(invitation: FactoryInvitation) -> str:
    """The signed token of the invitation's current link (its id and nonce)."""
    return signing.dumps({"i": invitation.pk, "n": invitation.token_nonce}, salt=LINK_SALT, compress=False)


def factory_invitation_url(invitation: FactoryInvitation) -> str:
    return settings.SITE_URL + reverse("onboarding:claim", kwargs={"token": factory_invitation_token(invitation)})


def _invitation_problem(invitation: FactoryInvitation, *, nonce: str, now: datetime) -> Conflict | NotFound | None:
    if invitation.claimed_at is not None:
        return Conflict(_("This invitation was already used to open an account. Log in with your e-mail address."))
    if invitation.revoked_at is not None:
        return NotFound(_("This invitation was withdrawn. Contact the belt's SourceBelt team if this is a mistake."))
    if not secrets.compare_digest(invitation.token_nonce, nonce):
        return Conflict(
            _(
                "This link was replaced by a newer one. Use the link in the latest e-mail from SourceBelt, "
                "or ask for a new link."
            )
        )
    if invitation.expires_at is None or invitation.expires_at <= now:
        return Conflict(_("This invitation link has expired. Ask the belt's SourceBelt team for a new link."))
    return None


def _token_parts(token: str) -> tuple[int, str]:
    try:
        payload = signing.loads(token, salt=LINK_SALT)
        return int(payload["i"]), str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise NotFound(
            _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
        ) from error


def factory_invitation_by_token(*, token: str) -> FactoryInvitation:
    """The open invitation a link points to; raises NotFound (tampered, unknown, withdrawn) or
    Conflict (claimed, replaced by a newer link, expired) with a message for the factory."""
    invitation_id, nonce = _token_parts(token)
    invitation = (
        FactoryInvitation.objects.select_related("belt").prefetch_related("categories").filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Check that you copied the whole link from the e-mail."))
    problem = _invitation_problem(invitation, nonce=nonce, now=timezone.now())
    if problem is not None:
        raise problem
    return invitation


# --- Sending, resending, withdrawing ----------------------------------------------------------------


def _managed_invitation(actor: User, invitation_id: int) -> FactoryInvitation:
    """The invitation, locked, if `actor` runs its belt; NotFound otherwise (no existence leaks)."""
    invitation = (
        FactoryInvitation.objects.select_for_update().filter(pk=invitation_id, belt__in=belts_managed_by(actor)).first()
    )
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return invitation


def factory_invitation_revoke(*, actor: User, invitation_id: int) -> FactoryInvitation:
    """Withdraw an unclaimed invitation: its link stops working at once, no reminder follows."""
    with transaction.atomic():
        invitation = _managed_invitation(actor, invitation_id)
        if invitation.claimed_at is not None:
            raise Conflict(_("This factory already claimed its account; the invitation cannot be withdrawn."))
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def factory_invitations_remind(*, queue_email: QueueEmail, now: datetime | None = None) -> int:
    """Remind every factory that has not claimed its account; returns how many were reminded.

    Due: unclaimed, not withdrawn, sent (or last reminded) at least FACTORY_INVITATION_REMIND_AFTER_DAYS
    ago, fewer than FACTORY_INVITATION_MAX_REMINDERS reminders so far. Each row is claimed by a
    conditional UPDATE on its reminder count, so two runs at once remind a factory once. The
    reminder carries a fresh link (new nonce, valid FACTORY_INVITATION_VALID_DAYS again), queued
    after its batch commits by `queue_email` (the task passes `factory_invitation_enqueue_email`).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FACTORY_INVITATION_REMIND_AFTER_DAYS)
    due = (
        FactoryInvitation.objects.unclaimed()
        .filter(reminder_count__lt=settings.FACTORY_INVITATION_MAX_REMINDERS, sent_at__isnull=False)
        .filter(Q(last_reminded_at__isnull=True, sent_at__lte=cutoff) | Q(last_reminded_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", "reminder_count")
    )
    reminded = 0
    last_pk = 0
    while True:
        batch = list(due.filter(pk__gt=last_pk)[:REMIND_BATCH_SIZE])
        if not batch:
            return reminded
        last_pk = batch[-1][0]
        with transaction.atomic():
            for pk, count in batch:
                nonce = _new_nonce()
                claimed = (
                    FactoryInvitation.objects.unclaimed()
                    .filter(pk=pk, reminder_count=count)
                    .update(
                        reminder_count=count + 1,
                        last_reminded_at=now,
                        token_nonce=nonce,
                        expires_at=_link_expiry(now),
                    )
                )
                if claimed:
                    queue_email(pk, nonce, reminder=True)
                    reminded += 1


# --- Claiming ------------------------------------------------------------------------------------


def _claim_currency() -> str:
    if Currency.objects.filter(code="CNY", is_active=True).exists():
        return "CNY"
    return settings.DEFAULT_CURRENCY


def factory_invitation_claim(
    *,
    token: str,
    name: str,
    password: str,
    preferred_language: str,
    company_name: str,
    phone: str,
    city: str,
    main_categories: Iterable[Category],
    business_type: str,
    monthly_capacity: int | None,
) -> SupplierProfile:
    """The invited factory opens its account from the link: all or nothing.

    Through the sign-up service: a user for the invited e-mail (with its password and language),
    its company in China, the owner membership, and a supplier profile in the invitation's belt
    (province from the belt) with its main categories, awaiting verification. A monthly capacity
    adds a product line for the first category. The invitation is locked, so a double submit
    opens one account; a link that was tampered with, replaced, withdrawn, claimed or expired is
    refused (NotFound / Conflict) and nothing is written.
    """
    invitation_id, nonce = _token_parts(token)
    categories = list(main_categories)
    phone = (phone or "").strip()
    if phone and (len(phone) > 40 or not PHONE_CHARACTERS.match(phone)):
        raise InvalidInput(_("Enter a phone number with digits, spaces, + - ( )."), field="phone")
    with transaction.atomic():
        invitation = (
            FactoryInvitation.objects.select_for_update(of=("self",))
            .select_related("belt")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            raise NotFound(
                _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
            )
        problem = _invitation_problem(invitation, nonce=nonce, now=timezone.now())
        if problem is not None:
            raise problem
        belt = invitation.belt
        profile = supplier_signup(
            name=name,
            email=invitation.email,
            password=password,
            company_name=company_name,
            city=city,
            preferred_language=preferred_language,
            preferred_currency=_claim_currency(),
            supplier_name=company_name,
            belt=belt,
            province=belt.province,
            supplier_city=city,
            main_categories=categories,
            business_type=business_type,
            email_confirmed=True,  # the link came by e-mail to this address
        )
        assert profile is not None  # a confirmed sign-up refuses a taken address rather than returning None
        if monthly_capacity is not None:
            first = categories[0]
            with translation.override(preferred_language):
                product_line = first.name
            capacity_add(
                supplier=profile,
                category=first,
                product_line=product_line,
                monthly_capacity=monthly_capacity,
                unit=Unit.PIECE,
            )
        invitation.claimed_at = timezone.now()
        invitation.supplier = profile
        invitation.phone = phone
        invitation.save(update_fields=["claimed_at", "supplier", "phone"])
    return profile
