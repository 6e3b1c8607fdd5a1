"""Serializers of the kernel's API: belts, categories, money, the signed-in user, API tokens.

They translate between JSON and our objects and validate input; every change of state is made
by a service, never by a serializer's create()/update().
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.errors import ERROR_CODES
from marketplace.api.form_input import FormBlanksRefused
from marketplace.models import (
    LANGUAGE_CHOICES,
    ApiToken,
    Category,
    Currency,
    ExchangeRate,
    IndustrialBelt,
    Membership,
    User,
)
from marketplace.services.api_tokens import EXPIRY_DAYS

# --- Input -------------------------------------------------------------------------------------


class QueryParamsSerializer(serializers.Serializer):
    """A request's query parameters: validated, never saved. Each instance binds shallow copies of
    the declared fields, where DRF deep-copies them, building every field again from its
    arguments: 0.45 ms of the product search API's own ~4 ms at 1,000,000 products (2026-12-07).
    A parameter's field keeps nothing of a request: binding sets the copy's own name, label and
    parent, and validating reads the shared choices, validators and messages without changing them."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class ItemList(serializers.ListSerializer):
    """The list of a ListItemSerializer (`many=True`): its `min_length` and `max_length` are the
    schema's minItems and maxItems (`ItemListScheme`; drf-spectacular leaves them out)."""


class ItemListScheme(OpenApiSerializerFieldExtension):
    target_class = ItemList

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema = build_array_type(auto_schema._unwrap_list_serializer(self.target.child, direction))
        if self.target.min_length is not None:
            schema["minItems"] = self.target.min_length
        if self.target.max_length is not None:
            schema["maxItems"] = self.target.max_length
        return schema


class ListItemSerializer(serializers.Serializer):
    """An item of a list that a change replaces whole (a product's price tiers): its required
    fields stay required when the serializer around it is partial (a PATCH), where DRF would skip
    them and leave the item without them."""

    class Meta:
        list_serializer_class = ItemList

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            missing = {
                name: [field.error_messages["required"]]
                for name, field in self.fields.items()
                if field.required and not field.read_only and name not in data
            }
            if missing:
                raise serializers.ValidationError(missing, code="required")
        return super().to_internal_value(data)


# --- Errors (for the schema: marketplace/api/errors.py writes this shape) ------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[(code, code) for code in ERROR_CODES],
        help_text=_("A stable, machine-readable error code such as invalid or not_found."),
    )
    message = serializers.CharField(help_text=_("What went wrong, for a person to read."))
    # A declared field, which DRF's metaclass takes out of the class: not the stubs' attribute of that name.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("For invalid input: the messages for each field (or query parameter) at fault."),
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# --- The API root -------------------------------------------------------------------------------


class ApiRootSerializer(serializers.Serializer):
    belts = serializers.URLField()
    categories = serializers.URLField()
    currencies = serializers.URLField()
    exchange_rates = serializers.URLField()
    me = serializers.URLField()
    tokens = serializers.URLField()
    notifications = serializers.URLField(required=False)
    products = serializers.URLField(required=False)
    suppliers = serializers.URLField(required=False)
    catalog_products = serializers.URLField(required=False)
    catalog_imports = serializers.URLField(required=False)
    rfqs = serializers.URLField(required=False)
    rfq_inbox = serializers.URLField(required=False)
    rfq_board = serializers.URLField(required=False)
    threads = serializers.URLField(required=False)
    orders = serializers.URLField(required=False)
    schema = serializers.URLField()
    docs = serializers.URLField()


# --- Categories and belts -----------------------------------------------------------------------


class CategoryRefSerializer(serializers.ModelSerializer):
    """A category named in passing (a belt's specialty, a category's ancestor or child)."""

    class Meta:
        model = Category
        fields = ["slug", "name_en", "name_zh"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    # A declared field, which DRF's metaclass takes out of the class: not the stubs' attribute of that name.
    parent: serializers.SlugRelatedField[Category] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )  # type: ignore[assignment]
    url = serializers.HyperlinkedIdentityField(view_name="api-category-detail", lookup_field="slug")

    class Meta:
        model = Category
        fields = ["id", "slug", "name_en", "name_zh", "parent", "depth", "path", "url"]
        read_only_fields = fields


