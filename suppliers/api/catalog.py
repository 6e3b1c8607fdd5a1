"""The supplier's own catalog through the API: products (drafts included) and catalog imports.

Every endpoint acts for the acting company's supplier profile: anonymous clients get 401, a
company that does not sell (or a user acting for no company) 403, and another supplier's
product or import 404. Input is checked for shape by the serializers and for meaning by
`suppliers.catalog_rules.product_data_from`, the rule the product form and the import share;
the catalog services do every write.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import FormParser, JSONParser, MultiPartParser
from marketplace.api.permissions import ActsForSellingCompany
from marketplace.api.views import PRIVATE_ERRORS, ApiView, error_responses
from marketplace.errors import Conflict, InvalidInput
from marketplace.selectors.money import offered_currency_codes
from suppliers.api.acting import acting_supplier
from suppliers.api.filters import CatalogProductFilterSerializer, category_by_slug
from suppliers.api.serializers import (
    CatalogImportDetailSerializer,
    CatalogImportSerializer,
    CatalogProductSerializer,
    ProductImagesUploadSerializer,
    ProductWriteSerializer,
)
from suppliers.catalog_rules import ProductData, ProductDataInvalid, product_data_from
from suppliers.models import CatalogImport, Product, SupplierProfile
from suppliers.selectors.catalog import catalog_for_supplier, product_for_supplier
from suppliers.selectors.imports import catalog_import_of, catalog_imports_of
from suppliers.services.catalog import product_create, product_update, products_set_status

CATALOG_TAG = "catalog"
NO_COMPANY = gettext_lazy("Your account acts for no company: the catalog API is for members of a company that sells.")
NOT_SELLING = gettext_lazy(
    "Your company does not sell yet: create its supplier profile (/suppliers/become/) to keep a catalog."
)


class CatalogView(ApiView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NO_COMPANY
    not_selling_message = NOT_SELLING


def _validated_product(raw: dict[str, Any], *, product: Product | None = None) -> ProductData:
    """Product input checked by the one catalog rule; its problems become the 400's field errors.
    A changed `product` keeps its currency even when that is no longer offered."""
    try:
        return product_data_from(
            raw,
            category_lookup=category_by_slug,
            currency_codes=offered_currency_codes(),
            kept_currency=product.currency_id if product is not None else None,
        )
    except ProductDataInvalid as invalid:
        raise ValidationError(invalid.errors) from invalid


def _stored_product(product: Product) -> dict[str, Any]:
    """A product's current values, as product input: what a PATCH changes some of."""
    return {
        "sku": product.sku,
        "title": product.title,
        "description": product.description,
        "category": product.category.slug,
        "unit": product.unit,
        "moq": product.moq,
        "currency": product.currency_id,
        "lead_time_days": product.lead_time_days,
        "monthly_capacity": product.monthly_capacity,
        "sample_available": product.sample_available,
        "sample_price": product.sample_price,
        "sample_days": product.sample_days,
        "status": product.status,
        "attributes": [
            (pair.get("name"), pair.get("value")) for pair in product.attributes or [] if isinstance(pair, dict)
        ],
        "tiers": [(tier.min_quantity, tier.unit_price) for tier in product.tiers.all()],
    }


def _write_input(request: Request, *, partial: bool) -> dict[str, Any]:
    serializer = ProductWriteSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.raw_product()


def _product_answer(request: Request, supplier: SupplierProfile, product_id: int, *, code: int = 200) -> Response:
    product = product_for_supplier(supplier=supplier, product_id=product_id)
    return Response(CatalogProductSerializer(product, context={"request": request}).data, status=code)


