"""The demo belt mid-onboarding: Pinghu luggage (平湖箱包), its factory list and eight invited factories.

`seed_demo_onboarding()` runs after `marketplace.demo.seed_demo` (it needs the demo categories and
the staff account). It goes through the same services as the pages: the factories are invited by
importing a factory list (`factory_import_create` + `factory_import_run`, one row rejected to show
the error report) and four of them claim their accounts from their signed links
(`factory_invitation_claim`); one of those publishes a catalog, and one more is also verified, so
the belt's funnel (invited → claimed → catalog published → verified) shows every step. Two
unclaimed factories have been reminded; one link has expired.

Safe to run again: the belt, its event, the import and the invitations are found by their slug,
file name and e-mail addresses, and nothing is created twice.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from marketplace.demo.accounts import DEFAULT_PASSWORD, STAFF
from marketplace.models import BeltEvent, Category, Currency, IndustrialBelt, User
from suppliers.catalog_rules import product_data_from
from suppliers.demo.catalog import demo_products_for, product_picture
from suppliers.factory_files import COLUMNS
from suppliers.models import FactoryImport, FactoryInvitation, Product, SupplierProfile
from suppliers.services.catalog import product_create
from suppliers.services.onboarding import factory_import_run, factory_invitation_claim, factory_invitation_token
from suppliers.services.onboarding_queue import factory_import_create
from suppliers.tasks.onboarding import factory_invitation_enqueue_email

BELT_SLUG = "pinghu-luggage"
IMPORT_NAME = "pinghu-factories.csv"
EMAIL_DOMAIN = "pinghu.demo.sourcebelt.local"
SPECIALTIES = ["luggage", "trolley-cases", "duffel-bags", "cosmetic-cases", "backpacks"]
PRODUCTS_PER_CATALOG = 5

# (company, contact, e-mail name, phone, categories, monthly capacity, what happened since)
FACTORIES: list[tuple[str, str, str, str, str, int, str]] = [
    ("平湖恒达箱包有限公司", "李伟", "hengda", "0573-85120001", "拉杆箱、旅行袋", 60_000, "verified"),
    ("Pinghu Meida Luggage Co., Ltd.", "Wang Fang", "meida", "+86 573 8512 0002", "trolley-cases", 45_000, "published"),
    ("平湖新航旅行用品厂", "张敏", "xinhang", "0573-85120003", "旅行箱包", 30_000, "claimed"),
    (
        "Pinghu Jiaxin Bags Factory",
        "Chen Jie",
        "jiaxin",
        "+86 573 8512 0004",
        "duffel-bags; backpacks",
        20_000,
        "claimed",
    ),
    ("平湖佳美化妆包厂", "刘洋", "jiamei", "0573-85120005", "化妆包", 80_000, "reminded"),
    ("Pinghu Yongsheng Luggage Co., Ltd.", "Zhao Lei", "yongsheng", "", "luggage", 25_000, "expired"),
    ("平湖顺达箱包厂", "孙丽", "shunda", "0573-85120007", "拉杆箱", 15_000, "invited"),
    ("Pinghu Huaxing Travel Goods Co., Ltd.", "Zhou Qiang", "huaxing", "", "trolley-cases", 35_000, "invited"),
]
# A row the import rejects, so the demo import has an error report to download.
REJECTED_ROW = ("平湖雨伞厂", "吴刚", "yusan", "0573-85120009", "雨伞", 10_000, "")


def _email(name: str) -> str:
    return f"{name}@{EMAIL_DOMAIN}"


def _belt() -> IndustrialBelt:
    belt, created = IndustrialBelt.objects.get_or_create(
        slug=BELT_SLUG,
        defaults={
            "name_en": "Pinghu luggage",
            "name_zh": "平湖箱包",
            "province": "zhejiang",
            "city": "Pinghu, Jiaxing",
            "status": IndustrialBelt.Status.ONBOARDING,
            "number_of_firms": 1200,
            "annual_output_cny": Decimal(20_000_000_000),
            "employees": 60_000,
            "export_share_percent": 45,
            "description_en": (
                "Pinghu near Jiaxing makes about a third of the world's trolley cases: shells, wheels, "
                "handles and fabric all come from the town's own suppliers. Its factories are being "
                "brought onto SourceBelt now."
            ),
            "description_zh": (
                "嘉兴平湖是全球重要的拉杆箱生产基地，箱壳、轮子、拉杆和面料均可在本地配套。"
                "平湖的工厂正在陆续入驻SourceBelt。"
            ),
        },
    )
    if created or not belt.specialties.exists():
        belt.specialties.set(Category.objects.filter(slug__in=SPECIALTIES))
    staff = User.objects.filter(email=STAFF.email).first()
    if not BeltEvent.objects.filter(belt=belt, to_status=IndustrialBelt.Status.ONBOARDING).exists():
        BeltEvent.objects.create(
            belt=belt,
            actor=staff,
            from_status=IndustrialBelt.Status.DRAFT,
            to_status=IndustrialBelt.Status.ONBOARDING,
            reason="Specialties and figures checked; the factory list from the Pinghu luggage association is ready.",
            created_at=timezone.now() - timedelta(days=21),
        )
    return belt


def _factory_list() -> bytes:
    lines = [",".join(COLUMNS)]
    for company, contact, name, phone, categories, capacity, _state in [*FACTORIES, REJECTED_ROW]:
        cells = [company, contact, _email(name), phone, categories, str(capacity), ""]
        lines.append(",".join(f'"{cell}"' for cell in cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import(belt: IndustrialBelt) -> None:
    """Import the factory list once; the invitation e-mails go to the demo domain (the console in the demo)."""
    if FactoryImport.objects.filter(belt=belt, original_name=IMPORT_NAME).exists():
        return
    staff = User.objects.filter(email=STAFF.email).first()
    upload = SimpleUploadedFile(IMPORT_NAME, _factory_list(), content_type="text/csv")
    with transaction.atomic():
        factory_import = factory_import_create(belt=belt, user=staff, upload=upload)
    # With tasks in-process the import has already run after commit; with a worker, run it here.
    factory_import_run(import_id=factory_import.pk, queue_email=factory_invitation_enqueue_email)


def _age(invitation: FactoryInvitation, state: str, index: int) -> None:
    """Move the invitation's dates back so the list shows a belt three weeks into onboarding."""
    now = timezone.now()
    sent = now - timedelta(days=20 - index)
    fields: dict[str, object] = {"sent_at": sent, "created_at": sent, "expires_at": sent + timedelta(days=30)}
    if state == "reminded":
        fields.update(reminder_count=1, last_reminded_at=now - timedelta(days=3))
    if state == "expired":
        sent = now - timedelta(days=45)
        fields.update(
            sent_at=sent, created_at=sent, expires_at=now - timedelta(days=15), reminder_count=2,
            last_reminded_at=now - timedelta(days=20),
        )  # fmt: skip
    FactoryInvitation.objects.filter(pk=invitation.pk).update(**fields)