class CategoryDetailSerializer(CategorySerializer):
    ancestors = serializers.SerializerMethodField(help_text=_("The categories above this one, root first."))
    children = serializers.SerializerMethodField(help_text=_("The categories directly under this one."))

    class Meta(CategorySerializer.Meta):
        fields = [*CategorySerializer.Meta.fields, "ancestors", "children"]
        read_only_fields = fields

    @extend_schema_field(CategoryRefSerializer(many=True))
    def get_ancestors(self, category: Category) -> list[dict[str, str]]:
        # many=True builds a ListSerializer, whose data is a list (the stubs see the single serializer).
        return CategoryRefSerializer(category.ancestors(), many=True).data  # type: ignore[return-value]

    @extend_schema_field(CategoryRefSerializer(many=True))
    def get_children(self, category: Category) -> list[dict[str, str]]:
        # many=True builds a ListSerializer, whose data is a list (the stubs see the single serializer).
        return CategoryRefSerializer(category.children.order_by("path"), many=True).data  # type: ignore[return-value]


class BeltSerializer(serializers.ModelSerializer):
    province_name = serializers.CharField(source="get_province_display", read_only=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    specialties = CategoryRefSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-belt-detail", lookup_field="slug")

    class Meta:
        model = IndustrialBelt
        fields = [
            "slug",
            "name_en",
            "name_zh",
            "province",
            "province_name",
            "city",
            "status",
            "status_name",
            "description_en",
            "description_zh",
            "number_of_firms",
            "annual_output_cny",
            "employees",
            "export_share_percent",
            "specialties",
            "updated_at",
            "url",
        ]
        read_only_fields = fields


# --- Money --------------------------------------------------------------------------------------


class CurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Currency
        fields = ["code", "name", "symbol", "decimal_places"]
        read_only_fields = fields


class ExchangeRateSerializer(serializers.ModelSerializer):
    base = serializers.CharField(source="base_id", read_only=True, help_text=_("ISO 4217 code of the base currency."))
    quote = serializers.CharField(
        source="quote_id", read_only=True, help_text=_("ISO 4217 code of the quote currency.")
    )

    class Meta:
        model = ExchangeRate
        fields = ["base", "quote", "rate", "valid_on", "source"]
        read_only_fields = fields


# --- The signed-in user -------------------------------------------------------------------------


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class MembershipSerializer(serializers.ModelSerializer):
    company = CompanyRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["company", "role"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    preferred_currency = serializers.CharField(source="preferred_currency_id", read_only=True)
    memberships = MembershipSerializer(many=True, read_only=True)
    acting_company = serializers.SerializerMethodField(
        help_text=_("The company this request acts for (the one chosen in the session, else the first joined).")
    )

    class Meta:
        model = User
        fields = ["email", "name", "preferred_language", "preferred_currency", "memberships", "acting_company"]
        read_only_fields = fields

    @extend_schema_field(CompanyRefSerializer(allow_null=True))
    def get_acting_company(self, user: User) -> dict[str, object] | None:
        company = self.context.get("acting_company")
        return CompanyRefSerializer(company).data if company is not None else None


class MeUpdateSerializer(FormBlanksRefused):
    """What a user may change about itself through the API. Every field is optional (PATCH)."""

    name = serializers.CharField(max_length=150, required=False)
    preferred_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Unknown language “{input}”: use en or zh-hans.")},
    )
    preferred_currency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Currency.objects.filter(is_active=True),
        required=False,
        help_text=_("ISO 4217 code of an active currency, such as USD or CNY."),
        error_messages={
            "does_not_exist": _("Unknown currency code “{value}”: see /api/v1/currencies/ for the codes."),
            "invalid": _("Give the currency as a three-letter ISO 4217 code."),
        },
    )


# --- API tokens ---------------------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.SerializerMethodField(help_text=_("Neither revoked nor expired: the token works."))

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, token: ApiToken) -> bool:
        return token.is_usable()


class ApiTokenCreateSerializer(FormBlanksRefused):
    name = serializers.CharField(max_length=100, help_text=_("A name that reminds you where the token is used."))
    scope = serializers.ChoiceField(
        choices=ApiToken.Scope.choices,
        default=ApiToken.Scope.READ_WRITE,
        help_text=_("read: GET, HEAD and OPTIONS only; read_write: everything you may do. Default: read_write."),
    )
    expires_in_days = serializers.ChoiceField(
        choices=[(days, str(days)) for days in EXPIRY_DAYS],
        required=False,
        allow_null=True,
        help_text=_("The token stops working this many days from now. Give this or expires_on, or neither (never)."),
    )
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The token works until the end of this day (today at the earliest, at most ten years ahead)."),
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(
        read_only=True, help_text=_("The secret key. It is shown only now: store it safely, it cannot be shown again.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields
