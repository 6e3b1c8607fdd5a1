"""The supplier directory's search: active suppliers by their words (names, descriptions, city, belt,
main categories) and filters, in pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from marketplace.models import Category, IndustrialBelt
from suppliers.models import SupplierProfile
from suppliers.search.cursors import DEFAULT_LIMIT, SortKey, keyset_page, page_size
from suppliers.search.expressions import TextMatches, TextRank, WordSimilar, similarity_sum, tsquery_text
from suppliers.search.segment import latin_words, query_terms
from suppliers.search.words import FUZZY_BELOW, text_filter_fallback, uses_postgres_search

MANUFACTURING = [SupplierProfile.BusinessType.MANUFACTURER, SupplierProfile.BusinessType.BOTH]


@dataclass(frozen=True)
class SupplierSearchResult:
    items: list[SupplierProfile]
    next_cursor: str | None


def search_suppliers(
    *,
    query: str = "",
    belt: IndustrialBelt | None = None,
    province: str | None = None,
    category: Category | None = None,
    verified_only: bool = False,
    manufacturers_only: bool = False,
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SupplierSearchResult:
    """Active suppliers matching the query (names, descriptions, city, belt, main categories) and filters.

    With a query: best match first; without: verified suppliers first, then by name. Two queries
    at most (a fuzzy check for latin words, the page), with belt loaded.
    """
    limit = page_size(limit)
    queryset = SupplierProfile.objects.listed()
    if belt is not None:
        queryset = queryset.filter(belt_id=belt.pk)
    if province:
        queryset = queryset.filter(province=province)
    if category is not None:
        through = SupplierProfile.main_categories.through
        queryset = queryset.filter(
            Exists(through.objects.filter(supplierprofile_id=OuterRef("pk"), category__path__startswith=category.path))
        )
    if verified_only:
        queryset = queryset.filter(verification_status=SupplierProfile.Verification.VERIFIED)
    if manufacturers_only:
        queryset = queryset.filter(business_type__in=MANUFACTURING)

    terms = query_terms(query)
    rank: Any = None
    if query.strip():
        if not uses_postgres_search():
            queryset = queryset.filter(text_filter_fallback(terms) if terms else Q(pk__in=[]))
        elif terms:
            tsquery = tsquery_text(terms)
            condition = Q(TextMatches(tsquery))
            rank = TextRank(tsquery)
            words = latin_words(query)
            if words and queryset.filter(condition).order_by().values("pk")[:FUZZY_BELOW].count() < FUZZY_BELOW:
                fuzzy = Q()
                for word in words:
                    fuzzy &= Q(WordSimilar(word, "name"))
                condition |= fuzzy
                rank = rank + similarity_sum(words, "name")
            queryset = queryset.filter(condition)
        else:
            queryset = queryset.none()

    queryset = queryset.select_related("belt").defer("search_text", "belt__description_en", "belt__description_zh")
    if rank is not None:
        queryset = queryset.annotate(relevance=rank)
        sort, keys = "relevance", [SortKey("relevance", True, "float"), SortKey("id", True, "int")]
    else:
        queryset = queryset.annotate(
            verified_first=Case(
                When(verification_status=SupplierProfile.Verification.VERIFIED, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        sort = "name"
        keys = [SortKey("verified_first", True, "int"), SortKey("name", False, "str"), SortKey("id", False, "int")]
    items, next_cursor = keyset_page(queryset, sort=sort, keys=keys, cursor=cursor, limit=limit)
    return SupplierSearchResult(items=items, next_cursor=next_cursor)
