"""Files on S3-compatible object storage (MEDIA_STORAGE=s3), proven against a real server: moto's
S3-compatible server, which `scripts/test-services s3` starts on 127.0.0.1 (docs/storage.md).

The storages are configured exactly as the settings module builds them from the environment (read
once per test process from a fresh process), pointed at two buckets of this process; each test
starts with both empty. Public pictures land in the public bucket and pages link to them there;
private files land in the private bucket, whose objects answer 403 to an unsigned request, and
reach people only through the views that check who asks: streamed, or redirected to a signed URL.

moto serves a signed URL without checking its signature or its age (Amazon S3 and other servers
do), so the tests check the signature themselves with botocore's signer: valid as made, refused
when the object's name is changed, refused once its lifetime is over.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import boto3
import pytest
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buyers.models import Quote, RfqAttachment, SourcingRequest
from marketplace.object_storage import PrivateObjectStorage
from marketplace.storage import move_to_private_storage, private_storage
from suppliers.catalog_files import COLUMNS
from suppliers.models import CatalogImport, Product
from tests.buyers.builders_post import PDF_BYTES, pdf, posting_world, rfq_form
from tests.buyers.factories import MatchFactory, SourcingRequestFactory
from tests.factories import CategoryFactory
from tests.sheets import sheet_csv
from tests.suppliers.factories_catalog import image_bytes
from tests.suppliers.test_import import row as catalog_row
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ACCESS_KEY, SECRET_KEY, REGION = "sourcebelt-test", "sourcebelt-test-secret", "us-east-1"

PRINT_STORAGES = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({"STORAGES": settings.STORAGES, "img-src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]}))
"""


@dataclass(frozen=True)
class ObjectStorage:
    endpoint: str
    public: str
    private: str
    storages: dict[str, Any]
    img_src: list[str]

    @property
    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def names_in(self, bucket: str) -> set[str]:
        listed = self.client.list_objects_v2(Bucket=bucket)
        return {item["Key"] for item in listed.get("Contents", [])}

    def unsigned_url(self, bucket: str, name: str) -> str:
        return f"{self.endpoint}/{bucket}/{name}"


def s3_environment(endpoint: str, public: str, private: str) -> dict[str, str]:
    return {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": public,
        "PRIVATE_STORAGE_BUCKET_NAME": private,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        # moto keeps ACLs: public pictures are made readable by theirs (docs/storage.md).
        "MEDIA_OBJECT_ACL": "public-read",
        "DEBUG": "true",
        "SECRET_KEY": "x",
    }


@pytest.fixture(scope="session")
def object_storage_server() -> str:
    """The URL of the local S3-compatible server (started by scripts/test-services when needed)."""
    started = subprocess.run(
        [str(ROOT / "scripts" / "test-services"), "s3"],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    return started.stdout.strip()


@pytest.fixture(scope="session")
def _object_storage_settings(object_storage_server: str) -> ObjectStorage:
    """This test process's two buckets, and the storages the settings module makes of them."""
    suffix = uuid.uuid4().hex[:12]
    public, private = f"sb-media-{suffix}", f"sb-private-{suffix}"
    result = run_python(["-c", PRINT_STORAGES], **s3_environment(object_storage_server, public, private))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    storage = ObjectStorage(object_storage_server, public, private, printed["STORAGES"], printed["img-src"])
    for bucket in (public, private):
        storage.client.create_bucket(Bucket=bucket)
    return storage


@pytest.fixture
def object_storage(settings: Any, _object_storage_settings: ObjectStorage) -> Iterator[ObjectStorage]:
    """MEDIA_STORAGE=s3 for one test: its storages, both buckets empty, files streamed."""
    storage = _object_storage_settings
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage.storages["default"],
        "private": storage.storages["private"],
    }
    settings.PRIVATE_FILES_SIGNED_URL_SECONDS = 0
    yield storage
    client = storage.client
    for bucket in (storage.public, storage.private):
        for name in storage.names_in(bucket):
            client.delete_object(Bucket=bucket, Key=name)


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    """GET `url` as a browser would, without credentials: status, body, headers (lowercase names)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the local test server)
            return answer.status, answer.read(), {key.lower(): value for key, value in answer.headers.items()}
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read(), {key.lower(): value for key, value in refused.headers.items()}


def signature_holds(url: str, *, at: datetime) -> bool:
    """Whether `url` carries a valid S3 query signature for these credentials at the moment `at`:
    what Amazon S3 checks before it answers a signed URL (moto does not)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if not signed_at <= at < signed_at + timedelta(seconds=int(query["X-Amz-Expires"])):
        return False
    signature = query.pop("X-Amz-Signature")
    request = AWSRequest(
        method="GET",
        url=urlunsplit(parts._replace(query=urlencode(query, quote_via=quote))),
        headers={"host": parts.netloc},
    )
    request.context["timestamp"] = query["X-Amz-Date"]
    auth = S3SigV4QueryAuth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION, expires=int(query["X-Amz-Expires"]))
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request) == signature


