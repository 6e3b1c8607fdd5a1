"""The API tokens page of a user's settings: signed-in users only; another user's token is 404."""

from marketplace.services.api_tokens import api_token_create
from tests.matrix import Route, World, expect


def build(world: World) -> None:
    world.page_buyer_token, _key = api_token_create(user=world.actors["buyer"].user, name="page")


ROUTES = [
    Route("api_tokens", expect(200, anonymous=302)),
    Route(
        "api_tokens",
        expect(200, anonymous=302),
        method="post",
        data=lambda w: {"name": "from the matrix", "scope": "read", "expiry": "30"},
    ),
    Route(
        "api_token_revoke",
        expect(404, anonymous=302, buyer=302),
        method="post",
        kwargs=lambda w: {"pk": w.page_buyer_token.pk},
    ),
]