def _claim(invitation: FactoryInvitation, *, company: str, contact: str) -> SupplierProfile:
    categories = list(invitation.categories.all())
    return factory_invitation_claim(
        token=factory_invitation_token(invitation),
        name=contact,
        password=DEFAULT_PASSWORD,
        preferred_language="zh-hans",
        company_name=company,
        phone=invitation.phone,
        city="Pinghu",
        main_categories=categories,
        business_type=SupplierProfile.BusinessType.MANUFACTURER,
        monthly_capacity=invitation.monthly_capacity,
    )


def _publish_catalog(supplier: SupplierProfile, position: int) -> None:
    if Product.objects.filter(supplier=supplier).exists():
        return
    categories = list(Category.objects.all())
    by_slug = {category.slug: category for category in categories}
    currencies = set(Currency.objects.filter(is_active=True).values_list("code", flat=True))
    for number, raw in enumerate(demo_products_for(supplier, categories=categories, position=position)):
        if number >= PRODUCTS_PER_CATALOG:
            break
        data = product_data_from(raw, category_lookup=by_slug.get, currency_codes=currencies)
        picture = product_picture(initials="PH", seed=supplier.pk + number)
        product_create(supplier=supplier, data=data, images=[picture])


def seed_demo_onboarding() -> int:
    """Create (or leave as it is) the Pinghu luggage belt mid-onboarding; returns how many factories it invited."""
    with transaction.atomic():
        belt = _belt()
    _import(belt)
    by_email = {invitation.email: invitation for invitation in FactoryInvitation.objects.filter(belt=belt)}
    for index, (company, contact, name, _phone, _categories, _capacity, state) in enumerate(FACTORIES):
        invitation = by_email.get(_email(name))
        if invitation is None or invitation.revoked_at is not None:
            continue
        with transaction.atomic():
            if invitation.claimed_at is None and state in {"claimed", "published", "verified"}:
                _claim(invitation, company=company, contact=contact)
                invitation.refresh_from_db()
            elif invitation.claimed_at is None and invitation.reminder_count == 0:
                _age(invitation, state, index)
            if invitation.supplier is not None and state in {"published", "verified"}:
                _publish_catalog(invitation.supplier, index)
            if invitation.supplier is not None and state == "verified":
                SupplierProfile.objects.filter(pk=invitation.supplier.pk).update(
                    verification_status=SupplierProfile.Verification.VERIFIED
                )
    return FactoryInvitation.objects.filter(belt=belt).count()
