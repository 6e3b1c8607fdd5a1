"""Which company an API request acts for is declared on the view (marketplace/api/permissions.py).

Every /api/v1/ view either declares `ActsForCompany` (or `ActsForSellingCompany`) with the messages
it refuses with, or is named below as one that acts for no company. The behaviour: a user acting
for no company, or a company that does not sell on the selling side, gets 403 with the view's
message; a member of two companies acts for the one chosen in its session, a token client for the
first it joined.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from buyers.api import insights, rfqs
from marketplace.api import notifications, views
from marketplace.api.permissions import ActsForCompany, ActsForSellingCompany, acting_company_of
from marketplace.models import Membership
from marketplace.services.api_tokens import api_token_create
from marketplace.tenancy import ACTIVE_COMPANY_SESSION_KEY
from orders.api import orders
from suppliers.api import public, verification
from tests.buyers.factories import SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import CompanyFactory, MembershipFactory, SupplierProfileFactory

pytestmark = pytest.mark.django_db

# The /api/v1/ views that act for no company, and why.
ACTING_FOR_NO_COMPANY: dict[type[APIView], str] = {
    **dict.fromkeys(
        [
            views.ApiRootView,
            views.BeltListView,
            views.BeltDetailView,
            views.CategoryListView,
            views.CategoryDetailView,
            views.CurrencyListView,
            views.ExchangeRateListView,
            public.ProductSearchView,
            public.ProductDetailView,
            public.SupplierSearchView,
            public.SupplierDetailView,
            insights.TrendingView,
            SpectacularAPIView,
            SpectacularSwaggerSplitView,
        ],
        "public",
    ),
    **dict.fromkeys(
        [
            views.MeView,
            views.ApiTokenListView,
            views.ApiTokenRevokeView,
            notifications.NotificationListView,
            notifications.NotificationReadView,
        ],
        "the user's own account",
    ),
    verification.VerificationDocumentApproveView: "staff",
    verification.VerificationDocumentRejectView: "staff",
    orders.DisputeResolveView: "staff; the order's parties get 403 from the handler",
    insights.BeltDemandView: "a belt's managers, who may act for no company",
}


def _api_views(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.lstrip("^").startswith("api/v1/"):
            yield route, pattern.callback


def api_view_classes() -> dict[type[APIView], str]:
    """Every class-based view under /api/v1/, with one of its routes."""
    found: dict[type[APIView], str] = {}
    for route, callback in _api_views(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)  # set by APIView.as_view()
        if view_class is not None:
            found.setdefault(view_class, route)
    return found


def test_the_only_api_route_without_a_rest_framework_view_is_the_not_found_answer() -> None:
    plain = {callback for _route, callback in _api_views(get_resolver().url_patterns) if not hasattr(callback, "cls")}

    assert plain == {views.api_not_found}


def company_permissions(view_class: type[APIView]) -> list[type]:
    return [cls for cls in view_class.permission_classes if issubclass(cls, ActsForCompany)]


def test_every_api_view_declares_the_company_it_acts_for_or_is_named_as_acting_for_none() -> None:
    undeclared = {
        f"{view_class.__module__}.{view_class.__qualname__} ({route})"
        for view_class, route in api_view_classes().items()
        if view_class not in ACTING_FOR_NO_COMPANY and not company_permissions(view_class)
    }

    assert undeclared == set(), "declare ActsForCompany or ActsForSellingCompany on these views"


def test_the_views_named_as_acting_for_no_company_exist_and_ask_for_none() -> None:
    routed = api_view_classes()

    assert set(ACTING_FOR_NO_COMPANY) <= set(routed)
    assert [view for view in ACTING_FOR_NO_COMPANY if company_permissions(view)] == []


def test_a_company_view_authenticates_first_and_says_why_it_needs_a_company() -> None:
    company_views = [view for view in api_view_classes() if company_permissions(view)]

    assert len(company_views) > 30
    for view_class in company_views:
        permissions = view_class.permission_classes
        assert permissions[0] is IsAuthenticated, view_class  # anonymous clients get 401 before any 403
        assert str(view_class.no_company_message), view_class
        if ActsForSellingCompany in permissions:
            assert str(view_class.not_selling_message), view_class


# --- Behaviour ----------------------------------------------------------------------------------

# The answers as they were when each view asked for its company itself.
RFQS = "Your account acts for no company: sourcing requests are posted by members of a company."
ORDERS = "Your account acts for no company: orders belong to members of a company."
MESSAGES = "Your account acts for no company: messages are between a buyer and a supplier."
CATALOG = "Your account acts for no company: the catalog API is for members of a company that sells."
INBOX = "Your account acts for no company: the RFQ inbox is for members of a company that sells."
VERIFICATION = "Verification documents belong to a company that sells on SourceBelt."
CATALOG_NOT_SELLING = (
    "Your company does not sell yet: create its supplier profile (/suppliers/become/) to keep a catalog."
)
INBOX_NOT_SELLING = "Your company does not sell yet: create its supplier profile (/suppliers/become/) to answer RFQs."

NO_COMPANY = {
    "/api/v1/rfqs/": RFQS,
    "/api/v1/rfqs/1/quotes/": RFQS,
    "/api/v1/orders/": ORDERS,
    "/api/v1/orders/1/": ORDERS,
    "/api/v1/threads/": MESSAGES,
    "/api/v1/messages/1/attachment/": MESSAGES,
    "/api/v1/catalog/products/": CATALOG,
    "/api/v1/catalog/imports/1/": CATALOG,
    "/api/v1/inbox/": INBOX,
    "/api/v1/inbox/1/": INBOX,
    "/api/v1/inbox/1/quote/": CATALOG,
    "/api/v1/verification/documents/": VERIFICATION,
}

NOT_SELLING = {
    "/api/v1/catalog/products/": CATALOG_NOT_SELLING,
    "/api/v1/inbox/": INBOX_NOT_SELLING,
    "/api/v1/rfq-board/": INBOX_NOT_SELLING,
    "/api/v1/inbox/1/quote/": CATALOG_NOT_SELLING,
    "/api/v1/verification/documents/": VERIFICATION,
}


def refusal(message: str) -> dict[str, Any]:
    return {"error": {"code": "permission_denied", "message": message}}


def token_client(actor: Actor) -> Client:
    _token, key = api_token_create(user=actor.user, name="erp")
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.mark.parametrize(("url", "message"), NO_COMPANY.items())
def test_a_user_acting_for_no_company_is_refused_with_the_views_message(
    actors: dict[str, Actor], url: str, message: str
) -> None:
    response = actors["staff"].client.get(url)

    assert response.status_code == 403
    assert response.json() == refusal(message)


def test_an_award_without_a_company_is_refused_before_the_input_is_read(actors: dict[str, Actor]) -> None:
    response = actors["staff"].client.post("/api/v1/rfqs/1/award/", "not json", content_type="application/json")

    assert response.status_code == 403
    assert response.json() == refusal("Your account acts for no company: awards are for members of a company.")


def test_the_refusal_speaks_the_language_of_the_request(actors: dict[str, Actor]) -> None:
    response = actors["staff"].client.get("/api/v1/rfqs/", headers={"Accept-Language": "zh-hans"})

    with translation.override("zh-hans"):
        chinese = str(rfqs.NO_COMPANY)
    with translation.override("en"):
        assert chinese != str(rfqs.NO_COMPANY)
    assert response.json() == refusal(chinese)


@pytest.mark.parametrize(("url", "message"), NOT_SELLING.items())
def test_a_company_that_does_not_sell_is_refused_on_the_selling_side(
    actors: dict[str, Actor], url: str, message: str
) -> None:
    response = token_client(actors["buyer"]).get(url)

    assert response.status_code == 403
    assert response.json() == refusal(message)


def test_anonymous_clients_get_401_before_any_company_is_asked_for() -> None:
    response = Client().get("/api/v1/catalog/products/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_method_the_view_does_not_offer_is_405_even_without_a_company(actors: dict[str, Actor]) -> None:
    response = actors["staff"].client.delete("/api/v1/rfqs/")

    assert response.status_code == 405


def test_options_describes_the_endpoint_even_without_a_company(actors: dict[str, Actor]) -> None:
    response = actors["staff"].client.options("/api/v1/orders/")

    assert response.status_code == 200


@pytest.fixture
def two_companies(actors: dict[str, Actor]) -> tuple[Actor, Any]:
    """The buyer actor joins a second company, one that sells, after its own."""
    buyer = actors["buyer"]
    selling = SupplierProfileFactory().company
    MembershipFactory(user=buyer.user, company=selling, role=Membership.Role.MEMBER)
    return buyer, selling


def _rfq_ids(client: Client) -> set[int]:
    response = client.get("/api/v1/rfqs/")
    assert response.status_code == 200
    return {rfq["id"] for rfq in response.json()["results"]}


def test_a_member_of_two_companies_acts_for_the_one_chosen_in_its_session(two_companies: tuple) -> None:
    buyer, selling = two_companies
    own = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user)
    chosen = SourcingRequestFactory(buyer=selling, created_by=buyer.user)
    session = buyer.client.session
    session[ACTIVE_COMPANY_SESSION_KEY] = selling.pk
    session.save()

    assert own.pk != chosen.pk
    assert _rfq_ids(buyer.client) == {chosen.pk}
    assert buyer.client.get("/api/v1/catalog/products/").status_code == 200


def test_a_token_client_acts_for_the_first_company_joined(two_companies: tuple) -> None:
    buyer, selling = two_companies
    own = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user)
    SourcingRequestFactory(buyer=selling, created_by=buyer.user)
    client = token_client(buyer)

    assert _rfq_ids(client) == {own.pk}
    assert client.get("/api/v1/catalog/products/").json() == refusal(CATALOG_NOT_SELLING)


def test_a_company_chosen_that_the_user_left_falls_back_to_the_first_joined(two_companies: tuple) -> None:
    buyer, _selling = two_companies
    session = buyer.client.session
    session[ACTIVE_COMPANY_SESSION_KEY] = CompanyFactory().pk  # not one of the user's companies
    session.save()
    own = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user)

    assert _rfq_ids(buyer.client) == {own.pk}


# --- Misuse is a programming error, not an answer ------------------------------------------------


def test_acting_company_of_a_request_no_permission_resolved_is_a_programming_error() -> None:
    request = APIView().initialize_request(APIRequestFactory().get("/"))

    with pytest.raises(ImproperlyConfigured):
        acting_company_of(request)


def test_a_view_that_declares_the_permission_without_its_message_is_a_programming_error(
    actors: dict[str, Actor],
) -> None:
    class Forgetful(APIView):
        permission_classes = [IsAuthenticated, ActsForCompany]

        def get(self, request: Any) -> None:
            raise AssertionError("not reached")

    request = APIRequestFactory().get("/")
    request.user = actors["staff"].user
    request.session = {}

    with pytest.raises(ImproperlyConfigured):
        ActsForCompany().has_permission(Forgetful().initialize_request(request), Forgetful())
