"""Quote pages in the browser's terms: a supplier quotes and revises, the buyer compares in its
currency and awards, then follows the orders on the sourcing view."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from buyers.models import Quote, SourcingRequest
from orders.models import Order
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.factories import CurrencyFactory, ExchangeRateFactory, IndustrialBeltFactory, SupplierProfileFactory
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def rfq(actors: dict) -> SourcingRequest:
    usd = CurrencyFactory(code="USD")
    ExchangeRateFactory(
        base=usd, quote=CurrencyFactory(code="CNY"), rate=Decimal("7.00"), valid_on=timezone.localdate()
    )
    rfq = SourcingRequestFactory(
        buyer=actors["buyer"].company, created_by=actors["buyer"].user, allow_split=True, quantity=300_000
    )
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    return rfq


def _quote_form(**changes: object) -> dict[str, object]:
    data = {
        "unit_price": "12.60",
        "currency": "CNY",
        "quantity": "100000",
        "lead_time_days": "20",
        "valid_until": (timezone.localdate() + timedelta(days=20)).isoformat(),
        "incoterm": "FOB",
        "port": "Shantou",
        "freight": "14000",
        "notes": "EN71 tested",
    }
    data.update(changes)
    return data


def test_a_supplier_quotes_from_the_page_and_sees_its_sealed_quote(actors: dict, rfq: SourcingRequest) -> None:
    client = actors["supplier"].client
    url = reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})

    response = client.post(url, _quote_form())

    assert response.status_code == 302
    quote = Quote.objects.get(rfq=rfq, supplier=actors["supplier"].supplier)
    assert quote.unit_price == Decimal("12.60")
    page = client.get(url)
    assert "Version 1" in page.content.decode()


def test_bad_quote_input_is_refused_with_messages_and_the_typed_values_stay(actors: dict, rfq: SourcingRequest) -> None:
    response = actors["supplier"].client.post(
        reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}), _quote_form(unit_price="-3", valid_until="2020-01-01")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "must be a positive amount" in html
    assert "has already passed" in html
    assert 'value="Shantou"' in html
    assert not Quote.objects.exists()


def test_a_revision_from_the_page_adds_a_version(actors: dict, rfq: SourcingRequest) -> None:
    client = actors["supplier"].client
    url = reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk})
    client.post(url, _quote_form())

    client.post(url, _quote_form(unit_price="12.10"))

    quote = Quote.objects.get(rfq=rfq)
    assert (quote.version, quote.unit_price) == (2, Decimal("12.10"))


def test_the_buyer_compares_quotes_in_its_currency_with_late_ones_marked(actors: dict, rfq: SourcingRequest) -> None:
    QuoteFactory(
        rfq=rfq, supplier=actors["supplier"].supplier, unit_price=Decimal("14.00"), currency_id="CNY", quantity=100_000
    )
    late = QuoteFactory(rfq=rfq, lead_time_days=90, quantity=100_000)

    response = actors["buyer"].client.get(reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}) + "?currency=USD")

    assert response.status_code == 200
    html = response.content.decode()
    assert "USD 2" in html  # 14 CNY at 7.00 CNY per USD
    assert "1 CNY = " in html
    assert f'data-quote="{late.pk}" data-status="submitted" data-late' in html


def test_the_comparison_makes_the_same_queries_for_few_and_many_quotes(actors: dict, rfq: SourcingRequest) -> None:
    client = actors["buyer"].client
    url = reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk})
    QuoteFactory.create_batch(2, rfq=rfq, quantity=1000)
    few = count_queries(lambda: client.get(url))
    QuoteFactory.create_batch(6, rfq=rfq, quantity=1000)
    many = count_queries(lambda: client.get(url))

    assert few == many


def test_the_buyer_awards_a_split_and_follows_the_orders(actors: dict, rfq: SourcingRequest) -> None:
    belts = [IndustrialBeltFactory(slug="chenghai-toys"), IndustrialBeltFactory(slug="yiwu")]
    quotes = [
        QuoteFactory(rfq=rfq, supplier=SupplierProfileFactory(belt=belts[i % 2]), quantity=100_000) for i in range(3)
    ]
    client = actors["buyer"].client
    data = {
        "mode": "split",
        **{f"qty_{quote.pk}": "100000" for quote in quotes},
        **{f"ver_{quote.pk}": "1" for quote in quotes},
    }

    review = client.post(reverse("orders:rfq_award", kwargs={"pk": rfq.pk}), data)

    assert review.status_code == 200
    assert review.content.decode().count("data-award-line=") == 3
    assert not Order.objects.exists()
    response = client.post(reverse("orders:rfq_award", kwargs={"pk": rfq.pk}), {**data, "confirm": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:rfq_sourcing", kwargs={"pk": rfq.pk})
    assert Order.objects.filter(rfq=rfq).count() == 3
    page = client.get(response["Location"]).content.decode()
    assert page.count("data-order=") == 3
    assert "300,000" in page


def test_an_award_beyond_the_offer_comes_back_with_a_message_and_no_order(actors: dict, rfq: SourcingRequest) -> None:
    quote = QuoteFactory(rfq=rfq, quantity=100_000)

    response = actors["buyer"].client.post(
        reverse("orders:rfq_award", kwargs={"pk": rfq.pk}),
        {"mode": "split", f"qty_{quote.pk}": "150000", f"ver_{quote.pk}": "1"},
        follow=True,
    )

    assert "offered 100,000" in response.content.decode()
    assert not Order.objects.exists()


def test_another_supplier_cannot_open_the_quote_page_of_a_request_it_does_not_see(
    actors: dict, rfq: SourcingRequest
) -> None:
    response = actors["other_supplier"].client.get(reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}))

    assert response.status_code == 404


def test_a_quote_carries_attachments_the_buyer_can_download_and_others_cannot(
    actors: dict, rfq: SourcingRequest
) -> None:
    pdf = SimpleUploadedFile("test-report.pdf", b"%PDF-1.4\n% EN71 test report\n", content_type="application/pdf")
    actors["supplier"].client.post(
        reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}), {**_quote_form(), "attachments": [pdf]}
    )
    attachment = Quote.objects.get(rfq=rfq).attachments.get()
    url = reverse("buyers:rfq_quote_attachment", kwargs={"pk": rfq.pk, "attachment_pk": attachment.pk})

    download = actors["buyer"].client.get(url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")
    assert actors["other_buyer"].client.get(url).status_code == 404
    assert attachment.original_name == "test-report.pdf"
    assert attachment.file.name.endswith(".pdf")
    assert "test-report" not in attachment.file.name  # stored under a name of ours


def test_an_attachment_that_is_not_a_document_is_refused_and_no_quote_is_sent(
    actors: dict, rfq: SourcingRequest
) -> None:
    script = SimpleUploadedFile("offer.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")

    response = actors["supplier"].client.post(
        reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}), {**_quote_form(), "attachments": [script]}
    )

    assert response.status_code == 400
    assert "offer.pdf" in response.content.decode()
    assert not Quote.objects.exists()
