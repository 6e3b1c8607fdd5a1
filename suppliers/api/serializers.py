"""Serializers of the suppliers API: JSON in and out for products, suppliers and catalog imports.

Input serializers check only the shape and types of what a client sends; what makes a product
valid is decided in one place, `suppliers.catalog_rules.product_data_from`, called by the views.
No serializer writes anything: the views call the catalog services.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.fields import AmountField, LimitedTextField, WholeNumberField
from marketplace.api.serializers import CategoryRefSerializer, ListItemSerializer
from marketplace.api.written import TranslatedField, TranslatingListSerializer, WrittenLanguageField
from marketplace.models import IndustrialBelt
from marketplace.selectors.translations import Translations
from marketplace.services.translation_requests import translations_read
from suppliers.catalog_rules import (
    MAX_ATTRIBUTE_NAME,
    MAX_ATTRIBUTE_VALUE,
    MAX_ATTRIBUTES,
    MAX_DESCRIPTION,
    MAX_MONTHLY_CAPACITY,
    MAX_QUANTITY,
    MAX_SKU,
    MAX_TIERS,
    MAX_TITLE,
    SKU_PATTERN,
    SKU_RULE,
)
from suppliers.models import (
    CatalogImport,
    Certification,
    FactoryPhoto,
    PriceTier,
    Product,
    ProductImage,
    ProductLineCapacity,
    SupplierProfile,
    Unit,
)
from suppliers.services.catalog import MAX_IMAGES_PER_PRODUCT


def absolute_url(context: Mapping[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _file_url(context: Mapping[str, Any], file: Any) -> str | None:
    return absolute_url(context, file.url) if file else None


def status_field(choices: list[tuple[str, Any]]) -> serializers.CharField:
    """A read-only status, its values listed in the description.

    Products, imports and belts each have a `status` with other values; listed as enums in
    several components they would collide by name in the schema, so answers describe theirs.
    """
    values = ", ".join(str(value) for value, _label in choices)
    return serializers.CharField(read_only=True, help_text=_("One of: %(values)s.") % {"values": values})


def _money_field(**kwargs: Any) -> serializers.DecimalField:
    """An amount as a string ("12.50"), so no precision is lost in JSON."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


# --- Shared pieces ------------------------------------------------------------------------------


class AttributeSerializer(ListItemSerializer):
    name = LimitedTextField(
        subject=_("An attribute name"),
        max_length=MAX_ATTRIBUTE_NAME,
        allow_blank=True,
        help_text=_("Such as material, size or colour (50 characters)."),
    )
    value = LimitedTextField(
        subject=_("An attribute value"),
        max_length=MAX_ATTRIBUTE_VALUE,
        allow_blank=True,
        help_text=_("Such as PVC (200 characters)."),
    )


class TierInputSerializer(ListItemSerializer):
    min_quantity = WholeNumberField(
        subject=_("A tier quantity"), min_value=1, max_value=MAX_QUANTITY, help_text=_("From this many units on...")
    )
    unit_price = AmountField(
        subject=_("A tier price"), help_text=_("...each unit costs this much, in the product's currency.")
    )


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = PriceTier
        fields = ["min_quantity", "unit_price"]
        read_only_fields = fields


class BeltRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustrialBelt
        fields = ["slug", "name_en", "name_zh"]
        read_only_fields = fields


class ProductImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ["id", "url", "thumbnail_url", "width", "height", "position"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, image: ProductImage) -> str | None:
        return _file_url(self.context, image.image)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, image: ProductImage) -> str | None:
        return _file_url(self.context, image.thumbnail)


# --- The supplier's own catalog -----------------------------------------------------------------


