"""Staff run the platform from the Django admin: every model is there, searchable and editable."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import reverse

from marketplace.models import ApiToken, Category, IndustrialBelt, User
from suppliers.models import SupplierProfile
from tests.factories import (
    ApiTokenFactory,
    CategoryFactory,
    CompanyFactory,
    ExchangeRateFactory,
    IndustrialBeltFactory,
    InvitationFactory,
    MembershipFactory,
    NotificationFactory,
    StaffFactory,
    SupplierProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "marketplace.user",
    "marketplace.company",
    "marketplace.membership",
    "marketplace.invitation",
    "marketplace.apitoken",
    "marketplace.category",
    "marketplace.industrialbelt",
    "marketplace.currency",
    "marketplace.exchangerate",
    "marketplace.notification",
    "suppliers.supplierprofile",
]
# Made by their owners, never by staff: an invitation's and a token's secret travel only to the owner.
NOT_ADDED_BY_STAFF = {"marketplace.invitation", "marketplace.apitoken"}


def admin_url(model: str, view: str, *args: object) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def some_of_everything() -> None:
    category = CategoryFactory(name_en="School bags", name_zh="书包")
    belt = IndustrialBeltFactory(name_en="Baigou bags", specialties=[category])
    SupplierProfileFactory(name="Hengtai Luggage", belt=belt, main_categories=[category])
    MembershipFactory()
    InvitationFactory()
    ApiTokenFactory()
    ExchangeRateFactory()
    NotificationFactory()


def test_every_model_of_the_kernel_and_the_suppliers_is_in_the_admin() -> None:
    registered = {f"{model._meta.app_label}.{model._meta.model_name}" for model in site._registry}
    assert set(MODELS) <= registered


@pytest.mark.parametrize("model", MODELS)
def test_staff_open_every_changelist_and_search_it(staff_client: Client, some_of_everything: None, model: str) -> None:
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model, "changelist"), {"q": "bag"}).status_code == 200


@pytest.mark.parametrize("model", [m for m in MODELS if m not in NOT_ADDED_BY_STAFF])
def test_staff_open_every_add_page(staff_client: Client, model: str) -> None:
    assert staff_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", sorted(NOT_ADDED_BY_STAFF))
def test_invitations_and_tokens_cannot_be_made_in_the_admin(staff_client: Client, model: str) -> None:
    assert staff_client.get(admin_url(model, "add")).status_code == 403


def test_a_non_staff_user_is_sent_to_the_admin_login(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get(admin_url("marketplace.industrialbelt", "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_searching_belts_finds_them_by_chinese_name(staff_client: Client) -> None:
    IndustrialBeltFactory(name_en="Baigou bags", name_zh="白沟箱包")
    IndustrialBeltFactory(name_en="Chenghai toys", name_zh="澄海玩具")
    html = staff_client.get(admin_url("marketplace.industrialbelt", "changelist"), {"q": "白沟"}).content.decode()
    assert "Baigou bags" in html
    assert "Chenghai toys" not in html


def test_belts_filter_by_status_and_province(staff_client: Client) -> None:
    IndustrialBeltFactory(name_en="Live Zhejiang belt", province="zhejiang", status="live")
    IndustrialBeltFactory(name_en="Draft Hebei belt", province="hebei", status="draft")
    html = staff_client.get(
        admin_url("marketplace.industrialbelt", "changelist"), {"status__exact": "draft", "province__exact": "hebei"}
    ).content.decode()
    assert "Draft Hebei belt" in html
    assert "Live Zhejiang belt" not in html


def test_staff_add_a_user_who_logs_in_with_an_e_mail_address(staff_client: Client) -> None:
    response = staff_client.post(
        admin_url("marketplace.user", "add"),
        {
            "email": "New.Person@Example.com",
            "name": "New Person",
            "preferred_language": "zh-hans",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase-7",
            "password2": "a-long-enough-passphrase-7",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.person@example.com")
    assert user.check_password("a-long-enough-passphrase-7")
    assert user.preferred_language == "zh-hans"


def test_adding_a_user_with_an_e_mail_already_taken_is_refused_on_the_form(staff_client: Client) -> None:
    UserFactory(email="taken@example.com")
    response = staff_client.post(
        admin_url("marketplace.user", "add"),
        {
            "email": "TAKEN@example.com",
            "name": "Someone",
            "preferred_language": "en",
            "usable_password": "true",
            "password1": "a-long-enough-passphrase-7",
            "password2": "a-long-enough-passphrase-7",
        },
    )
    assert response.status_code == 200
    assert "A user with this e-mail address already exists." in response.content.decode()


def test_staff_open_a_users_page_and_change_its_password(staff_client: Client) -> None:
    user = UserFactory()
    MembershipFactory(user=user, company=CompanyFactory(name="Lanka Supplies"))
    change = staff_client.get(admin_url("marketplace.user", "change", user.pk))
    assert change.status_code == 200
    assert "Lanka Supplies" in change.content.decode()
    response = staff_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),  # Django names it so for any user model
        {"password1": "another-long-passphrase-8", "password2": "another-long-passphrase-8", "usable_password": "true"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase-8")


def test_a_company_page_shows_its_members(staff_client: Client) -> None:
    membership = MembershipFactory(user=UserFactory(email="owner@lanka.example"))
    html = staff_client.get(admin_url("marketplace.company", "change", membership.company.pk)).content.decode()
    assert "owner@lanka.example" in html


def test_staff_revoke_api_tokens_with_an_action(staff_client: Client) -> None:
    token = ApiTokenFactory()
    response = staff_client.post(
        admin_url("marketplace.apitoken", "changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0


def test_a_category_added_in_the_admin_takes_its_place_in_the_tree(staff_client: Client) -> None:
    parent = CategoryFactory(slug="bags")
    response = staff_client.post(
        admin_url("marketplace.category", "add"),
        {"parent": parent.pk, "name_en": "Backpacks", "name_zh": "双肩包", "slug": "backpacks", "position": 0},
    )
    assert response.status_code == 302
    child = Category.objects.get(slug="backpacks")
    assert child.depth == 1
    assert child.path.startswith(parent.path)


def test_a_belt_edited_in_the_admin_keeps_its_specialties(staff_client: Client) -> None:
    category = CategoryFactory()
    belt = IndustrialBeltFactory()
    response = staff_client.post(
        admin_url("marketplace.industrialbelt", "change", belt.pk),
        {
            "name_en": "Baigou bags",
            "name_zh": "白沟箱包",
            "slug": belt.slug,
            "status": "onboarding",
            "province": "hebei",
            "city": "Baigou",
            "description_en": "",
            "description_zh": "",
            "specialties": [category.pk],
            "number_of_firms": "4500",
            "annual_output_cny": "30000000000",
            "employees": "",
            "export_share_percent": "20",
            "events-TOTAL_FORMS": "0",  # the belt's recorded steps, shown read-only inline
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    belt = IndustrialBelt.objects.get(pk=belt.pk)
    # The status is read-only here: it moves through the recorded transitions (admin actions).
    assert belt.status == "live"
    assert list(belt.specialties.all()) == [category]


def test_supplier_profiles_filter_by_verification(staff_client: Client) -> None:
    SupplierProfileFactory(name="Verified Bags", verification_status=SupplierProfile.Verification.VERIFIED)
    SupplierProfileFactory(name="Pending Bags")
    html = staff_client.get(
        admin_url("suppliers.supplierprofile", "changelist"), {"verification_status__exact": "verified"}
    ).content.decode()
    assert "Verified Bags" in html
    assert "Pending Bags" not in html
