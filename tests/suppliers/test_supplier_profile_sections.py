"""A supplier lists its monthly capacity per product line, its certifications and its factory photos."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Category
from marketplace.uploads import MAX_IMAGE_BYTES
from suppliers.models import Certification, FactoryPhoto, ProductLineCapacity
from suppliers.services.profiles import MAX_FACTORY_PHOTOS
from tests.conftest import Actor
from tests.factories import CategoryFactory, MembershipFactory
from tests.suppliers.factories_catalog import image_bytes
from tests.suppliers.factories_profile import (
    PDF_BYTES,
    CertificationFactory,
    FactoryPhotoFactory,
    ProductLineCapacityFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def bags() -> Category:
    return CategoryFactory(name_en="Backpacks", name_zh="双肩包")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Monthly capacity ----------------------------------------------------------------------------


def test_a_supplier_adds_edits_and_deletes_its_product_lines(actors: dict[str, Actor], bags: Category) -> None:
    supplier = actors["supplier"]
    client, url = supplier.client, reverse("suppliers:capacity_list")

    added = client.post(
        url, {"category": bags.pk, "product_line": "PVC school backpacks", "monthly_capacity": 200000, "unit": "piece"}
    )

    assert added["Location"] == url
    capacity = ProductLineCapacity.objects.get(supplier=supplier.supplier)
    assert (capacity.product_line, capacity.monthly_capacity, capacity.category) == (
        "PVC school backpacks",
        200000,
        bags,
    )
    assert "PVC school backpacks" in client.get(url).content.decode()

    edit_url = reverse("suppliers:capacity_edit", kwargs={"pk": capacity.pk})
    assert client.get(edit_url).status_code == 200
    edited = client.post(
        edit_url, {"category": bags.pk, "product_line": "Clear backpacks", "monthly_capacity": 250000, "unit": "set"}
    )
    assert edited["Location"] == url
    capacity.refresh_from_db()
    assert (capacity.product_line, capacity.monthly_capacity, capacity.unit) == ("Clear backpacks", 250000, "set")

    deleted = client.post(reverse("suppliers:capacity_delete", kwargs={"pk": capacity.pk}))
    assert deleted["Location"] == url
    assert not ProductLineCapacity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"monthly_capacity": 0}, "monthly_capacity"),
        ({"monthly_capacity": "lots"}, "monthly_capacity"),
        ({"monthly_capacity": 10**12}, "monthly_capacity"),
        ({"product_line": ""}, "product_line"),
        ({"product_line": "x" * 201}, "product_line"),
        ({"unit": "bushel"}, "unit"),
        ({"category": 999999}, "category"),
    ],
)
def test_bad_capacity_input_is_explained_and_nothing_is_added(
    actors: dict[str, Actor], bags: Category, overrides: dict[str, object], field: str
) -> None:
    data = {"category": bags.pk, "product_line": "Backpacks", "monthly_capacity": 1000, "unit": "piece", **overrides}
    response = actors["supplier"].client.post(reverse("suppliers:capacity_list"), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not ProductLineCapacity.objects.exists()


def test_another_suppliers_product_line_answers_404_and_stays(actors: dict[str, Actor], bags: Category) -> None:
    theirs = ProductLineCapacityFactory(supplier=actors["other_supplier"].supplier, monthly_capacity=5000)
    client = actors["supplier"].client
    edit_url = reverse("suppliers:capacity_edit", kwargs={"pk": theirs.pk})

    assert client.get(edit_url).status_code == 404
    data = {"category": bags.pk, "product_line": "Mine now", "monthly_capacity": 1, "unit": "piece"}
    assert client.post(edit_url, data).status_code == 404
    assert client.post(reverse("suppliers:capacity_delete", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.monthly_capacity == 5000
    assert theirs.product_line != "Mine now"


@pytest.mark.parametrize(
    "name",
    [
        "suppliers:capacity_list",
        "suppliers:certification_list",
        "suppliers:photo_list",
        "suppliers:profile_edit",
    ],
)
def test_a_company_that_does_not_sell_is_sent_to_start_selling(name: str) -> None:
    client = Client()
    client.force_login(MembershipFactory().user)
    assert client.get(reverse(name))["Location"] == reverse("suppliers:become")


# --- Certifications ------------------------------------------------------------------------------


def certification_form(**overrides: object) -> dict[str, object]:
    return {
        "name": "ISO 9001",
        "issuer": "SGS",
        "number": "CN-2024-0001",
        "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "file": upload("iso.pdf", PDF_BYTES, "application/pdf"),
        **overrides,
    }


def test_a_supplier_adds_a_certificate_with_its_pdf(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    url = reverse("suppliers:certification_list")

    response = supplier.client.post(url, certification_form())

    assert response["Location"] == url
    certification = Certification.objects.get(supplier=supplier.supplier)
    assert (certification.name, certification.issuer, certification.number) == ("ISO 9001", "SGS", "CN-2024-0001")
    assert certification.file.name.endswith(".pdf")
    page = supplier.client.get(url).content.decode()
    assert "ISO 9001" in page
    download = supplier.client.get(reverse("suppliers:certification_file", kwargs={"pk": certification.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_certificate_may_be_an_image_and_is_stored_as_what_it_really_is(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    scan = upload("scan.png", image_bytes(size=(300, 400), image_format="PNG"), "image/png")
    supplier.client.post(reverse("suppliers:certification_list"), certification_form(file=scan))
    assert Certification.objects.get().file.name.endswith(".png")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"file": upload("iso.pdf", b"MZ\x90\x00 this is a windows program")}, "file", "PDF"),
        ({"file": upload("setup.exe", b"MZ\x90\x00 program")}, "file", "PDF"),
        ({"file": upload("huge.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))}, "file", "too large"),
        ({"file": ""}, "file", "required"),
        ({"name": ""}, "name", "required"),
        ({"issuer": ""}, "issuer", "required"),
        ({"expires_on": "tomorrow-ish"}, "expires_on", "valid date"),
        ({"expires_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, "expires_on", "already expired"),
    ],
)
def test_bad_certificates_are_refused_with_a_clear_message(
    actors: dict[str, Actor], overrides: dict[str, object], field: str, message: str
) -> None:
    response = actors["supplier"].client.post(reverse("suppliers:certification_list"), certification_form(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Certification.objects.exists()


def test_expired_certificates_are_marked_on_the_suppliers_list(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    CertificationFactory(supplier=supplier.supplier, name="BSCI", expires_on=timezone.localdate() - timedelta(days=3))
    CertificationFactory(supplier=supplier.supplier, name="ISO 14001")
    page = supplier.client.get(reverse("suppliers:certification_list")).content.decode()
    assert page.count('data-expired="true"') == 1
    assert "BSCI" in page
    assert "ISO 14001" in page


def test_another_suppliers_certificate_and_its_file_answer_404(actors: dict[str, Actor]) -> None:
    theirs = CertificationFactory(supplier=actors["other_supplier"].supplier)
    client = actors["supplier"].client
    assert client.get(reverse("suppliers:certification_file", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("suppliers:certification_delete", kwargs={"pk": theirs.pk})).status_code == 404
    assert Certification.objects.filter(pk=theirs.pk).exists()


def test_deleting_a_certificate_removes_its_file(
    actors: dict[str, Actor], django_capture_on_commit_callbacks: Any
) -> None:
    supplier = actors["supplier"]
    certification = CertificationFactory(supplier=supplier.supplier)
    name = certification.file.name
    assert certification.file.storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = supplier.client.post(reverse("suppliers:certification_delete", kwargs={"pk": certification.pk}))

    assert response["Location"] == reverse("suppliers:certification_list")
    assert not Certification.objects.exists()
    assert not certification.file.storage.exists(name)


# --- Factory photos ------------------------------------------------------------------------------


def test_a_supplier_uploads_a_factory_photo_and_gets_a_thumbnail(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    url = reverse("suppliers:photo_list")
    photo_file = upload("workshop.jpg", image_bytes(size=(1600, 1200), image_format="JPEG"), "image/jpeg")

    response = supplier.client.post(url, {"image": photo_file, "caption": "Cutting workshop"})

    assert response["Location"] == url
    photo = FactoryPhoto.objects.get(supplier=supplier.supplier)
    assert (photo.width, photo.height, photo.caption) == (1600, 1200, "Cutting workshop")
    assert photo.thumbnail.name.endswith("-thumb.jpg")
    assert max(photo.thumbnail.width, photo.thumbnail.height) <= 400
    page = supplier.client.get(url).content.decode()
    assert photo.thumbnail.url in page
    assert "Cutting workshop" in page


@pytest.mark.parametrize(
    ("photo_file", "message"),
    [
        (upload("workshop.jpg", b"%PDF-1.4 not an image at all", "image/jpeg"), "not an image"),
        (upload("workshop.png", b"MZ\x90\x00 a program", "image/png"), "not an image"),
        (upload("huge.jpg", b"\xff\xd8\xff" + b"0" * MAX_IMAGE_BYTES, "image/jpeg"), "the limit is 8 MB"),
        (upload("tiny.png", image_bytes(size=(20, 20)), "image/png"), "too small"),
    ],
)
def test_a_photo_that_is_not_a_sane_image_is_refused(
    actors: dict[str, Actor], photo_file: SimpleUploadedFile, message: str
) -> None:
    response = actors["supplier"].client.post(reverse("suppliers:photo_list"), {"image": photo_file})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["image"])
    assert not FactoryPhoto.objects.exists()


def test_a_profile_shows_at_most_twenty_factory_photos(actors: dict[str, Actor]) -> None:
    supplier = actors["supplier"]
    FactoryPhotoFactory.create_batch(MAX_FACTORY_PHOTOS, supplier=supplier.supplier)
    photo_file = upload("one-more.png", image_bytes(size=(200, 200)), "image/png")

    response = supplier.client.post(reverse("suppliers:photo_list"), {"image": photo_file})

    assert response.status_code == 400
    assert "at most 20" in " ".join(response.context["form"].errors["image"])
    assert FactoryPhoto.objects.count() == MAX_FACTORY_PHOTOS


def test_deleting_a_photo_removes_it_and_another_suppliers_answers_404(actors: dict[str, Actor]) -> None:
    mine = FactoryPhotoFactory(supplier=actors["supplier"].supplier)
    theirs = FactoryPhotoFactory(supplier=actors["other_supplier"].supplier)
    client = actors["supplier"].client

    assert client.post(reverse("suppliers:photo_delete", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("suppliers:photo_delete", kwargs={"pk": mine.pk}))["Location"] == reverse(
        "suppliers:photo_list"
    )
    assert list(FactoryPhoto.objects.all()) == [theirs]