class ProductWriteSerializer(serializers.Serializer):
    """A product as a client sends it. PUT and POST need the required fields; PATCH any of them."""

    sku = serializers.RegexField(
        SKU_PATTERN.pattern,
        max_length=MAX_SKU,
        error_messages={"invalid": SKU_RULE, "max_length": SKU_RULE, "blank": SKU_RULE},
        help_text=_("Your own product code, unique in your catalog: letters, digits, . _ / -."),
    )
    title = LimitedTextField(
        subject=_("The title"),
        max_length=MAX_TITLE,
        allow_blank=True,
        help_text=_("In any language; at most 200 characters."),
    )
    description = LimitedTextField(
        subject=_("The description"),
        max_length=MAX_DESCRIPTION,
        required=False,
        allow_blank=True,
        help_text=_("In any language; at most 20,000 characters."),
    )
    category = serializers.CharField(help_text=_("Slug of a category, see /api/v1/categories/."))
    unit = serializers.ChoiceField(
        choices=Unit.choices,
        required=False,
        help_text=_("The unit of the quantities and prices (default piece)."),
        error_messages={"invalid_choice": _("Unknown unit “{input}”.")},
    )
    moq = WholeNumberField(
        subject=_("The minimum order quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text=_("Minimum order quantity, at least 1."),
    )
    currency = serializers.CharField(
        required=False, help_text=_("ISO 4217 code of an active currency (default CNY), see /api/v1/currencies/.")
    )
    lead_time_days = WholeNumberField(
        subject=_("The lead time"), min_value=1, max_value=365, help_text=_("Days from order to shipment, 1 to 365.")
    )
    monthly_capacity = WholeNumberField(
        subject=_("The monthly capacity"),
        min_value=1,
        max_value=MAX_MONTHLY_CAPACITY,
        required=False,
        allow_null=True,
        help_text=_("Units you can make in a month."),
    )
    sample_available = serializers.BooleanField(required=False, help_text=_("Whether you send samples."))
    sample_price = AmountField(
        subject=_("The sample price"),
        allow_zero=True,
        required=False,
        allow_null=True,
        help_text=_("Price of a sample (0 for free)."),
    )
    sample_days = WholeNumberField(
        subject=_("The sample lead time"),
        min_value=1,
        max_value=365,
        required=False,
        allow_null=True,
        help_text=_("Days to send a sample, 1 to 365."),
    )
    status = serializers.ChoiceField(
        choices=Product.Status.choices,
        required=False,
        help_text=_("draft (the default), published (needs an image) or archived."),
        error_messages={"invalid_choice": _("The status must be draft, published or archived.")},
    )
    attributes = AttributeSerializer(  # type: ignore[call-arg]  # many=True hands max_length to ItemList
        many=True,
        required=False,
        max_length=MAX_ATTRIBUTES,
        error_messages={"max_length": format_lazy(_("At most {max} attributes."), max=MAX_ATTRIBUTES)},
        help_text=_("Up to 30 name and value pairs."),
    )
    tiers = TierInputSerializer(  # type: ignore[call-arg]  # many=True hands max_length to ItemList
        many=True,
        max_length=MAX_TIERS,
        error_messages={"max_length": format_lazy(_("At most {max} price tiers."), max=MAX_TIERS)},
        help_text=_(
            "Quantity-break prices: at least one, quantities going up, prices not rising; "
            "the first at or below the MOQ."
        ),
    )

    def raw_product(self) -> dict[str, Any]:
        """The validated values in the form `catalog_rules.product_data_from` reads."""
        raw = dict(self.validated_data)
        if "tiers" in raw:
            raw["tiers"] = [(tier["min_quantity"], tier["unit_price"]) for tier in raw["tiers"]]
        if "attributes" in raw:
            raw["attributes"] = [(pair["name"], pair["value"]) for pair in raw["attributes"]]
        return raw


class ProductImagesUploadSerializer(serializers.Serializer):
    images = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        max_length=MAX_IMAGES_PER_PRODUCT,
        help_text=_("One or more JPEG, PNG or WebP files, at least 100 pixels a side, at most 8 MB each."),
    )


