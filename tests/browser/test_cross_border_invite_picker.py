"""A buyer invites a factory to a private sourcing request by typing part of its name, in
traditional Chinese as a buyer from Hong Kong or Taiwan types it, and picking it from the list:
no supplier number to copy from a page address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from buyers.models import Match, SourcingRequest
from tests.browser.test_story_1_search import log_in
from tests.buyers.builders_post import posting_world
from tests.factories import TEST_PASSWORD, MembershipFactory, SupplierProfileFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_cross_border_a_buyer_types_part_of_a_factorys_name_picks_it_and_invites_it(
    page: Page, live_server: object
) -> None:
    school = posting_world()["school"]
    hongda = SupplierProfileFactory(name="Baigou Hongda Bags", name_zh="白沟宏达书包厂")
    SupplierProfileFactory(name="Yiwu Star Toys", name_zh="义乌星星玩具")
    buyer = UserFactory(preferred_language="en")
    membership = MembershipFactory(user=buyer, role="owner")

    log_in(page, live_server.url, buyer.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/rfqs/new/")
    form = page.locator("form[action$='/rfqs/new/']")
    form.locator("[name=title]").fill("School backpacks for Kowloon")
    form.locator("[name=category]").select_option(str(school.pk))
    form.locator("[name=quantity]").fill("8000")
    form.locator("[name=destination_country]").select_option("HK")
    form.locator("[name=required_by]").fill((timezone.localdate() + timedelta(days=40)).isoformat())
    deadline = timezone.localtime() + timedelta(days=5)
    form.locator("[name=quote_deadline]").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=visibility][value=private]").check()

    form.locator("[data-picker-query]").press_sequentially("宏達書包")  # traditional for 宏达书包
    found = form.locator(f"[data-picker-results] [data-supplier='{hongda.pk}']")
    expect(found).to_contain_text("Baigou Hongda Bags")
    expect(form.locator("[data-picker-results] [data-supplier]")).to_have_count(1)
    found.get_by_role("button", name="Invite Baigou Hongda Bags").click()

    expect(form.locator(f"[data-supplier-chip='{hongda.pk}']")).to_contain_text("Baigou Hongda Bags")
    expect(form.locator("[name=invited_suppliers]")).to_have_value(str(hongda.pk))
    with page.expect_navigation():
        form.locator("button[name=action][value=publish]").click()

    rfq = SourcingRequest.objects.get(buyer=membership.company)
    assert (rfq.status, rfq.visibility) == (SourcingRequest.Status.OPEN, SourcingRequest.Visibility.PRIVATE)
    assert list(rfq.matches.values_list("supplier", "source")) == [(hongda.pk, Match.Source.INVITED)]
    expect(page.get_by_text("is published")).to_be_visible()
