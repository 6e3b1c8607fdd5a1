"""The exchange-rate feed: the European Central Bank's daily reference rates, stored dated.

The ECB publishes, on each working day around 16:00 CET, one file (`eurofxref-daily.xml`) with
the value of one euro in about 30 currencies:

    <Cube><Cube time="2026-10-30"><Cube currency="USD" rate="1.1172"/>...</Cube></Cube>

`exchange_rates_refresh` fetches it from `EXCHANGE_RATES_URL` (with a timeout), parses it without
expanding entities or reading a DTD (defusedxml) and stores EUR→currency rates for the file's day
with the source "ECB". It is idempotent: a rate already stored for that pair and day, whether an
earlier run's or one staff entered in the admin, is kept, so staff win over the feed on the same
day and a re-run writes nothing. Currencies the installation does not know are skipped. A failed
fetch or a file that cannot be read changes nothing: the reason is logged and returned.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.db import transaction

from marketplace.models import Currency, ExchangeRate
from marketplace.selectors.money import FEED_BASE

logger = logging.getLogger(__name__)

FEED_SOURCE = "ECB"
# The daily file is about 1.5 kB; anything far larger is not it.
MAX_FEED_BYTES = 1_000_000


class FeedError(Exception):
    """The feed could not be fetched or read; the message says why, for the log and the caller."""


@dataclass(frozen=True)
class FeedRates:
    """One day's reference rates: one unit of `base` is worth `rates[code]` of each currency."""

    published_on: date
    rates: dict[str, Decimal]
    base: str = FEED_BASE


@dataclass(frozen=True)
class FeedOutcome:
    """What a refresh did: rates `stored`, rates `kept` (already there for that day), currencies
    `skipped` (unknown here), or the `error` that left every rate as it was."""

    published_on: date | None = None
    stored: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _decimal(raw: str | None, *, currency: str) -> Decimal:
    try:
        value = Decimal((raw or "").strip())
    except InvalidOperation as exc:
        raise FeedError(f"The rate of {currency} is not a number: {raw!r}.") from exc
    if not value.is_finite() or value <= 0:
        raise FeedError(f"The rate of {currency} is not a positive number: {raw!r}.")
    return value


def _day(element: Element) -> date:
    raw = element.get("time", "")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise FeedError(f"The day of the rates is not a date: {raw!r}.") from exc


def ecb_rates_parse(content: bytes) -> FeedRates:
    """The rates in an ECB daily file; FeedError when it is not one (or holds no rate)."""
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise FeedError(f"The file is not readable XML: {exc}.") from exc
    days = [element for element in root.iter() if element.tag.endswith("Cube") and element.get("time")]
    if len(days) != 1:
        raise FeedError(f"The file holds {len(days)} days of rates; a daily file holds one.")
    rates: dict[str, Decimal] = {}
    for element in days[0]:
        currency = (element.get("currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise FeedError(f"A rate names no currency code: {currency!r}.")
        rates[currency] = _decimal(element.get("rate"), currency=currency)
    if not rates:
        raise FeedError("The file holds no rates.")
    return FeedRates(published_on=_day(days[0]), rates=rates)


def ecb_feed_download(*, url: str, timeout: float) -> bytes:
    """The body of the feed at `url` (http or https only); FeedError on any failure."""
    if not url.lower().startswith(("http://", "https://")):
        raise FeedError(f"The rates address must start with http:// or https://, not {url[:80]!r}.")
    request = urllib.request.Request(url, headers={"User-Agent": "SourceBelt exchange rates"})  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            content: bytes = response.read(MAX_FEED_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FeedError(f"The rates server answered {exc.code} {exc.reason}.") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FeedError(f"The rates server could not be reached: {reason}.") from exc
    if len(content) > MAX_FEED_BYTES:
        raise FeedError(f"The rates file is larger than {MAX_FEED_BYTES} bytes.")
    return content


def exchange_rates_store(*, feed: FeedRates, source: str = FEED_SOURCE) -> FeedOutcome:
    """Store the feed's rates for its day, keeping any rate already there for a pair and day."""
    with transaction.atomic():
        known = set(Currency.objects.filter(code__in=[feed.base, *feed.rates]).values_list("code", flat=True))
        if feed.base not in known:
            return FeedOutcome(published_on=feed.published_on, error=f"The base currency {feed.base} is unknown.")
        wanted = sorted(code for code in feed.rates if code in known and code != feed.base)
        present = set(
            ExchangeRate.objects.filter(base_id=feed.base, quote_id__in=wanted, valid_on=feed.published_on).values_list(
                "quote_id", flat=True
            )
        )
        new = [code for code in wanted if code not in present]
        # ignore_conflicts: a run at the same moment (or staff saving the same pair) wins the row.
        ExchangeRate.objects.bulk_create(
            [
                ExchangeRate(
                    base_id=feed.base, quote_id=code, rate=feed.rates[code], valid_on=feed.published_on, source=source
                )
                for code in new
            ],
            ignore_conflicts=True,
        )
    return FeedOutcome(
        published_on=feed.published_on,
        stored=new,
        kept=sorted(present),
        skipped=sorted(code for code in feed.rates if code not in known),
    )


def exchange_rates_refresh(*, url: str | None = None, timeout: float | None = None) -> FeedOutcome:
    """Fetch the ECB daily file and store its rates; never raises for the feed's faults.

    A failure (unreachable server, HTTP error, a file that is not the ECB's format) stores nothing,
    logs a warning with the reason and returns it as the outcome's `error`.
    """
    url = url or settings.EXCHANGE_RATES_URL
    timeout = settings.EXCHANGE_RATES_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        feed = ecb_rates_parse(ecb_feed_download(url=url, timeout=timeout))
    except FeedError as exc:
        logger.warning("Exchange rates from %s not refreshed: %s", url, exc)
        return FeedOutcome(error=str(exc))
    outcome = exchange_rates_store(feed=feed)
    if outcome.error:
        logger.warning("Exchange rates from %s not refreshed: %s", url, outcome.error)
    else:
        logger.info(
            "Exchange rates of %s from %s: %d stored, %d kept, skipped %s",
            feed.published_on,
            url,
            len(outcome.stored),
            len(outcome.kept),
            ", ".join(outcome.skipped) or "none",
        )
    return outcome
