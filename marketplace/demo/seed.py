"""Load the kernel's demo data: categories, belts, exchange rates and the demo accounts.

Every row is upserted by a natural key (slug, e-mail, company name, currency pair and day), so
seeding again changes nothing but the passwords, which are set again so the printed ones work.
The belts' factories and the demo supplier's profile are the suppliers app's to seed
(`suppliers.demo.factories`, which uses `demo_user`, `demo_company` and `demo_owner` from here);
the `seed_demo` command of the project package calls each app's seeder in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from marketplace.demo.accounts import ACCOUNTS, SUPPLIER, DemoAccount
from marketplace.demo.belts import BELTS
from marketplace.demo.categories import CATEGORY_TREE, CategoryNode
from marketplace.demo.rates import RECORDED_ECB_FILE, daily_rates
from marketplace.models import Category, Company, Currency, ExchangeRate, IndustrialBelt, Membership, User
from marketplace.services.default_currencies import ensure_default_currencies
from marketplace.services.exchange_rates import FeedRates, ecb_rates_parse, exchange_rates_store
from marketplace.services.notifications import notify

RATE_SOURCE = "SourceBelt demo"
ECB_DEMO_SOURCE = "ECB (recorded file)"


@dataclass
class DemoSummary:
    """What the seed left in the database, for the command to print."""

    categories: int = 0
    belts: int = 0
    rates: int = 0
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, what it is)
    password: str = ""


def _seed_categories(nodes: list[CategoryNode], parent: Category | None, by_slug: dict[str, Category]) -> None:
    for position, (slug, name_en, name_zh, children) in enumerate(nodes):
        category, _ = Category.objects.update_or_create(
            slug=slug, defaults={"parent": parent, "name_en": name_en, "name_zh": name_zh, "position": position}
        )
        by_slug[slug] = category
        _seed_categories(children, category, by_slug)


def _seed_rates(today: date) -> int:
    """A month of USD rates, written in bulk (570 rows one by one would make the seed crawl)."""
    usd = Currency.objects.get(code="USD")
    rows = daily_rates(today)
    currencies = Currency.objects.in_bulk({quote for quote, _, _ in rows})
    rows = [(quote, day, rate) for quote, day, rate in rows if quote in currencies]
    existing = {
        (rate.quote_id, rate.valid_on): rate
        for rate in ExchangeRate.objects.filter(
            base=usd, quote__in=currencies, valid_on__gte=min(day for _, day, _ in rows)
        )
    }
    to_create: list[ExchangeRate] = []
    to_update: list[ExchangeRate] = []
    for quote, day, value in rows:
        found = existing.get((quote, day))
        if found is None:
            to_create.append(ExchangeRate(base=usd, quote_id=quote, valid_on=day, rate=value, source=RATE_SOURCE))
        elif found.rate != value:
            found.rate = value
            to_update.append(found)
    ExchangeRate.objects.bulk_create(to_create)
    ExchangeRate.objects.bulk_update(to_update, ["rate"])
    return len(rows)


def _seed_ecb_rates(today: date) -> int:
    """The recorded ECB file's rates, dated today (a rate already there for today is kept)."""
    recorded = ecb_rates_parse(RECORDED_ECB_FILE.read_bytes())
    outcome = exchange_rates_store(feed=FeedRates(published_on=today, rates=recorded.rates), source=ECB_DEMO_SOURCE)
    return len(outcome.stored) + len(outcome.kept)


def demo_user(
    *, email: str, name: str, language: str, currency: str, password_hash: str, is_staff: bool = False
) -> User:
    """Create or refresh a demo user; the password is set again each run so the printed one always works."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, name=name)
    user.name = name
    user.preferred_language = language
    user.preferred_currency_id = currency
    user.is_staff = is_staff
    user.is_superuser = is_staff
    user.is_active = True
    # One hash for every demo account: hashing ~30 times would make the seed take half a minute.
    user.password = password_hash
    user.save()
    return user


def demo_company(*, name: str, country: str, city: str) -> Company:
    company, _ = Company.objects.update_or_create(name=name, defaults={"country": country, "city": city})
    return company


def demo_owner(user: User, company: Company) -> None:
    Membership.objects.update_or_create(user=user, company=company, defaults={"role": Membership.Role.OWNER})


def _welcome(user: User, account: DemoAccount) -> None:
    notify(
        recipients=[user],
        kind="welcome",
        event_key=f"welcome:{user.pk}",
        context={"name": user.name, "company": account.company or "SourceBelt"},
    )


def seed_demo(*, password: str, today: date | None = None) -> DemoSummary:
    """Create or refresh all the demo data in one transaction; safe to run any number of times."""
    today = today or timezone.localdate()
    summary = DemoSummary(password=password)
    password_hash = make_password(password)
    with transaction.atomic():
        ensure_default_currencies()  # the rates and the accounts' currencies need them, even before a migrate ran them
        categories: dict[str, Category] = {}
        _seed_categories(CATEGORY_TREE, None, categories)
        summary.categories = len(categories)

        belts: dict[str, IndustrialBelt] = {}
        for spec in BELTS:
            belt, _ = IndustrialBelt.objects.update_or_create(
                slug=spec.slug,
                defaults={
                    "name_en": spec.name_en,
                    "name_zh": spec.name_zh,
                    "province": spec.province,
                    "city": spec.city,
                    "city_zh": spec.city_zh,
                    "status": spec.status,
                    "number_of_firms": spec.firms,
                    "annual_output_cny": spec.annual_output_cny,
                    "employees": spec.employees,
                    "export_share_percent": spec.export_share,
                    "description_en": spec.description_en,
                    "description_zh": spec.description_zh,
                },
            )
            belt.specialties.set([categories[slug] for slug in spec.specialties])
            belts[spec.slug] = belt
        summary.belts = len(belts)
        summary.rates = _seed_rates(today) + _seed_ecb_rates(today)

        for account in ACCOUNTS:
            user = demo_user(
                email=account.email,
                name=account.name,
                language=account.language,
                currency=account.currency,
                password_hash=password_hash,
                is_staff=account.is_staff,
            )
            if account.company:
                company = demo_company(name=account.company, country=account.country or "CN", city=account.city)
                demo_owner(user, company)
            _welcome(user, account)
            summary.accounts.append((account.email, account_role(account)))
    return summary


def account_role(account: DemoAccount) -> str:
    if account.is_staff:
        return "staff (superuser, Django admin)"
    if account is SUPPLIER:
        return f"verified supplier in the Baigou belt ({account.company})"
    return f"buyer ({account.company})"


__all__ = ["DemoSummary", "demo_company", "demo_owner", "demo_user", "seed_demo"]
