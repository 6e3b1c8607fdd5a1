"""An RFQ written in English reaches the factory whose catalog is written only in Chinese, and the
reverse, through the machine translations (the local LibreTranslate-speaking server,
tests/translation_server.py; tasks run in-process, so what waits for a commit runs the real path).

Two roads, each enough: the RFQ's title and description are translated into every site language
when it is posted, and when the translations arrive the RFQ is matched again with their words; a
product's title and description are translated when it is written, and when they arrive its
supplier's matching facts hold them and it is matched to the open RFQs again. A buyer does not
wait for either: the RFQ goes out at once in its own language.

The world: one category whose names say nothing of backpacks, a supplier selling leather wallets
(older, so it wins a tie) and a Baigou factory selling 儿童书包 (children's backpacks), described
only in Chinese. Only the best-ranked supplier is told of a public RFQ here (MATCHING_NOTIFY_TOP_N=1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from buyers.models import Match, SourcingRequest
from buyers.rfq_rules import rfq_data_from
from buyers.services.matching import rfq_match, supplier_category_facts_rebuild
from buyers.services.posting import rfq_create
from buyers.services.rfq_index import RFQ_INDEX_VERSION
from marketplace.models import Category, Notification, StoredIndexVersion, TextTranslation
from marketplace.services.stored_indexes import stored_indexes_catch_up
from marketplace.tasks.translations import text_translations_relay_task
from suppliers.models import SupplierProfile
from tests.buyers.builders_match import supplier_with_member
from tests.buyers.builders_post import rfq_body
from tests.buyers.factories import SourcingRequestFactory
from tests.conftest import Actor
from tests.factories import CategoryFactory, CurrencyFactory, IndustrialBeltFactory
from tests.suppliers.builders_search import product_data, product_written
from tests.suppliers.factories_catalog import ProductFactory
from tests.translation_server import TranslationServer

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
RFQ_EN = ("Backpacks for a primary school in Izmir", "3,000 backpacks with reflective strips.")  # … 书包
BACKPACK_ZH = ("儿童书包", "轻便防水，适合小学生。")  # "Children's backpack", "Light and waterproof, …"


@dataclass
class World:
    bags: Category
    wallets: SupplierProfile
    kids_bags: SupplierProfile


@pytest.fixture
def world(settings: Any) -> World:
    settings.MATCHING_NOTIFY_TOP_N = 1
    for code in ("USD", "CNY"):
        CurrencyFactory(code=code)
    bags = CategoryFactory(name_en="Bags", name_zh="箱包", slug="xb-bags")
    baigou = IndustrialBeltFactory(name_en="Baigou", name_zh="白沟", province="hebei", specialties=[bags])
    wallets = supplier_with_member(name="Older Wallet Works", belt=baigou, main_categories=[bags], language="en")
    ProductFactory(supplier=wallets, category=bags, title="Leather wallet", description="Genuine leather.")
    kids_bags = supplier_with_member(
        name="Baigou Kids Bags", name_zh="白沟儿童箱包", belt=baigou, main_categories=[bags]
    )
    SupplierProfile.objects.filter(pk=kids_bags.pk).update(created_at=timezone.now() + timedelta(seconds=1))
    return World(bags=bags, wallets=wallets, kids_bags=kids_bags)


def ranked(rfq: SourcingRequest) -> list[int]:
    return list(Match.objects.filter(rfq=rfq).order_by("rank").values_list("supplier_id", flat=True))


def products_reason(rfq: SourcingRequest, supplier: SupplierProfile) -> list[dict[str, Any]]:
    reasons = Match.objects.get(rfq=rfq, supplier=supplier).reasons
    return [reason for reason in reasons if reason["code"] == "products"]


def told(rfq: SourcingRequest, supplier: SupplierProfile) -> bool:
    return Notification.objects.filter(
        event_key=f"rfq_matched:{rfq.pk}", recipient__memberships__company=supplier.company
    ).exists()


def test_cross_border_an_english_rfq_reaches_a_chinese_only_catalog_once_its_translation_arrives(
    world: World,
    actors: dict[str, Actor],
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    ProductFactory(supplier=world.kids_bags, category=world.bags, title=BACKPACK_ZH[0], description=BACKPACK_ZH[1])
    supplier_category_facts_rebuild()
    buyer = actors["buyer"]
    data = rfq_data_from(
        rfq_body(title=RFQ_EN[0], description=RFQ_EN[1], category=world.bags.slug), buyer=buyer.company
    )
    with django_capture_on_commit_callbacks() as waiting:
        rfq = rfq_create(buyer=buyer.company, actor=buyer.user, data=data, publish=True)
    assert TextTranslation.objects.filter(target_language="zh-hans", translated_at__isnull=True).count() == 2

    rfq_match(rfq_id=rfq.pk)  # matched at once, in English: the Chinese catalog has none of its words
    assert ranked(rfq) == [world.wallets.pk, world.kids_bags.pk]
    assert products_reason(rfq, world.kids_bags) == []
    assert not told(rfq, world.kids_bags)

    with django_capture_on_commit_callbacks(execute=True):
        for callback in waiting:  # the translation task runs; its arrival matches the RFQ again
            callback()

    rfq.refresh_from_db()
    assert "书包" in rfq.search_text.split()
    assert ranked(rfq) == [world.kids_bags.pk, world.wallets.pk]
    assert products_reason(rfq, world.kids_bags) == [{"code": "products", "count": 1}]
    assert told(rfq, world.kids_bags)


def test_cross_border_a_chinese_catalog_translated_late_reaches_the_open_english_rfq(
    world: World, translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    # Written without the title the server knows: its own translation carries no Chinese word.
    rfq = SourcingRequestFactory(
        title="School backpacks, reflective", description="", category=world.bags, quantity=3000, unit="piece"
    )
    supplier_category_facts_rebuild()
    translation_server.down()
    # As the wallets' product (MOQ 100, 50,000 a month): only the words tell them apart.
    data = product_data(
        world.bags, sku="KB-001", title=BACKPACK_ZH[0], description=BACKPACK_ZH[1], moq=100, monthly_capacity="50000"
    )
    with django_capture_on_commit_callbacks(execute=True):
        product_written(world.kids_bags, data)
        rfq_match(rfq_id=rfq.pk)
    assert ranked(rfq) == [world.wallets.pk, world.kids_bags.pk], "its catalog is Chinese until translated"
    assert products_reason(rfq, world.kids_bags) == []

    translation_server.up()
    TextTranslation.objects.update(due_at=timezone.now() - timedelta(seconds=1))  # the retry is due
    with django_capture_on_commit_callbacks(execute=True):
        text_translations_relay_task()  # the product's translation lands: facts refreshed, matched again

    assert ranked(rfq) == [world.kids_bags.pk, world.wallets.pk]
    assert products_reason(rfq, world.kids_bags) == [{"code": "products", "count": 1}]
    assert told(rfq, world.kids_bags)


def test_cross_border_a_chinese_rfq_reaches_an_english_only_catalog(
    world: World,
    actors: dict[str, Actor],
    translation_server: TranslationServer,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    ProductFactory(
        supplier=world.kids_bags, category=world.bags, title="Stainless steel water bottle", description="500 ml."
    )
    supplier_category_facts_rebuild()
    buyer = actors["buyer"]
    data = rfq_data_from(
        rfq_body(title="不锈钢水瓶", description="保冷24小时。", category=world.bags.slug), buyer=buyer.company
    )
    with django_capture_on_commit_callbacks(execute=True):
        rfq = rfq_create(buyer=buyer.company, actor=buyer.user, data=data, publish=True)

    rfq.refresh_from_db()
    assert "bottle" in rfq.search_text.split()
    assert ranked(rfq)[0] == world.kids_bags.pk
    assert products_reason(rfq, world.kids_bags) == [{"code": "products", "count": 1}]


def test_cross_border_after_an_upgrade_open_rfqs_are_translated_and_matched_again_in_the_background(
    world: World, translation_server: TranslationServer, django_capture_on_commit_callbacks: Capture
) -> None:
    ProductFactory(supplier=world.kids_bags, category=world.bags, title=BACKPACK_ZH[0], description=BACKPACK_ZH[1])
    supplier_category_facts_rebuild()
    # Posted before this version: matched in English only, never translated.
    rfq = SourcingRequestFactory(title=RFQ_EN[0], description=RFQ_EN[1], category=world.bags, unit="piece")
    closed = SourcingRequestFactory(
        title=RFQ_EN[0], description=RFQ_EN[1], category=world.bags, status=SourcingRequest.Status.CLOSED
    )
    rfq_match(rfq_id=rfq.pk)
    assert ranked(rfq) == [world.wallets.pk, world.kids_bags.pk]

    with django_capture_on_commit_callbacks(execute=True):
        stored_indexes_catch_up()  # what Celery beat runs every minute

    assert ranked(rfq) == [world.kids_bags.pk, world.wallets.pk]
    assert told(rfq, world.kids_bags)
    closed.refresh_from_db()
    assert "书包" not in closed.search_text.split(), "only open RFQs are matched, so only theirs are rebuilt"
    state = StoredIndexVersion.objects.get(name="rfq_search_text")
    assert state.version == RFQ_INDEX_VERSION
