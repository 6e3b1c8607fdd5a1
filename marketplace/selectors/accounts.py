"""Reads of accounts and tenancy, always scoped to the acting company or the signed-in user."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone

from marketplace.models import Company, Currency, Invitation, Membership, User
from marketplace.selectors.money import offered_currencies


def company_members(*, company: Company) -> QuerySet[Membership]:
    """The company's members with their users, owners first, in one query."""
    return (
        Membership.objects.filter(company=company)
        .select_related("user")
        .annotate(
            role_rank=Case(
                When(role=Membership.Role.OWNER, then=Value(0)),
                When(role=Membership.Role.ADMIN, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("role_rank", "user__name", "pk")
    )


def company_open_invitations(*, company: Company) -> QuerySet[Invitation]:
    """Invitations of the company still waiting for an answer (not used, withdrawn or expired)."""
    return (
        Invitation.objects.filter(
            company=company, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def user_memberships(*, user: User) -> QuerySet[Membership]:
    """The companies a user belongs to, for the company switcher."""
    return Membership.objects.filter(user=user).select_related("company").order_by("company__name", "pk")


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token names, whatever its state; None for an unknown or tampered token.

    None is not "not yours": the token is the key, and an unknown link is one of the states the
    invitation page explains to whoever holds the link (unknown, withdrawn, used: 404; expired: 410).
    The token is only ever compared by its hash, which is what the database holds.
    """
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("company", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


def active_currencies() -> QuerySet[Currency]:
    """Currencies a user may choose (to see prices in, to post or price in): the offered ones,
    those with an exchange rate younger than EXCHANGE_RATE_MAX_AGE_DAYS (see docs/currencies.md)."""
    return offered_currencies()
