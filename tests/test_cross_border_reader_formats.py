"""Every reader gets one format for their language: amounts with their currency's ISO 4217 digits
(JPY and KRW none, USD and CNY two), digits grouped, quantities with their unit in the language's
plural ("20,000 pieces", "20,000 件"), suppliers' cities in Chinese for Chinese readers and dates
in the language's one format, on pages, e-mails and the printable order alike."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from buyers.models import QuoteVersion
from buyers.quote_history import quote_history
from marketplace import formatting
from marketplace.models import Currency, IndustrialBelt, Notification
from marketplace.notification_texts import notification_render
from orders.models import Order
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.buyers.factories_quotes import QuoteFactory
from tests.orders.builders_orders import place_order

ENGLISH, CHINESE = "en", "zh-hans"


def _text(response: Any) -> str:
    """A page's words as a reader sees them: tags stripped, white space collapsed."""
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def _reading(actor: Any, language: str) -> Any:
    actor.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # chosen with the switcher
    return actor.client


# --- The formatter itself ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "shown"),
    [
        ("JPY", "JPY 1,512,000"),
        ("KRW", "KRW 1,512,000"),
        ("VND", "VND 1,512,000"),
        ("USD", "USD 1,512,000.00"),
        ("CNY", "CNY 1,512,000.00"),
        ("IDR", "IDR 1,512,000.00"),  # ISO 4217 keeps two places for the rupiah
        ("KWD", "KWD 1,512,000.000"),
        ("XYZ", "XYZ 1,512,000.00"),  # a code the standard does not list: two places
    ],
)
@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
def test_cross_border_an_amount_has_its_currency_s_iso_4217_digits_grouped_in_every_language(
    currency: str, shown: str, language: str
) -> None:
    with translation.override(language):
        assert formatting.money_text(Decimal("1512000.0004"), currency) == shown


def test_cross_border_a_unit_price_keeps_its_cents_and_a_yen_price_needs_none() -> None:
    assert formatting.unit_price_text(Decimal("13"), "CNY") == "13.00"
    assert formatting.unit_price_text(Decimal("0.035"), "USD") == "0.035"
    assert formatting.unit_price_text(Decimal("130"), "JPY") == "130"
    assert formatting.unit_price_text(Decimal("1300.5"), "KRW") == "1,300.5"
    assert formatting.plain_unit_price(Decimal("12345.5000")) == "12345.50", "the API's numbers stay machine numbers"


@pytest.mark.parametrize(
    ("quantity", "unit", "english", "chinese"),
    [
        (1, "piece", "1 piece", "1 件"),
        (20000, "piece", "20,000 pieces", "20,000 件"),
        (1, "pair", "1 pair", "1 双"),
        (500, "pair", "500 pairs", "500 双"),
        (12, "box", "12 boxes", "12 盒"),
        (Decimal("1.5"), "kg", "1.5 kilograms", "1.5 千克"),
        (3, "m2", "3 square metres", "3 平方米"),
    ],
)
def test_cross_border_a_quantity_reads_with_its_unit_in_the_language_s_plural(
    quantity: object, unit: str, english: str, chinese: str
) -> None:
    with translation.override(ENGLISH):
        assert formatting.quantity_with_unit(quantity, unit) == english
    with translation.override(CHINESE):
        assert formatting.quantity_with_unit(quantity, unit) == chinese


def test_cross_border_dates_have_one_format_per_language_even_from_a_stored_iso_fact() -> None:
    moment = datetime.datetime(2026, 12, 6, 3, 29, tzinfo=datetime.UTC)
    with translation.override(ENGLISH):
        assert formatting.date_text(datetime.date(2026, 12, 6)) == "2026-12-06"
        assert formatting.moment_text(moment.isoformat()) == "2026-12-06 03:29"
    with translation.override(CHINESE):
        assert formatting.date_text("2026-12-06") == "2026年12月6日"
        assert formatting.moment_text(moment) == "2026年12月6日 03:29"


def test_cross_border_staff_cannot_give_the_yen_decimal_places_it_does_not_have() -> None:
    with pytest.raises(ValidationError, match="JPY has 0 decimal places in ISO 4217"):
        Currency(code="JPY", name="Japanese yen", decimal_places=2).clean()
    Currency(code="NOK", name="Norwegian krone", decimal_places=2).clean()


