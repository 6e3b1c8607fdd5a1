"""The acting company: its page, editing it, members and roles, switching between companies."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from marketplace.errors import DomainError
from marketplace.models import Company, Membership
from marketplace.selectors.accounts import company_members
from marketplace.services.accounts import membership_remove
from tests.factories import CompanyFactory, CurrencyFactory, InvitationFactory, MembershipFactory, UserFactory
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db

CURRENCY_CODES = ("USD", "EUR", "CNY", "LKR", "RUB")


@pytest.fixture(autouse=True)
def _currencies(db: None) -> None:
    """The currencies offered at sign-up. Seeded by a migration, but a transactional test elsewhere may flush them."""
    for code in CURRENCY_CODES:
        CurrencyFactory(code=code)


def logged_in(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def test_the_company_page_shows_its_facts_members_with_roles_and_open_invitations() -> None:
    owner = MembershipFactory(company=CompanyFactory(name="Lanka School Supplies", country="LK", city="Colombo"))
    MembershipFactory(company=owner.company, user=UserFactory(name="Kamala Silva"), role=Membership.Role.ADMIN)
    InvitationFactory(company=owner.company, email="waiting@example.com")

    page = logged_in(owner).get(reverse("company_detail")).content.decode()

    for text in ("Lanka School Supplies", "Sri Lanka", "Colombo", "Kamala Silva", "Admin", "Owner"):
        assert text in page
    assert "waiting@example.com" in page
    assert reverse("company_edit") in page


def test_members_are_listed_owners_first() -> None:
    company = CompanyFactory()
    MembershipFactory(company=company, role=Membership.Role.MEMBER, user=UserFactory(name="Aaron"))
    MembershipFactory(company=company, role=Membership.Role.OWNER, user=UserFactory(name="Zoe"))
    MembershipFactory(company=company, role=Membership.Role.ADMIN, user=UserFactory(name="Mia"))
    assert [m.user.name for m in company_members(company=company)] == ["Zoe", "Mia", "Aaron"]


def test_the_company_page_makes_the_same_queries_for_few_or_many_members() -> None:
    def company_with(people: int) -> Client:
        owner = MembershipFactory()
        for _ in range(people - 1):
            MembershipFactory(company=owner.company, role=Membership.Role.MEMBER)
        for _ in range(people):
            InvitationFactory(company=owner.company, invited_by=owner.user)
        return logged_in(owner)

    clients = {2: company_with(2), 10: company_with(10)}
    assert_same_queries_for_page_sizes(lambda size: clients[size].get(reverse("company_detail")))


def test_a_plain_member_sees_the_company_but_cannot_change_it() -> None:
    owner = MembershipFactory()
    member = MembershipFactory(company=owner.company, role=Membership.Role.MEMBER)
    client = logged_in(member)

    page = client.get(reverse("company_detail")).content.decode()
    assert owner.user.name in page
    assert reverse("company_invite") not in page

    response = client.post(reverse("company_edit"), {"name": "Hijacked", "country": "DE"}, follow=True)
    assert response.status_code == 200
    assert "Only the company's owners and admins" in response.content.decode().replace("&#x27;", "'")
    assert Company.objects.get(pk=owner.company_id).name != "Hijacked"

    response = client.post(reverse("membership_remove", kwargs={"pk": owner.pk}), follow=True)
    assert response.status_code == 200
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_an_owner_edits_the_company() -> None:
    owner = MembershipFactory()
    response = logged_in(owner).post(
        reverse("company_edit"),
        {"name": "Lanka Books & Bags", "country": "LK", "city": "Kandy", "website": "lankabags.lk"},
    )
    assert response["Location"] == reverse("company_detail")
    company = Company.objects.get(pk=owner.company_id)
    assert (company.name, company.city, company.website) == ("Lanka Books & Bags", "Kandy", "https://lankabags.lk")


def test_editing_the_company_with_a_bad_country_is_explained() -> None:
    owner = MembershipFactory()
    response = logged_in(owner).post(reverse("company_edit"), {"name": "X", "country": "ZZ"})
    assert response.status_code == 400
    assert "country" in response.context["form"].errors


def test_a_user_without_a_company_gets_a_friendly_page(actors: dict) -> None:
    staff = actors["staff"]
    response = staff.client.get(reverse("company_detail"))
    assert response.status_code == 200
    assert "does not belong to any company" in response.content.decode()
    assert staff.client.get(reverse("company_edit")).status_code == 200


def test_an_owner_removes_a_member() -> None:
    owner = MembershipFactory()
    member = MembershipFactory(company=owner.company, role=Membership.Role.MEMBER)
    response = logged_in(owner).post(reverse("membership_remove", kwargs={"pk": member.pk}))
    assert response["Location"] == reverse("company_detail")
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_last_owner_cannot_be_removed() -> None:
    owner = MembershipFactory()
    response = logged_in(owner).post(reverse("membership_remove", kwargs={"pk": owner.pk}), follow=True)
    assert "A company needs an owner" in response.content.decode()
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_an_owner_may_leave_when_another_owner_remains() -> None:
    owner = MembershipFactory()
    MembershipFactory(company=owner.company, role=Membership.Role.OWNER)
    response = logged_in(owner).post(reverse("membership_remove", kwargs={"pk": owner.pk}))
    assert response["Location"] == reverse("home")
    assert not Membership.objects.filter(pk=owner.pk).exists()


def test_an_admin_cannot_remove_an_owner() -> None:
    owner = MembershipFactory()
    MembershipFactory(company=owner.company, role=Membership.Role.OWNER)
    admin = MembershipFactory(company=owner.company, role=Membership.Role.ADMIN)
    response = logged_in(admin).post(reverse("membership_remove", kwargs={"pk": owner.pk}), follow=True)
    assert "Only an owner can remove an owner" in response.content.decode()
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_removing_a_member_of_another_company_answers_404() -> None:
    owner = MembershipFactory()
    stranger = MembershipFactory()
    response = logged_in(owner).post(reverse("membership_remove", kwargs={"pk": stranger.pk}))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=stranger.pk).exists()


def test_a_user_of_two_companies_switches_between_them_and_returns_to_the_page() -> None:
    first = MembershipFactory(company=CompanyFactory(name="Glove Factory"))
    second = MembershipFactory(user=first.user, company=CompanyFactory(name="Glove Imports"))
    client = logged_in(first)
    assert client.get(reverse("company_detail")).context["company"] == first.company

    response = client.post(
        reverse("company_switch"), {"company": second.company_id}, headers={"referer": "http://testserver/company/"}
    )

    assert response["Location"] == "http://testserver/company/"
    page = client.get(reverse("company_detail"))
    assert page.context["company"] == second.company
    assert "Glove Imports" in page.content.decode()


def test_switching_never_redirects_to_another_site() -> None:
    first = MembershipFactory()
    client = logged_in(first)
    response = client.post(
        reverse("company_switch"), {"company": first.company_id}, headers={"referer": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("company", ["", "abc", "999999"])
def test_switching_to_a_company_one_does_not_belong_to_answers_404(company: str) -> None:
    client = logged_in(MembershipFactory())
    assert client.post(reverse("company_switch"), {"company": company}).status_code == 404


def test_switching_to_another_users_company_answers_404_and_changes_nothing() -> None:
    mine = MembershipFactory()
    theirs = MembershipFactory()
    client = logged_in(mine)
    assert client.post(reverse("company_switch"), {"company": theirs.company_id}).status_code == 404
    assert client.get(reverse("company_detail")).context["company"] == mine.company


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_owners_removing_each_other_at_once_leave_one_owner() -> None:
    """Real threads against PostgreSQL: the company lock serves the two removals one after the other."""
    first = MembershipFactory()
    second = MembershipFactory(company=first.company, role=Membership.Role.OWNER)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def remove(actor: Membership, target: Membership) -> None:
        try:
            barrier.wait()
            membership_remove(membership=actor, membership_id=target.pk)
            outcomes.append("removed")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(first, second)),
        threading.Thread(target=remove, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "removed"]
    assert Membership.objects.filter(company=first.company, role=Membership.Role.OWNER).count() == 1
