"""Pagination for API lists: cursors, so no list needs a COUNT over its whole table."""

from rest_framework.pagination import CursorPagination


class StandardCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