# --- The configuration -------------------------------------------------------------------------


def test_scale_out_the_environment_chooses_object_storage_for_both_kinds_of_file(
    object_storage: ObjectStorage,
) -> None:
    public, private = object_storage.storages["default"], object_storage.storages["private"]

    assert public["BACKEND"] == "storages.backends.s3.S3Storage"
    assert public["OPTIONS"]["bucket_name"] == object_storage.public
    assert public["OPTIONS"]["querystring_auth"] is False
    assert private["BACKEND"] == "marketplace.object_storage.PrivateObjectStorage"
    assert private["OPTIONS"]["bucket_name"] == object_storage.private
    assert object_storage.endpoint in object_storage.img_src  # pages may show pictures from the bucket


def test_scale_out_object_storage_is_refused_half_configured(object_storage_server: str) -> None:
    environment = s3_environment(object_storage_server, "sb-media", "sb-private")

    missing = run_python(["-c", PRINT_STORAGES], **{**environment, "PRIVATE_STORAGE_BUCKET_NAME": ""})
    shared = run_python(["-c", PRINT_STORAGES], **{**environment, "PRIVATE_STORAGE_BUCKET_NAME": "sb-media"})

    assert missing.returncode != 0
    assert "PRIVATE_STORAGE_BUCKET_NAME" in missing.stderr
    assert shared.returncode != 0
    assert "must not be the public" in shared.stderr


@pytest.mark.parametrize(
    "option",
    [
        {"custom_domain": "files.example.com"},
        {"querystring_auth": False},
        {"default_acl": "public-read"},
        {"object_parameters": {"ACL": "public-read"}},
        {"cloudfront_key_id": "K1"},
    ],
)
def test_scale_out_the_private_storage_refuses_what_would_make_its_files_public(option: dict[str, Any]) -> None:
    with pytest.raises(ImproperlyConfigured):
        PrivateObjectStorage(bucket_name="sb-private", **option)


# --- Public media --------------------------------------------------------------------------------


def test_scale_out_a_supplier_s_product_picture_goes_to_the_public_bucket_and_the_page_shows_its_url(
    object_storage: ObjectStorage, actors: dict, settings: Any
) -> None:
    seller = actors["supplier"]
    bags = CategoryFactory(slug="bags", name_en="Bags", name_zh="箱包")
    picture = image_bytes(size=(200, 150))
    product_form = {
        "sku": "BG-001",
        "title": "Transparent PVC school backpack",
        "description": "Clear backpack for schools.",
        "category": bags.pk,
        "unit": "piece",
        "moq": "500",
        "currency": "CNY",
        "lead_time_days": "15",
        "status": "published",
        "tier_quantity_0": "500",
        "tier_price_0": "12.50",
        "images": [SimpleUploadedFile("bag.png", picture, content_type="image/png")],
    }

    on_disk = set(Path(settings.MEDIA_ROOT).rglob("*.png"))  # other tests' pictures (a shared folder)
    response = seller.client.post(reverse("suppliers:product_create"), product_form)

    assert response.status_code == 302
    image = Product.objects.get(supplier=seller.supplier).images.get()
    assert (image.width, image.height) == (200, 150)
    assert object_storage.names_in(object_storage.public) == {image.image.name, image.thumbnail.name}
    assert object_storage.names_in(object_storage.private) == set()
    assert set(Path(settings.MEDIA_ROOT).rglob("*.png")) == on_disk, "nothing is written to the web host's disk"
    page = actors["buyer"].client.get(reverse("suppliers:product_detail", kwargs={"pk": image.product_id}))
    url = object_storage.unsigned_url(object_storage.public, image.image.name)
    assert url in page.content.decode()
    status, body, _headers = fetch(url)
    assert (status, body) == (200, picture)

    duplicate = seller.client.post(reverse("suppliers:product_duplicate", kwargs={"pk": image.product_id}))

    assert duplicate.status_code == 302
    copy = Product.objects.exclude(pk=image.product_id).get().images.get()
    assert copy.image.name != image.image.name
    assert object_storage.client.get_object(Bucket=object_storage.public, Key=copy.image.name)["Body"].read() == picture


