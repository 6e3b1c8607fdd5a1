"""What the posting tests share: the category tree and currencies a buyer chooses from, the values
of a complete RFQ form and API body, and real files to attach."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from buyers.forms.rfqs import datetime_local
from buyers.models import SourcingRequest
from marketplace.models import Category
from tests.buyers.factories import SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import CategoryFactory, CurrencyFactory
from tests.suppliers.factories_catalog import image_bytes

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def posting_world() -> dict[str, Category]:
    """Active currencies and a small category tree: bags › school backpacks, and toys."""
    for code in ("USD", "EUR", "CNY", "LKR"):
        CurrencyFactory(code=code)
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    school = CategoryFactory(slug="school-backpacks", name_en="School backpacks", name_zh="书包", parent=bags)
    toys = CategoryFactory(slug="toys", name_en="Toys", name_zh="玩具")
    return {"bags": bags, "school": school, "toys": toys}


def in_days(days: int, hour: int = 17) -> Any:
    return (timezone.localtime() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def rfq_form(bag_category: Category, /, **overrides: Any) -> dict[str, Any]:
    """The RFQ form as a buyer fills it in: the Sri Lankan backpack request of story 1."""
    values: dict[str, Any] = {
        "title": "Transparent school backpacks",
        "description": "Clear PVC backpacks for schools, reinforced straps.",
        "category": str(bag_category.pk),
        "quantity": "50000",
        "unit": "piece",
        "target_unit_price": "3.20",
        "currency": "USD",
        "destination_country": "LK",
        "destination_city": "Colombo",
        "incoterm": "CIF",
        "required_by": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "quote_deadline": datetime_local(in_days(7)),
        "visibility": "public",
        "allow_split": "on",
        "max_quotes": "",
        "invited_suppliers": "",
        "action": "save",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def rfq_body(**overrides: Any) -> dict[str, Any]:
    """The same request as an API client sends it (JSON)."""
    body: dict[str, Any] = {
        "title": "Transparent school backpacks",
        "description": "Clear PVC backpacks for schools, reinforced straps.",
        "category": "school-backpacks",
        "quantity": 50000,
        "unit": "piece",
        "target_unit_price": "3.20",
        "currency": "USD",
        "destination_country": "LK",
        "destination_city": "Colombo",
        "incoterm": "CIF",
        "required_by": (timezone.localdate() + timedelta(days=21)).isoformat(),
        "quote_deadline": in_days(7).isoformat(),
        "visibility": "public",
        "allow_split": True,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def pdf(name: str = "drawing.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(size=(200, 150)), content_type="image/png")


def not_a_document(name: str = "specs.pdf") -> SimpleUploadedFile:
    """A file that says it is a PDF but is a program."""
    return SimpleUploadedFile(name, b"MZ\x90\x00 this is no pdf", content_type="application/pdf")


def draft_of(actor: Actor, **fields: Any) -> SourcingRequest:
    fields.setdefault("status", SourcingRequest.Status.DRAFT)
    return SourcingRequestFactory(buyer=actor.company, created_by=actor.user, **fields)


def open_rfq_of(actor: Actor, **fields: Any) -> SourcingRequest:
    return SourcingRequestFactory(buyer=actor.company, created_by=actor.user, **fields)
