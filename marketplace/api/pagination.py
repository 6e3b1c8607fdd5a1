"""Pagination for API lists: cursors, so no list needs a COUNT over its whole table."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ValidationError
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
        """`page_size` read as every whole number is (１０ is 10): absent or empty, the usual size;
        not a whole number from 1 to the maximum, refused (400), as the schema says."""
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            return whole_number(raw, label="page_size", minimum=1, maximum=self.max_page_size)
        except InputValueError as error:
            raise ValidationError({self.page_size_query_param: [error.message]}) from error

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters
