"""The trending page, a belt's demand dashboard and their API: what each audience sees, what
nobody else sees, and the pages' query counts (the same whatever the data behind them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from buyers.insights.aggregation import demand_aggregate
from buyers.models import SourcingRequest
from marketplace.models import User
from tests.buyers.builders_insights import PlasticsWorld, plastics_world, quote_on, rfq_weeks_ago
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory, UserFactory
from tests.querycount import assert_same_queries_for_page_sizes

pytestmark = pytest.mark.django_db

BUYER_NAME = "Weber Haushaltswaren GmbH"


@pytest.fixture(autouse=True)
def _surge_rule(settings: object) -> None:
    settings.DEMAND_SURGE_MIN_RFQS = 5
    settings.DEMAND_SURGE_RATIO = 2.0
    settings.DEMAND_SURGE_BASELINE_WEEKS = 8


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A page read in Chinese leaves Chinese active in this thread: later tests expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def world() -> PlasticsWorld:
    """Half a year of demand, a sorting-bin surge this week, quotes from the belt's bin maker."""
    world = plastics_world()
    weber = CompanyFactory(name=BUYER_NAME, country="DE")
    for weeks in range(1, 27):
        rfq_weeks_ago(world.sorting_bins, weeks, buyer=weber, status=SourcingRequest.Status.CLOSED)
        rfq_weeks_ago(world.toys, weeks, country="US", status=SourcingRequest.Status.EXPIRED)
    surge = [rfq_weeks_ago(world.sorting_bins, 0, country="CN") for _ in range(6)]
    quote_on(surge[0], world.bin_maker, minutes_after=150)
    demand_aggregate()
    return world


