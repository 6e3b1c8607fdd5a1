"""Belt onboarding: staff create belts and move them through onboarding to live, give people
management of belts, and follow each belt's onboarding funnel; a belt manager runs only their belts."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.models import BeltEvent, IndustrialBelt, Notification, User
from marketplace.notification_texts import notification_render
from marketplace.services.belts import (
    belt_create,
    belt_manager_add,
    belt_manager_remove,
    belt_managers_set,
    belt_transition,
    belt_update,
)
from suppliers.demo.belt_managers import BELT_MANAGER_EMAIL, seed_demo_belt_manager
from tests.factories import CategoryFactory, IndustrialBeltFactory, StaffFactory, UserFactory
from tests.querycount import count_queries
from tests.suppliers.builders_belts import belt_manager, invited_factory

pytestmark = pytest.mark.django_db

Status = IndustrialBelt.Status


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def history(belt: IndustrialBelt) -> list[tuple[str, str, int | None, str]]:
    return [
        (event.from_status, event.to_status, event.actor_id, event.reason)
        for event in BeltEvent.objects.filter(belt=belt).order_by("created_at", "id")
    ]


@pytest.fixture
def staff() -> User:
    return StaffFactory()


@pytest.fixture
def taizhou() -> IndustrialBelt:
    return IndustrialBeltFactory(
        slug="taizhou-plastics", name_en="Taizhou plastics", name_zh="台州塑料", status=Status.ONBOARDING
    )


@pytest.fixture
def baigou() -> IndustrialBelt:
    return IndustrialBeltFactory(slug="baigou-bags", name_en="Baigou bags", name_zh="白沟箱包")


# --- Creating a belt -------------------------------------------------------------------------------


def test_staff_create_a_belt_as_a_draft_that_the_public_does_not_see(client: Client, staff: User) -> None:
    bins = CategoryFactory(slug="sorting-bins", name_en="Sorting bins")
    belt = belt_create(
        actor=staff,
        name_en="Huangyan moulds",
        name_zh="黄岩模具",
        province="zhejiang",
        city="Huangyan, Taizhou",
        specialties=[bins],
        number_of_firms=2000,
        annual_output_cny=Decimal("25000000000"),
    )

    assert (belt.slug, belt.status) == ("huangyan-moulds", Status.DRAFT)
    assert list(belt.specialties.all()) == [bins]
    assert history(belt) == [("", Status.DRAFT, staff.pk, "")]
    assert "Huangyan moulds" not in html(client.get(reverse("belt_list")))
    assert client.get(reverse("belt_detail", args=["huangyan-moulds"])).status_code == 404


def test_only_staff_create_belts(taizhou: IndustrialBelt) -> None:
    manager = belt_manager(taizhou)
    with pytest.raises(PermissionDenied):
        belt_create(actor=manager, name_en="Rogue belt", name_zh="流氓", province="zhejiang", city="Yiwu")
    assert not IndustrialBelt.objects.filter(name_en="Rogue belt").exists()


def test_a_web_address_already_taken_is_refused_with_a_message(staff: User, taizhou: IndustrialBelt) -> None:
    with pytest.raises(InvalidInput) as refused:
        belt_create(actor=staff, name_en="Taizhou plastics", name_zh="台州塑料", province="zhejiang", city="Taizhou")
    assert refused.value.field == "slug"
    assert "taizhou-plastics" in refused.value.message
    assert IndustrialBelt.objects.count() == 1


def test_the_create_page_makes_a_draft_and_opens_it(staff: User) -> None:
    client = logged_in(staff)
    response = client.post(
        reverse("belt_admin:belt_create"),
        {"name_en": "Ninghai stationery", "name_zh": "宁海文具", "slug": "", "province": "zhejiang", "city": "Ninghai"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("belt_admin:belt_detail", args=["ninghai-stationery"])
    page = html(response)
    assert "宁海文具" in page
    assert "Draft" in page
    assert "Start onboarding" in page


def test_the_create_page_says_what_is_wrong(staff: User) -> None:
    response = logged_in(staff).post(
        reverse("belt_admin:belt_create"),
        {"name_en": "Bad belt", "name_zh": "", "province": "atlantis", "city": "X", "export_share_percent": "140"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "This field is required." in page
    assert "Select a valid choice." in page
    assert "The export share can be at most 100." in page
    assert not IndustrialBelt.objects.exists()


# --- The lifecycle ---------------------------------------------------------------------------------


def test_a_belt_moves_through_onboarding_to_live_and_every_move_is_recorded(staff: User) -> None:
    belt = IndustrialBeltFactory(status=Status.DRAFT)
    belt_transition(belt=belt, actor=staff, to_status=Status.ONBOARDING, reason="Factories listed.")
    belt_transition(belt=belt, actor=staff, to_status=Status.LIVE, reason="")

    belt.refresh_from_db()
    assert belt.status == Status.LIVE
    assert history(belt) == [
        (Status.DRAFT, Status.ONBOARDING, staff.pk, "Factories listed."),
        (Status.ONBOARDING, Status.LIVE, staff.pk, ""),
    ]


def test_a_draft_cannot_go_live_without_onboarding(staff: User) -> None:
    belt = IndustrialBeltFactory(status=Status.DRAFT)
    with pytest.raises(Conflict) as refused:
        belt_transition(belt=belt, actor=staff, to_status=Status.LIVE, reason="Hurry")
    assert refused.value.message == "This belt is draft; it cannot become live."
    belt.refresh_from_db()
    assert belt.status == Status.DRAFT
    assert history(belt) == []


def test_a_live_belt_is_paused_back_to_onboarding_only_with_a_reason(staff: User, baigou: IndustrialBelt) -> None:
    with pytest.raises(InvalidInput) as refused:
        belt_transition(belt=baigou, actor=staff, to_status=Status.ONBOARDING, reason="  ")
    assert refused.value.field == "reason"

    belt_transition(belt=baigou, actor=staff, to_status=Status.ONBOARDING, reason="Market closed for rebuilding.")
    baigou.refresh_from_db()
    assert baigou.status == Status.ONBOARDING
    assert history(baigou) == [(Status.LIVE, Status.ONBOARDING, staff.pk, "Market closed for rebuilding.")]


def test_a_belt_manager_cannot_move_their_belt(taizhou: IndustrialBelt) -> None:
    with pytest.raises(PermissionDenied):
        belt_transition(belt=taizhou, actor=belt_manager(taizhou), to_status=Status.LIVE)
    taizhou.refresh_from_db()
    assert taizhou.status == Status.ONBOARDING


def test_an_unknown_status_is_refused(staff: User, taizhou: IndustrialBelt) -> None:
    with pytest.raises(InvalidInput):
        belt_transition(belt=taizhou, actor=staff, to_status="archived")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_taking_a_belt_live_at_once_make_one_move() -> None:
    belt = IndustrialBeltFactory(status=Status.ONBOARDING)
    people = [StaffFactory(), StaffFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take_live(actor: User) -> None:
        try:
            barrier.wait()
            belt_transition(belt=IndustrialBelt.objects.get(pk=belt.pk), actor=actor, to_status=Status.LIVE)
            outcomes.append("moved")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=take_live, args=(actor,)) for actor in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["moved", "refused"]
    assert BeltEvent.objects.filter(belt=belt, to_status=Status.LIVE).count() == 1


def test_staff_move_a_belt_from_its_page_and_see_the_move_in_its_history(staff: User) -> None:
    belt = IndustrialBeltFactory(slug="chenghai-toys", status=Status.DRAFT)
    client = logged_in(staff)
    response = client.post(
        reverse("belt_admin:belt_transition", args=["chenghai-toys"]),
        {"to_status": "onboarding", "reason": "Toy factories list received."},
        follow=True,
    )
    page = html(response)
    assert "The belt is now onboarding." in page
    assert "Toy factories list received." in page
    assert "Take live" in page
    belt.refresh_from_db()
    assert belt.status == Status.ONBOARDING


def test_an_illegal_move_from_the_page_answers_409_with_the_reason(staff: User) -> None:
    IndustrialBeltFactory(slug="chenghai-toys", status=Status.DRAFT)
    response = logged_in(staff).post(
        reverse("belt_admin:belt_transition", args=["chenghai-toys"]), {"to_status": "live"}
    )
    assert response.status_code == 409
    assert "This belt is draft; it cannot become live." in html(response)


def test_a_pause_without_a_reason_from_the_page_says_a_reason_is_needed(staff: User, baigou: IndustrialBelt) -> None:
    response = logged_in(staff).post(
        reverse("belt_admin:belt_transition", args=["baigou-bags"]), {"to_status": "onboarding", "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why the belt goes back to onboarding" in html(response)
    baigou.refresh_from_db()
    assert baigou.status == Status.LIVE


# --- Managers --------------------------------------------------------------------------------------


def test_staff_give_a_person_management_of_a_belt_by_e_mail_and_the_person_is_told(
    staff: User, taizhou: IndustrialBelt
) -> None:
    office = UserFactory(email="office@taizhou.gov.cn", preferred_language="zh-hans")
    assert belt_manager_add(belt=taizhou, actor=staff, email="Office@Taizhou.gov.cn") == office
    assert list(taizhou.managers.all()) == [office]
    notification = Notification.objects.get(recipient=office)
    assert notification.kind == "belt_manager_added"
    assert notification.url == reverse("belt_admin:belt_detail", args=["taizhou-plastics"])
    # Told in each reader's language, with the belt's name in that language.
    assert "台州塑料" in notification_render(notification=notification, language="zh-hans").subject
    english = notification_render(notification=notification, language="en")
    assert english.subject == "You now manage the belt Taizhou plastics"
    assert "onboarding funnel" in english.body


def test_an_unknown_e_mail_or_a_present_manager_is_refused_with_a_message(staff: User, taizhou: IndustrialBelt) -> None:
    with pytest.raises(InvalidInput) as unknown:
        belt_manager_add(belt=taizhou, actor=staff, email="nobody@example.com")
    assert "No SourceBelt account has the e-mail address nobody@example.com" in unknown.value.message

    manager = belt_manager(taizhou)
    with pytest.raises(Conflict):
        belt_manager_add(belt=taizhou, actor=staff, email=manager.email)


def test_staff_remove_a_manager_and_set_the_whole_list(
    staff: User, taizhou: IndustrialBelt, baigou: IndustrialBelt
) -> None:
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    belt_managers_set(belt=taizhou, actor=staff, users=[first, second])
    belt_manager_remove(belt=taizhou, actor=staff, user_id=first.pk)
    assert list(taizhou.managers.all()) == [second]
    belt_managers_set(belt=taizhou, actor=staff, users=[third])
    assert list(taizhou.managers.all()) == [third]
    with pytest.raises(NotFound):
        belt_manager_remove(belt=taizhou, actor=staff, user_id=first.pk)


def test_a_belt_manager_cannot_choose_managers(taizhou: IndustrialBelt) -> None:
    manager = belt_manager(taizhou)
    with pytest.raises(PermissionDenied):
        belt_manager_add(belt=taizhou, actor=manager, email=UserFactory().email)


def test_the_managers_page_adds_by_e_mail_and_says_when_nobody_has_it(staff: User, taizhou: IndustrialBelt) -> None:
    client = logged_in(staff)
    url = reverse("belt_admin:belt_managers", args=["taizhou-plastics"])
    office = UserFactory(email="office@taizhou.gov.cn", name="Taizhou belt office")

    refused = client.post(url, {"email": "typo@taizhou.gov.cn"})
    assert refused.status_code == 400
    assert "No SourceBelt account has the e-mail address typo@taizhou.gov.cn" in html(refused)

    added = html(client.post(url, {"email": "office@taizhou.gov.cn"}, follow=True))
    assert "office@taizhou.gov.cn now manages this belt." in added
    assert "Taizhou belt office" in added

    removed = html(client.post(url, {"remove": office.pk}, follow=True))
    assert "office@taizhou.gov.cn no longer manages this belt." in removed
    assert not taizhou.managers.exists()


def test_a_manager_edits_their_belts_figures_but_not_another_belts(
    taizhou: IndustrialBelt, baigou: IndustrialBelt
) -> None:
    bins = CategoryFactory(slug="sorting-bins")
    manager = belt_manager(taizhou)
    belt_update(
        belt_id=taizhou.pk,
        actor=manager,
        description_en="Moulds and household plastics.",
        description_zh="模具与日用塑料。",
        specialties=[bins],
        number_of_firms=5000,
        annual_output_cny=None,
        employees=None,
        export_share_percent=35,
    )
    taizhou.refresh_from_db()
    assert (taizhou.description_zh, taizhou.number_of_firms, taizhou.export_share_percent) == (
        "模具与日用塑料。",
        5000,
        35,
    )
    assert list(taizhou.specialties.all()) == [bins]

    with pytest.raises(NotFound):
        belt_update(
            belt_id=baigou.pk,
            actor=manager,
            description_en="Hijacked",
            description_zh="",
            specialties=[],
            number_of_firms=None,
            annual_output_cny=None,
            employees=None,
            export_share_percent=None,
        )
    baigou.refresh_from_db()
    assert baigou.description_en != "Hijacked"


def test_the_edit_page_saves_and_refuses_bad_figures_with_messages(taizhou: IndustrialBelt) -> None:
    client = logged_in(belt_manager(taizhou))
    url = reverse("belt_admin:belt_edit", args=["taizhou-plastics"])
    assert "台州塑料" in html(client.get(url))

    bad = client.post(url, {"number_of_firms": "-3", "export_share_percent": "abc", "specialties": ["nope"]})
    assert bad.status_code == 400
    page = html(bad)
    assert "The number of firms must be at least 0." in page
    assert "The export share must be a whole number." in page
    assert "There is no category “nope”." in page

    saved = client.post(url, {"description_en": "Plastics capital.", "number_of_firms": "4200"}, follow=True)
    assert "The belt is saved." in html(saved)
    assert "Plastics capital." in html(saved)
    assert "4,200" in html(saved)


# --- Who reaches the pages -------------------------------------------------------------------------


def test_a_manager_sees_their_belt_and_gets_404_for_another(taizhou: IndustrialBelt, baigou: IndustrialBelt) -> None:
    client = logged_in(belt_manager(taizhou))

    listed = html(client.get(reverse("belt_admin:belt_list")))
    assert "Taizhou plastics" in listed
    assert "Baigou bags" not in listed
    assert "New belt" not in listed
    assert client.get(reverse("belt_admin:belt_detail", args=["taizhou-plastics"])).status_code == 200
    for name in ("belt_detail", "belt_edit", "belt_funnel"):
        assert client.get(reverse(f"belt_admin:{name}", args=["baigou-bags"])).status_code == 404
    # The lifecycle and the managers are the staff's.
    assert client.get(reverse("belt_admin:belt_managers", args=["taizhou-plastics"])).status_code == 404
    assert client.get(reverse("belt_admin:belt_create")).status_code == 404
    moved = client.post(reverse("belt_admin:belt_transition", args=["taizhou-plastics"]), {"to_status": "live"})
    assert moved.status_code == 404
    taizhou.refresh_from_db()
    assert taizhou.status == Status.ONBOARDING


def test_a_manager_does_not_see_the_lifecycle_buttons(taizhou: IndustrialBelt) -> None:
    page = html(logged_in(belt_manager(taizhou)).get(reverse("belt_admin:belt_detail", args=["taizhou-plastics"])))
    assert "Move the belt" not in page
    assert "Choose managers" not in page


def test_a_person_who_manages_no_belt_gets_404_and_a_visitor_is_sent_to_log_in(
    client: Client, taizhou: IndustrialBelt
) -> None:
    outsider = logged_in(UserFactory())
    assert outsider.get(reverse("belt_admin:belt_list")).status_code == 404
    assert outsider.get(reverse("belt_admin:belt_detail", args=["taizhou-plastics"])).status_code == 404
    response = client.get(reverse("belt_admin:belt_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_see_every_belt_drafts_too_with_their_status(
    staff: User, taizhou: IndustrialBelt, baigou: IndustrialBelt
) -> None:
    IndustrialBeltFactory(name_en="Zhili childrenswear", status=Status.DRAFT)
    client = logged_in(staff)
    page = html(client.get(reverse("belt_admin:belt_list")))
    for name in ("Baigou bags", "Taizhou plastics", "Zhili childrenswear"):
        assert name in page
    assert "3 belts" in page

    drafts = html(client.get(reverse("belt_admin:belt_list"), {"status": "draft"}))
    assert "Zhili childrenswear" in drafts
    assert "Baigou bags" not in drafts

    unknown = html(client.get(reverse("belt_admin:belt_list"), {"status": "sleeping"}))
    assert "“sleeping” is not a belt status; showing every belt." in unknown
    assert "Baigou bags" in unknown


# --- The funnel ------------------------------------------------------------------------------------


@pytest.fixture
def funnel(taizhou: IndustrialBelt, baigou: IndustrialBelt) -> dict[str, list]:
    """Taizhou: 6 invited, 4 claimed, 2 published, 1 verified; Baigou: 1 verified factory."""
    steps = {
        "invited": [invited_factory(taizhou, company_name=f"Waiting plastics {n}") for n in range(2)],
        "claimed": [invited_factory(taizhou, step="claimed", company_name=f"Claimed plastics {n}") for n in range(2)],
        "published": [invited_factory(taizhou, step="published", company_name="Publishing plastics")],
        "verified": [invited_factory(taizhou, step="verified", company_name="Verified plastics")],
    }
    invited_factory(baigou, step="verified", company_name="Baigou verified bags")
    return steps


def test_the_belt_page_shows_the_funnel_counts_linking_to_the_lists_behind_them(
    staff: User, funnel: dict[str, list]
) -> None:
    response = logged_in(staff).get(reverse("belt_admin:belt_detail", args=["taizhou-plastics"]))
    funnel_steps = response.context["funnel_steps"]
    assert [(step, count) for step, _label, count in funnel_steps] == [
        ("invited", 6),
        ("claimed", 4),
        ("published", 2),
        ("verified", 1),
    ]
    page = html(response)
    for step in ("invited", "claimed", "published", "verified"):
        assert f'href="/staff/belts/taizhou-plastics/funnel/?step={step}"' in page


def test_the_list_behind_a_step_shows_the_factories_that_reached_it(staff: User, funnel: dict[str, list]) -> None:
    client = logged_in(staff)
    url = reverse("belt_admin:belt_funnel", args=["taizhou-plastics"])

    published = html(client.get(url, {"step": "published"}))
    assert "Publishing plastics" in published
    assert "Verified plastics" in published
    assert "Claimed plastics" not in published
    assert "Waiting plastics" not in published
    assert "Baigou verified bags" not in published

    claimed = html(client.get(url, {"step": "claimed"}))
    assert "Claimed plastics 0" in claimed
    assert "Waiting plastics" not in claimed

    unknown = html(client.get(url, {"step": "dreaming"}))
    assert "There is no funnel step “dreaming”; showing the invited factories." in unknown
    assert "Waiting plastics 0" in unknown


def test_the_list_behind_a_step_is_paginated(staff: User, taizhou: IndustrialBelt) -> None:
    for number in range(5):
        invited_factory(taizhou, company_name=f"Factory {number}")
    client = logged_in(staff)
    url = reverse("belt_admin:belt_funnel", args=["taizhou-plastics"])
    first = html(client.get(url, {"step": "invited", "page_size": 2}))
    assert "Page 1 of 3" in first
    assert "step=invited&amp;page_size=2&amp;page=2" in first
    last = html(client.get(url, {"step": "invited", "page_size": 2, "page": 3}))
    assert last.count("Factory ") == 1
    past = html(client.get(url, {"step": "invited", "page": 40}))
    assert "There is no page 40; showing the first page." in past


def test_the_belt_list_shows_each_belts_funnel(staff: User, funnel: dict[str, list]) -> None:
    response = logged_in(staff).get(reverse("belt_admin:belt_list"))
    counts = {
        row.belt.slug: (row.invited, row.claimed, row.published, row.verified) for row in response.context["funnels"]
    }
    assert counts == {"taizhou-plastics": (6, 4, 2, 1), "baigou-bags": (1, 1, 1, 1)}


def test_the_belt_list_makes_as_many_queries_for_6_belts_as_for_2(staff: User) -> None:
    client = logged_in(staff)

    def add_belts(count: int) -> None:
        for _ in range(count):
            belt = IndustrialBeltFactory()
            invited_factory(belt, step="verified")
            invited_factory(belt)

    def fetch() -> None:
        response = client.get(reverse("belt_admin:belt_list"))
        assert response.status_code == 200

    add_belts(2)
    with_two = count_queries(fetch)
    add_belts(4)
    with_six = count_queries(fetch)
    assert with_two == with_six
    # Session and user (2), the layout's acting membership and memberships (2), the count and the
    # page of belts (2), the funnel of the page's belts (1).
    assert with_six == 7


def test_a_managers_belt_list_makes_as_many_queries_for_6_belts_as_for_2() -> None:
    manager = UserFactory()
    client = logged_in(manager)

    def add_belts(count: int) -> None:
        for _ in range(count):
            belt = IndustrialBeltFactory()
            belt.managers.add(manager)
            invited_factory(belt, step="claimed")

    def fetch() -> None:
        assert client.get(reverse("belt_admin:belt_list")).status_code == 200

    add_belts(2)
    with_two = count_queries(fetch)
    add_belts(4)
    assert count_queries(fetch) == with_two


# --- Demo ------------------------------------------------------------------------------------------


def test_the_demo_belt_manager_runs_taizhou_only_in_chinese_and_can_log_in(
    taizhou: IndustrialBelt, baigou: IndustrialBelt
) -> None:
    assert seed_demo_belt_manager(password="demo-password-1") == BELT_MANAGER_EMAIL
    assert seed_demo_belt_manager(password="demo-password-2") == BELT_MANAGER_EMAIL

    user = User.objects.get(email=BELT_MANAGER_EMAIL)
    assert (user.name, user.preferred_language, user.is_staff) == ("Taizhou belt office", "zh-hans", False)
    assert list(user.managed_belts.all()) == [taizhou]
    login = Client().post(reverse("login"), {"username": BELT_MANAGER_EMAIL, "password": "demo-password-2"})
    assert login.status_code == 302
