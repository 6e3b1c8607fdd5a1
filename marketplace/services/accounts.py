"""Accounts and tenancy: sign-up, companies, memberships, invitations, API tokens.

Every write here is one transaction. Callers (views, the suppliers app) validate the shape of the
input in their forms; these functions re-check what the database must never hold (a second account
for one e-mail, a company without an owner, an invitation that was already used) because a form
can be bypassed and two requests can race.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.models import Company, Currency, Invitation, Membership, User
from marketplace.security.events import security_event
from marketplace.selectors.money import currency_refusal, offered_currencies
from marketplace.services.notifications import notify
from marketplace.services.unconfirmed_accounts import accounts_discard_unconfirmed
from marketplace.tasks.accounts import (
    account_email_enqueue,
    invitation_send_task,
    password_reset_send_task,
    signup_confirmation_send_task,
    signup_existing_send_task,
)


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput("Unknown language.", field="language")
    if user.preferred_language != language:
        User.objects.filter(pk=user.pk).update(preferred_language=language)
        user.preferred_language = language


# --- Checks shared by sign-up, settings and invitations ----------------------------------------


def _normalised_email(email: str) -> str:
    """E-mail addresses are stored lower-case, so "Ana@X.com" and "ana@x.com" are one account."""
    return User.objects.normalize_email((email or "").strip()).lower()


def _check_language(language: str, *, field: str = "preferred_language") -> str:
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the offered languages."), field=field)
    return language


def _check_currency(code: str, *, field: str = "preferred_currency", kept: str | None = None) -> Currency:
    """An offered currency, or `kept` (the one already saved) even when it no longer is: a currency
    without a recent rate is not chosen anew, but sending a form back unchanged keeps it."""
    code = (code or "").upper()
    offered = offered_currencies() if code != kept else Currency.objects.filter(is_active=True)
    currency = offered.filter(code=code).first()
    if currency is None:
        raise InvalidInput(currency_refusal(code) if code else _("Choose one of the offered currencies."), field=field)
    return currency


def _check_country(code: str, *, field: str = "country") -> str:
    code = (code or "").upper()
    if code not in dict(countries):
        raise InvalidInput(_("Choose a country from the list."), field=field)
    return code


def _check_required(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("This field is required."), field=field)
    return value


def _check_password(password: str, *, user: User, field: str = "password1") -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field=field) from exc


def _create_user(
    *, email: str, name: str, password: str, language: str, currency: Currency, confirmed: bool = True
) -> User:
    """Create the account, refusing an e-mail that is taken even when two sign-ups race.

    An account that awaits confirmation of its address does not hold the address: it is discarded
    (see `accounts_discard_unconfirmed`). An unconfirmed account (`confirmed=False`) is inactive until its
    e-mailed link is followed. Runs inside the caller's transaction; the savepoint keeps that
    transaction usable when the unique constraint on e-mail fires, so the caller can answer.
    """
    email = _normalised_email(email)
    if not email:
        raise InvalidInput(_("This field is required."), field="email")
    name = _check_required(name, field="name")
    taken_message = _("An account with this e-mail address already exists. Log in, or reset your password.")
    user = User(email=email, name=name, preferred_language=language, preferred_currency=currency)
    if not confirmed:
        user.is_active, user.email_confirmed_at = False, None
    _check_password(password, user=user)
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and not existing.awaits_confirmation:
        raise InvalidInput(taken_message, field="email")
    if existing is not None:
        accounts_discard_unconfirmed([existing])
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise InvalidInput(taken_message, field="email") from exc
    return user


# --- Sign-up ------------------------------------------------------------------------------------


def account_signup(
    *,
    name: str,
    email: str,
    password: str,
    company_name: str,
    country: str,
    city: str = "",
    preferred_language: str,
    preferred_currency: str,
    email_confirmed: bool = False,
) -> Membership | None:
    """Open an account: a user, its company, and the user as the company's owner, all or nothing.

    The account is inactive until its owner follows the link a task e-mails once this commits
    (`account_confirm`). When the address already has an account, nothing is created: that address
    is e-mailed "you already have an account" instead, and None is returned. Either way the caller
    answers the same ("check your e-mail"), so a sign-up never tells whether an address has an
    account; the password is hashed either way, so the answer takes about as long.

    `email_confirmed`: the caller has proved the address (a link e-mailed to it was followed, as when
    a factory claims its invitation). The account is then active and welcomed at once, and a taken
    address is refused (InvalidInput on "email") rather than e-mailed: never None.

    The suppliers app calls this inside its own transaction to add a supplier profile, so a failure
    there undoes all of it. Returns the owner membership (with `.user` and `.company`), or None.
    """
    language = _check_language(preferred_language)
    currency = _check_currency(preferred_currency)
    country = _check_country(country)
    company_name = _check_required(company_name, field="company_name")
    with transaction.atomic():
        try:
            with transaction.atomic():
                user = _create_user(
                    email=email,
                    name=name,
                    password=password,
                    language=language,
                    currency=currency,
                    confirmed=email_confirmed,
                )
        except InvalidInput as refused:
            if email_confirmed or refused.field != "email" or not (existing := _existing_account(email)):
                raise
            make_password(password)  # the work a new account's password takes
            transaction.on_commit(functools.partial(account_email_enqueue, signup_existing_send_task, existing))
            security_event("signup", outcome="existing_account", user_id=existing)
            return None
        company = Company.objects.create(name=company_name, country=country, city=(city or "").strip())
        membership = Membership.objects.create(user=user, company=company, role=Membership.Role.OWNER)
        if email_confirmed:
            _welcome(user=user, company=company)
        else:
            transaction.on_commit(functools.partial(account_email_enqueue, signup_confirmation_send_task, user.pk))
        security_event("signup", outcome="ok", user_id=user.pk)
    return membership


def _welcome(*, user: User, company: Company | None) -> None:
    notify(
        recipients=[user],
        kind="welcome",
        event_key=f"welcome:{user.pk}",
        context={"name": user.name, "company": company.name if company else ""},
        url=reverse("company_detail"),
    )


def _existing_account(email: str) -> int | None:
    """The id of the account holding this address (an empty address holds none)."""
    email = _normalised_email(email)
    return User.objects.filter(email__iexact=email).values_list("pk", flat=True).first() if email else None


def password_reset_request(*, email: str) -> None:
    """Queue the e-mail of a reset link to the account with this address, if there is one.

    Whether there is one is decided by the task, so the request takes as long either way.
    """
    email = _normalised_email(email)
    if email:
        transaction.on_commit(functools.partial(account_email_enqueue, password_reset_send_task, email))
        security_event("password_reset", outcome="ok")


def account_confirm(*, user: User) -> User:
    """Confirm a signed-up account's address (its owner followed the e-mailed link): the account
    becomes active, and its welcome notification is recorded. Confirming twice changes nothing."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.awaits_confirmation:
            return user
        user.is_active, user.email_confirmed_at = True, timezone.now()
        user.save(update_fields=["is_active", "email_confirmed_at"])
        membership = Membership.objects.select_related("company").filter(user=user).first()
        _welcome(user=user, company=membership.company if membership else None)
    security_event("signup_confirmed", outcome="ok", user_id=user.pk)
    return user


