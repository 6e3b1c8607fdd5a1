"""The notifications API: a user's own notifications, and marking one read.

Routes live in marketplace/urls/notifications.py under api/v1/notifications/. Notifications are
personal: each client sees only those of the user it authenticates as; another user's is a 404.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.api.filters import TrueOrFalseFilter
from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.throttling import API_THROTTLES
from marketplace.api.views import PRIVATE_ERRORS, error_responses
from marketplace.models import Notification
from marketplace.notification_texts import RenderedNotification, notification_text
from marketplace.selectors.notifications import notifications_for
from marketplace.services.notifications import notification_mark_read
from marketplace.tenancy import signed_in_user


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField(help_text=_("One line, in the language of the request."))
    summary = serializers.SerializerMethodField(help_text=_("Plain text, in the language of the request."))
    url = serializers.CharField(
        read_only=True, help_text=_("Where the event can be seen: a path on this site, or empty.")
    )
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "event_key", "title", "summary", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    @staticmethod
    def _text(notification: Notification) -> RenderedNotification:
        if not hasattr(notification, "_rendered"):
            notification._rendered = notification_text(notification)  # type: ignore[attr-defined]
        return notification._rendered  # type: ignore[attr-defined]

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, notification: Notification) -> str:
        return self._text(notification).subject

    @extend_schema_field(OpenApiTypes.STR)
    def get_summary(self, notification: Notification) -> str:
        return self._text(notification).body


class NotificationFilter(django_filters.FilterSet):
    unread = TrueOrFalseFilter(
        method="filter_unread",
        label=_("Unread"),
        help_text=_("true: only unread notifications; false: only those already read."),
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset: QuerySet[Notification], name: str, value: bool) -> QuerySet[Notification]:
        return queryset.filter(read_at__isnull=value)


@extend_schema_view(
    get=extend_schema(
        operation_id="notifications_list",
        summary=_("Your notifications"),
        description=_("The signed-in user's notifications, newest first, with title and summary in your language."),
        responses={200: NotificationSerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    )
)
class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    throttle_classes = API_THROTTLES
    pagination_class = StandardCursorPagination
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Notification.objects.none()
        return notifications_for(user=signed_in_user(self.request))


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = API_THROTTLES

    @extend_schema(
        operation_id="notifications_read",
        summary=_("Mark a notification read"),
        description=_("Idempotent: marking a read notification again changes nothing."),
        request=None,
        responses={200: NotificationSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def post(self, request: Request, pk: int, *args: Any, **kwargs: Any) -> Response:
        notification = notification_mark_read(user=signed_in_user(request), notification_id=pk)
        return Response(NotificationSerializer(notification, context={"request": request}).data)
