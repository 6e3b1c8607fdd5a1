"""A currency whose last exchange rate is older than EXCHANGE_RATE_MAX_AGE_DAYS is not offered:
not at sign-up, not for an RFQ, a quote or a product, not in the API's currency list; choosing
it anyway gets one message that says why. What is already in it (a user's display currency, an
RFQ, a quote, a product) keeps it when edited, and the form says since when it has no current rate."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buyers.models import Quote
from marketplace.models import ExchangeRate, User
from marketplace.services.api_tokens import api_token_create
from tests.buyers.builders_post import posting_world, rfq_body, rfq_form
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.conftest import Actor
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db

NOT_OFFERED = "TRY is not offered now: it has no exchange rate from the last 7 days. Choose another currency."


@pytest.fixture(autouse=True)
def _lira_without_a_fresh_rate(settings: Any) -> None:
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 7
    a_month_ago = timezone.localdate() - timedelta(days=30)
    ExchangeRate.objects.filter(Q(base_id="TRY") | Q(quote_id="TRY")).update(valid_on=a_month_ago)


def token_client(actor: Actor) -> Client:
    _token, key = api_token_create(user=actor.user, name="erp")
    return Client(headers={"Authorization": f"Token {key}"})


def test_cross_border_sign_up_offers_only_currencies_with_a_fresh_rate(client: Client) -> None:
    page = client.get(reverse("signup_buyer")).content.decode()

    assert 'value="CNY"' in page
    assert 'value="EGP"' in page, "a rate staff entered against the dollar counts"
    assert 'value="TRY"' not in page


def test_cross_border_the_api_lists_and_accepts_only_offered_currencies(actors: dict[str, Actor]) -> None:
    codes = [item["code"] for item in Client().get("/api/v1/currencies/", {"page_size": 100}).json()["results"]]
    assert "CNY" in codes
    assert "TRY" not in codes

    buyer = token_client(actors["buyer"])
    changed = buyer.patch("/api/v1/me/", {"preferred_currency": "TRY"}, content_type="application/json")
    assert changed.status_code == 400
    assert NOT_OFFERED in str(changed.json())


def test_cross_border_an_rfq_in_a_currency_without_a_fresh_rate_is_refused_saying_why(
    actors: dict[str, Actor],
) -> None:
    posting_world()
    buyer = token_client(actors["buyer"])

    refused = buyer.post("/api/v1/rfqs/", rfq_body(currency="TRY"), content_type="application/json")
    accepted = buyer.post("/api/v1/rfqs/", rfq_body(currency="CNY"), content_type="application/json")

    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["currency"] == [NOT_OFFERED]
    assert accepted.status_code == 201, accepted.json()
    form = actors["buyer"].client.get(reverse("buyers:rfq_create")).content.decode()
    assert 'value="CNY"' in form
    assert 'value="TRY"' not in form


# --- What is already in a currency that is no longer offered keeps it, saying so -----------------


def kept_note() -> str:
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    return (
        f"No current exchange rate for TRY since {since}: amounts are converted at that day's rate, marked as old, "
        "until a new one arrives. TRY stays chosen unless you choose another currency."
    )


def selected_currency(page: str) -> list[str]:
    """The options the page's currency choice shows selected."""
    choice = re.search(r'<select name="(?:preferred_)?currency".*?</select>', page, re.DOTALL)
    assert choice is not None, "the page has a currency choice"
    return re.findall(r'<option value="([A-Z]{3})"[^>]*\bselected\b', choice.group())


def settings_form(**changes: str) -> dict[str, str]:
    return {"name": "Ayşe Yılmaz", "preferred_language": "en", "preferred_currency": "TRY", **changes}


def test_cross_border_a_buyer_in_lira_sees_its_currency_kept_with_the_day_of_its_last_rate(
    actors: dict[str, Actor],
) -> None:
    buyer = actors["buyer"]
    User.objects.filter(pk=buyer.user.pk).update(preferred_currency="TRY")

    page = buyer.client.get(reverse("account_settings")).content.decode()

    assert selected_currency(page) == ["TRY"], "the saved currency is shown, not the first of the list"
    assert html.unescape(page).count(kept_note()) == 1

    saved = buyer.client.post(reverse("account_settings"), settings_form(name="Ayşe Y."))
    assert saved.status_code == 302
    assert User.objects.values_list("name", "preferred_currency").get(pk=buyer.user.pk) == ("Ayşe Y.", "TRY")

    changed = buyer.client.post(reverse("account_settings"), settings_form(preferred_currency="EUR"))
    assert changed.status_code == 302
    assert User.objects.get(pk=buyer.user.pk).preferred_currency_id == "EUR"
    page = buyer.client.get(reverse("account_settings")).content.decode()
    assert "No current exchange rate" not in page
    assert 'value="TRY"' not in page, "once changed, the lira is not offered again"


def test_cross_border_a_currency_not_offered_is_refused_in_the_settings_with_one_message(
    actors: dict[str, Actor],
) -> None:
    buyer = actors["buyer"]

    refused = buyer.client.post(reverse("account_settings"), settings_form())

    assert refused.status_code == 400
    page = html.unescape(refused.content.decode())
    assert page.count(NOT_OFFERED) == 1
    assert "Select a valid choice" not in page
    assert User.objects.get(pk=buyer.user.pk).preferred_currency_id == "USD"