# --- The user's own settings --------------------------------------------------------------------


def user_update_settings(*, user: User, name: str, preferred_language: str, preferred_currency: str) -> User:
    """Change what a user may change about itself: its name, language and display currency (an
    offered one, or the one it has, which stays even when it is no longer offered)."""
    name = _check_required(name, field="name")
    language = _check_language(preferred_language)
    currency = _check_currency(preferred_currency, kept=user.preferred_currency_id)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(name=name, preferred_language=language, preferred_currency=currency)
    user.name, user.preferred_language, user.preferred_currency = name, language, currency
    return user


# --- Companies and memberships ------------------------------------------------------------------


def _require_manager(membership: Membership | None) -> Membership:
    if membership is None:
        raise NotFound(_("You do not belong to a company."))
    if not membership.can_manage:
        raise PermissionDenied(_("Only the company's owners and admins can do this."))
    return membership


def company_update(*, membership: Membership | None, name: str, country: str, city: str, website: str) -> Company:
    """Edit the acting company's facts; owners and admins only."""
    membership = _require_manager(membership)
    name = _check_required(name, field="name")
    country = _check_country(country)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=membership.company_id)
        company.name, company.country, company.city, company.website = name, country, (city or "").strip(), website
        company.save(update_fields=["name", "country", "city", "website"])
    return company


def companies_selling_set(*, company_ids: Iterable[int], sells: bool) -> int:
    """Record whether these companies sell (the app that keeps supplier profiles calls this when
    a profile is created or removed, in its own transaction). Returns how many rows changed."""
    return Company.objects.filter(pk__in=list(company_ids)).exclude(sells=sells).update(sells=sells)


def membership_remove(*, membership: Membership | None, membership_id: int) -> None:
    """Remove someone from the acting company.

    Owners and admins may remove members and admins; only an owner removes an owner, and the last
    owner stays (a company always has one). The company row is locked first, so two owners
    removing each other at once are served one after the other (no deadlock) and cannot both pass
    the "another owner remains" check. A membership of another company is not found.
    """
    actor = _require_manager(membership)
    with transaction.atomic():
        Company.objects.select_for_update().filter(pk=actor.company_id).first()
        target = Membership.objects.filter(pk=membership_id, company_id=actor.company_id).first()
        if target is None:
            raise NotFound(_("That person is not a member of your company."))
        if not Membership.objects.filter(pk=actor.pk).exists():
            raise NotFound(_("You are no longer a member of this company."))
        if target.role == Membership.Role.OWNER:
            if actor.role != Membership.Role.OWNER:
                raise PermissionDenied(_("Only an owner can remove an owner."))
            owners = Membership.objects.filter(company_id=actor.company_id, role=Membership.Role.OWNER)
            if not owners.exclude(pk=target.pk).exists():
                raise Conflict(_("A company needs an owner: make someone else an owner before removing the last one."))
        target.delete()


