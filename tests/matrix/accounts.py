"""Accounts and tenancy: sign-up, log-in, passwords, settings, the acting company, invitations.

The private objects (an open invitation, a colleague's membership) belong to the `buyer` actor's
company; every other actor must get 404 for them. Staff belong to no company.
"""

from __future__ import annotations

import secrets

from marketplace.models import Invitation, Membership
from tests.factories import TEST_PASSWORD, CurrencyFactory, InvitationFactory, MembershipFactory
from tests.matrix import Route, World, expect

SIGNED_IN_ONLY = {"anonymous": 302}
BUYERS_OWN = {"anonymous": 302, "buyer": 302}


def build(world: World) -> None:
    CurrencyFactory(code="USD")  # the invited newcomer's currency (seeded, unless a flush removed it)
    buyer = world.actors["buyer"]
    world.buyer_invitation = InvitationFactory(company=buyer.company, invited_by=buyer.user)
    world.buyer_colleague = MembershipFactory(company=buyer.company, role=Membership.Role.MEMBER)
    world.invitation_token = secrets.token_urlsafe(32)
    InvitationFactory(
        company=buyer.company,
        invited_by=buyer.user,
        email="newcomer@example.com",
        token_hash=Invitation.hash_token(world.invitation_token),
    )


ROUTES = [
    Route("signup", expect(200)),
    Route("signup_buyer", expect(200)),
    Route("signup_sent", expect(200)),
    # A link of no account (the id 999999999): its page explains, for everyone.
    Route("signup_confirm", expect(404), kwargs=lambda w: {"uidb64": "OTk5OTk5OTk5", "token": "not-a-token"}),
    Route("login", expect(200)),
    # Without a log-in waiting for its code, the second step sends on (to the log-in, or home).
    Route("login_verify", expect(302)),
    Route("logout", expect(302), method="post"),
    Route("password_reset", expect(200)),
    Route("password_reset_done", expect(200)),
    Route("password_reset_confirm", expect(200), kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"}),
    Route("password_reset_complete", expect(200)),
    Route("password_change", expect(200, **SIGNED_IN_ONLY)),
    Route("password_change_done", expect(200, **SIGNED_IN_ONLY)),
    Route("account_settings", expect(200, **SIGNED_IN_ONLY)),
    # Each user's own two-factor authentication (tests/marketplace/test_hardening_mfa.py goes through it).
    Route("two_factor", expect(200, **SIGNED_IN_ONLY)),
    Route("two_factor_begin", expect(302), method="post"),
    Route("two_factor_setup", expect(302)),  # nothing being set up: back to the security page
    Route("two_factor_recovery_codes", expect(302), method="post"),  # no proof given: nothing changes
    Route("two_factor_disable", expect(302), method="post"),
    Route("company_detail", expect(200, **SIGNED_IN_ONLY)),
    Route("company_edit", expect(200, **SIGNED_IN_ONLY)),
    Route(
        "company_invite",
        expect(302),
        method="post",
        data=lambda w: {"email": "colleague@example.com", "role": "member"},
    ),
    Route(
        "invitation_revoke",
        expect(404, **BUYERS_OWN),
        method="post",
        kwargs=lambda w: {"pk": w.buyer_invitation.pk},
    ),
    Route(
        "membership_remove",
        expect(404, **BUYERS_OWN),
        method="post",
        kwargs=lambda w: {"pk": w.buyer_colleague.pk},
    ),
    Route(
        "company_switch",
        expect(404, **BUYERS_OWN),
        method="post",
        data=lambda w: {"company": w.actors["buyer"].company.pk},
    ),
    # The invitation is for newcomer@example.com: anyone signed in with another address is told so.
    Route("invitation_accept", expect(403, anonymous=200), kwargs=lambda w: {"token": w.invitation_token}),
    Route(
        "invitation_accept",
        expect(403, anonymous=302),
        method="post",
        kwargs=lambda w: {"token": w.invitation_token},
        data=lambda w: {
            "name": "New Comer",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "preferred_language": "en",
        },
    ),
]
