"""Personal API tokens: created with a key shown once, listed by prefix, revoked for good."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.models import ApiToken
from marketplace.services.api_tokens import MAX_ACTIVE_TOKENS_PER_USER, api_token_create, api_token_revoke
from tests.factories import UserFactory
from tests.querycount import assert_same_queries_for_page_sizes, count_queries

pytestmark = pytest.mark.django_db


def token_header(key: str) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


# --- The service --------------------------------------------------------------------------------


def test_a_new_token_has_a_recognisable_key_of_which_only_a_hash_is_stored() -> None:
    user = UserFactory()

    token, key = api_token_create(user=user, name="ERP import")

    assert key.startswith("sb_")
    assert len(key) > 40
    assert token.prefix == key[:8]
    assert token.key_hash == ApiToken.hash_key(key)
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in {stored.name, stored.prefix, stored.key_hash}


def test_every_token_gets_its_own_key() -> None:
    user = UserFactory()
    keys = {api_token_create(user=user, name=f"token {n}")[1] for n in range(5)}
    assert len(keys) == 5


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name_of_at_most_100_characters(name: str) -> None:
    user = UserFactory()

    with pytest.raises(InvalidInput) as error:
        api_token_create(user=user, name=name)

    assert error.value.field == "name"
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_user_has_at_most_20_active_tokens_and_revoking_one_makes_room() -> None:
    user = UserFactory()
    tokens = [api_token_create(user=user, name=f"token {n}")[0] for n in range(MAX_ACTIVE_TOKENS_PER_USER)]

    with pytest.raises(InvalidInput, match="20 active tokens"):
        api_token_create(user=user, name="one too many")

    api_token_revoke(user=user, token_id=tokens[0].pk)
    api_token_create(user=user, name="now it fits")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == MAX_ACTIVE_TOKENS_PER_USER


def test_nobody_can_revoke_another_users_token() -> None:
    owner, stranger = UserFactory(), UserFactory()
    token, _key = api_token_create(user=owner, name="mine")

    with pytest.raises(NotFound):
        api_token_revoke(user=stranger, token_id=token.pk)

    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_a_token_twice_says_it_was_already_revoked() -> None:
    user = UserFactory()
    token, _key = api_token_create(user=user, name="old")
    api_token_revoke(user=user, token_id=token.pk)
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at

    with pytest.raises(Conflict, match="already revoked"):
        api_token_revoke(user=user, token_id=token.pk)

    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


# --- Using a token ------------------------------------------------------------------------------


def test_a_token_authenticates_its_user_and_records_when_it_was_used() -> None:
    user = UserFactory(email="ana@example.com")
    token, key = api_token_create(user=user, name="laptop")

    response = Client().get("/api/v1/me/", headers=token_header(key))

    assert response.status_code == 200
    assert response.json()["email"] == "ana@example.com"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_stops_working_at_once() -> None:
    user = UserFactory()
    token, key = api_token_create(user=user, name="leaked")
    client = Client()
    assert client.get("/api/v1/me/", headers=token_header(key)).status_code == 200

    api_token_revoke(user=user, token_id=token.pk)
    response = client.get("/api/v1/me/", headers=token_header(key))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert "revoked" in response.json()["error"]["message"]


def test_a_made_up_token_is_refused_even_on_public_endpoints() -> None:
    response = Client().get("/api/v1/belts/", headers=token_header("sb_not-a-real-key"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_of_a_disabled_account_is_refused() -> None:
    user = UserFactory(is_active=False)
    _token, key = api_token_create(user=user, name="old")

    assert Client().get("/api/v1/me/", headers=token_header(key)).status_code == 401


# --- The API ------------------------------------------------------------------------------------


def test_creating_a_token_through_the_api_shows_its_key_once(actors: dict) -> None:
    client = actors["buyer"].client

    created = client.post("/api/v1/tokens/", {"name": "CI"}, content_type="application/json")

    assert created.status_code == 201
    assert created["Cache-Control"] == "no-store"
    body = created.json()
    assert body["name"] == "CI"
    assert body["key"].startswith(body["prefix"])
    assert body["is_active"] is True
    listed = client.get("/api/v1/tokens/").json()["results"]
    assert [token["name"] for token in listed] == ["CI"]
    assert "key" not in listed[0]
    assert Client().get("/api/v1/me/", headers=token_header(body["key"])).status_code == 200


def test_the_token_list_shows_only_ones_own_tokens(actors: dict) -> None:
    api_token_create(user=actors["buyer"].user, name="buyer's")
    api_token_create(user=actors["other_buyer"].user, name="other buyer's")

    listed = actors["buyer"].client.get("/api/v1/tokens/").json()["results"]

    assert [token["name"] for token in listed] == ["buyer's"]


def test_a_token_without_a_name_is_refused_with_a_message_for_the_field(actors: dict) -> None:
    response = actors["buyer"].client.post("/api/v1/tokens/", {"name": ""}, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "name" in response.json()["error"]["fields"]


def test_the_21st_token_is_refused_through_the_api_with_a_clear_message(actors: dict) -> None:
    user = actors["buyer"].user
    for n in range(MAX_ACTIVE_TOKENS_PER_USER):
        api_token_create(user=user, name=f"token {n}")

    response = actors["buyer"].client.post("/api/v1/tokens/", {"name": "more"}, content_type="application/json")

    assert response.status_code == 400
    assert "Revoke one" in response.json()["error"]["fields"]["name"][0]


def test_a_token_revoked_through_the_api_stops_working(actors: dict) -> None:
    token, key = api_token_create(user=actors["buyer"].user, name="phone")

    response = actors["buyer"].client.post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert Client().get("/api/v1/me/", headers=token_header(key)).status_code == 401
    again = actors["buyer"].client.post(f"/api/v1/tokens/{token.pk}/revoke/")
    assert again.status_code == 409
    assert again.json()["error"] == {"code": "conflict", "message": "This token was already revoked."}


def test_a_token_can_revoke_itself(actors: dict) -> None:
    token, key = api_token_create(user=actors["buyer"].user, name="self")

    response = Client().post(f"/api/v1/tokens/{token.pk}/revoke/", headers=token_header(key))

    assert response.status_code == 200
    assert Client().get("/api/v1/me/", headers=token_header(key)).status_code == 401


def test_another_users_token_cannot_be_revoked_through_the_api(actors: dict) -> None:
    token, key = api_token_create(user=actors["buyer"].user, name="mine")

    response = actors["other_buyer"].client.post(f"/api/v1/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert Client().get("/api/v1/me/", headers=token_header(key)).status_code == 200


# --- The settings page --------------------------------------------------------------------------


def test_the_tokens_page_shows_a_new_key_once_with_a_copy_hint(actors: dict) -> None:
    client = actors["buyer"].client

    response = client.post(reverse("api_tokens"), {"name": "Spreadsheet", "scope": "read", "expiry": "90"})

    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get(user=actors["buyer"].user)
    key = response.context["created_key"]
    assert key in page
    assert ApiToken.hash_key(key) == token.key_hash
    assert "it will not be shown again" in page
    assert "no-store" in response["Cache-Control"]
    again = client.get(reverse("api_tokens")).content.decode()
    assert key not in again
    assert "Spreadsheet" in again
    assert f"{token.prefix}…" in again


def test_the_tokens_page_explains_a_missing_name(actors: dict) -> None:
    response = actors["buyer"].client.post(reverse("api_tokens"), {"name": ""})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_tokens_page_explains_the_limit(actors: dict) -> None:
    for n in range(MAX_ACTIVE_TOKENS_PER_USER):
        api_token_create(user=actors["buyer"].user, name=f"token {n}")

    response = actors["buyer"].client.post(reverse("api_tokens"), {"name": "more", "scope": "read", "expiry": "never"})

    assert response.status_code == 400
    assert "Revoke one you no longer use first." in response.content.decode()


def test_the_tokens_page_lists_only_ones_own_tokens(actors: dict) -> None:
    api_token_create(user=actors["buyer"].user, name="Buyer laptop")
    api_token_create(user=actors["other_buyer"].user, name="Other laptop")

    page = actors["buyer"].client.get(reverse("api_tokens")).content.decode()

    assert "Buyer laptop" in page
    assert "Other laptop" not in page


def test_revoking_from_the_page_marks_the_token_revoked(actors: dict) -> None:
    token, key = api_token_create(user=actors["buyer"].user, name="Old script")
    client = actors["buyer"].client

    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)

    page = response.content.decode()
    assert "was revoked" in page
    assert "Revoked" in page
    assert Client().get("/api/v1/me/", headers=token_header(key)).status_code == 401


def test_revoking_twice_from_the_page_says_so_instead_of_failing(actors: dict) -> None:
    token, _key = api_token_create(user=actors["buyer"].user, name="Old script")
    client = actors["buyer"].client
    client.post(reverse("api_token_revoke", args=[token.pk]))

    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)

    assert response.status_code == 200
    assert "already revoked" in response.content.decode()


def test_the_tokens_page_asks_an_anonymous_visitor_to_log_in(client: Client) -> None:
    response = client.get(reverse("api_tokens"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_tokens_page_makes_the_same_queries_however_many_tokens_it_lists(actors: dict) -> None:
    client, user = actors["buyer"].client, actors["buyer"].user
    url = reverse("api_tokens")
    client.get(url)  # The session and the layout's first queries.
    for n in range(2):
        api_token_revoke(user=user, token_id=api_token_create(user=user, name=f"old {n}")[0].pk)
        api_token_create(user=user, name=f"new {n}")
    few = count_queries(lambda: client.get(url))
    for n in range(2, 12):
        api_token_revoke(user=user, token_id=api_token_create(user=user, name=f"old {n}")[0].pk)
        api_token_create(user=user, name=f"new {n}")
    many = count_queries(lambda: client.get(url))

    assert few == many


def test_the_tokens_page_lists_only_the_latest_revoked_tokens(actors: dict) -> None:
    user = actors["buyer"].user
    for n in range(25):
        api_token_revoke(user=user, token_id=api_token_create(user=user, name=f"revoked-{n:02d}")[0].pk)
    api_token_create(user=user, name="still-active")

    page = actors["buyer"].client.get(reverse("api_tokens")).content.decode()

    assert "still-active" in page
    assert "revoked-24" in page
    assert "revoked-04" not in page


def test_the_token_list_api_makes_the_same_queries_for_any_page_size(actors: dict) -> None:
    user = actors["buyer"].user
    for n in range(12):
        api_token_create(user=user, name=f"token {n}")
    client = actors["buyer"].client

    assert_same_queries_for_page_sizes(lambda size: client.get("/api/v1/tokens/", {"page_size": size}))
