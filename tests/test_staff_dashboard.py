"""The staff dashboard (/staff/): RFQs nobody quoted, suppliers answering less, open disputes, the
verification queue and the belts' onboarding funnels, each a bounded list with its count."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from buyers.models import SourcingRequest
from marketplace.models import IndustrialBelt
from orders.models import Order
from sourcebelt.staff.selectors import SECTION_ROWS
from suppliers.models import Certification
from tests.buyers.factories import SourcingRequestFactory
from tests.factories import (
    CompanyFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    StaffFactory,
    SupplierProfileFactory,
)
from tests.orders.builders_orders import order_at
from tests.querycount import count_queries
from tests.suppliers.factories_profile import CertificationFactory
from tests.suppliers.factories_staff import FactoryInvitationFactory, SupplierMetricSnapshotFactory

pytestmark = pytest.mark.django_db

URL = "/staff/"


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


def section(html: str, name: str) -> str:
    match = re.search(rf'<section[^>]*data-section="{name}".*?</section>', html, re.S)
    assert match, f"no section {name} on the page"
    return match.group(0)


def count_of(html: str, name: str) -> int:
    match = re.search(r"data-count>(\d+)<", section(html, name))
    assert match
    return int(match.group(1))


def review_url(pk: int) -> str:
    """The document's review page (being built beside this one), else its admin page."""
    try:
        return reverse("verification:review", args=[pk])
    except NoReverseMatch:
        return reverse("admin:suppliers_certification_change", args=[pk])


def published(hours_ago: float, **fields: object) -> SourcingRequest:
    return SourcingRequestFactory(published_at=timezone.now() - timedelta(hours=hours_ago), **fields)


def test_the_url_is_staff_dashboard() -> None:
    assert reverse("staff:dashboard") == URL


def test_only_staff_see_the_dashboard(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]

    member = MembershipFactory()
    client.force_login(member.user)
    assert client.get(URL).status_code == 404

    seller = SupplierProfileFactory()
    client.force_login(MembershipFactory(company=seller.company).user)
    assert client.get(URL).status_code == 404


def test_open_rfqs_with_no_quote_a_day_after_publishing_are_listed_oldest_first(staff_client: Client) -> None:
    day_old = published(30, title="Sorting bins, 30 hours without a quote")
    two_days_old = published(50, title="Nitrile latex, 50 hours without a quote")
    published(2, title="Fresh request")
    published(40, title="Quoted request", quote_count=1, first_quote_at=timezone.now())
    published(60, title="Cancelled request", status=SourcingRequest.Status.CANCELLED)

    html = staff_client.get(URL).content.decode()

    listed = section(html, "unquoted-rfqs")
    assert count_of(html, "unquoted-rfqs") == 2
    assert listed.index("Nitrile latex, 50 hours") < listed.index("Sorting bins, 30 hours")
    for absent in ("Fresh request", "Quoted request", "Cancelled request"):
        assert absent not in listed
    assert reverse("admin:buyers_sourcingrequest_change", args=[two_days_old.pk]) in listed
    assert reverse("admin:buyers_sourcingrequest_change", args=[day_old.pk]) in listed


def test_suppliers_whose_response_rate_fell_15_points_in_four_weeks_show_before_and_after(
    staff_client: Client,
) -> None:
    today = timezone.localdate()
    falling = SupplierProfileFactory(name="Falling Bins Co.", response_rate=60)
    SupplierMetricSnapshotFactory(supplier=falling, taken_on=today - timedelta(days=28), response_rate=92)
    SupplierMetricSnapshotFactory(supplier=falling, taken_on=today, response_rate=60)
    # No snapshot lately: the profile's own figure is "now".
    no_recent_history = SupplierProfileFactory(name="Quiet Latex Co.", response_rate=50)
    SupplierMetricSnapshotFactory(supplier=no_recent_history, taken_on=today - timedelta(days=26), response_rate=80)
    slipping = SupplierProfileFactory(name="Slipping Gloves Co.", response_rate=80)
    SupplierMetricSnapshotFactory(supplier=slipping, taken_on=today - timedelta(days=28), response_rate=90)
    SupplierMetricSnapshotFactory(supplier=slipping, taken_on=today, response_rate=80)
    improving = SupplierProfileFactory(name="Improving Toys Co.", response_rate=95)
    SupplierMetricSnapshotFactory(supplier=improving, taken_on=today - timedelta(days=28), response_rate=40)
    long_ago = SupplierProfileFactory(name="Long Ago Co.", response_rate=10)
    SupplierMetricSnapshotFactory(supplier=long_ago, taken_on=today - timedelta(days=90), response_rate=99)

    html = staff_client.get(URL).content.decode()

    listed = section(html, "falling-suppliers")
    assert count_of(html, "falling-suppliers") == 2
    assert listed.index("Falling Bins Co.") < listed.index("Quiet Latex Co.")  # the steepest fall first
    row = re.search(rf'data-supplier="{falling.pk}".*?</tr>', listed, re.S).group(0)
    assert "92%" in row
    assert "60%" in row
    assert "−32" in row
    row = re.search(rf'data-supplier="{no_recent_history.pk}".*?</tr>', listed, re.S).group(0)
    assert "80%" in row
    assert "50%" in row
    for absent in ("Slipping Gloves Co.", "Improving Toys Co.", "Long Ago Co."):
        assert absent not in listed


