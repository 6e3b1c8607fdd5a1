"""Reads of belt onboarding: a belt's factory imports and invitations, for staff and the belt's managers.

Objects read by primary key go through the belts the person runs (marketplace.selectors.belts),
so another belt's import or invitation is NotFound here, as one that does not exist (404).
"""

from __future__ import annotations

from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import IndustrialBelt, User
from marketplace.selectors.belts import belts_managed_by
from suppliers.models import FactoryImport, FactoryInvitation

# The filters of the invitations list, in the order the page offers them.
INVITATION_STATES = ("invited", "claimed", "expired", "revoked")


def factory_imports_of(*, belt: IndustrialBelt) -> QuerySet[FactoryImport]:
    """The belt's imports, newest first (no errors JSON: a list does not need it)."""
    return (
        FactoryImport.objects.filter(belt=belt)
        .defer("errors")
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def factory_import_for(*, user: User, pk: int) -> FactoryImport:
    """One import of a belt `user` runs; NotFound for another belt's."""
    factory_import = FactoryImport.objects.filter(pk=pk, belt__in=belts_managed_by(user)).select_related("belt").first()
    if factory_import is None:
        raise NotFound(_("No such import."))
    return factory_import


def _with_state(invitations: QuerySet[FactoryInvitation]) -> QuerySet[FactoryInvitation]:
    now = timezone.now()
    return invitations.annotate(
        state=Case(
            When(claimed_at__isnull=False, then=Value("claimed")),
            When(revoked_at__isnull=False, then=Value("revoked")),
            When(expires_at__lte=now, then=Value("expired")),
            default=Value("invited"),
            output_field=CharField(),
        )
    )


def factory_invitations_of(*, belt: IndustrialBelt, state: str = "") -> QuerySet[FactoryInvitation]:
    """The belt's invitations, newest first, each with its `state`; `state` filters (unknown: all)."""
    invitations = _with_state(FactoryInvitation.objects.filter(belt=belt))
    if state in INVITATION_STATES:
        invitations = invitations.filter(state=state)  # type: ignore[misc]  # annotated by _with_state
    return invitations.select_related("supplier").prefetch_related("categories").order_by("-created_at", "-id")


def factory_invitation_counts(*, belt: IndustrialBelt) -> dict[str, int]:
    """How many of the belt's invitations are in each state (one query)."""
    # `state` is annotated by _with_state, which the plugin does not follow.
    rows = _with_state(FactoryInvitation.objects.filter(belt=belt)).order_by().values("state").annotate(n=Count("id"))  # type: ignore[misc]
    counts = dict.fromkeys(INVITATION_STATES, 0)
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def factory_invitation_for(*, user: User, pk: int) -> FactoryInvitation:
    """One invitation of a belt `user` runs; NotFound for another belt's."""
    invitation = FactoryInvitation.objects.filter(pk=pk, belt__in=belts_managed_by(user)).select_related("belt").first()
    if invitation is None:
        raise NotFound(_("No such invitation."))
    return invitation