def client_for(user: User) -> Client:
    """Logged in, reading in the user's language (as the login page sets it)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = user.preferred_language
    return client


def dashboard_url(world: PlasticsWorld) -> str:
    return reverse("insights:belt_dashboard", kwargs={"slug": world.taizhou.slug})


# --- The belt dashboard ----------------------------------------------------------------------------


def test_a_belt_supplier_sees_the_surge_on_its_belts_dashboard_in_its_language(world: PlasticsWorld) -> None:
    response = client_for(world.bin_maker_owner).get(dashboard_url(world))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-surge="sorting-bins"' in html
    assert "垃圾分类垃圾桶" in html
    assert "500%" in html
    assert '<svg class="chart"' in html
    assert "<title>" in html
    assert 'data-specialty="plastics-household"' in html
    demand = response.context["demand"]
    assert demand.current.rfqs == 6
    assert demand.current.quotes == 1
    assert demand.current.first_quote_wait  # "3 hours", in the reader's language
    assert [country.code for country in demand.countries] == ["DE", "CN"]
    assert BUYER_NAME not in html


def test_staff_and_the_belts_managers_see_the_dashboard(world: PlasticsWorld) -> None:
    manager = UserFactory()
    world.taizhou.managers.add(manager)

    assert client_for(StaffFactory()).get(dashboard_url(world)).status_code == 200
    assert client_for(manager).get(dashboard_url(world)).status_code == 200


@pytest.mark.parametrize("who", ["other_belts_supplier", "buyer", "other_belts_manager", "user_without_company"])
def test_nobody_else_learns_that_the_belts_figures_exist(world: PlasticsWorld, who: str) -> None:
    if who == "other_belts_supplier":
        user = world.toy_maker_owner
    elif who == "buyer":
        user = MembershipFactory(company=CompanyFactory(name=BUYER_NAME + " 2")).user
    elif who == "other_belts_manager":
        user = UserFactory()
        world.toy_belt.managers.add(user)
    else:
        user = UserFactory()

    page = client_for(user).get(dashboard_url(world))
    api = client_for(user).get(reverse("api-insights-belt-demand", kwargs={"slug": world.taizhou.slug}))

    assert page.status_code == 404
    assert api.status_code == 404
    assert client_for(user).get(reverse("insights:belt_dashboard", kwargs={"slug": "no-such-belt"})).status_code == 404


def test_anonymous_visitors_are_asked_to_log_in(world: PlasticsWorld) -> None:
    response = Client().get(dashboard_url(world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_bad_weeks_value_shows_the_default_period(world: PlasticsWorld) -> None:
    client = client_for(world.bin_maker_owner)
    for value in ["abc", "-3", "100000", ""]:
        response = client.get(dashboard_url(world), {"weeks": value})
        assert response.status_code == 200
    assert len(client.get(dashboard_url(world), {"weeks": "12"}).context["demand"].weeks) == 12
    assert len(client.get(dashboard_url(world), {"weeks": "999"}).context["demand"].weeks) == 52


# --- The public trending page ----------------------------------------------------------------------


def test_the_trending_page_shows_rising_categories_and_surges_but_no_buyer(world: PlasticsWorld) -> None:
    response = Client().get(reverse("insights:trending"), headers={"accept-language": "en"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-surge="sorting-bins"' in html
    assert "Surge: Sorting bins +500% vs 8-week average" in html
    assert 'data-rising="sorting-bins"' in html
    assert 'data-country="DE"' in html
    assert "Germany" in html
    assert BUYER_NAME not in html
    assert "Weber" not in html
    # The belt's private figures are not on the public page.
    assert "How the belt" not in html
    assert "Response rate" not in html


def test_the_trending_api_answers_anybody_without_buyer_identities(world: PlasticsWorld) -> None:
    response = Client().get(reverse("api-insights-trending"), {"weeks": 8})

    assert response.status_code == 200
    data = response.json()
    assert len(data["weeks"]) == 8
    assert data["surges"][0]["category"]["slug"] == "sorting-bins"
    assert data["surges"][0]["percent"] == 500
    assert {row["country"] for row in data["countries"]} == {"DE", "US", "CN"}
    assert BUYER_NAME not in response.content.decode()
    assert Client().get(reverse("api-insights-trending"), {"weeks": "many"}).status_code == 400


def test_the_belt_api_gives_its_audience_the_suppliers_response(world: PlasticsWorld) -> None:
    url = reverse("api-insights-belt-demand", kwargs={"slug": world.taizhou.slug})
    data = client_for(world.bin_maker_owner).get(url).json()

    assert data["belt"]["slug"] == "taizhou-plastics"
    assert data["weeks"][-1]["rfqs"] == 6
    assert data["weeks"][-1]["quotes"] == 1
    assert data["weeks"][-1]["first_quote_median_minutes"] == 150
    assert data["specialties"][0]["this_week"] == 6
    assert Client().get(url).status_code == 401


# --- Query counts ----------------------------------------------------------------------------------


def test_the_dashboard_makes_the_same_queries_whatever_the_period(world: PlasticsWorld) -> None:
    client = client_for(world.bin_maker_owner)
    # 14 with the header's menu of the belts this manager runs
    assert_same_queries_for_page_sizes(
        lambda weeks: client.get(dashboard_url(world), {"weeks": weeks}), small=4, large=26, expected=14
    )


def test_the_trending_page_makes_the_same_queries_whatever_the_period(world: PlasticsWorld) -> None:
    client = Client()
    assert_same_queries_for_page_sizes(
        lambda weeks: client.get(reverse("insights:trending"), {"weeks": weeks}), small=4, large=26, expected=4
    )


def test_more_history_does_not_make_more_queries(world: PlasticsWorld) -> None:
    client = client_for(world.bin_maker_owner)
    before = assert_same_queries_for_page_sizes(lambda weeks: client.get(dashboard_url(world), {"weeks": weeks}))
    for weeks in range(27, 40):
        rfq_weeks_ago(world.sorting_bins, weeks, status=SourcingRequest.Status.CLOSED)
    demand_aggregate(full=True)
    after = assert_same_queries_for_page_sizes(lambda weeks: client.get(dashboard_url(world), {"weeks": weeks}))
    assert before == after
