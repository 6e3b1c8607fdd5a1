"""Belt onboarding: staff and the belt's managers import and invite a belt's factories; the factory
claims its account from the signed link in its e-mail.

None of the six actors manages a belt, so only staff reach the belt's pages; everyone else gets
404 (no existence leaks), anonymous visitors the log-in page. The claim page is public: its
signed link is the key. A claim without the form's fields is refused (400) and opens nothing.
"""

from __future__ import annotations

from suppliers.models import FactoryImport
from suppliers.services.onboarding import factory_invitation_token
from tests.factories import CategoryFactory
from tests.matrix import Route, World, expect
from tests.suppliers.factories_onboarding import FactoryInvitationFactory, OnboardingBeltFactory

STAFF_ONLY = expect(404, anonymous=302, staff=200)
# A POST by staff redirects back to the invitations with the outcome as a message.
STAFF_ACTION = expect(404, anonymous=302, staff=302)


def build(world: World) -> None:
    belt = OnboardingBeltFactory()
    world.onboarding_belt = belt
    world.factory_import = FactoryImport.objects.create(
        belt=belt,
        file="belt-imports/matrix.csv",
        original_name="matrix.csv",
        file_format="csv",
        status=FactoryImport.Status.DONE,
        total_rows=1,
        processed_rows=1,
        errors=[
            {
                "row": 2,
                "values": {"company": "X", "email": "not-an-address"},
                "problems": [{"column": "email", "message": "“not-an-address” is not a valid e-mail address."}],
            }
        ],
    )
    world.factory_invitation = FactoryInvitationFactory(belt=belt, categories=[CategoryFactory()])


def _belt(world: World) -> dict[str, str]:
    return {"slug": world.onboarding_belt.slug}


def _import(world: World) -> dict[str, int]:
    return {"pk": world.factory_import.pk}


def _invitation(world: World) -> dict[str, int]:
    return {"pk": world.factory_invitation.pk}


def _token(world: World) -> dict[str, str]:
    return {"token": factory_invitation_token(world.factory_invitation)}


ROUTES = [
    Route("onboarding:import_list", STAFF_ONLY, kwargs=_belt),
    # An upload without a file is refused (400) and records nothing.
    Route(
        "onboarding:import_list", expect(404, anonymous=302, staff=400), method="post", kwargs=_belt, data=lambda w: {}
    ),
    Route("onboarding:import_sample", STAFF_ONLY, kwargs=_belt),
    Route("onboarding:import_detail", STAFF_ONLY, kwargs=_import),
    Route("onboarding:import_progress", STAFF_ONLY, kwargs=_import),
    Route("onboarding:import_errors", STAFF_ONLY, kwargs=_import),
    Route("onboarding:invitation_list", STAFF_ONLY, kwargs=_belt),
    Route("onboarding:invitation_resend", STAFF_ACTION, method="post", kwargs=_invitation),
    Route("onboarding:invitation_resend", expect(405, anonymous=302), kwargs=_invitation),
    Route("onboarding:invitation_revoke", STAFF_ACTION, method="post", kwargs=_invitation),
    Route("onboarding:invitation_revoke", expect(405, anonymous=302), kwargs=_invitation),
    Route("onboarding:claim", expect(200), kwargs=_token),
    Route("onboarding:claim", expect(400), method="post", kwargs=_token, data=lambda w: {}),
    # A tampered link: the same page for everyone, 404.
    Route("onboarding:claim", expect(404), kwargs=lambda w: {"token": _token(w)["token"] + "x"}),
]