class CatalogPagination(StandardCursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(
        operation_id="catalog_products_list",
        tags=[CATALOG_TAG],
        summary="Your catalog",
        description="Your company's products, drafts and archived ones included, newest first.",
        parameters=[CatalogProductFilterSerializer],
        responses={200: CatalogProductSerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    ),
    post=extend_schema(
        operation_id="catalog_products_create",
        tags=[CATALOG_TAG],
        summary="Add a product to your catalog",
        description=(
            "Creates a draft (or an archived product). Publishing needs an image: upload it to "
            "`/api/v1/catalog/products/{id}/images/`, then POST to `.../publish/`."
        ),
        request=ProductWriteSerializer,
        responses={201: CatalogProductSerializer, **error_responses(400, *PRIVATE_ERRORS)},
    ),
)
class CatalogProductListView(generics.ListCreateAPIView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NO_COMPANY
    not_selling_message = NOT_SELLING
    parser_classes = [JSONParser]  # products are JSON: tiers and attributes are lists of objects
    throttle_classes = ApiView.throttle_classes
    pagination_class = CatalogPagination
    serializer_class = CatalogProductSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Product]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Product.objects.none()
        supplier = acting_supplier(self.request)
        filters = CatalogProductFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return catalog_for_supplier(supplier=supplier, **filters.validated_data)

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        supplier = acting_supplier(request)
        data = _validated_product(_write_input(request, partial=False))
        product = product_create(supplier=supplier, data=data)
        return _product_answer(request, supplier, product.pk, code=status.HTTP_201_CREATED)


class CatalogProductDetailView(CatalogView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="catalog_products_retrieve",
        tags=[CATALOG_TAG],
        summary="One product of your catalog",
        responses={200: CatalogProductSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return _product_answer(request, acting_supplier(request), pk)

    @extend_schema(
        operation_id="catalog_products_update",
        tags=[CATALOG_TAG],
        summary="Replace a product's data",
        description="Every field as for creating; what is left out takes its default. Images stay.",
        request=ProductWriteSerializer,
        responses={200: CatalogProductSerializer, **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
    def put(self, request: Request, pk: int) -> Response:
        supplier = acting_supplier(request)
        product = product_for_supplier(supplier=supplier, product_id=pk)  # 404 before judging the input
        data = _validated_product(_write_input(request, partial=False), product=product)
        product_update(supplier=supplier, product_id=pk, data=data)
        return _product_answer(request, supplier, pk)

    @extend_schema(
        operation_id="catalog_products_partial_update",
        tags=[CATALOG_TAG],
        summary="Change some of a product's data",
        description="Only the fields given change; `tiers` and `attributes`, when given, replace the lists.",
        request=ProductWriteSerializer,
        responses={200: CatalogProductSerializer, **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        supplier = acting_supplier(request)
        product = product_for_supplier(supplier=supplier, product_id=pk)
        changes = _write_input(request, partial=True)
        data = _validated_product({**_stored_product(product), **changes}, product=product)
        product_update(supplier=supplier, product_id=pk, data=data)
        return _product_answer(request, supplier, pk)


class CatalogProductArchiveView(CatalogView):
    @extend_schema(
        operation_id="catalog_products_archive",
        tags=[CATALOG_TAG],
        summary="Archive a product",
        description="Buyers no longer find it; it stays in your catalog. Archiving twice changes nothing.",
        request=None,
        responses={200: CatalogProductSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        supplier = acting_supplier(request)
        products_set_status(supplier=supplier, product_ids=[pk], status=Product.Status.ARCHIVED)
        return _product_answer(request, supplier, pk)


class CatalogProductPublishView(CatalogView):
    @extend_schema(
        operation_id="catalog_products_publish",
        tags=[CATALOG_TAG],
        summary="Publish a product",
        description="Buyers find it from now on. A product needs at least one image first (else 409).",
        request=None,
        responses={200: CatalogProductSerializer, **error_responses(404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        supplier = acting_supplier(request)
        product = product_for_supplier(supplier=supplier, product_id=pk)
        if not product.images.all():
            raise Conflict(
                _("Add at least one image before publishing the product: POST it to %(url)s.")
                % {"url": reverse("api-catalog-product-images", kwargs={"pk": pk})}
            )
        products_set_status(supplier=supplier, product_ids=[pk], status=Product.Status.PUBLISHED)
        return _product_answer(request, supplier, pk)


class CatalogProductImagesView(CatalogView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="catalog_products_images_create",
        tags=[CATALOG_TAG],
        summary="Add images to a product",
        description=(
            "multipart/form-data with one or more files in `images`. Each is checked by its content "
            "(JPEG, PNG or WebP), size and pixel count; a product has at most 10. All or nothing."
        ),
        request={"multipart/form-data": ProductImagesUploadSerializer},
        responses={201: CatalogProductSerializer, **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        supplier = acting_supplier(request)
        product = product_for_supplier(supplier=supplier, product_id=pk)
        images = request.FILES.getlist("images")
        if not images:
            raise InvalidInput(_("Attach one or more image files in the “images” field."), field="images")
        # The service adds images along with the product's data: give it the data it has now.
        data = _validated_product(_stored_product(product))
        product_update(supplier=supplier, product_id=pk, data=data, new_images=images)
        return _product_answer(request, supplier, pk, code=status.HTTP_201_CREATED)


# --- Catalog imports ----------------------------------------------------------------------------


class ImportPagination(StandardCursorPagination):
    ordering = ("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(
        operation_id="catalog_imports_list",
        tags=[CATALOG_TAG],
        summary="Your catalog imports",
        description="Uploads of CSV and XLSX catalog files (made on the catalog pages), newest first, with progress.",
        responses={200: CatalogImportSerializer(many=True), **error_responses(404, *PRIVATE_ERRORS)},
    )
)
class CatalogImportListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForSellingCompany]
    no_company_message = NO_COMPANY
    not_selling_message = NOT_SELLING
    throttle_classes = ApiView.throttle_classes
    pagination_class = ImportPagination
    serializer_class = CatalogImportSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[CatalogImport]:
        if getattr(self, "swagger_fake_view", False):
            return CatalogImport.objects.none()
        return catalog_imports_of(supplier=acting_supplier(self.request))


class CatalogImportDetailView(CatalogView):
    @extend_schema(
        operation_id="catalog_imports_retrieve",
        tags=[CATALOG_TAG],
        summary="One catalog import: status, progress, counts and every problem found",
        responses={
            200: OpenApiResponse(CatalogImportDetailSerializer, description="Poll it until `status` is done."),
            **error_responses(404, *PRIVATE_ERRORS),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        catalog_import = catalog_import_of(supplier=acting_supplier(request), pk=pk)
        return Response(CatalogImportDetailSerializer(catalog_import, context={"request": request}).data)
