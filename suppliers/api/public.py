"""Public products and suppliers: what anyone may read, anonymous clients throttled.

Lists go through the one search service (`suppliers.search.service`), the same as the search
pages, with its own cursors (no COUNT over the product table). Only published products of active
suppliers, and only active suppliers, are ever shown: drafts answer 404 even to their owner.
"""

from __future__ import annotations

from typing import Any

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from marketplace.api.views import PUBLIC_ERRORS, ApiView, error_responses
from suppliers.api.filters import PriceParamsSerializer, ProductSearchParamsSerializer, SupplierSearchParamsSerializer
from suppliers.api.serializers import (
    ProductSearchPageSerializer,
    PublicProductSerializer,
    SupplierDetailSerializer,
    SupplierSearchPageSerializer,
)
from suppliers.search.facets import category_refs
from suppliers.search.service import Facets, FacetValue, ProductSearchResult, search_products, search_suppliers
from suppliers.selectors.catalog import product_price_at, product_public
from suppliers.selectors.profiles import supplier_public_catalog, supplier_public_profile

PUBLIC_TAG = "products and suppliers"
RECENT_PRODUCTS = 8


def _next_url(request: Request, cursor: str | None) -> str | None:
    return replace_query_param(request.build_absolute_uri(), "cursor", cursor) if cursor else None


def _params(serializer_class: type, request: Request) -> Any:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params


def _facet_values(values: list[FacetValue]) -> list[dict[str, Any]]:
    return [{"id": value.pk, "slug": value.slug, "name": value.label, "count": value.count} for value in values]


class _PublicView(ApiView):
    permission_classes = [AllowAny]


class ProductSearchView(_PublicView):
    @extend_schema(
        operation_id="products_search",
        tags=[PUBLIC_TAG],
        summary="Search published products",
        description=(
            "Published products of active suppliers, in Chinese or English (透明书包, transparent "
            "backpack) or by SKU, with filters, sorting, facet counts for categories and belts, and "
            "cursor pagination: follow `next` until it is null."
        ),
        parameters=[ProductSearchParamsSerializer],
        responses={200: ProductSearchPageSerializer, **error_responses(400, *PUBLIC_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        found = search_products(**_params(ProductSearchParamsSerializer, request).search_arguments())
        page = search_page(request, found)
        return Response(ProductSearchPageSerializer(page, context={"request": request}).data)


def search_page(request: Request, found: ProductSearchResult) -> dict[str, Any]:
    """What ProductSearchPageSerializer writes of a search's result: the next page's link, the
    facets' values named, each product's category named."""
    facets: Facets = found.facets
    # No query: the page's categories are named as the facets are (the process's names).
    categories = category_refs({item.category_id for item in found.items if item.category_id is not None})
    for item in found.items:
        item.listed_category = categories.get(item.category_id)  # type: ignore[attr-defined]  # for the serializer
    return {
        "next": _next_url(request, found.next_cursor),
        "next_cursor": found.next_cursor,
        "sort": found.sort,
        "quantity": found.quantity,
        "fuzzy": found.fuzzy,
        "corrected_query": found.corrected_query,
        "best_of": found.best_of,
        "facets": {
            "categories": _facet_values(facets.categories),
            "belts": _facet_values(facets.belts),
            "total": facets.total,
            "approximate": facets.approximate,
        },
        "results": found.items,
    }


class ProductDetailView(_PublicView):
    @extend_schema(
        operation_id="products_retrieve",
        tags=[PUBLIC_TAG],
        summary="One published product",
        description="Its tiers, images and supplier; with `?quantity=`, the price of that many units.",
        parameters=[PriceParamsSerializer],
        responses={200: PublicProductSerializer, **error_responses(400, 404, *PUBLIC_ERRORS)},
    )
    def get(self, request: Request, pk: int) -> Response:
        params = _params(PriceParamsSerializer, request).validated_data
        product = product_public(product_id=pk)
        price = None
        if params.get("quantity") is not None:
            price = product_price_at(
                product=product, quantity=params["quantity"], viewer_currency=params.get("currency")
            )
        context = {"request": request, "price": price}
        return Response(PublicProductSerializer(product, context=context).data)


class SupplierSearchView(_PublicView):
    @extend_schema(
        operation_id="suppliers_search",
        tags=[PUBLIC_TAG],
        summary="Search suppliers",
        description=(
            "Active suppliers by name, description, city, belt or main category, in Chinese or "
            "English; without a query, verified suppliers first. Follow `next` until it is null."
        ),
        parameters=[SupplierSearchParamsSerializer],
        responses={200: SupplierSearchPageSerializer, **error_responses(400, *PUBLIC_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        found = search_suppliers(**_params(SupplierSearchParamsSerializer, request).search_arguments())
        # One query for every supplier's main categories, whatever the page size.
        prefetch_related_objects(found.items, "main_categories")
        page = {"next": _next_url(request, found.next_cursor), "next_cursor": found.next_cursor, "results": found.items}
        return Response(SupplierSearchPageSerializer(page, context={"request": request}).data)


class SupplierDetailView(_PublicView):
    @extend_schema(
        operation_id="suppliers_retrieve",
        tags=[PUBLIC_TAG],
        summary="A supplier's public profile",
        description="Facts, capacities, current certifications, factory photos and its newest products.",
        responses={200: SupplierDetailSerializer, **error_responses(404, *PUBLIC_ERRORS)},
    )
    def get(self, request: Request, pk: int) -> Response:
        supplier = supplier_public_profile(pk=pk)
        supplier.recent_products = list(supplier_public_catalog(supplier=supplier)[:RECENT_PRODUCTS])  # type: ignore[attr-defined]
        return Response(SupplierDetailSerializer(supplier, context={"request": request}).data)
