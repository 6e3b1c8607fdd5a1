"""The kernel's REST API: the root, belts, categories, currencies and rates, the user, API tokens.

Thin views: parse input (serializers, filter sets), call one selector or service, format the
answer. Every answer a client can get is declared in the OpenAPI schema, errors included, so
that the schema test can hold the API to it.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api import filters, serializers
from marketplace.api.errors import error_body
from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import FormParser, JSONParser
from marketplace.api.throttling import API_THROTTLES
from marketplace.errors import PermissionDenied
from marketplace.input_values import TEXT_PATTERN
from marketplace.models import ApiToken, Category, Currency, ExchangeRate, IndustrialBelt, User
from marketplace.security.two_factor import token_creation_allowed
from marketplace.selectors.kernel import belt_directory
from marketplace.selectors.money import offered_currencies
from marketplace.services.accounts import user_update_settings
from marketplace.services.api_tokens import api_token_create, api_token_revoke
from marketplace.tenancy import acting_company, signed_in_user

_ERROR_DESCRIPTIONS = {
    400: "Invalid input: `error.fields` names each field or query parameter at fault.",
    401: "Not authenticated, or the API token is invalid, revoked or expired.",
    403: "Authenticated but not allowed (a read-only token asking for a change; for session clients: a "
    "missing CSRF token).",
    404: "No such object for this client, or an invalid pagination cursor.",
    409: "The object's state does not allow this change.",
    413: "The body is too large: over MAX_REQUEST_BODY_BYTES in all, or over 2.5 MB of text.",
    414: "The address (path and query string) is too long.",
    415: "The body is neither JSON nor multipart/form-data.",
    429: "Too many requests (per address when anonymous, per token and per company when signed in): "
    "wait the seconds `Retry-After` gives and retry.",
    500: "Something went wrong on our side (`server_error`); the error is logged.",
    503: "The request kept the database busy longer than its budget and was stopped (`took_too_long`): "
    "narrow it down and retry.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the error answers an operation can give, all in the one error shape."""
    return {
        code: OpenApiResponse(response=serializers.ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in codes
    }


def declare_request_refusals(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A schema postprocessing hook: every operation may be refused before its view
    (marketplace.request_checks) with 400 (a control character in the query string), 414 (an
    address too long) and, when it takes a body, 413; may be stopped when its database work runs
    past its budget (503, the query budget); and may fail with a JSON 500. Declared here
    for all of them, where an operation does not declare the code itself."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            codes = [400, 414, 500, 503] + ([413] if "requestBody" in operation else [])
            for code in codes:
                operation["responses"].setdefault(
                    str(code), {"content": error, "description": _ERROR_DESCRIPTIONS[code]}
                )
    return result


def declare_empty_query_values(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A schema postprocessing hook: a query parameter given empty (`?status=`) is read as not
    given, as a filter form sends it (django-filter, pagination, the search forms); the schema says
    so with `allowEmptyValue`, so a client may send it and schemathesis expects it accepted."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
    return result


def declare_plain_text(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A schema postprocessing hook: no text a client sends, in a query parameter or anywhere in a
    body, may hold a control character (the parsers and marketplace.request_checks refuse it with
    400); the schema says so with `TEXT_PATTERN` on every string a request carries that has no rule
    of its own already (an enum, a format, a pattern that admits no control character)."""
    components = result.get("components", {}).get("schemas", {})
    visited: set[str] = set()

    def state(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                state(item)
            return
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = str(node["$ref"]).rsplit("/", 1)[-1]
            if name not in visited:
                visited.add(name)
                state(components.get(name))
            return
        if node.get("type") == "string" and not {"enum", "format", "pattern", "const"} & node.keys():
            node["pattern"] = TEXT_PATTERN
        state(list(node.get("properties", {}).values()))
        state([node.get(key) for key in ("items", "additionalProperties", "allOf", "anyOf", "oneOf")])

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            state(
                [parameter.get("schema") for parameter in operation.get("parameters", []) if parameter["in"] == "query"]
            )
            state([media.get("schema") for media in operation.get("requestBody", {}).get("content", {}).values()])
    return result


# The body of an operation that takes no file: JSON or a form.
TEXT_PARSERS = [JSONParser, FormParser]

# A private file's download, when the files are in a private bucket and
# PRIVATE_FILES_SIGNED_URL_SECONDS is set (marketplace.private_files.private_file_response).
SIGNED_URL_REDIRECT = {
    302: OpenApiResponse(
        description="Object storage with signed URLs: a redirect (Location) to a short-lived signed URL of the file."
    )
}

# Any operation may meet a bad token (401) or the throttle (429).
PUBLIC_ERRORS = (401, 429)
PRIVATE_ERRORS = (401, 403, 429)


class ApiView(APIView):
    """Base of our API views: anonymous clients are throttled with the rate the settings give now."""

    throttle_classes = API_THROTTLES


class PublicListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    throttle_classes = API_THROTTLES
    pagination_class = StandardCursorPagination


class PublicDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    throttle_classes = API_THROTTLES
    lookup_field = "slug"


# --- The root -----------------------------------------------------------------------------------


class ApiRootView(ApiView):
    """Where a client starts: the address of every resource, the schema and the documentation."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="Links to the API's resources",
        responses={200: serializers.ApiRootSerializer, **error_responses(*PUBLIC_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        links = {
            "belts": link("api-belt-list"),
            "categories": link("api-category-list"),
            "currencies": link("api-currency-list"),
            "exchange_rates": link("api-exchange-rate-list"),
            "me": link("api-me"),
            "tokens": link("api-token-list"),
            "schema": link("api-schema"),
            "docs": link("api-docs"),
        }
        # The other apps' resources are linked when they are installed (marketplace imports none of them).
        for key, name in (
            ("notifications", "api-notification-list"),
            ("products", "api-product-list"),
            ("suppliers", "api-supplier-list"),
            ("catalog_products", "api-catalog-product-list"),
            ("catalog_imports", "api-catalog-import-list"),
            ("rfqs", "api-rfq-list"),
            ("rfq_inbox", "api-inbox-list"),
            ("rfq_board", "api-rfq-board-list"),
            ("threads", "api-thread-list"),
            ("orders", "api-order-list"),
            ("verification_documents", "api-verification-document-list"),
            ("trending_demand", "api-insights-trending"),
        ):
            with suppress(NoReverseMatch):
                links[key] = link(name)
        return Response(links)


# --- Belts and categories -----------------------------------------------------------------------


@extend_schema(
    summary="Industrial belts",
    description="Live and onboarding belts (staff also see drafts), by slug.",
    responses={200: serializers.BeltSerializer(many=True), **error_responses(400, 404, *PUBLIC_ERRORS)},
)
class BeltListView(PublicListView):
    serializer_class = serializers.BeltSerializer
    filterset_class = filters.BeltFilter

    class Pagination(StandardCursorPagination):
        ordering = "slug"

    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[IndustrialBelt]:
        return belt_directory(user=self.request.user)


@extend_schema(
    summary="One industrial belt",
    responses={200: serializers.BeltSerializer, **error_responses(404, *PUBLIC_ERRORS)},
)
class BeltDetailView(PublicDetailView):
    serializer_class = serializers.BeltSerializer

    def get_queryset(self) -> QuerySet[IndustrialBelt]:
        return belt_directory(user=self.request.user)


@extend_schema(
    summary="Product categories",
    description="The category tree, in tree order (by materialised path).",
    responses={200: serializers.CategorySerializer(many=True), **error_responses(400, 404, *PUBLIC_ERRORS)},
)
class CategoryListView(PublicListView):
    serializer_class = serializers.CategorySerializer
    filterset_class = filters.CategoryFilter

    class Pagination(StandardCursorPagination):
        ordering = "path"
        max_page_size = 500

    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.select_related("parent")


@extend_schema(
    summary="One category, with its ancestors and children",
    responses={200: serializers.CategoryDetailSerializer, **error_responses(404, *PUBLIC_ERRORS)},
)
class CategoryDetailView(PublicDetailView):
    serializer_class = serializers.CategoryDetailSerializer

    def get_queryset(self) -> QuerySet[Category]:
        return Category.objects.select_related("parent")


# --- Money --------------------------------------------------------------------------------------


@extend_schema(
    summary="Active currencies",
    responses={200: serializers.CurrencySerializer(many=True), **error_responses(404, *PUBLIC_ERRORS)},
)
class CurrencyListView(PublicListView):
    serializer_class = serializers.CurrencySerializer

    class Pagination(StandardCursorPagination):
        ordering = "code"

    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Currency]:
        return offered_currencies()


@extend_schema(
    summary="Exchange rates",
    description="Dated rates maintained by staff: one unit of `base` is worth `rate` units of `quote`.",
    responses={200: serializers.ExchangeRateSerializer(many=True), **error_responses(400, 404, *PUBLIC_ERRORS)},
)
class ExchangeRateListView(PublicListView):
    serializer_class = serializers.ExchangeRateSerializer
    filterset_class = filters.ExchangeRateFilter

    class Pagination(StandardCursorPagination):
        ordering = ("-valid_on", "base_id", "quote_id")

    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ExchangeRate]:
        return ExchangeRate.objects.all()


# --- The signed-in user -------------------------------------------------------------------------


class MeView(ApiView):
    """The signed-in user: who it is, which companies it belongs to, and what it prefers."""

    permission_classes = [IsAuthenticated]
    # No file to send: JSON or a form, not multipart.
    parser_classes = TEXT_PARSERS

    def _answer(self, request: Request, user: User) -> Response:
        user = User.objects.prefetch_related("memberships__company").get(pk=user.pk)
        context = {"request": request, "acting_company": acting_company(request)}
        return Response(serializers.MeSerializer(user, context=context).data)

    @extend_schema(
        summary="The signed-in user, its companies and the company it acts for",
        responses={200: serializers.MeSerializer, **error_responses(*PRIVATE_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return self._answer(request, signed_in_user(request))

    @extend_schema(
        summary="Change the signed-in user's name, language or currency",
        request=serializers.MeUpdateSerializer,
        responses={200: serializers.MeSerializer, **error_responses(400, *PRIVATE_ERRORS)},
    )
    def patch(self, request: Request) -> Response:
        data = _valid(serializers.MeUpdateSerializer, request)
        user = signed_in_user(request)
        currency = data.get("preferred_currency")
        user_update_settings(
            user=user,
            name=data.get("name", user.name),
            preferred_language=data.get("preferred_language", user.preferred_language),
            # The plugin reads the _id of a foreign key with a default as optional; this one is required.
            preferred_currency=currency.code if currency is not None else user.preferred_currency_id,  # type: ignore[arg-type]
        )
        return self._answer(request, user)


# --- API tokens ---------------------------------------------------------------------------------


class ApiTokenListView(generics.ListAPIView):
    """Personal API tokens of the signed-in user. A key is shown once, in the answer that creates it."""

    permission_classes = [IsAuthenticated]
    throttle_classes = API_THROTTLES
    pagination_class = StandardCursorPagination
    serializer_class = serializers.ApiTokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):  # The schema generator has no user.
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=signed_in_user(self.request))

    @extend_schema(
        summary="Your API tokens, newest first (keys are never shown again)",
        responses={200: serializers.ApiTokenSerializer(many=True), **error_responses(404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    @extend_schema(
        summary="Create an API token: the answer holds its key, shown only this once",
        request=serializers.ApiTokenCreateSerializer,
        responses={201: serializers.ApiTokenCreatedSerializer, **error_responses(400, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request) -> Response:
        if not token_creation_allowed(request.user, by_session=request.auth is None):
            raise PermissionDenied(_("Log in again with your two-factor code to create a token."))
        data = _valid(serializers.ApiTokenCreateSerializer, request)
        token, key = api_token_create(
            user=signed_in_user(request),
            name=data["name"],
            scope=data["scope"],
            expires_in_days=data.get("expires_in_days"),
            expires_on=data.get("expires_on"),
        )
        token.key = key  # type: ignore[attr-defined]  # shown in this answer only, never stored
        response = Response(serializers.ApiTokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(ApiView):
    """Revoking is an action of its own, so a token is never deleted and its history stays."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Revoke one of your API tokens: it stops working at once",
        request=None,
        responses={200: serializers.ApiTokenSerializer, **error_responses(404, 409, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int) -> Response:
        token = api_token_revoke(user=signed_in_user(request), token_id=pk)
        return Response(serializers.ApiTokenSerializer(token).data)


def _valid(serializer_class: type, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Anything else under /api/v1/ ---------------------------------------------------------------


@csrf_exempt
def api_not_found(request: HttpRequest, unmatched: str) -> JsonResponse:
    """Unknown API paths answer 404 in the API's error shape, not with an HTML page.

    Exempt from CSRF because it changes nothing, and so that a POST to a wrong address gets this
    404 rather than an HTML 403 from the CSRF middleware.
    """
    message = _("There is no API endpoint at this address.")
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            message = _("There is no API endpoint at this address. Did you mean %(path)s?") % {
                "path": request.path + "/"
            }
    return JsonResponse(error_body("not_found", message), status=404)
