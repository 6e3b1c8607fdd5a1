"""The messaging API: /api/v1/threads/ (list, start), one thread, its messages (list after an id,
send), and a message's attachment.

For members of a company, as buyer or as supplier: anonymous clients get 401, a user acting for
no company 403 with a message, a thread of two other companies 404 (no existence leaks). Reading
a thread's messages marks the reader's notifications about them read, as the page does.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from marketplace.api.pagination import StandardCursorPagination
from marketplace.api.parsers import FormParser, JSONParser, MultiPartParser
from marketplace.api.permissions import ActsForCompany, acting_company_of
from marketplace.api.serializers import ErrorSerializer
from marketplace.api.views import PRIVATE_ERRORS, SIGNED_URL_REDIRECT, ApiView, error_responses
from marketplace.models import Company
from marketplace.private_files import PrivateFileResponse, private_file_response
from marketplace.tenancy import signed_in_user
from marketplace.uploads import CONTENT_TYPES
from orders.api.serializers.messages import (
    MessageSerializer,
    MessagesFilterSerializer,
    MessageWriteSerializer,
    ThreadSerializer,
    ThreadStartSerializer,
)
from orders.models import Message, Thread
from orders.selectors.messages import (
    message_attachment_of_company,
    messages_of_thread,
    thread_of_company,
    threads_of_company,
)
from orders.services.messages import message_send, order_thread_start, rfq_thread_start, thread_mark_read

MESSAGES_TAG = "messages"
NO_COMPANY = gettext_lazy("Your account acts for no company: messages are between a buyer and a supplier.")
WRITE_PARSERS = [JSONParser, MultiPartParser, FormParser]
WRITE_REQUEST = {"application/json": MessageWriteSerializer, "multipart/form-data": MessageWriteSerializer}
START_REQUEST = {"application/json": ThreadStartSerializer, "multipart/form-data": ThreadStartSerializer}
# A body in another (or no) content type; the kernel's error_responses() has no entry for it yet.
UNSUPPORTED_MEDIA = {
    415: OpenApiResponse(
        response=ErrorSerializer, description="The body is neither JSON nor multipart/form-data (or has no type)."
    )
}


class MessagesView(ApiView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY


def _thread_context(request: Request, company: Company, thread: Thread) -> dict[str, Any]:
    disclosed = thread.buyer_id == company.pk or thread.order_id is not None or bool(thread.doing_business)  # type: ignore[attr-defined]  # annotated by the selector
    return {"request": request, "company": company, "thread": thread, "disclosed": disclosed}


def _thread_answer(request: Request, company: Company, thread_id: int, *, code: int = 200) -> Response:
    thread = threads_of_company(company=company, reader=signed_in_user(request)).get(pk=thread_id)
    return Response(ThreadSerializer(thread, context={"request": request, "company": company}).data, status=code)


class ThreadPagination(StandardCursorPagination):
    # `activity` is the newest message's time (else the start), annotated by the selector.
    ordering = ("-activity", "-id")


class MessagePagination(StandardCursorPagination):
    ordering = ("id",)


@extend_schema_view(
    get=extend_schema(
        operation_id="threads_list",
        tags=[MESSAGES_TAG],
        summary="Your conversations",
        description=(
            "Every thread of your company, as buyer or as supplier, about an RFQ or an order; the newest "
            "activity first, with the start of the latest message and whether you have unread messages."
        ),
        responses={200: ThreadSerializer(many=True), **error_responses(404, *PRIVATE_ERRORS)},
    ),
    post=extend_schema(
        operation_id="threads_create",
        tags=[MESSAGES_TAG],
        summary="Write a first message about an RFQ or an order",
        description=(
            "Starts the thread with its first message, or adds the message to the thread that exists "
            "(one per RFQ and supplier, one per order). As an RFQ's buyer give `rfq` and `supplier` (one "
            "that quoted or was matched); as a supplier give `rfq` (an RFQ you may see); either side of an "
            "order gives `order`. Attachments need multipart/form-data. The other company's members are "
            "notified."
        ),
        request=START_REQUEST,
        responses={201: ThreadSerializer, **error_responses(400, 404, *PRIVATE_ERRORS), **UNSUPPORTED_MEDIA},
    ),
)
class ThreadListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY
    throttle_classes = ApiView.throttle_classes
    parser_classes = WRITE_PARSERS
    pagination_class = ThreadPagination
    serializer_class = ThreadSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Thread]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Thread.objects.none()
        return threads_of_company(company=acting_company_of(self.request), reader=signed_in_user(self.request))

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False):
            context["company"] = acting_company_of(self.request)
        return context

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company = acting_company_of(request)
        serializer = ThreadStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        text = {"body": data.get("body", ""), "attachment": data.get("attachment")}
        if "order" in data:
            message = order_thread_start(
                company=company, author=signed_in_user(request), order_id=data["order"], **text
            )
        else:
            message = rfq_thread_start(
                company=company,
                author=signed_in_user(request),
                rfq_id=data["rfq"],
                supplier_id=data.get("supplier"),
                **text,
            )
        return _thread_answer(request, company, message.thread_id, code=status.HTTP_201_CREATED)


class ThreadDetailView(MessagesView):
    @extend_schema(
        operation_id="threads_retrieve",
        tags=[MESSAGES_TAG],
        summary="One conversation",
        responses={200: ThreadSerializer, **error_responses(404, *PRIVATE_ERRORS)},
    )
    def get(self, request: Request, pk: int) -> Response:
        company = acting_company_of(request)
        thread_of_company(company=company, thread_id=pk)  # 404 outside the company's threads
        return _thread_answer(request, company, pk)


@extend_schema_view(
    get=extend_schema(
        operation_id="thread_messages_list",
        tags=[MESSAGES_TAG],
        summary="A conversation's messages",
        description=(
            "Oldest first. With `after`, only the messages newer than that message id: poll with the "
            "id of the newest message you have. Marks your notifications about them read."
        ),
        parameters=[MessagesFilterSerializer],
        responses={200: MessageSerializer(many=True), **error_responses(400, 404, *PRIVATE_ERRORS)},
    ),
    post=extend_schema(
        operation_id="thread_messages_create",
        tags=[MESSAGES_TAG],
        summary="Send a message",
        description=(
            "A `body`, an `attachment` (multipart/form-data: a PDF or an image up to 10 MB, checked by its "
            "content), or both. The other company's members are notified."
        ),
        request=WRITE_REQUEST,
        responses={201: MessageSerializer, **error_responses(400, 404, *PRIVATE_ERRORS), **UNSUPPORTED_MEDIA},
    ),
)
class ThreadMessagesView(generics.ListAPIView):
    permission_classes = [IsAuthenticated, ActsForCompany]
    no_company_message = NO_COMPANY
    throttle_classes = ApiView.throttle_classes
    parser_classes = WRITE_PARSERS
    pagination_class = MessagePagination
    serializer_class = MessageSerializer
    filter_backends: list = []

    def _thread(self) -> tuple[Company, Thread]:
        if not hasattr(self, "_scoped_thread"):
            company = acting_company_of(self.request)
            self._scoped_thread = (company, thread_of_company(company=company, thread_id=self.kwargs["pk"]))
        return self._scoped_thread

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        _company, thread = self._thread()
        filters = MessagesFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return messages_of_thread(thread=thread, after=filters.validated_data.get("after"))

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False):
            company, thread = self._thread()
            context.update(_thread_context(self.request, company, thread))
        return context

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        _company, thread = self._thread()
        thread_mark_read(thread=thread, user=signed_in_user(request))
        return response

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        company, thread = self._thread()  # 404 before judging the input
        serializer = MessageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = message_send(
            thread_id=thread.pk,
            company=company,
            author=signed_in_user(request),
            body=serializer.validated_data.get("body", ""),
            attachment=serializer.validated_data.get("attachment"),
        )
        message = Message.objects.select_related("author", "author_company").get(pk=message.pk)
        context = _thread_context(request, company, thread)
        return Response(MessageSerializer(message, context=context).data, status=status.HTTP_201_CREATED)


class MessageAttachmentView(MessagesView):
    @extend_schema(
        operation_id="message_attachment_retrieve",
        tags=[MESSAGES_TAG],
        summary="Download a message's attachment",
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    response=OpenApiTypes.BINARY, description="The file, as an attachment."
                )
                for media_type in CONTENT_TYPES.values()
            },
            **SIGNED_URL_REDIRECT,
            **error_responses(404, *PRIVATE_ERRORS),
        },
    )
    def get(self, request: Request, pk: int) -> PrivateFileResponse:
        message = message_attachment_of_company(company=acting_company_of(request), message_id=pk)
        return private_file_response(
            message.attachment, name=message.attachment_name, missing=_("The file of this attachment is missing.")
        )
