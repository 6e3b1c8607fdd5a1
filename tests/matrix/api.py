"""The REST API under /api/v1/: public reads for everyone, the rest for signed-in users (401 otherwise)."""

from marketplace.models import IndustrialBelt
from marketplace.services.api_tokens import api_token_create
from tests.factories import CategoryFactory, CurrencyFactory, ExchangeRateFactory, IndustrialBeltFactory
from tests.matrix import Route, World, expect


def build(world: World) -> None:
    world.api_category = CategoryFactory(slug="matrix-api-bags")
    world.api_live_belt = IndustrialBeltFactory(slug="matrix-api-live", specialties=[world.api_category])
    world.api_draft_belt = IndustrialBeltFactory(slug="matrix-api-draft", status=IndustrialBelt.Status.DRAFT)
    ExchangeRateFactory(base=CurrencyFactory(code="USD"), quote=CurrencyFactory(code="CNY"))
    world.api_buyer_token, _key = api_token_create(user=world.actors["buyer"].user, name="matrix")


ROUTES = [
    Route("api-root", expect(200)),
    Route("api-schema", expect(200)),
    Route("api-docs", expect(200)),
    Route("api-belt-list", expect(200)),
    Route("api-belt-detail", expect(200), kwargs=lambda w: {"slug": w.api_live_belt.slug}),
    Route("api-belt-detail", expect(404, staff=200), kwargs=lambda w: {"slug": w.api_draft_belt.slug}),
    Route("api-category-list", expect(200)),
    Route("api-category-detail", expect(200), kwargs=lambda w: {"slug": w.api_category.slug}),
    Route("api-currency-list", expect(200)),
    Route("api-exchange-rate-list", expect(200)),
    Route("api-me", expect(200, anonymous=401)),
    Route(
        "api-me",
        expect(200, anonymous=401),
        method="patch",
        data=lambda w: {"name": "Renamed"},
        content_type="application/json",
    ),
    Route("api-token-list", expect(200, anonymous=401)),
    Route(
        "api-token-list",
        expect(201, anonymous=401),
        method="post",
        data=lambda w: {"name": "matrix"},
        content_type="application/json",
    ),
    Route(
        "api-token-revoke",
        expect(404, anonymous=401, buyer=200),
        method="post",
        kwargs=lambda w: {"pk": w.api_buyer_token.pk},
    ),
    Route("api-not-found", expect(404), kwargs=lambda w: {"unmatched": "no-such-resource/"}),
]
