"""Belt onboarding objects for the tests: a belt mid-onboarding, factory invitations, factory lists."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from marketplace.models import IndustrialBelt
from suppliers.factory_files import COLUMNS
from suppliers.models import FactoryInvitation
from tests.factories import IndustrialBeltFactory


class OnboardingBeltFactory(IndustrialBeltFactory):
    status = IndustrialBelt.Status.ONBOARDING
    province = "zhejiang"
    city = "Pinghu"


class FactoryInvitationFactory(DjangoModelFactory):
    class Meta:
        model = FactoryInvitation
        skip_postgeneration_save = True

    belt = factory.SubFactory(OnboardingBeltFactory)
    company_name = factory.Sequence(lambda n: f"Pinghu Factory {n} Co., Ltd.")
    contact_name = "Li Wei"
    email = factory.Sequence(lambda n: f"factory{n}@example.cn")
    phone = "+86 573 555 0100"
    monthly_capacity = 50_000
    language = "zh-hans"
    token_nonce = factory.LazyFunction(lambda: secrets.token_hex(16))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @factory.post_generation
    def categories(self, create: bool, extracted: list[Any] | None, **kwargs: object) -> None:
        if create and extracted:
            self.categories.set(extracted)


def factory_row(email: str = "li.wei@example-bags.cn", **values: Any) -> dict[str, Any]:
    base = {
        "company": "Pinghu Hengda Luggage Co., Ltd.",
        "contact_name": "Li Wei",
        "email": email,
        "phone": "+86 573 8512 0001",
        "categories": "luggage",
        "monthly_capacity": "50000",
        "language": "",
    }
    base.update(values)
    return base


def factory_csv(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    columns = list(columns)
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def factory_xlsx(rows: Iterable[dict[str, Any]], *, columns: Iterable[str] = COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    columns = list(columns)
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
