"""`python manage.py seed_demo` fills a fresh installation with real belts, categories, rates and accounts."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.demo.belts import BELTS
from marketplace.models import Category, Company, Currency, ExchangeRate, IndustrialBelt, Membership, Notification, User
from marketplace.selectors.money import convert
from suppliers.models import SupplierProfile

pytestmark = pytest.mark.django_db

MODELS = [Category, IndustrialBelt, ExchangeRate, User, Company, Membership, SupplierProfile, Notification]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(demo: str) -> str:
    """What `seed_demo` printed; the demo data is seeded once for all the tests that use it."""
    return demo


def test_seeding_twice_leaves_the_same_rows(seeded: str) -> None:
    first = counts()
    seed()
    assert counts() == first
    assert IndustrialBelt.specialties.through.objects.count() > 0


def test_the_category_tree_has_at_least_80_bilingual_categories_over_three_levels(seeded: str) -> None:
    assert Category.objects.count() >= 80
    assert set(Category.objects.values_list("depth", flat=True)) == {0, 1, 2}
    assert not Category.objects.filter(name_zh="").exists()
    assert Category.objects.get(slug="transparent-backpacks").name_zh == "透明书包"
    assert Category.objects.get(slug="sorting-bins").name_zh == "垃圾分类垃圾桶"
    assert Category.objects.get(slug="transparent-backpacks").ancestors()[0].slug == "bags-luggage"


def test_the_real_belts_are_there_with_their_specialties(seeded: str) -> None:
    belts = {belt.slug: belt for belt in IndustrialBelt.objects.annotate(n=Count("specialties"))}
    expected = {
        "baigou-bags": ("白沟箱包", "hebei"),
        "taizhou-plastics": ("台州塑料", "zhejiang"),
        "zhili-childrens-clothing": ("织里童装", "zhejiang"),
        "chenghai-toys": ("澄海玩具", "guangdong"),
        "yiwu-small-commodities": ("义乌小商品", "zhejiang"),
        "jimo-apparel": ("即墨服装", "shandong"),
        # The plush belts of story 3, with Chenghai and Yiwu.
        "yangzhou-plush-toys": ("扬州毛绒玩具", "jiangsu"),
        "dongguan-toys": ("东莞玩具", "guangdong"),
        "hengkou-plush-toys": ("恒口毛绒玩具", "shaanxi"),
    }
    for slug, (name_zh, province) in expected.items():
        assert belts[slug].name_zh == name_zh
        assert belts[slug].province == province
        assert belts[slug].n > 0
        assert belts[slug].description_zh
    assert "Qingdao" in belts["jimo-apparel"].city
    assert len(belts) >= 10
    real = [belt.status for slug, belt in belts.items() if slug in {spec.slug for spec in BELTS}]
    assert real.count("onboarding") == 1
    assert real.count("draft") == 1
    # The belt the onboarding demo runs (its factories invited, some claimed) is mid-onboarding too.
    assert belts["pinghu-luggage"].status == "onboarding"


def logs_in(email: str, password: str) -> bool:
    """Whether the log-in page lets this e-mail address and password in, as it would a person."""
    return Client().post(reverse("login"), {"username": email, "password": password}).status_code == 302


def test_the_demo_accounts_log_in_with_the_printed_password(seeded: str) -> None:
    password = "sourcebelt-demo-2025"
    for email in ("buyer@demo.sourcebelt.local", "supplier@demo.sourcebelt.local", "staff@demo.sourcebelt.local"):
        assert email in seeded
        assert logs_in(email, password)
    assert password in seeded


def test_a_second_seed_with_another_password_makes_that_one_work(seeded: str) -> None:
    call_command("seed_demo", password="another-demo-password", stdout=StringIO())
    assert logs_in("buyer@demo.sourcebelt.local", "another-demo-password")


def test_the_buyer_is_a_sri_lankan_distributor_in_english_paying_in_rupees(seeded: str) -> None:
    buyer = User.objects.get(email="buyer@demo.sourcebelt.local")
    assert buyer.preferred_language == "en"
    assert buyer.preferred_currency_id == "LKR"
    company = buyer.memberships.get().company
    assert company.country.code == "LK"
    assert not hasattr(company, "supplier_profile")


def test_the_supplier_is_a_verified_baigou_bag_factory_speaking_chinese(seeded: str) -> None:
    supplier = User.objects.get(email="supplier@demo.sourcebelt.local")
    assert supplier.preferred_language == "zh-hans"
    profile = supplier.memberships.get().company.supplier_profile
    assert profile.belt.slug == "baigou-bags"
    assert profile.is_verified
    assert profile.main_categories.filter(slug="transparent-backpacks").exists()


def test_the_staff_member_can_open_the_admin(seeded: str) -> None:
    staff = User.objects.get(email="staff@demo.sourcebelt.local")
    assert staff.is_staff
    assert staff.is_superuser
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_belt_pages_list_suppliers_some_of_them_verified(seeded: str) -> None:
    assert SupplierProfile.objects.count() >= 20
    assert SupplierProfile.objects.filter(verification_status="verified").count() >= 5
    html = Client().get(reverse("belt_detail", args=["chenghai-toys"])).content.decode()
    assert "Shantou Chenghai Leyuan Toys Co., Ltd." in html


def test_a_month_of_rates_lets_the_buyer_see_a_yuan_price_in_rupees(seeded: str) -> None:
    assert ExchangeRate.objects.filter(base="USD", quote="CNY").count() == 30
    assert ExchangeRate.objects.filter(base="USD", quote="LKR").count() == 30
    latest = ExchangeRate.objects.filter(base="USD", quote="CNY").latest("valid_on")
    conversion = convert(amount=latest.rate, source="CNY", target="LKR", on=latest.valid_on)
    assert 250 < conversion.amount < 350


def test_cross_border_every_offered_currency_converts_in_the_demo(seeded: str) -> None:
    today = timezone.localdate()
    for code in Currency.objects.filter(is_active=True).values_list("code", flat=True):
        conversion = convert(amount=Decimal("100"), source=code, target="CNY", on=today)
        assert conversion.amount > 0, code
        assert conversion.rate_date == today, code
    assert ExchangeRate.objects.filter(base="EUR", quote="TRY", valid_on=today, source="ECB (recorded file)").exists()


def test_each_demo_account_is_welcomed_once(seeded: str) -> None:
    seed()
    for email in ("buyer@demo.sourcebelt.local", "supplier@demo.sourcebelt.local", "staff@demo.sourcebelt.local"):
        assert Notification.objects.filter(recipient__email=email, kind="welcome").count() == 1
