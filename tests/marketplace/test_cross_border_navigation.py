"""Each role finds its own pages from the header; a signed-in buyer's home leads to posting a request;
the site has a favicon."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CompanyFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def header_of(client: Client, path: str = "/") -> str:
    page = client.get(path).content.decode()
    return page[page.index("<header") : page.index("</header>")]


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cross_border_a_belt_manager_reaches_its_belt_onboarding_and_demand_dashboard_from_the_header() -> None:
    belt = IndustrialBeltFactory(slug="taizhou-plastics", name_en="Taizhou plastics")
    other = IndustrialBeltFactory(slug="baigou-bags", name_en="Baigou bags")
    manager = UserFactory(preferred_language="en")
    belt.managers.add(manager)

    header = header_of(signed_in(manager))

    assert "Taizhou plastics" in header
    for url in (
        reverse("belt_admin:belt_detail", args=[belt.slug]),
        reverse("onboarding:import_list", args=[belt.slug]),
        reverse("onboarding:invitation_list", args=[belt.slug]),
        reverse("insights:belt_dashboard", args=[belt.slug]),
    ):
        assert f'href="{url}"' in header
    assert other.slug not in header, "a manager sees only the belts it runs"


def test_cross_border_a_belt_manager_who_also_acts_for_a_company_keeps_its_belt_menu() -> None:
    belt = IndustrialBeltFactory(slug="baigou-bags", name_en="Baigou bags")
    manager = UserFactory(preferred_language="en")
    belt.managers.add(manager)
    MembershipFactory(user=manager, company=CompanyFactory(name="Baigou Trade Office"), role="owner")

    header = header_of(signed_in(manager))

    assert 'data-nav="buyer"' in header, "it buys for its company"
    assert 'data-nav="belt-manager"' in header
    for url in (
        reverse("belt_admin:belt_detail", args=[belt.slug]),
        reverse("insights:belt_dashboard", args=[belt.slug]),
    ):
        assert f'href="{url}"' in header


def test_cross_border_the_header_is_one_set_of_menus_without_inline_scripts_or_styles() -> None:
    """Each role's links are in a dropdown of the one navigation (the "Menu" button folds it on a
    phone); nothing inline, so a strict Content-Security-Policy can forbid inline code."""
    buyer = UserFactory(preferred_language="en")
    MembershipFactory(user=buyer, company=CompanyFactory(name="Colombo School Supplies"), role="owner")

    header = header_of(signed_in(buyer))

    menus = re.findall(r'<details class="nav-menu[^"]*" data-nav="([a-z-]+)">', header)
    assert menus == ["explore", "buyer", "account"]
    assert 'aria-controls="main-nav"' in header
    for name in ("belt_list", "buyers:rfq_list", "orders:order_list", "account_settings", "company_detail"):
        assert f'href="{reverse(name)}"' in header
    assert "<script" not in header
    assert not re.search(r"\sstyle=|\son[a-z]+=", header), "no inline style or event handler"


def test_cross_border_staff_reach_their_dashboard_verification_queue_and_belts_from_the_header() -> None:
    header = header_of(signed_in(StaffFactory()))

    for name in ("staff:dashboard", "verification:queue", "belt_admin:belt_list"):
        assert f'href="{reverse(name)}"' in header


def test_cross_border_a_buyer_sees_no_belt_manager_menu_and_its_home_leads_to_posting_a_request() -> None:
    buyer = UserFactory(preferred_language="en")
    MembershipFactory(user=buyer, company=CompanyFactory(), role="owner")
    client = signed_in(buyer)

    home = client.get("/").content.decode()

    assert f'href="{reverse("buyers:rfq_create")}"' in home
    assert "Post a sourcing request" in home
    assert 'data-nav="belt-manager"' not in home


def test_cross_border_a_visitor_is_not_offered_to_post_a_request_before_signing_in() -> None:
    assert "data-post-request" not in Client().get("/").content.decode()


def test_cross_border_every_page_names_the_favicon_and_the_app_serves_it() -> None:
    client = Client()
    page = client.get("/").content.decode()

    assert 'rel="icon"' in page
    assert "favicon.svg" in page
    assert finders.find("favicon.svg") is not None, "the favicon is one of the app's static files"
    assert client.get("/static/favicon.svg").status_code == 200
