"""A supplier keeps its company facts: bilingual names and descriptions, figures, markets and languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Category, IndustrialBelt
from suppliers.models import Product, SupplierProfile
from suppliers.services.profiles import supplier_profile_update
from tests.conftest import Actor
from tests.factories import CategoryFactory, IndustrialBeltFactory, MembershipFactory, SupplierProfileFactory
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(name_en="Backpacks", name_zh="双肩包")


@pytest.fixture
def baigou(bags: Category) -> IndustrialBelt:
    return IndustrialBeltFactory(name_en="Baigou bags", name_zh="白沟箱包", province="hebei", city="Baigou")


def facts_form(profile: SupplierProfile, bags: Category, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "supplier_name": "Xinda Bags",
        "name_zh": "鑫达箱包",
        "description_en": "We make transparent PVC school backpacks.",
        "description_zh": "我们生产透明PVC书包。",
        "business_type": "manufacturer",
        "year_founded": 2008,
        "staff_count": 320,
        "factory_area_m2": 12000,
        "province": profile.province,
        "city": profile.city,
        "belt": profile.belt_id or "",
        "main_categories": [bags.pk],
        "export_markets": ["LK", "DE", "US"],
        "languages_spoken": ["zh", "en"],
    }
    data.update(overrides)
    return data


def test_a_supplier_saves_its_company_facts_in_both_languages(actors: dict[str, Actor], bags: Category) -> None:
    supplier = actors["supplier"]
    profile = supplier.supplier

    response = supplier.client.post(reverse("suppliers:profile_edit"), facts_form(profile, bags))

    assert response["Location"] == reverse("suppliers:dashboard")
    profile.refresh_from_db()
    assert (profile.name, profile.name_zh) == ("Xinda Bags", "鑫达箱包")
    assert profile.description_zh == "我们生产透明PVC书包。"
    assert (profile.year_founded, profile.staff_count, profile.factory_area_m2) == (2008, 320, 12000)
    assert [country.code for country in profile.export_markets] == ["DE", "LK", "US"]
    assert profile.languages_spoken == ["zh", "en"]
    edit_page = supplier.client.get(reverse("suppliers:profile_edit"))
    assert edit_page.context["form"].initial["export_markets"] == ["DE", "LK", "US"]
    assert "鑫达箱包" in edit_page.content.decode()


def test_the_edit_page_offers_countries_and_a_short_list_of_languages(actors: dict[str, Actor]) -> None:
    form = actors["supplier"].client.get(reverse("suppliers:profile_edit")).context["form"]
    languages = dict(form.fields["languages_spoken"].choices)
    assert {"zh", "en", "es", "fr", "de", "ru", "ar", "pt", "ja", "ko"} <= set(languages)
    assert "LK" in dict(form.fields["export_markets"].choices)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"year_founded": 1799}, "year_founded", "between 1800 and"),
        ({"year_founded": timezone.localdate().year + 1}, "year_founded", "between 1800 and"),
        ({"year_founded": "long ago"}, "year_founded", "whole number"),
        ({"staff_count": 0}, "staff_count", "positive"),
        ({"staff_count": -5}, "staff_count", "positive"),
        ({"factory_area_m2": -1}, "factory_area_m2", "positive"),
        ({"factory_area_m2": 10**12}, "factory_area_m2", "too large"),
        ({"description_en": "x" * 5001}, "description_en", "at most 5000 characters"),
        ({"description_zh": "包" * 500_000}, "description_zh", "at most 5000 characters"),
        ({"export_markets": ["XX"]}, "export_markets", "valid choice"),
        ({"languages_spoken": ["klingon"]}, "languages_spoken", "valid choice"),
    ],
)
def test_bad_facts_are_explained_and_nothing_changes(
    bags: Category, overrides: dict[str, object], field: str, message: str
) -> None:
    profile = SupplierProfileFactory(name="Before", year_founded=2001)
    owner = MembershipFactory(company=profile.company)
    client = Client()
    client.force_login(owner.user)

    response = client.post(reverse("suppliers:profile_edit"), facts_form(profile, bags, **overrides))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    profile.refresh_from_db()
    assert (profile.name, profile.year_founded) == ("Before", 2001)


def test_ten_megabytes_of_text_are_refused_and_nothing_changes(actors: dict[str, Actor], bags: Category) -> None:
    supplier = actors["supplier"]
    profile = supplier.supplier
    before = profile.name

    response = supplier.client.post(
        reverse("suppliers:profile_edit"), facts_form(profile, bags, description_en="x" * (10 * 1024 * 1024))
    )

    # The body cap (marketplace/request_checks.py) answers before any form: too large, 413.
    assert response.status_code == 413
    profile.refresh_from_db()
    assert profile.name == before
    assert profile.description_en == ""


def test_the_service_refuses_what_the_form_would_and_names_the_field(actors: dict[str, Actor], bags: Category) -> None:
    from marketplace.errors import InvalidInput
    from marketplace.models import Membership

    profile = actors["supplier"].supplier
    membership = Membership.objects.get(company=profile.company)
    common = {
        "membership": membership,
        "supplier_name": "X",
        "belt": None,
        "province": "hebei",
        "city": "Baigou",
        "main_categories": [bags],
        "business_type": "manufacturer",
    }
    for facts, field in (
        ({"year_founded": 1700}, "year_founded"),
        ({"staff_count": 0}, "staff_count"),
        ({"description_en": "x" * 5001}, "description_en"),
        ({"export_markets": ["ZZ"]}, "export_markets"),
        ({"languages_spoken": ["xx"]}, "languages_spoken"),
    ):
        with pytest.raises(InvalidInput) as refused:
            supplier_profile_update(**common, **facts)
        assert refused.value.field == field


def test_facts_not_given_to_the_service_are_kept(actors: dict[str, Actor], bags: Category) -> None:
    from marketplace.models import Membership

    profile = actors["supplier"].supplier
    SupplierProfile.objects.filter(pk=profile.pk).update(year_founded=1999, languages_spoken=["zh"])
    supplier_profile_update(
        membership=Membership.objects.get(company=profile.company),
        supplier_name="Renamed",
        belt=None,
        province="hebei",
        city="Baigou",
        main_categories=[bags],
        business_type="manufacturer",
    )
    profile.refresh_from_db()
    assert (profile.name, profile.year_founded, profile.languages_spoken) == ("Renamed", 1999, ["zh"])


def test_a_new_name_is_searchable_at_once(actors: dict[str, Actor], bags: Category) -> None:
    supplier = actors["supplier"]
    profile = supplier.supplier

    supplier.client.post(
        reverse("suppliers:profile_edit"),
        facts_form(profile, bags, supplier_name="Transparent Bag Works", name_zh="透明箱包厂"),
    )

    profile.refresh_from_db()
    assert "transparent bag works" in profile.search_text.lower()
    assert "透明" in profile.search_text


def test_moving_to_another_belt_moves_all_the_suppliers_products(
    actors: dict[str, Actor], bags: Category, baigou: IndustrialBelt
) -> None:
    supplier = actors["supplier"]
    profile = supplier.supplier
    published = ProductFactory(supplier=profile)
    draft = ProductFactory(supplier=profile, status=Product.Status.DRAFT)
    someone_elses = ProductFactory(supplier=actors["other_supplier"].supplier)
    others_before = (someone_elses.belt_id, someone_elses.province)

    response = supplier.client.post(
        reverse("suppliers:profile_edit"), facts_form(profile, bags, belt=baigou.pk, province="guangdong")
    )

    assert response.status_code == 302
    for product in (published, draft):
        product.refresh_from_db()
        assert (product.belt, product.province) == (baigou, "guangdong")
    someone_elses.refresh_from_db()
    assert (someone_elses.belt_id, someone_elses.province) == others_before


def test_a_supplier_signing_up_is_searchable_by_its_name(bags: Category) -> None:
    from suppliers.services.profiles import supplier_become

    profile = supplier_become(
        membership=MembershipFactory(),
        supplier_name="Gaomi Green Gloves",
        belt=None,
        province="shandong",
        city="Gaomi",
        main_categories=[bags],
        business_type="manufacturer",
    )
    assert "gaomi green gloves" in SupplierProfile.objects.get(pk=profile.pk).search_text.lower()
