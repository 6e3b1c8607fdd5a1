"""Domain errors raised by page views become answers in one place: marketplace/middleware.py.

Some tests use the project's own pages; the others use the small views below, mounted in front
of the project's URLs (`pytest.mark.urls`), so that each kind of request meets each kind of error.
"""

from __future__ import annotations

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from marketplace.errors import Conflict, InvalidFields, InvalidInput, NotFound, PermissionDenied
from marketplace.middleware import returns_to
from tests.factories import ApiTokenFactory, UserFactory

pytestmark = pytest.mark.django_db

CHINESE = "这个订单已经被确认了。"


def bad_page_number(request: HttpRequest) -> HttpResponse:
    raise InvalidInput("“x” is not a page number.")


def bad_fields(request: HttpRequest) -> HttpResponse:
    raise InvalidFields(errors={"quantity": ["The quantity must be a whole number."]})


@returns_to("home")
@require_POST
def confirm_action(request: HttpRequest) -> HttpResponse:
    raise Conflict("Somebody confirmed it first.")


@require_POST
def undeclared_action(request: HttpRequest) -> HttpResponse:
    raise Conflict(CHINESE)


def missing_widget(request: HttpRequest) -> HttpResponse:
    raise NotFound("No such widget.")


def owners_only(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the company's owners may do this.")


@returns_to("home")
@require_POST
def supplier_only_action(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the supplier ships the order.")


urlpatterns = [
    path("refusals/page/", bad_page_number, name="refusal_page"),
    path("refusals/fields/", bad_fields, name="refusal_fields"),
    path("refusals/confirm/", confirm_action, name="refusal_confirm"),
    path("refusals/undeclared/", undeclared_action, name="refusal_undeclared"),
    path("refusals/widget/", missing_widget, name="refusal_widget"),
    path("refusals/owners/", owners_only, name="refusal_owners"),
    path("refusals/ship/", supplier_only_action, name="refusal_ship"),
    path("", include("sourcebelt.urls")),
]

with_refusal_views = pytest.mark.urls(__name__)


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- NotFound and PermissionDenied --------------------------------------------------------------


def test_a_page_whose_selector_finds_nothing_answers_404_with_the_404_page(client: Client) -> None:
    response = client.get(reverse("belt_detail", kwargs={"slug": "no-such-belt"}))

    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()


def test_revoking_another_persons_token_answers_404_with_the_404_page() -> None:
    token = ApiTokenFactory()

    response = signed_in(UserFactory()).post(reverse("api_token_revoke", kwargs={"pk": token.pk}))

    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


@with_refusal_views
def test_not_found_answers_404_for_an_htmx_request_too(client: Client) -> None:
    assert client.get("/refusals/widget/").status_code == 404
    assert client.get("/refusals/widget/", headers={"HX-Request": "true"}).status_code == 404


@with_refusal_views
def test_a_page_the_person_may_not_open_answers_the_403_page_with_the_reason(client: Client) -> None:
    for method in (client.get, client.post):
        response = method("/refusals/owners/")

        assert response.status_code == 403
        page = response.content.decode().replace("&#x27;", "'")
        assert "You cannot do this" in page
        assert "Only the company's owners may do this." in page


@with_refusal_views
def test_an_action_the_person_may_not_take_goes_back_to_the_page_with_the_reason(client: Client) -> None:
    response = client.post("/refusals/ship/", follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "Only the supplier ships the order." in response.content.decode()


# --- A refused POST goes back to the page its form came from -------------------------------------


def test_a_conflict_on_a_post_goes_back_to_the_page_the_form_came_from_with_the_message() -> None:
    token = ApiTokenFactory(revoked_at=timezone.now())
    client = signed_in(token.user)
    page = "http://testserver" + reverse("api_tokens") + "?shown=all"

    response = client.post(reverse("api_token_revoke", kwargs={"pk": token.pk}), headers={"referer": page})

    assert response.status_code == 302
    assert response["Location"] == page
    assert "This token was already revoked." in client.get(response["Location"]).content.decode()


def test_without_a_referer_a_refused_post_goes_back_to_the_page_its_view_names() -> None:
    token = ApiTokenFactory(revoked_at=timezone.now())
    client = signed_in(token.user)

    response = client.post(reverse("api_token_revoke", kwargs={"pk": token.pk}), follow=True)

    assert response.redirect_chain == [(reverse("api_tokens"), 302)]
    assert "This token was already revoked." in response.content.decode()


def test_a_referer_on_another_site_is_not_followed() -> None:
    token = ApiTokenFactory(revoked_at=timezone.now())

    response = signed_in(token.user).post(
        reverse("api_token_revoke", kwargs={"pk": token.pk}), headers={"referer": "https://evil.example/tokens/"}
    )

    assert response["Location"] == reverse("api_tokens")


@with_refusal_views
def test_a_page_that_an_action_answered_to_a_post_stands_for_the_actions_own_page(client: Client) -> None:
    """The action's address answers POST only: going back there would be a 405."""
    response = client.post("/refusals/undeclared/", headers={"referer": "http://testserver/refusals/confirm/"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@with_refusal_views
def test_a_refused_post_with_no_page_to_go_back_to_answers_its_status_with_the_message(client: Client) -> None:
    response = client.post("/refusals/undeclared/")

    assert response.status_code == 409
    assert "Request not accepted" in response.content.decode()
    assert CHINESE in response.content.decode()


# --- A GET is never redirected -------------------------------------------------------------------


@with_refusal_views
def test_a_get_with_bad_input_answers_400_with_the_message_and_never_redirects(client: Client) -> None:
    for referer in ("", "http://testserver/refusals/page/", "http://testserver/"):
        headers = {"referer": referer} if referer else {}

        response = client.get("/refusals/page/", headers=headers)

        assert response.status_code == 400
        assert not response.has_header("Location")
        assert "“x” is not a page number." in response.content.decode()


@with_refusal_views
def test_invalid_fields_on_a_get_show_their_first_message(client: Client) -> None:
    response = client.get("/refusals/fields/")

    assert response.status_code == 400
    assert "The quantity must be a whole number." in response.content.decode()


# --- htmx -----------------------------------------------------------------------------------------


@with_refusal_views
def test_an_htmx_request_gets_the_status_and_the_message_as_an_hx_trigger_event(client: Client) -> None:
    response = client.post("/refusals/confirm/", headers={"HX-Request": "true", "referer": "http://testserver/"})

    assert response.status_code == 409  # htmx swaps nothing from it
    assert not response.has_header("Location")
    assert json.loads(response["HX-Trigger"]) == {
        "domain-error": {"message": "Somebody confirmed it first.", "code": "conflict"}
    }
    assert "Somebody confirmed it first." not in client.get(reverse("home")).content.decode(), "shown once"


@with_refusal_views
def test_an_htmx_refusal_carries_a_chinese_message_in_an_ascii_header(client: Client) -> None:
    response = client.post("/refusals/undeclared/", headers={"HX-Request": "true"})

    assert response["HX-Trigger"].isascii()
    assert json.loads(response["HX-Trigger"])["domain-error"]["message"] == CHINESE


@with_refusal_views
def test_an_htmx_get_with_bad_input_gets_400_and_the_event(client: Client) -> None:
    response = client.get("/refusals/page/", headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert json.loads(response["HX-Trigger"])["domain-error"]["code"] == "invalid"
