"""Misspelt words corrected against the catalog's vocabulary (suppliers/search/spelling.py), on PostgreSQL.

"plsuh toy" found nothing before (its words are ANDed, and "plsuh" is too far from "plush" in
trigrams for the title match): the corrected query searches the search table like any query, says
what it searched for, and sorts and pages like one.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suppliers.models import Product, SearchWord
from suppliers.search import search_table
from suppliers.search.service import search_products
from suppliers.search.spelling import corrections, vocabulary_refresh
from suppliers.tasks import search_vocabulary_refresh_task
from tests.suppliers.builders_search import SearchCatalog, search_catalog
from tests.suppliers.factories_catalog import ProductFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("suppliers:search")


@pytest.fixture
def catalog() -> SearchCatalog:
    made = search_catalog()
    vocabulary_refresh()
    return made


def _vocabulary() -> dict[str, int]:
    return dict(SearchWord.objects.values_list("word", "products"))


def _trigram_statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "<%" in query["sql"]]


# --- The vocabulary -----------------------------------------------------------------------------


def test_the_vocabulary_holds_the_words_of_products_a_buyer_can_find_and_how_many_hold_each(
    catalog: SearchCatalog,
) -> None:
    words = _vocabulary()
    assert words["canvas"] == 1
    assert words["hiking"] == 1
    assert words["waterproof"] == 1
    # Drafts, archived products and an inactive supplier's products are nobody's vocabulary.
    assert "draft" not in words
    assert "archived" not in words
    assert "inactive" not in words
    # Chinese words of two characters or more, with their sound; not single characters, codes or
    # Latin words under three letters: those are not corrected, so not kept.
    assert words["书包"] == 1
    assert SearchWord.objects.get(word="手提包").sound == "shoutibao"
    assert not [word for word in words if len(word) < 2]
    assert "bg2024001" not in words
    assert "pvc" in words
    assert "of" not in words
    assert SearchWord.objects.get(word="canvas").letters == "aacnsv"


def test_a_refresh_writes_only_what_changed_adds_new_words_and_drops_gone_ones(catalog: SearchCatalog) -> None:
    assert vocabulary_refresh().written == 0
    catalog.canvas_backpack.status = Product.Status.ARCHIVED
    catalog.canvas_backpack.save()
    ProductFactory(supplier=catalog.baigou_trader, title="Corduroy tote", category=catalog.bags)

    done = vocabulary_refresh()

    words = _vocabulary()
    assert "hiking" not in words
    assert "sturdy" not in words
    assert words["corduroy"] == 1
    assert done.removed >= 2
    assert done.written >= 2
    assert vocabulary_refresh().written == vocabulary_refresh().removed == 0


def test_beat_refreshes_the_vocabulary_every_hour(catalog: SearchCatalog) -> None:
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == search_vocabulary_refresh_task.name
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"].hour == set(range(24))
    ProductFactory(supplier=catalog.baigou_trader, title="Seersucker pouch", category=catalog.bags)
    assert search_vocabulary_refresh_task.apply().get()["written"] >= 2
    assert "seersucker" in _vocabulary()


# --- Corrections --------------------------------------------------------------------------------


def test_a_word_not_in_the_catalog_is_corrected_to_the_closest_one(catalog: SearchCatalog) -> None:
    assert corrections(["bakcpack", "cnavas", "hikng", "canvas", "xylophone", "waterprooof"]) == {
        "bakcpack": "backpack",  # two letters swapped: one edit
        "cnavas": "canvas",
        "hikng": "hiking",  # one letter missing
        "waterprooof": "waterproof",
    }


def test_a_catalog_word_is_never_corrected_and_a_short_word_takes_one_edit_only(catalog: SearchCatalog) -> None:
    ProductFactory(supplier=catalog.baigou_trader, title="Tote with a zip", category=catalog.bags)
    vocabulary_refresh()
    assert corrections(["tote", "zip"]) == {}
    assert corrections(["toet"]) == {"toet": "tote"}
    assert corrections(["tqqe"]) == {}  # two edits in four letters is another word


def test_among_equally_close_words_a_swap_wins_then_the_commonest(catalog: SearchCatalog) -> None:
    for title in ("Bar stool", "Bar cart", "Bar tray", "Teddy bear", "Beer mug"):
        ProductFactory(supplier=catalog.baigou_trader, title=title, category=catalog.bags)
    vocabulary_refresh()
    # "baer" is one edit from "bar" (three products), "bear" and "beer": the swap is the likelier slip.
    assert corrections(["baer"]) == {"baer": "bear"}
    # "bier" is one edit from "beer" only; "barr" one from "bar" (three products) and "bear" (one).
    assert corrections(["bier"]) == {"bier": "beer"}
    assert corrections(["barr"]) == {"barr": "bar"}


def test_codes_digits_and_over_long_words_are_not_looked_up(catalog: SearchCatalog) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert corrections(["bg2024", "2024", "ab", "x" * 31, "包", "书包ab"]) == {}
    assert queries.captured_queries == []


# --- Searching with corrections -----------------------------------------------------------------


def test_a_misspelt_query_finds_what_its_correction_finds_and_says_so(catalog: SearchCatalog) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="Cnavas hikign")
    assert result.items == [catalog.canvas_backpack]
    assert result.corrected_query == "canvas hiking"
    assert result.fuzzy
    # Found by the search table like any query: no trigram match of every title.
    assert _trigram_statements(queries) == []


def test_a_query_whose_words_match_is_not_corrected(catalog: SearchCatalog) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="canvas backpack")
    assert result.items == [catalog.canvas_backpack]
    assert result.corrected_query is None
    # (It found fewer than three, so the looser levels ran; the vocabulary had nothing to correct.)
    assert [query for query in queries.captured_queries if "suppliers_searchword" in query["sql"]]


def test_one_misspelt_word_beside_a_right_one_is_corrected_where_the_title_match_found_nothing(
    catalog: SearchCatalog,
) -> None:
    for number in range(3):
        ProductFactory(supplier=catalog.baigou_trader, title=f"Plush toy bear {number}", category=catalog.bags)
    vocabulary_refresh()
    result = search_products(query="plsuh toy")
    assert len(result.items) == 3
    assert {item.title.split()[0] for item in result.items} == {"Plush"}
    assert result.corrected_query == "plush toy"


def test_a_corrected_query_sorts_and_pages_like_any_other(catalog: SearchCatalog) -> None:
    for price in ("9", "7", "8"):
        ProductFactory(
            supplier=catalog.baigou_trader, title="Canvas tote", category=catalog.bags, tiers=[(10, price)], moq=10
        )
    vocabulary_refresh()
    first = search_products(query="cnavas", sort="price", limit=2)
    rest = search_products(query="cnavas", sort="price", limit=2, cursor=first.next_cursor)
    prices = [item.from_price for item in first.items + rest.items]  # type: ignore[attr-defined]
    assert [str(price) for price in prices] == ["7.00", "8.00", "9.00", "20.00"]
    assert first.corrected_query == rest.corrected_query == "canvas"


def test_without_a_close_catalog_word_the_title_match_still_runs(catalog: SearchCatalog) -> None:
    SearchWord.objects.all().delete()  # e.g. a catalog word newer than the last refresh
    with CaptureQueriesContext(connection) as queries:
        result = search_products(query="backpak")
    assert result.items == [catalog.canvas_backpack]
    assert result.fuzzy
    assert result.corrected_query is None
    assert _trigram_statements(queries)


def test_a_corrected_search_reads_the_vocabulary_once_and_makes_a_constant_number_of_queries(
    catalog: SearchCatalog,
) -> None:
    def statements(query: str, limit: int = 20) -> list[str]:
        search_table._estimates.forget()  # each as in a process that has not estimated these words lately
        with CaptureQueriesContext(connection) as queries:
            search_products(query=query, limit=limit)
        return [query["sql"] for query in queries.captured_queries]

    # Whole words, prefixes (both on the search table), the vocabulary, the corrected words, the
    # page (the facets named by a process that has searched before: the first search below): as
    # many for one misspelt word as for another, whatever the page's size, and one look-up of the
    # vocabulary for all of a query's words. (How many in all depends on the table's statistics,
    # which decide whether the candidates walk the newest rows: the same in one state.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suppliers_productsearch")  # this catalog's statistics, not an earlier test's
    search_products(query="canvas")
    made = {query: statements(query) for query in ("cnavas", "hikign", "cnavas hikign")}
    assert len(made["cnavas"]) == len(made["hikign"]) == len(statements("cnavas", limit=2))
    for query, sql in made.items():
        assert len([each for each in sql if "suppliers_searchword" in each]) == 1, query
        assert not [each for each in sql if "<%" in each], query  # (no title trigrams: corrected in time)


# --- What a buyer sees --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "Showing results for “canvas hiking”"), ("zh-hans", "显示“canvas hiking”的结果")],
)
def test_the_search_page_says_what_it_searched_for(
    client: Client, catalog: SearchCatalog, language: str, said: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(SEARCH, {"q": "cnavas hikign"}).content.decode()
    assert said in page
    assert "Canvas hiking backpack" in page


def test_the_api_answers_the_corrected_query(catalog: SearchCatalog) -> None:
    answer: Any = Client().get("/api/v1/products/", {"q": "cnavas"}).json()
    assert answer["corrected_query"] == "canvas"
    assert answer["fuzzy"] is True
    assert [item["title"] for item in answer["results"]] == ["Canvas hiking backpack"]
    assert Client().get("/api/v1/products/", {"q": "canvas"}).json()["corrected_query"] is None


# --- Chinese: homophones typed with a pinyin input method ------------------------------------------


def test_a_chinese_word_typed_with_the_wrong_characters_of_its_sound_is_corrected(catalog: SearchCatalog) -> None:
    # 双肩包 (shuāngjiānbāo, backpack) is the backpacks' Chinese category name; 间 is also jiān.
    assert SearchWord.objects.get(word="双肩包").sound == "shuangjianbao"
    assert corrections(["双间包", "双间"]) == {"双间包": "双肩包", "双间": "双肩"}
    result = search_products(query="双间包")
    assert set(result.items) == {catalog.school_bag, catalog.canvas_backpack}
    assert result.corrected_query == "双肩包"
    assert result.fuzzy


def test_a_chinese_catalog_word_or_one_without_a_homophone_is_not_corrected(catalog: SearchCatalog) -> None:
    assert corrections(["书包", "手提包", "钢琴"]) == {}  # 钢琴 (piano): no word of its sound
    assert corrections(["包", "间"]) == {}  # a single character is no misspelling
    result = search_products(query="书包")
    assert result.items == [catalog.school_bag]
    assert result.corrected_query is None


def test_in_a_mixed_query_each_word_is_corrected_in_its_own_script(catalog: SearchCatalog) -> None:
    result = search_products(query="cnavas 双间包")
    assert result.corrected_query == "canvas 双肩包"
    assert result.items == [catalog.canvas_backpack]


@pytest.mark.parametrize(
    "query",
    [
        "cnavas hikign bakcpack plsuh 双间包 teddy baer " * 4,  # more words than a query keeps
        "ｃｎａｖａｓ",  # full-width, as a Chinese input method types it
        "Cnavas!!! ###hikign??? 双间包\u200b",
        "𠀀𠀁𠀂 cnavas",  # characters outside the basic multilingual plane
        "x" * 200,
    ],
)
def test_hostile_queries_get_an_answer_never_an_error(client: Client, catalog: SearchCatalog, query: str) -> None:
    page = client.get(SEARCH, {"q": query})
    assert page.status_code == 200
    answer = Client().get("/api/v1/products/", {"q": query})
    assert answer.status_code == 200, answer.content[:300]


def test_a_nul_byte_in_a_query_is_refused_with_a_message(client: Client, catalog: SearchCatalog) -> None:
    page = client.get(SEARCH, {"q": "\u0000cnavas"})
    assert page.status_code == 400
    assert "control character" in page.content.decode()