# --- Pages, the printable order and e-mails -----------------------------------------------------


ORDERS = [
    # currency, unit price, what 20,000 pieces cost
    ("JPY", "75.60", "JPY 1,512,000"),
    ("KRW", "756", "KRW 15,120,000"),
    ("CNY", "7.56", "CNY 151,200.00"),
    ("USD", "7.56", "USD 151,200.00"),
]


@pytest.mark.parametrize(("currency", "unit_price", "total"), ORDERS)
@pytest.mark.parametrize(("language", "line"), [(ENGLISH, "20,000 pieces"), (CHINESE, "20,000 件")])
def test_cross_border_an_order_and_its_printable_copy_read_in_the_reader_s_format(
    actors: dict, currency: str, unit_price: str, total: str, language: str, line: str
) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = place_order(
        buyer=buyer.company,
        supplier=supplier.supplier,
        actor=buyer.user,
        quantity=20000,
        unit_price=unit_price,
        currency=currency,
    )
    client = _reading(buyer, language)

    for path in (f"/orders/{order.pk}/", f"/orders/{order.pk}/print/"):
        page = _text(client.get(path))
        assert total in page, path
        assert line in page, path
        assert f"{total}.00" not in page, "no digits the currency does not have"
        assert not re.search(r"\b\d{5,}\b", page.replace(order.number, "")), "every long number grouped"


def test_cross_border_the_supplier_s_order_e_mail_gives_yen_without_decimals_in_both_languages(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    place_order(
        buyer=buyer.company,
        supplier=supplier.supplier,
        actor=buyer.user,
        quantity=20000,
        unit_price="75.60",
        currency="JPY",
    )
    placed = Notification.objects.get(kind="order_placed", recipient=supplier.user)

    for language in (ENGLISH, CHINESE):
        body = notification_render(notification=placed, language=language).body
        assert "1,512,000 JPY" in body
        assert "1,512,000.00" not in body


@pytest.mark.parametrize(
    ("currency", "unit_price", "total"),
    [
        ("JPY", "130", "2,600,000"),
        ("KRW", "1300", "26,000,000"),
        ("CNY", "13.5", "270,000.00"),
        ("USD", "2.10", "42,000.00"),
    ],
)
@pytest.mark.parametrize(("language", "need"), [(ENGLISH, "You need 20,000 pieces by"), (CHINESE, "20,000 件")])
def test_cross_border_the_comparison_totals_quotes_in_the_currency_s_digits(
    actors: dict, currency: str, unit_price: str, total: str, language: str, need: str
) -> None:
    buyer = actors["buyer"]
    rfq = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user, quantity=20000, currency_id=currency)
    QuoteFactory(rfq=rfq, unit_price=Decimal(unit_price), currency_id=currency, freight=None)

    url = reverse("buyers:rfq_quotes", kwargs={"pk": rfq.pk}) + f"?currency={currency}"
    page = _text(_reading(buyer, language).get(url))

    assert need in page
    assert total in page
    if currency in {"JPY", "KRW"}:
        assert f"{total}.00" not in page


def test_cross_border_a_factory_reads_the_buyer_s_quantity_in_its_plural_and_the_yen_price_whole(
    actors: dict,
) -> None:
    supplier = actors["supplier"]
    rfq = SourcingRequestFactory(quantity=1, unit="pair", currency_id="JPY", target_unit_price=Decimal("130"))
    MatchFactory(rfq=rfq, supplier=supplier.supplier)
    url = reverse("buyers:supplier_rfq_detail", kwargs={"pk": rfq.pk})

    english = _text(_reading(supplier, ENGLISH).get(url))
    chinese = _text(_reading(supplier, CHINESE).get(url))

    assert "1 pair" in english
    assert "1 pairs" not in english
    assert "1 双" in chinese
    assert "JPY 130" in english
    assert "JPY 130.00" not in english


@pytest.fixture
def baigou_factory(actors: dict) -> Any:
    supplier = actors["supplier"].supplier
    supplier.city, supplier.province = "Baigou", "hebei"
    supplier.save(update_fields=["city", "province"])
    return supplier


