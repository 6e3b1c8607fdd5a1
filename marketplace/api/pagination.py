"""Pagination for API lists: cursors, so no list needs a COUNT over its whole table."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from marketplace.input_values import InputValueError, whole_number


class StandardCursorPagination(CursorPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    # Subclasses order by one field or several (a tuple), as DRF allows.
    ordering: str | tuple[str, ...] = "-id"

    def get_page_size(self, request: Request) -> int:
        """`page_size` read as every whole number is (１０ is 10); as DRF does, a size above the
        maximum is cut to it and one that is not a whole number at least 1 gives the usual size."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            return whole_number(raw, label="page_size", minimum=1, maximum=self.max_page_size)
        except InputValueError as error:
            return self.max_page_size if error.code == "max_value" else self.page_size