# --- Private files -------------------------------------------------------------------------------


def test_scale_out_an_rfq_drawing_lands_in_the_private_bucket_and_only_its_owner_streams_it(
    object_storage: ObjectStorage, actors: dict
) -> None:
    buyer = actors["buyer"]
    categories = posting_world()

    buyer.client.post(reverse("buyers:rfq_create"), {**rfq_form(categories["school"]), "attachments": [pdf()]})

    attachment = RfqAttachment.objects.get(rfq__buyer=buyer.company)
    assert object_storage.names_in(object_storage.private) == {attachment.file.name}
    assert object_storage.names_in(object_storage.public) == set()
    assert attachment.file.url == ""  # never an unsigned URL
    url = reverse("buyers:rfq_attachment", kwargs={"pk": attachment.rfq_id, "attachment_pk": attachment.pk})

    mine = buyer.client.get(url)

    assert mine.status_code == 200
    assert b"".join(mine.streaming_content) == PDF_BYTES
    assert mine["Content-Type"] == "application/pdf"
    assert 'filename="drawing.pdf"' in mine["Content-Disposition"]
    assert actors["other_buyer"].client.get(url).status_code == 404
    assert actors["other_supplier"].client.get(url).status_code == 404
    status, body, _headers = fetch(object_storage.unsigned_url(object_storage.private, attachment.file.name))
    assert status == 403, "the private bucket answers no unsigned request"
    assert PDF_BYTES not in body


def test_scale_out_a_quote_attachment_is_handed_over_by_a_signed_url_that_expires(
    object_storage: ObjectStorage, actors: dict, settings: Any
) -> None:
    settings.PRIVATE_FILES_SIGNED_URL_SECONDS = 60
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company, visibility=SourcingRequest.Visibility.PRIVATE)
    MatchFactory(rfq=rfq, supplier=actors["supplier"].supplier)
    report = b"%PDF-1.4\n% EN71 test report\n"
    quote_form = {
        "unit_price": "12.60",
        "currency": "USD",
        "quantity": str(rfq.quantity),
        "lead_time_days": "20",
        "valid_until": (datetime.now(UTC).date() + timedelta(days=20)).isoformat(),
        "incoterm": "FOB",
        "attachments": [SimpleUploadedFile("EN71 report.pdf", report, content_type="application/pdf")],
    }
    sent = actors["supplier"].client.post(reverse("buyers:supplier_quote", kwargs={"pk": rfq.pk}), quote_form)
    assert sent.status_code == 302
    attachment = Quote.objects.get(rfq=rfq).attachments.get()
    assert object_storage.names_in(object_storage.private) == {attachment.file.name}
    url = reverse("buyers:rfq_quote_attachment", kwargs={"pk": rfq.pk, "attachment_pk": attachment.pk})

    answer = actors["buyer"].client.get(url)

    assert answer.status_code == 302
    assert "no-store" in answer["Cache-Control"]
    signed = answer["Location"]
    assert signed.startswith(object_storage.unsigned_url(object_storage.private, attachment.file.name) + "?")
    assert dict(parse_qsl(urlsplit(signed).query))["X-Amz-Expires"] == "60"
    status, body, headers = fetch(signed)
    assert (status, body) == (200, report)
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == 'attachment; filename="EN71 report.pdf"'
    now = datetime.now(UTC)
    assert signature_holds(signed, at=now)
    assert not signature_holds(signed, at=now + timedelta(seconds=61)), "it expires"
    assert not signature_holds(signed.replace(attachment.file.name, "quotes/other.pdf"), at=now)
    assert fetch(object_storage.unsigned_url(object_storage.private, attachment.file.name))[0] == 403
    for outsider in ("other_buyer", "other_supplier"):
        assert actors[outsider].client.get(url).status_code == 404
    anonymous = actors["anonymous"].client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_scale_out_an_api_client_s_drawing_goes_to_the_private_bucket_and_comes_back_by_a_signed_url(
    object_storage: ObjectStorage, actors: dict, settings: Any
) -> None:
    settings.PRIVATE_FILES_SIGNED_URL_SECONDS = 30
    buyer = actors["buyer"]
    rfq = SourcingRequestFactory(buyer=buyer.company, created_by=buyer.user, status=SourcingRequest.Status.DRAFT)

    added = buyer.client.post(f"/api/v1/rfqs/{rfq.pk}/attachments/", {"files": [pdf()]})

    assert added.status_code == 201
    [listed] = added.json()["attachments"]
    assert object_storage.names_in(object_storage.private) == {rfq.attachments.get().file.name}
    download = buyer.client.get(listed["url"])
    assert download.status_code == 302
    assert dict(parse_qsl(urlsplit(download["Location"]).query))["X-Amz-Expires"] == "30"
    assert fetch(download["Location"])[:2] == (200, PDF_BYTES)
    assert actors["other_buyer"].client.get(listed["url"]).status_code == 404