def test_cross_border_a_supplier_s_city_reads_in_chinese_for_chinese_readers(actors: dict, baigou_factory: Any) -> None:
    url = reverse("suppliers:detail", kwargs={"pk": baigou_factory.pk})
    buyer = actors["buyer"]

    english = _text(_reading(buyer, ENGLISH).get(url))
    chinese = _text(_reading(buyer, CHINESE).get(url))

    assert "Baigou, Hebei" in english
    assert "河北 白沟" in chinese
    assert "Baigou" not in chinese


def test_cross_border_a_city_typed_in_chinese_reads_in_english_for_english_readers() -> None:
    with translation.override(ENGLISH):
        assert IndustrialBelt(city="保定白沟", province="hebei").place == "Baigou, Baoding, Hebei"
        assert IndustrialBelt(city="台州黄岩", province="zhejiang").city_name == "Huangyan, Taizhou"
    with translation.override(CHINESE):
        assert IndustrialBelt(city="Taizhou", province="jiangsu").city_name == "泰州", "not Zhejiang's 台州"
        assert IndustrialBelt(city="Springfield", province="hebei").city_name == "Springfield", "as typed when unknown"


def test_cross_border_staff_give_a_belt_its_chinese_city_name_on_the_belt_form(actors: dict) -> None:
    belt = IndustrialBelt.objects.create(
        name_en="Anping wire mesh", name_zh="安平丝网", slug="anping-wire-mesh", province="hebei", city="Anping"
    )
    staff = actors["staff"]
    edit = reverse("belt_admin:belt_edit", kwargs={"slug": belt.slug})
    assert 'name="city_zh"' in staff.client.get(edit).content.decode()

    response = staff.client.post(edit, {"city_zh": "衡水安平", "description_en": "", "description_zh": ""})

    assert response.status_code == 302
    belt.refresh_from_db()
    assert belt.city_zh == "衡水安平"
    with translation.override(CHINESE):
        assert belt.place == "河北 衡水安平"


def test_cross_border_a_negotiation_deadline_e_mail_is_dated_in_the_reader_s_format(actors: dict) -> None:
    deadline = datetime.datetime(2026, 12, 6, 3, 29, tzinfo=datetime.UTC)
    notification = Notification(
        kind="negotiation_round_opened",
        context={
            "title": "Backpacks",
            "reference": "RFQ-000001",
            "round": 1,
            "version": 2,
            "deadline": deadline.isoformat(),
        },
    )

    english = notification_render(notification=notification, language=ENGLISH)
    chinese = notification_render(notification=notification, language=CHINESE)

    assert "until 2026-12-06 03:29;" in english.body
    assert "2026年12月6日 03:29" in chinese.body
    assert "2026-12-06" not in chinese.subject + chinese.body


def test_cross_border_orders_keep_their_currency_s_digits_when_stored(actors: dict) -> None:
    buyer, supplier = actors["buyer"], actors["supplier"]
    order = place_order(
        buyer=buyer.company,
        supplier=supplier.supplier,
        actor=buyer.user,
        quantity=3,
        unit_price="75.60",
        currency="JPY",
    )
    assert Order.objects.get(pk=order.pk).total == Decimal("227")


def test_cross_border_a_quote_s_history_shows_its_changes_in_the_reader_s_format() -> None:
    first = {"unit_price": "130", "currency": "JPY", "quantity": 20000, "valid_until": "2026-12-06"}
    second = {**first, "unit_price": "125.5", "quantity": 25000, "valid_until": "2026-12-20", "freight": "15000"}
    versions = [QuoteVersion(number=1, terms=first), QuoteVersion(number=2, terms={**second, "freight_basis": "unit"})]

    with translation.override(CHINESE):
        changes = {change.field: (change.before, change.after) for change in quote_history(versions)[1].changes}

    assert changes["unit_price"] == ("130", "125.5")
    assert changes["quantity"] == ("20,000", "25,000")
    assert changes["valid_until"] == ("2026年12月6日", "2026年12月20日")
    assert changes["freight"] == ("—", "15,000")
    assert changes["freight_basis"][1] != "unit", "the choice's label, not its code"