class CatalogProductSerializer(serializers.ModelSerializer):
    """A product of the supplier's own catalog, whatever its status."""

    category = CategoryRefSerializer(read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=_("ISO 4217 code."))
    attributes = AttributeSerializer(many=True, read_only=True)
    tiers = TierSerializer(many=True, read_only=True)
    images = ProductImageSerializer(many=True, read_only=True)
    status = status_field(Product.Status.choices)
    url = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField(
        help_text=_("Where buyers see it in the API (answers only while it is published).")
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "title",
            "description",
            "category",
            "attributes",
            "unit",
            "moq",
            "currency",
            "lead_time_days",
            "monthly_capacity",
            "sample_available",
            "sample_price",
            "sample_days",
            "status",
            "min_unit_price",
            "tiers",
            "images",
            "created_at",
            "updated_at",
            "published_at",
            "url",
            "public_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product: Product) -> str:
        return absolute_url(self.context, reverse("api-catalog-product-detail", kwargs={"pk": product.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, product: Product) -> str:
        return absolute_url(self.context, reverse("api-product-detail", kwargs={"pk": product.pk}))


class CatalogImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text=_("The row of the file (1 is the header); none for the file as a whole.")
    )
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    warning = serializers.BooleanField(
        required=False, help_text=_("Present and true for a warning: the row was imported anyway.")
    )


class CatalogImportSerializer(serializers.ModelSerializer):
    status = status_field(CatalogImport.Status.choices)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    progress_percent = serializers.IntegerField(read_only=True, help_text=_("0 to 100."))
    url = serializers.SerializerMethodField()

    class Meta:
        model = CatalogImport
        fields = [
            "id",
            "original_name",
            "file_format",
            "status",
            "status_name",
            "total_rows",
            "processed_rows",
            "progress_percent",
            "created_count",
            "updated_count",
            "failure_reason",
            "created_at",
            "started_at",
            "finished_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, catalog_import: CatalogImport) -> str:
        return absolute_url(self.context, reverse("api-catalog-import-detail", kwargs={"pk": catalog_import.pk}))


class CatalogImportDetailSerializer(CatalogImportSerializer):
    # A declared field, which DRF's metaclass takes out of the class: not the stubs' attribute of that name.
    errors = serializers.SerializerMethodField(help_text=_("Each problem found in the file, by row and column."))  # type: ignore[assignment]

    class Meta(CatalogImportSerializer.Meta):
        fields = [*CatalogImportSerializer.Meta.fields, "errors"]
        read_only_fields = fields

    @extend_schema_field(CatalogImportErrorSerializer(many=True))
    def get_errors(self, catalog_import: CatalogImport) -> list[dict[str, Any]]:
        problems = catalog_import.errors if isinstance(catalog_import.errors, list) else []
        # many=True builds a ListSerializer, whose data is a list (the stubs see the single serializer).
        return CatalogImportErrorSerializer([item for item in problems if isinstance(item, dict)], many=True).data  # type: ignore[return-value]


# --- Public: suppliers --------------------------------------------------------------------------


class SupplierSummarySerializer(serializers.ModelSerializer):
    """A supplier named beside one of its products."""

    is_verified = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = SupplierProfile
        fields = ["id", "name", "name_zh", "business_type", "is_verified", "province", "city", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, supplier: SupplierProfile) -> str:
        return absolute_url(self.context, reverse("api-supplier-detail", kwargs={"pk": supplier.pk}))


class SupplierListItemSerializer(SupplierSummarySerializer):
    belt = BeltRefSerializer(read_only=True, allow_null=True)
    main_categories = CategoryRefSerializer(many=True, read_only=True)

    class Meta(SupplierSummarySerializer.Meta):
        fields = [
            *SupplierSummarySerializer.Meta.fields[:-1],
            "verification_status",
            "belt",
            "year_founded",
            "staff_count",
            "main_categories",
            "url",
        ]
        read_only_fields = fields


class CapacitySerializer(serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)

    class Meta:
        model = ProductLineCapacity
        fields = ["product_line", "category", "monthly_capacity", "unit"]
        read_only_fields = fields


class CertificationSerializer(serializers.ModelSerializer):
    """A current certification; its file is private to the supplier and staff."""

    class Meta:
        model = Certification
        fields = ["name", "issuer", "number", "expires_on"]
        read_only_fields = fields


class FactoryPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = FactoryPhoto
        fields = ["url", "thumbnail_url", "caption", "width", "height"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo: FactoryPhoto) -> str | None:
        return _file_url(self.context, photo.image)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, photo: FactoryPhoto) -> str | None:
        return _file_url(self.context, photo.thumbnail)


class _WrittenTitleSerializer(serializers.Serializer):
    """A product's title with the language it is written in and its machine translation into the
    reader's language (docs/translation.md): the fields named in WRITTEN_TITLE."""

    title_language = WrittenLanguageField(source="title")
    title_translated = TranslatedField(source="title")


WRITTEN_TITLE = ["title", "title_language", "title_translated"]


class SupplierProductSerializer(_WrittenTitleSerializer, serializers.ModelSerializer):
    """One of the newest published products on a supplier's profile."""

    currency = serializers.CharField(source="currency_id", read_only=True)
    from_price = serializers.DecimalField(
        source="min_unit_price", max_digits=14, decimal_places=4, read_only=True, allow_null=True
    )
    thumbnail_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "sku", *WRITTEN_TITLE, "unit", "moq", "currency", "from_price", "thumbnail_url", "url"]
        read_only_fields = fields
        list_serializer_class = TranslatingListSerializer

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, product: Product) -> str | None:
        cover = next(iter(getattr(product, "cover_images", [])), None)
        if cover is None:
            return None
        return _file_url(self.context, cover.thumbnail or cover.image)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product: Product) -> str:
        return absolute_url(self.context, reverse("api-product-detail", kwargs={"pk": product.pk}))


