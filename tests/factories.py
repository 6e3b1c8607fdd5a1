"""factory-boy factories for every model. Tests build what they need from these."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from marketplace.models import (
    ApiToken,
    Category,
    Company,
    Currency,
    ExchangeRate,
    IndustrialBelt,
    Invitation,
    Membership,
    Notification,
    User,
)
from marketplace.services.accounts import companies_selling_set
from suppliers.models import SupplierProfile

TEST_PASSWORD = "correct-horse-battery-9"


class CurrencyFactory(DjangoModelFactory):
    class Meta:
        model = Currency
        django_get_or_create = ("code",)

    code = "USD"
    name = factory.LazyAttribute(lambda o: f"{o.code} currency")
    symbol = ""


class ExchangeRateFactory(DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    base = factory.SubFactory(CurrencyFactory, code="USD")
    quote = factory.SubFactory(CurrencyFactory, code="CNY")
    rate = Decimal("7.10")
    valid_on = factory.LazyFunction(lambda: timezone.localdate())


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    preferred_language = "en"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    country = "LK"
    city = "Colombo"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.OWNER


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    company = factory.SubFactory(CompanyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.MEMBER
    token_hash = factory.LazyFunction(lambda: Invitation.hash_token(secrets.token_urlsafe(32)))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class ApiTokenFactory(DjangoModelFactory):
    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Test token"
    prefix = "testtest"
    key_hash = factory.LazyFunction(lambda: ApiToken.hash_key(secrets.token_urlsafe(32)))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    parent = None
    name_en = factory.Sequence(lambda n: f"Category {n}")
    name_zh = factory.Sequence(lambda n: f"类目{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class IndustrialBeltFactory(DjangoModelFactory):
    class Meta:
        model = IndustrialBelt
        skip_postgeneration_save = True

    name_en = factory.Sequence(lambda n: f"Belt {n}")
    name_zh = factory.Sequence(lambda n: f"产业带{n}")
    slug = factory.Sequence(lambda n: f"belt-{n}")
    province = "zhejiang"
    city = "Yiwu"
    status = IndustrialBelt.Status.LIVE
    number_of_firms = 1000

    @factory.post_generation
    def specialties(self, create: bool, extracted: list[Category] | None, **kwargs: object) -> None:
        if create and extracted:
            self.specialties.set(extracted)


class SupplierProfileFactory(DjangoModelFactory):
    class Meta:
        model = SupplierProfile
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory, country="CN", city="Baoding")
    name = factory.LazyAttribute(lambda o: o.company.name)
    belt = factory.SubFactory(IndustrialBeltFactory)
    province = "hebei"
    city = "Baoding"

    @factory.post_generation
    def main_categories(self, create: bool, extracted: list[Category] | None, **kwargs: object) -> None:
        if create and extracted:
            self.main_categories.set(extracted)

    @factory.post_generation
    def company_sells(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The company now sells, as `supplier_become` records it (`Company.sells`)."""
        if create:
            companies_selling_set(company_ids=[self.company_id], sells=True)
            self.company.sells = True


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event_key = factory.Sequence(lambda n: f"test-event-{n}")
    kind = "welcome"
    context = factory.LazyFunction(dict)
