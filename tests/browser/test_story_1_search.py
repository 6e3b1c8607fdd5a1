"""Story 1 in the browser: a buyer searching 透明书包 finds the Baigou factories' transparent backpacks,
and a supplier imports a catalog file and watches the progress bar finish."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from marketplace.demo.accounts import BUYER, DEFAULT_PASSWORD
from suppliers.models import CatalogImport, Product
from tests.factories import TEST_PASSWORD, CategoryFactory, MembershipFactory, SupplierProfileFactory, UserFactory

# live_server needs a transactional database; serialized_rollback keeps the migrations' currencies.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BAIGOU_BACKPACK = "透明PVC学生书包 Transparent PVC school backpack"


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def log_in(page: Page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("[name=username]").fill(email)
    form.locator("[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").click()


def search(page: Page, words: str) -> None:
    form = page.locator("form[data-search-form]")
    form.locator("[name=q]").fill(words)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_story_1_a_buyer_searching_for_transparent_school_bags_finds_the_baigou_factories(
    page: Page, live_server: object, media: Path
) -> None:
    call_command("seed_demo", stdout=StringIO())
    log_in(page, live_server.url, BUYER.email, DEFAULT_PASSWORD)

    page.goto(f"{live_server.url}/suppliers/search/")
    search(page, "透明书包")

    result = page.locator("article[data-product]").filter(has_text=BAIGOU_BACKPACK).first
    expect(result).to_be_visible()
    expect(result).to_contain_text("Baigou")
    expect(result).to_contain_text("MOQ")
    assert page.locator("article[data-product]").count() >= 2
    assert Product.objects.filter(title=BAIGOU_BACKPACK, belt__slug="baigou-bags").exists()

    search(page, "transparent backpack")
    expect(page.locator("article[data-product]").filter(has_text=BAIGOU_BACKPACK).first).to_be_visible()


def test_a_supplier_imports_a_csv_and_watches_the_progress_bar_reach_100_percent(
    page: Page, live_server: object, media: Path, tmp_path: Path
) -> None:
    category = CategoryFactory(slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包")
    profile = SupplierProfileFactory()
    user = UserFactory(preferred_language="en")
    MembershipFactory(user=user, company=profile.company, role="owner")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "sku,title,category,moq,lead_time_days,tiers,attributes\n"
        + "".join(
            f"BG-{n:03d},透明PVC学生书包 Transparent PVC school backpack {n},{category.slug},500,15,"
            f"500:18.50; 2000:16.80,material=PVC; colour=clear\n"
            for n in range(1, 6)
        ),
        encoding="utf-8",
    )

    log_in(page, live_server.url, user.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/suppliers/catalog/import/")
    page.locator("input[type=file]").set_input_files(str(catalog))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("5 products are ready to import")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Start import").click()

    progress = page.locator("#import-progress")
    expect(progress).to_contain_text("100%", timeout=30_000)
    expect(progress).to_contain_text("5 created")
    expect(progress.locator("progress")).to_have_attribute("value", "5")
    assert CatalogImport.objects.get(supplier=profile).status == CatalogImport.Status.DONE
    assert Product.objects.filter(supplier=profile).count() == 5