def test_scale_out_a_missing_private_object_answers_404_not_a_dead_link(
    object_storage: ObjectStorage, actors: dict, settings: Any
) -> None:
    settings.PRIVATE_FILES_SIGNED_URL_SECONDS = 60
    categories = posting_world()
    actors["buyer"].client.post(
        reverse("buyers:rfq_create"), {**rfq_form(categories["school"]), "attachments": [pdf()]}
    )
    attachment = RfqAttachment.objects.get(rfq__buyer=actors["buyer"].company)
    object_storage.client.delete_object(Bucket=object_storage.private, Key=attachment.file.name)
    url = reverse("buyers:rfq_attachment", kwargs={"pk": attachment.rfq_id, "attachment_pk": attachment.pk})

    redirected = actors["buyer"].client.get(url)
    settings.PRIVATE_FILES_SIGNED_URL_SECONDS = 0
    streamed = actors["buyer"].client.get(url)

    assert (redirected.status_code, streamed.status_code) == (404, 404)


def test_scale_out_a_catalog_import_file_is_read_from_the_private_bucket_by_its_task(
    object_storage: ObjectStorage, actors: dict, django_capture_on_commit_callbacks: Any
) -> None:
    seller = actors["supplier"]
    CategoryFactory(slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包")
    seller.client.post(
        reverse("suppliers:import_list"),
        {"file": SimpleUploadedFile("catalog.csv", sheet_csv([catalog_row("BG-001")], columns=COLUMNS))},
    )
    catalog_import = CatalogImport.objects.get(supplier=seller.supplier)
    assert catalog_import.status == CatalogImport.Status.READY
    assert object_storage.names_in(object_storage.private) == {catalog_import.file.name}

    with django_capture_on_commit_callbacks(execute=True):
        seller.client.post(reverse("suppliers:import_start", args=[catalog_import.pk]))

    catalog_import.refresh_from_db()
    assert catalog_import.status == CatalogImport.Status.DONE
    assert Product.objects.get(supplier=seller.supplier).sku == "BG-001"


def test_scale_out_files_from_before_private_storage_move_from_the_public_to_the_private_bucket(
    object_storage: ObjectStorage, actors: dict
) -> None:
    rfq = SourcingRequestFactory(buyer=actors["buyer"].company)
    name = default_storage.save(f"rfq/{rfq.pk}/old-drawing.pdf", ContentFile(PDF_BYTES))
    RfqAttachment.objects.create(rfq=rfq, file=name, original_name="old-drawing.pdf", size=len(PDF_BYTES))

    moved = move_to_private_storage(RfqAttachment, "file")

    assert moved == 1
    assert object_storage.names_in(object_storage.public) == set()
    assert object_storage.names_in(object_storage.private) == {name}
    with private_storage().open(name, "rb") as stored:
        assert stored.read() == PDF_BYTES
    assert move_to_private_storage(RfqAttachment, "file") == 0
