"""Demand insights through the API: the public trending demand and a belt's private demand.

`GET /api/v1/insights/trending/` answers anybody (no buyer's identity in it: counts and
countries). `GET /api/v1/insights/belts/<slug>/demand/` answers the belt's audience — staff, the
belt's managers, members of the belt's suppliers acting for them — and 404 to anybody else signed
in (401 anonymously). Both read only the aggregates, as the pages do.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from buyers.insights.selectors import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    MIN_WEEKS,
    Demand,
    belt_dashboard_access,
    belt_demand,
    trending_demand,
)
from marketplace.api.fields import WholeNumberField
from marketplace.api.serializers import QueryParamsSerializer
from marketplace.api.views import PRIVATE_ERRORS, PUBLIC_ERRORS, ApiView, error_responses
from marketplace.errors import NotFound
from marketplace.tenancy import acting_company, signed_in_user

INSIGHTS_TAG = "demand-insights"


class DemandParamsSerializer(QueryParamsSerializer):
    weeks = WholeNumberField(
        subject=gettext_lazy("The number of weeks"),
        required=False,
        default=DEFAULT_WEEKS,
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        help_text="Weeks to show.",
    )


class DemandCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday of the week.")
    rfqs = serializers.IntegerField()
    buyers = serializers.IntegerField(help_text="Distinct buying companies.")
    surge = serializers.BooleanField()


class BeltWeekSerializer(WeekSerializer):
    quotes = serializers.IntegerField(help_text="Quotes from the belt's suppliers.")
    quotes_per_rfq = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    first_quote_median_minutes = serializers.IntegerField(allow_null=True)
    notified = serializers.IntegerField(source="matches", help_text="The belt's suppliers notified.")
    answered = serializers.IntegerField(help_text="Of those, how many quoted or declined.")
    response_rate = serializers.IntegerField(allow_null=True, help_text="Percent.")


class RisingSerializer(serializers.Serializer):
    category = DemandCategorySerializer()
    rfqs = serializers.IntegerField(source="current", help_text="RFQs this week.")
    weekly_average = serializers.DecimalField(source="average", max_digits=12, decimal_places=1)
    percent = serializers.IntegerField(allow_null=True, help_text="Above the average; null: none before.")


class SurgeSerializer(serializers.Serializer):
    category = DemandCategorySerializer()
    week = serializers.DateField()
    rfqs = serializers.IntegerField(source="rfq_count")
    weekly_average = serializers.DecimalField(source="baseline_average", max_digits=12, decimal_places=2)
    baseline_weeks = serializers.IntegerField()
    percent = serializers.IntegerField(source="percent_above", allow_null=True)


class CountrySerializer(serializers.Serializer):
    country = serializers.CharField(source="code")
    rfqs = serializers.IntegerField()
    percent = serializers.IntegerField()


class TrendingSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The current week's Monday (its figures so far).")
    baseline_weeks = serializers.IntegerField()
    weeks = WeekSerializer(many=True)
    rising = RisingSerializer(many=True)
    surges = SurgeSerializer(many=True)
    countries = CountrySerializer(many=True, help_text="RFQs by buyer country over the last 12 weeks.")


class DemandBeltSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class SpecialtySerializer(serializers.Serializer):
    category = DemandCategorySerializer()
    this_week = serializers.IntegerField(source="current")
    weekly_average = serializers.DecimalField(source="average", max_digits=12, decimal_places=1)
    weekly_rfqs = serializers.SerializerMethodField()

    def get_weekly_rfqs(self, specialty: Any) -> list[int]:
        return [week.rfqs for week in specialty.weeks]


class BeltDemandSerializer(TrendingSerializer):
    belt = DemandBeltSerializer()
    weeks = BeltWeekSerializer(many=True)
    specialties = SpecialtySerializer(many=True)
    quotes_per_rfq = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    response_rate = serializers.IntegerField(allow_null=True)


def _weeks(request: Request) -> int:
    params = DemandParamsSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data["weeks"]


WEEKS_PARAMETER = OpenApiParameter(
    "weeks",
    {"type": "integer", "minimum": MIN_WEEKS, "maximum": MAX_WEEKS, "default": DEFAULT_WEEKS},
    description=f"Weeks to show, {MIN_WEEKS}–{MAX_WEEKS}.",
)


class TrendingView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="insights_trending",
        tags=[INSIGHTS_TAG],
        summary="Trending demand",
        description=(
            "Sourcing requests published on the platform per week, the categories rising this week, "
            "the surges and where buyers come from. No buyer is identified."
        ),
        parameters=[WEEKS_PARAMETER],
        responses={200: TrendingSerializer, **error_responses(400, *PUBLIC_ERRORS)},
    )
    def get(self, request: Request) -> Response:
        demand: Demand = trending_demand(weeks=_weeks(request))
        return Response(TrendingSerializer(demand).data)


class BeltDemandView(ApiView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="insights_belt_demand",
        tags=[INSIGHTS_TAG],
        summary="A belt's demand and its suppliers' response",
        description=(
            "For staff, the belt's managers and the belt's suppliers (404 for anybody else): weekly RFQs "
            "in the belt's specialties, each specialty's weekly RFQs, rising categories, surges, buyer "
            "countries, and the belt's suppliers' quotes and response."
        ),
        parameters=[WEEKS_PARAMETER],
        responses={200: BeltDemandSerializer, **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request, slug: str) -> Response:
        belt = belt_dashboard_access(user=signed_in_user(request), company=acting_company(request), slug=slug)
        if belt is None:
            raise NotFound(_("No such belt among those whose figures you may see."))
        demand = belt_demand(belt=belt, weeks=_weeks(request))
        return Response(BeltDemandSerializer(demand).data)