def test_cross_border_the_api_keeps_a_users_lira_when_only_its_name_changes(actors: dict[str, Actor]) -> None:
    User.objects.filter(pk=actors["buyer"].user.pk).update(preferred_currency="TRY")
    buyer = token_client(actors["buyer"])

    renamed = buyer.patch("/api/v1/me/", {"name": "Ayşe Y."}, content_type="application/json")

    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["preferred_currency"] == "TRY"


def test_cross_border_an_rfq_in_lira_keeps_its_currency_when_edited_on_the_page_and_through_the_api(
    actors: dict[str, Actor],
) -> None:
    categories = posting_world()
    buyer = actors["buyer"]
    rfq = SourcingRequestFactory(
        buyer=buyer.company, created_by=buyer.user, category=categories["school"], currency_id="TRY"
    )
    url = reverse("buyers:rfq_edit", kwargs={"pk": rfq.pk})

    page = buyer.client.get(url).content.decode()
    assert selected_currency(page) == ["TRY"]
    assert kept_note() in html.unescape(page)

    saved = buyer.client.post(url, rfq_form(categories["school"], title="Backpacks for Izmir", currency="TRY"))
    assert saved.status_code == 302, html.unescape(saved.content.decode())
    rfq.refresh_from_db()
    assert (rfq.title, rfq.currency_id) == ("Backpacks for Izmir", "TRY")

    patched = token_client(buyer).patch(
        f"/api/v1/rfqs/{rfq.pk}/", {"title": "Backpacks for Ankara"}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["currency"] == "TRY"

    other = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user, category=categories["school"])
    refused = buyer.client.post(
        reverse("buyers:rfq_edit", kwargs={"pk": other.pk}), rfq_form(categories["school"], currency="TRY")
    )
    assert refused.status_code == 400
    assert html.unescape(refused.content.decode()).count(NOT_OFFERED) == 1


def quote_form(**changes: str) -> dict[str, str]:
    return {
        "unit_price": "95.00",
        "currency": "CNY",
        "quantity": "50000",
        "lead_time_days": "20",
        "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "incoterm": "FOB",
        **changes,
    }


def test_cross_border_a_quote_in_a_currency_not_offered_gets_the_one_reason_not_select_a_valid_choice(
    actors: dict[str, Actor],
) -> None:
    supplier = actors["supplier"]
    rfq = SourcingRequestFactory()
    MatchFactory(rfq=rfq, supplier=supplier.supplier)
    url = reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})

    refused = supplier.client.post(url, quote_form(currency="TRY"))

    assert refused.status_code == 400
    page = html.unescape(refused.content.decode())
    assert page.count(NOT_OFFERED) == 1
    assert "Select a valid choice" not in page
    assert not Quote.objects.filter(rfq=rfq).exists()
    api = token_client(supplier).post(
        f"/api/v1/inbox/{rfq.pk}/quote/",
        quote_form(currency="TRY"),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert api.status_code == 400
    assert api.json()["error"]["fields"]["currency"] == [NOT_OFFERED], "the same reason as the page"


def test_cross_border_a_quote_in_lira_is_revised_in_lira(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    rfq = SourcingRequestFactory(currency_id="TRY")
    MatchFactory(rfq=rfq, supplier=supplier.supplier)
    quote = QuoteFactory(rfq=rfq, supplier=supplier.supplier, currency_id="TRY", unit_price=Decimal("95.00"))
    url = reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})

    page = supplier.client.get(url).content.decode()
    assert selected_currency(page) == ["TRY"]
    assert kept_note() in html.unescape(page)

    revised = supplier.client.post(url, quote_form(currency="TRY", unit_price="92.00"))

    assert revised.status_code == 302, html.unescape(revised.content.decode())
    quote.refresh_from_db()
    assert (quote.currency_id, quote.unit_price) == ("TRY", Decimal("92.00"))


def test_cross_border_a_new_quote_on_a_lira_request_starts_in_the_suppliers_own_offered_currency(
    actors: dict[str, Actor],
) -> None:
    supplier = actors["supplier"]
    User.objects.filter(pk=supplier.user.pk).update(preferred_currency="CNY")
    rfq = SourcingRequestFactory(currency_id="TRY")
    MatchFactory(rfq=rfq, supplier=supplier.supplier)

    page = supplier.client.get(reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})).content.decode()

    assert selected_currency(page) == ["CNY"]
    assert 'value="TRY"' not in page


def test_cross_border_a_product_priced_in_lira_keeps_its_currency_when_edited(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    product = ProductFactory(supplier=supplier.supplier, currency_id="TRY", status="draft")

    page = supplier.client.get(reverse("suppliers:product_edit", kwargs={"pk": product.pk})).content.decode()
    assert selected_currency(page) == ["TRY"]
    assert kept_note() in html.unescape(page)

    patched = token_client(supplier).patch(
        f"/api/v1/catalog/products/{product.pk}/", {"title": "Clear PVC backpack"}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.json()
    product.refresh_from_db()
    assert (product.title, product.currency_id) == ("Clear PVC backpack", "TRY")