class SupplierDetailSerializer(SupplierListItemSerializer):
    export_markets = serializers.SerializerMethodField(help_text=_("ISO 3166 country codes."))
    languages_spoken = serializers.ListField(child=serializers.CharField(), read_only=True)
    capacities = CapacitySerializer(many=True, read_only=True, source="public_capacities")
    certifications = CertificationSerializer(many=True, read_only=True, source="current_certifications")
    factory_photos = FactoryPhotoSerializer(many=True, read_only=True, source="public_photos")
    recent_products = SupplierProductSerializer(
        many=True, read_only=True, help_text=_("Its newest published products (the first few).")
    )

    class Meta(SupplierListItemSerializer.Meta):
        fields = [
            *SupplierListItemSerializer.Meta.fields[:-1],
            "description_en",
            "description_zh",
            "factory_area_m2",
            "export_markets",
            "languages_spoken",
            "capacities",
            "certifications",
            "factory_photos",
            "recent_products",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_export_markets(self, supplier: SupplierProfile) -> list[str]:
        return [country.code for country in supplier.export_markets]


# --- Public: products ---------------------------------------------------------------------------


class ProductListSerializer(serializers.ListSerializer):
    """Search results: the translations of the page's titles read at once (one query when a
    translation provider is configured; the missing ones asked for), then each product written by
    ProductListItemSerializer.represent."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        products = list(data.all() if hasattr(data, "all") else data)
        page = _ListedPage.of(products)
        child = self.child
        assert isinstance(child, ProductListItemSerializer)  # for the type checker
        return [child.represent(product, page) for product in products]


@dataclass(frozen=True)
class _ListedPage:
    """What every product of a page shares: its titles' translations, and the paths of the
    products and suppliers, reversed once (reverse() cost about 0.1 ms a call, twice a product)."""

    translations: Translations
    product_path: Callable[[int], str]
    supplier_path: Callable[[int], str]

    @classmethod
    def of(cls, products: list[Product]) -> _ListedPage:
        return cls(
            translations=translations_read(texts=[product.title for product in products]),
            product_path=_path_by_id("api-product-detail"),
            supplier_path=_path_by_id("api-supplier-detail"),
        )


def _path_by_id(name: str) -> Callable[[int], str]:
    """The path of the route `name` for any `pk`: reversed once, with a number no row has, then
    that number replaced."""
    marker = str(2**62 + 12345)
    before, found, after = reverse(name, kwargs={"pk": marker}).partition(marker)
    assert found, name  # the route takes the id as it is
    return lambda pk: f"{before}{pk}{after}"


class ProductListItemSerializer(_WrittenTitleSerializer, serializers.ModelSerializer):
    """A product in search results. `listed_category` is set by the view (one query per page)."""

    category = CategoryRefSerializer(source="listed_category", read_only=True, allow_null=True)
    currency = serializers.CharField(source="currency_id", read_only=True)
    belt = BeltRefSerializer(read_only=True, allow_null=True)
    supplier = SupplierSummarySerializer(read_only=True)
    from_price = _money_field(
        read_only=True, allow_null=True, help_text=_("The lowest unit price of its tiers, in its currency.")
    )
    price_at_quantity = _money_field(
        read_only=True,
        allow_null=True,
        help_text=_("With ?quantity=: the unit price at that quantity (suppliers.pricing); otherwise null."),
    )
    thumbnail_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        list_serializer_class = ProductListSerializer
        fields = [
            "id",
            "sku",
            *WRITTEN_TITLE,
            "category",
            "unit",
            "moq",
            "currency",
            "lead_time_days",
            "sample_available",
            "from_price",
            "price_at_quantity",
            "province",
            "belt",
            "supplier",
            "thumbnail_url",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_thumbnail_url(self, product: Product) -> str | None:
        path = getattr(product, "thumbnail_url", "")
        return absolute_url(self.context, path) if path else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product: Product) -> str:
        return absolute_url(self.context, reverse("api-product-detail", kwargs={"pk": product.pk}))

    def to_representation(self, instance: Product) -> dict[str, Any]:
        return self.represent(instance, _ListedPage.of([instance]))

    def represent(self, product: Product, page: _ListedPage) -> dict[str, Any]:
        """The declared fields, written directly rather than through DRF's field-by-field loop.

        A search page's twenty products cost about 13 ms through that loop and the written-title
        fields (each title's language worked out seven times, the translations looked up again
        per product), as much as the search itself (bench/http_bench.py). Here the values that
        JSON takes as they are (text, numbers, yes/no, choices) are copied, the amounts and the
        publishing time go through DRF's own fields, and the title and paths through what the page
        shares (_ListedPage, made once by ProductListSerializer). Same keys, values and order as the
        declared fields give (tests/suppliers/test_api_public.py compares both).
        """
        written = page.translations.of(product.title)
        category = getattr(product, "listed_category", None)
        supplier = product.supplier
        published_at = product.published_at
        return {
            "id": product.pk,
            "sku": product.sku,
            "title": product.title,
            "title_language": written.language,
            "title_translated": (
                None
                if written.translated is None
                else {"language": written.reader_language, "text": written.translated}
            ),
            "category": _named_ref(category),
            "unit": product.unit,
            "moq": product.moq,
            "currency": product.currency_id,
            "lead_time_days": product.lead_time_days,
            "sample_available": product.sample_available,
            "from_price": _amount(getattr(product, "from_price", None)),
            "price_at_quantity": _amount(getattr(product, "price_at_quantity", None)),
            "province": product.province,
            "belt": _named_ref(product.belt),
            "supplier": {
                "id": supplier.pk,
                "name": supplier.name,
                "name_zh": supplier.name_zh,
                "business_type": supplier.business_type,
                "is_verified": supplier.is_verified,
                "province": supplier.province,
                "city": supplier.city,
                "url": absolute_url(self.context, page.supplier_path(supplier.pk)),
            },
            "thumbnail_url": self.get_thumbnail_url(product),
            "published_at": None if published_at is None else _TIME.to_representation(published_at),
            "url": absolute_url(self.context, page.product_path(product.pk)),
        }


# DRF's own representations of an amount (a string, every digit kept) and of a time (ISO 8601, in
# the current time zone), for ProductListItemSerializer.represent.
_AMOUNT = _money_field(read_only=True)
_TIME = serializers.DateTimeField(read_only=True)


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else _AMOUNT.to_representation(value)


def _named_ref(named: Any) -> dict[str, str] | None:
    """A category or belt named in passing, as CategoryRefSerializer and BeltRefSerializer give it."""
    if named is None:
        return None
    return {"slug": named.slug, "name_en": named.name_en, "name_zh": named.name_zh}


class FacetValueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField(help_text=_("Give it as the category or belt filter to narrow the search."))
    name = serializers.CharField(help_text=_("In the language of the request."))
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    categories = FacetValueSerializer(
        many=True, help_text=_("Top-level categories, or the children of the category filtered on.")
    )
    belts = FacetValueSerializer(many=True)
    total = serializers.IntegerField(help_text=_("How many products were counted."))
    approximate = serializers.BooleanField(
        help_text=_("True when so many products match that only the first ones were counted.")
    )


class ProductSearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("The next page, or null on the last one."))
    next_cursor = serializers.CharField(allow_null=True, help_text=_("The `cursor` of the next page."))
    sort = serializers.CharField(help_text=_("The order applied: relevance, price, newest, moq or lead_time."))
    quantity = serializers.IntegerField(allow_null=True)
    fuzzy = serializers.BooleanField(help_text=_("True when similar spellings were matched too."))
    corrected_query = serializers.CharField(
        allow_null=True,
        help_text=_(
            "When words of the query were not in the catalog and were corrected: the query as searched "
            "(also matching the words as written). Null otherwise."
        ),
    )
    best_of = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "On the last page of a relevance ranking that stopped early: the ranking held the best this "
            "many matches of more. Sort by newest or price (or add words and filters) to page through all. "
            "On every page of titles like misspelt words sorted otherwise, when more titles are like "
            "them: the pages are sorted among the first this many of them. Null otherwise."
        ),
    )
    facets = FacetsSerializer()
    results = ProductListItemSerializer(many=True)

    def to_representation(self, page: dict[str, Any]) -> dict[str, Any]:
        """The declared fields (the schema), written directly: DRF's loop copies every declared
        field of the page, the facets and their values for each answer (deep copies, ~0.4 ms of a
        search's ~5 ms of API), and the values are already what JSON takes — text, numbers, yes/no,
        the facets' values as `FacetValueSerializer` writes them (the view makes them). The results
        are ProductListItemSerializer's. Same keys, values and order as the declared fields give
        (tests/suppliers/test_api_public.py compares both)."""
        facets = page["facets"]
        results = ProductListItemSerializer(many=True, context=self.context)
        return {
            "next": page["next"],
            "next_cursor": page["next_cursor"],
            "sort": page["sort"],
            "quantity": page["quantity"],
            "fuzzy": page["fuzzy"],
            "corrected_query": page["corrected_query"],
            "best_of": page["best_of"],
            "facets": {
                "categories": [dict(value) for value in facets["categories"]],
                "belts": [dict(value) for value in facets["belts"]],
                "total": facets["total"],
                "approximate": facets["approximate"],
            },
            "results": results.to_representation(page["results"]),
        }


class SupplierSearchPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("The next page, or null on the last one."))
    next_cursor = serializers.CharField(allow_null=True, help_text=_("The `cursor` of the next page."))
    results = SupplierListItemSerializer(many=True)


class ConvertedAmountSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=None, decimal_places=None)
    currency = serializers.CharField()
    rate = serializers.DecimalField(max_digits=None, decimal_places=None)
    rate_date = serializers.DateField()


class PriceAtQuantitySerializer(serializers.Serializer):
    quantity = serializers.IntegerField()
    unit_price = _money_field(allow_null=True, help_text=_("Null below the minimum order quantity."))
    total = _money_field(allow_null=True, help_text=_("Rounded to the currency's decimal places."))
    currency = serializers.CharField()
    below_moq = serializers.BooleanField()
    converted = ConvertedAmountSerializer(
        allow_null=True, help_text=_("With ?currency=: the total at the latest staff-maintained rate, if any.")
    )


class PublicProductSerializer(_WrittenTitleSerializer, serializers.ModelSerializer):
    category = CategoryRefSerializer(read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True)
    attributes = AttributeSerializer(many=True, read_only=True)
    tiers = TierSerializer(many=True, read_only=True)
    images = ProductImageSerializer(many=True, read_only=True)
    from_price = serializers.DecimalField(
        source="min_unit_price", max_digits=14, decimal_places=4, read_only=True, allow_null=True
    )
    belt = BeltRefSerializer(source="supplier.belt", read_only=True, allow_null=True)
    supplier = SupplierSummarySerializer(read_only=True)
    price = serializers.SerializerMethodField(help_text=_("With ?quantity=: the price of that many units."))
    url = serializers.SerializerMethodField()
    description_language = WrittenLanguageField(source="description")
    description_translated = TranslatedField(source="description")

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            *WRITTEN_TITLE,
            "description",
            "description_language",
            "description_translated",
            "category",
            "attributes",
            "unit",
            "moq",
            "currency",
            "lead_time_days",
            "monthly_capacity",
            "sample_available",
            "sample_price",
            "sample_days",
            "from_price",
            "tiers",
            "price",
            "images",
            "province",
            "belt",
            "supplier",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(PriceAtQuantitySerializer(allow_null=True))
    def get_price(self, product: Product) -> dict[str, Any] | None:
        price = self.context.get("price")
        if price is None:
            return None
        converted = None
        if price.converted is not None:
            converted = {
                "amount": price.converted.amount,
                "currency": price.converted.currency,
                "rate": price.converted.rate,
                "rate_date": price.converted.rate_date,
            }
        return PriceAtQuantitySerializer(
            {
                "quantity": price.quantity,
                "unit_price": price.unit_price,
                "total": price.total,
                "currency": price.currency,
                "below_moq": price.below_moq,
                "converted": converted,
            }
        ).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, product: Product) -> str:
        return absolute_url(self.context, reverse("api-product-detail", kwargs={"pk": product.pk}))