def test_open_disputes_are_counted_and_link_to_the_disputes_page(staff_client: Client) -> None:
    supplier = SupplierProfileFactory()
    order = order_at(Order.Status.DISPUTED, buyer=CompanyFactory(name="Lanka Supplies"), supplier=supplier)
    order_at(Order.Status.COMPLETED, buyer=CompanyFactory(), supplier=supplier)

    html = staff_client.get(URL).content.decode()

    listed = section(html, "disputes")
    assert count_of(html, "disputes") == 1
    assert order.number in listed
    assert "Lanka Supplies" in listed
    assert reverse("orders:dispute_list") in listed


def test_the_verification_queue_counts_documents_awaiting_review_oldest_first(staff_client: Client) -> None:
    newer = CertificationFactory(name="Business licence of Lüse")
    older = CertificationFactory(name="ISO 14001 of Anbao")
    Certification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    CertificationFactory(name="Approved already", review_status=Certification.Review.APPROVED)
    CertificationFactory(name="Rejected already", review_status=Certification.Review.REJECTED)

    html = staff_client.get(URL).content.decode()

    listed = section(html, "verification")
    assert count_of(html, "verification") == 2
    assert listed.index("ISO 14001 of Anbao") < listed.index("Business licence of Lüse")
    assert "Approved already" not in listed
    assert "Rejected already" not in listed
    assert review_url(newer.pk) in listed
    assert "data-queue-link" in listed


def test_each_belt_in_onboarding_shows_its_funnel(staff_client: Client) -> None:
    onboarding = IndustrialBeltFactory(name_en="Caoxian wood", status=IndustrialBelt.Status.ONBOARDING)
    claimed_supplier = SupplierProfileFactory(belt=onboarding)
    FactoryInvitationFactory(belt=onboarding)
    FactoryInvitationFactory(belt=onboarding)
    FactoryInvitationFactory(belt=onboarding, claimed_at=timezone.now(), supplier=claimed_supplier)
    draft = IndustrialBeltFactory(name_en="Datang socks", status=IndustrialBelt.Status.DRAFT)
    IndustrialBeltFactory(name_en="Quiet live belt", status=IndustrialBelt.Status.LIVE)

    html = staff_client.get(URL).content.decode()

    listed = section(html, "funnels")
    assert count_of(html, "funnels") == 2
    assert "Quiet live belt" not in listed
    assert listed.index("Caoxian wood") < listed.index("Datang socks")  # onboarding first
    row = re.search(rf'data-belt="{onboarding.slug}".*?</tr>', listed, re.S).group(0)
    assert re.search(r'data-step="invited">3<', row)
    assert re.search(r'data-step="claimed">1<', row)
    assert re.search(r'data-step="published">0<', row)
    assert f'data-belt="{draft.slug}"' in listed


def test_an_empty_platform_says_there_is_nothing_to_do(staff_client: Client) -> None:
    response = staff_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No dispute is open." in html
    assert "No document is waiting for review." in html
    for name in ("unquoted-rfqs", "falling-suppliers", "disputes", "verification"):
        assert count_of(html, name) == 0


def _fill(rows: int) -> None:
    """`rows` entries in every section of the dashboard."""
    today = timezone.localdate()
    belt = IndustrialBeltFactory(status=IndustrialBelt.Status.ONBOARDING)
    for _ in range(rows):
        published(30)
        supplier = SupplierProfileFactory(response_rate=40)
        SupplierMetricSnapshotFactory(supplier=supplier, taken_on=today - timedelta(days=28), response_rate=90)
        SupplierMetricSnapshotFactory(supplier=supplier, taken_on=today, response_rate=40)
        order_at(Order.Status.DISPUTED, buyer=CompanyFactory(), supplier=supplier)
        CertificationFactory(supplier=supplier)
        IndustrialBeltFactory(status=IndustrialBelt.Status.DRAFT)
        FactoryInvitationFactory(belt=belt)


def test_the_dashboard_makes_the_same_number_of_queries_whatever_it_shows(staff_client: Client) -> None:
    _fill(2)
    small = count_queries(lambda: staff_client.get(URL))
    _fill(SECTION_ROWS + 3)
    response = staff_client.get(URL)
    assert count_of(response.content.decode(), "unquoted-rfqs") == SECTION_ROWS + 5
    assert response.content.decode().count("data-rfq=") == SECTION_ROWS
    assert "and 5 more" in section(response.content.decode(), "unquoted-rfqs")
    large = count_queries(lambda: staff_client.get(URL))
    assert small == large
    # Session and user, two per section (rows, count), the funnels' belts and counts, and the
    # base layout's memberships.
    assert large == 15


def test_the_demo_history_shows_two_suppliers_answering_less(staff_client: Client) -> None:
    from marketplace.demo import seed_demo
    from suppliers.demo.factories import seed_demo_suppliers
    from suppliers.demo.metric_history import FALLING, seed_demo_metric_history
    from suppliers.models import SupplierMetricSnapshot

    seed_demo(password="demo-password-1")
    seed_demo_suppliers(password="demo-password-1")
    written = seed_demo_metric_history()
    assert seed_demo_metric_history() == written == SupplierMetricSnapshot.objects.count()

    listed = section(staff_client.get(URL).content.decode(), "falling-suppliers")
    for name, (before, now) in FALLING.items():
        assert name in listed
        assert f"{before}%" in listed
        assert f"{now}%" in listed
