"""The API's common ground: one error shape, anonymous throttling, the schema and its documentation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from marketplace.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db

THREE_A_MINUTE = {
    "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
}


def assert_error_shape(response: object, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# --- Errors -------------------------------------------------------------------------------------


def test_an_unknown_api_address_is_a_404_in_the_error_shape(client: Client) -> None:
    assert_error_shape(client.get("/api/v1/no-such-thing/"), 404, "not_found")


def test_a_missing_trailing_slash_is_pointed_out(client: Client) -> None:
    error = assert_error_shape(client.get("/api/v1/belts"), 404, "not_found")

    assert "/api/v1/belts/" in error["message"]


def test_a_method_the_endpoint_does_not_offer_is_a_405_in_the_error_shape(client: Client) -> None:
    assert_error_shape(client.delete("/api/v1/belts/"), 405, "method_not_allowed")


def test_a_private_endpoint_asks_anonymous_clients_to_authenticate(client: Client) -> None:
    assert_error_shape(client.get("/api/v1/tokens/"), 401, "not_authenticated")


def test_invalid_input_names_each_field(actors: dict) -> None:
    response = actors["buyer"].client.post("/api/v1/tokens/", {}, content_type="application/json")

    error = assert_error_shape(response, 400, "invalid")
    assert error["fields"] == {"name": ["This field is required."]}


def test_a_session_client_without_a_csrf_token_gets_a_403_in_the_error_shape(actors: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors["buyer"].user)

    error = assert_error_shape(client.post("/api/v1/tokens/", {"name": "x"}), 403, "permission_denied")

    assert "CSRF" in error["message"]


# --- Throttling ---------------------------------------------------------------------------------


def test_the_fourth_anonymous_request_in_a_minute_is_throttled(client: Client, settings: object) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **THREE_A_MINUTE}

    answers = [client.get("/api/v1/belts/").status_code for _n in range(3)]
    throttled = client.get("/api/v1/belts/")

    assert answers == [200, 200, 200]
    error = assert_error_shape(throttled, 429, "throttled")
    assert "throttled" in error["message"]
    assert int(throttled["Retry-After"]) > 0


def test_authenticated_clients_are_not_held_to_the_anonymous_rate(actors: dict, settings: object) -> None:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    _token, key = api_token_create(user=actors["buyer"].user, name="busy")
    token_client = Client(headers={"Authorization": f"Token {key}"})

    answers = [token_client.get("/api/v1/belts/").status_code for _n in range(5)]
    answers += [actors["buyer"].client.get("/api/v1/belts/").status_code for _n in range(5)]

    assert answers == [200] * 10


# --- Root, schema and documentation -------------------------------------------------------------


def test_the_api_root_links_to_every_resource(client: Client) -> None:
    links = client.get("/api/v1/").json()

    assert links["belts"] == "http://testserver/api/v1/belts/"
    assert links["schema"] == "http://testserver/api/v1/schema/"
    assert {"categories", "currencies", "exchange_rates", "me", "tokens", "docs"} <= set(links)
    for url in links.values():
        assert client.get(url).status_code in {200, 401}


def test_the_schema_describes_every_kernel_endpoint(client: Client) -> None:
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/belts/", "/api/v1/belts/{slug}/", "/api/v1/me/", "/api/v1/tokens/{id}/revoke/"):
        assert path in paths
    assert "tokenAuth" in response.json()["components"]["securitySchemes"]


def test_the_documentation_is_served_without_a_cdn(client: Client) -> None:
    url = "/api/v1/docs/"
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets, "the page loads no scripts or styles"
    for asset in assets:
        # Swagger UI's start script is served at the page's own address (the split view: CSP).
        assert asset.startswith(("/static/", f"{url}?script")), f"{asset} is not served by the app"
    assert "//cdn" not in page
    assert "unpkg.com" not in page
    assert "jsdelivr" not in page
    for asset in assets:
        assert client.get(asset).status_code == 200, f"{asset} is not found"
