"""Query parameters of the suppliers API, parsed into the selectors' and the search service's arguments.

A bad value answers 400 naming the parameter (unlike the search pages, which ignore it): a program
that sent it should learn at once. Each serializer here is also the schema of its parameters.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.api.fields import AmountField, WholeNumberField
from marketplace.api.serializers import QueryParamsSerializer
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, IndustrialBelt
from marketplace.selectors.kernel import belts_visible_to
from marketplace.selectors.money import currency_refusal, offered_currency_codes
from suppliers.catalog_rules import MAX_QUANTITY
from suppliers.models import Product
from suppliers.search.segment import MAX_QUERY_LENGTH
from suppliers.search.service import MAX_LIMIT, SORTS

MAX_CURSOR_LENGTH = 500


def category_by_slug(slug: str) -> Category | None:
    """The `category_lookup` of catalog_rules for the API: categories are named by slug."""
    slug = (slug or "").strip()
    return Category.objects.filter(slug=slug[:140]).first() if slug else None


class _CategorySlugField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Slug of a category: it and every category under it."))
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data: Any) -> Category:  # type: ignore[override]  # reads a slug as text, gives the object
        category = category_by_slug(super().to_internal_value(data))
        if category is None:
            raise serializers.ValidationError(_("No category has this slug: see /api/v1/categories/."))
        return category


class _BeltSlugField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("Slug of an industrial belt, see /api/v1/belts/."))
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data: Any) -> IndustrialBelt:  # type: ignore[override]  # reads a slug as text, gives the object
        slug = super().to_internal_value(data).strip()
        belt = belts_visible_to(None).filter(slug=slug[:100]).first() if slug else None
        if belt is None:
            raise serializers.ValidationError(_("No industrial belt has this slug: see /api/v1/belts/."))
        return belt


def _province_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=PROVINCE_CHOICES,
        required=False,
        help_text=_("A province code such as hebei or zhejiang."),
        error_messages={"invalid_choice": _("Unknown province “{input}”.")},
    )


def _cursor_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        max_length=MAX_CURSOR_LENGTH,
        help_text=_("The `next_cursor` of the previous page; leave out for the first page."),
    )


def _limit_field() -> WholeNumberField:
    return WholeNumberField(
        subject=_("The number of results per page"),
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=_("Results per page, 1 to 100 (default 20)."),
    )


def _query_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Words in Chinese or English (透明书包, transparent backpack) or a SKU; long queries are cut."),
    )


class CatalogProductFilterSerializer(QueryParamsSerializer):
    """Filters of the supplier's own product list."""

    status = serializers.ChoiceField(
        choices=Product.Status.choices,
        required=False,
        error_messages={"invalid_choice": _("The status must be draft, published or archived.")},
    )
    category = _CategorySlugField()
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text=_("Part of the SKU or the title.")
    )


class ProductSearchParamsSerializer(QueryParamsSerializer):
    q = _query_field()
    category = _CategorySlugField()
    belt = _BeltSlugField()
    province = _province_field()
    quantity = WholeNumberField(
        subject=_("The quantity"),
        required=False,
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text=_("Show and filter prices at this quantity; only products orderable in it (MOQ at most it)."),
    )
    max_price = AmountField(
        subject=_("The highest unit price"),
        allow_zero=True,
        max_digits=14,
        decimal_places=4,
        min_value=0,
        required=False,
        help_text=_("Unit price at most this (at `quantity`, else the lowest tier), in `currency`."),
    )
    currency = serializers.CharField(
        required=False,
        max_length=3,
        help_text=_("The currency of max_price (default CNY): only products priced in it are compared."),
    )
    max_moq = WholeNumberField(
        subject=_("The highest minimum order quantity"), required=False, min_value=1, max_value=MAX_QUANTITY
    )
    max_lead_time = WholeNumberField(
        subject=_("The longest lead time"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Lead time at most this many days."),
    )
    verified = serializers.BooleanField(required=False, help_text=_("true: verified suppliers only."))
    manufacturers = serializers.BooleanField(
        required=False, help_text=_("true: manufacturers only (no trading companies).")
    )
    sample = serializers.BooleanField(required=False, help_text=_("true: only products with samples."))
    sort = serializers.ChoiceField(
        choices=SORTS,
        required=False,
        help_text=_(
            "relevance (default; newest without a query), price (at `quantity`, lowest first), newest, "
            "moq (lowest first) or lead_time (shortest first)."
        ),
        error_messages={
            "invalid_choice": _("Unknown sort order “{input}”: use relevance, price, newest, moq or lead_time.")
        },
    )
    cursor = _cursor_field()
    limit = _limit_field()

    def validate_currency(self, value: str) -> str:
        code = value.strip().upper()
        if code not in offered_currency_codes():
            raise serializers.ValidationError(currency_refusal(code))
        return code

    def search_arguments(self) -> dict[str, Any]:
        """The keyword arguments of suppliers.search.service.search_products."""
        data = self.validated_data
        arguments: dict[str, Any] = {
            "query": (data.get("q") or "")[:MAX_QUERY_LENGTH],
            "category": data.get("category"),
            "belt": data.get("belt"),
            "province": data.get("province") or None,
            "quantity": data.get("quantity"),
            "max_price": data.get("max_price"),
            "currency": data.get("currency") or "CNY",
            "max_moq": data.get("max_moq"),
            "max_lead_time": data.get("max_lead_time"),
            "verified_only": bool(data.get("verified")),
            "manufacturers_only": bool(data.get("manufacturers")),
            "sample_available": bool(data.get("sample")),
            "sort": data.get("sort") or "relevance",
            "cursor": data.get("cursor") or None,
        }
        if data.get("limit"):
            arguments["limit"] = data["limit"]
        return arguments


class SupplierSearchParamsSerializer(QueryParamsSerializer):
    q = _query_field()
    category = _CategorySlugField(help_text=_("Slug of a category: suppliers whose main categories are in it."))
    belt = _BeltSlugField()
    province = _province_field()
    verified = serializers.BooleanField(required=False, help_text=_("true: verified suppliers only."))
    manufacturers = serializers.BooleanField(
        required=False, help_text=_("true: manufacturers only (no trading companies).")
    )
    cursor = _cursor_field()
    limit = _limit_field()

    def search_arguments(self) -> dict[str, Any]:
        """The keyword arguments of suppliers.search.service.search_suppliers."""
        data = self.validated_data
        arguments: dict[str, Any] = {
            "query": (data.get("q") or "")[:MAX_QUERY_LENGTH],
            "category": data.get("category"),
            "belt": data.get("belt"),
            "province": data.get("province") or None,
            "verified_only": bool(data.get("verified")),
            "manufacturers_only": bool(data.get("manufacturers")),
            "cursor": data.get("cursor") or None,
        }
        if data.get("limit"):
            arguments["limit"] = data["limit"]
        return arguments


class PriceParamsSerializer(QueryParamsSerializer):
    quantity = WholeNumberField(
        subject=_("The quantity"),
        required=False,
        min_value=1,
        max_value=MAX_QUANTITY,
        help_text=_("Give the price of this many units."),
    )
    currency = serializers.CharField(
        required=False,
        max_length=3,
        help_text=_("Also convert the total into this currency (ISO 4217) at the latest rate."),
    )

    def validate_currency(self, value: str) -> str:
        code = value.strip().upper()
        if code not in offered_currency_codes():
            raise serializers.ValidationError(currency_refusal(code))
        return code