# --- Invitations --------------------------------------------------------------------------------


def invitation_create(*, membership: Membership | None, email: str, role: str) -> tuple[Invitation, str]:
    """Invite someone by e-mail to the acting company with a role; owners and admins only.

    Returns the invitation and its token. Only the token's hash is stored; the token itself
    travels only in the e-mail, which a task sends once this transaction commits. An earlier
    invitation to the same address that expired unused is closed, so one can always re-invite.
    """
    actor = _require_manager(membership)
    email = _normalised_email(email)
    if not email:
        raise InvalidInput(_("This field is required."), field="email")
    if role not in Membership.Role.values:
        raise InvalidInput(_("Choose one of the offered roles."), field="role")
    if role == Membership.Role.OWNER and actor.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only an owner can invite another owner."))
    now = timezone.now()
    with transaction.atomic():
        if Membership.objects.filter(company_id=actor.company_id, user__email__iexact=email).exists():
            raise InvalidInput(_("This person is already a member of your company."), field="email")
        open_invitations = Invitation.objects.select_for_update().filter(
            company_id=actor.company_id, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        for earlier in open_invitations:
            if earlier.expires_at > now:
                raise InvalidInput(_("An invitation to this address is already waiting for an answer."), field="email")
            earlier.revoked_at = now
            earlier.save(update_fields=["revoked_at"])
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    company_id=actor.company_id,
                    email=email,
                    role=role,
                    token_hash=Invitation.hash_token(token),
                    invited_by=actor.user,
                    expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
                )
        except IntegrityError as exc:
            raise InvalidInput(
                _("An invitation to this address is already waiting for an answer."), field="email"
            ) from exc
        transaction.on_commit(functools.partial(account_email_enqueue, invitation_send_task, invitation.pk, token))
    return invitation, token


def invitation_revoke(*, membership: Membership | None, invitation_id: int) -> Invitation:
    """Withdraw an open invitation of the acting company; its link stops working at once."""
    actor = _require_manager(membership)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(pk=invitation_id, company_id=actor.company_id).first()
        )
        if invitation is None:
            raise NotFound(_("No such invitation."))
        if invitation.accepted_at is not None:
            raise Conflict(_("This invitation was already accepted."))
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def _check_acceptable(invitation: Invitation) -> None:
    if invitation.revoked_at is not None:
        raise NotFound(_("This invitation was withdrawn."))
    if invitation.accepted_at is not None:
        raise NotFound(_("This invitation was already used."))
    if invitation.expires_at <= timezone.now():
        raise Conflict(_("This invitation has expired. Ask for a new one."))


def _join(*, invitation: Invitation, user: User) -> Membership:
    """Make the user a member with the invited role, close the invitation, tell the inviter."""
    membership, _created = Membership.objects.get_or_create(
        user=user, company_id=invitation.company_id, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.invited_by is not None:
        notify(
            recipients=[invitation.invited_by],
            kind="member_joined",
            event_key=f"member_joined:{invitation.pk}",
            context={"member": user.name, "email": user.email, "company": invitation.company.name},
            url=reverse("company_detail"),
        )
    return membership


def _locked_invitation(invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("company", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    _check_acceptable(invitation)
    return invitation


def invitation_accept(*, invitation_id: int, user: User) -> Membership:
    """A signed-in user accepts an invitation addressed to its own e-mail and joins the company.

    The invitation row is locked, so a double click joins once and notifies the inviter once.
    """
    with transaction.atomic():
        invitation = _locked_invitation(invitation_id)
        if _normalised_email(user.email) != _normalised_email(invitation.email):
            raise PermissionDenied(
                _("This invitation was sent to %(email)s. Log in with that address to accept it.")
                % {"email": invitation.email}
            )
        return _join(invitation=invitation, user=user)


def invitation_accept_new_user(*, invitation_id: int, name: str, password: str, preferred_language: str) -> Membership:
    """Someone without an account accepts: the account is opened for the invited e-mail and joins.

    The new user belongs only to the inviting company; it may start its own later.
    """
    language = _check_language(preferred_language)
    currency = _check_currency(settings.DEFAULT_CURRENCY)
    with transaction.atomic():
        invitation = _locked_invitation(invitation_id)
        user = _create_user(email=invitation.email, name=name, password=password, language=language, currency=currency)
        return _join(invitation=invitation, user=user)
