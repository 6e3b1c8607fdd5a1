"""Keyset pages: a page is the rows after the last one shown, in the sort order, never an OFFSET.

A cursor is the sort's name and the last row's sort values (opaque base64 JSON). One from another
sort, or garbled, raises InvalidInput (the pages then show the first page).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from operator import attrgetter
from typing import Any

from django.db.models import (
    BigIntegerField,
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    Field,
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.utils.translation import gettext as _

from marketplace.errors import InvalidInput
from marketplace.input_values import MAX_ID

# A price in a cursor with more digits than this was not written by `encode_cursor` (prices are
# numeric(14, 4)); the database would refuse it.
MAX_CURSOR_DIGITS = 20
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class SortKey:
    """One column of a sort: an annotation or field name, its direction and the type of its values."""

    name: str
    descending: bool
    kind: str  # "float", "decimal", "datetime", "int", "str"
    # Whether the column may be NULL (nulls sort last). A NOT NULL column is ordered plainly, so
    # `ORDER BY created_at DESC, id DESC` walks its index; `DESC NULLS LAST` could not.
    nullable: bool = False


def encode_cursor(sort: str, values: list[Any]) -> str:
    plain = [str(value) if isinstance(value, Decimal) else value for value in values]
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in plain]
    raw = json.dumps([sort, plain], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, keys: list[SortKey]) -> list[Any]:
    invalid = InvalidInput(_("This page link is out of date; the first page is shown."), field="cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, values = json.loads(raw)
    except (ValueError, TypeError, binascii.Error) as error:
        raise invalid from error
    if cursor_sort != sort or not isinstance(values, list) or len(values) != len(keys):
        raise invalid
    parsed: list[Any] = []
    try:
        for key, value in zip(keys, values, strict=True):
            if value is None:
                parsed.append(None)
            elif key.kind == "float" and isinstance(value, int | float):
                parsed.append(float(value))
            elif key.kind == "int" and isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_ID:
                parsed.append(value)
            elif key.kind == "decimal" and isinstance(value, str):
                number = Decimal(value)
                if not number.is_finite() or abs(number.adjusted()) > MAX_CURSOR_DIGITS:
                    raise invalid
                parsed.append(number)
            elif key.kind == "datetime" and isinstance(value, str):
                moment = datetime.fromisoformat(value)
                # (A cursor this code wrote has a time zone; a forged one without is read as UTC.)
                parsed.append(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))
            elif key.kind == "str" and isinstance(value, str):
                parsed.append(value)
            else:
                raise invalid
    except (ValueError, InvalidOperation) as error:
        raise invalid from error
    return parsed


def page_size(limit: int) -> int:
    """A page's number of rows: `limit` within 1 and MAX_LIMIT."""
    return max(1, min(int(limit), MAX_LIMIT))


def _after(keys: list[SortKey], values: list[Any]) -> Q:
    """Rows after the cursor in the sort order (nulls last in every direction).

    When the first key cannot be NULL, the rows are also bounded by it (`created_at <= x AND (...)`):
    an index on the sort starts there instead of at the first row.
    """

    def beyond(key: SortKey, value: Any) -> Q:
        if value is None:
            return Q(pk__in=[])
        after = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
        return after | Q(**{f"{key.name}__isnull": True}) if key.nullable else after

    def equal(key: SortKey, value: Any) -> Q:
        return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})

    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= prefix & beyond(key, value)
        prefix &= equal(key, value)
    first, start = keys[0], values[0]
    if not first.nullable and start is not None:
        condition &= Q(**{f"{first.name}__{'lte' if first.descending else 'gte'}": start})
    return condition


def _ordering(keys: list[SortKey], *, walkable: bool = True) -> list[Any]:
    """The ORDER BY of `keys`: nulls last where a column may hold them, else plain (index order).

    Not `walkable`: each column as an expression no index answers (x + 0), so the planner finds the
    rows by their conditions (bitmaps) and sorts them instead of walking an index.
    """
    ordering = []
    for key in keys:
        column: Any = F(key.name) if walkable else _unindexed(key)
        if key.nullable:
            ordering.append(column.desc(nulls_last=True) if key.descending else column.asc(nulls_last=True))
        else:
            ordering.append(column.desc() if key.descending else column.asc())
    return ordering


def _unindexed(key: SortKey) -> Any:
    if key.kind == "datetime":
        return ExpressionWrapper(F(key.name) + Value(timedelta(0)), output_field=DateTimeField())
    field: Field[Any, Any] = {"float": FloatField(), "int": BigIntegerField()}.get(key.kind) or DecimalField(
        max_digits=30, decimal_places=10
    )
    return ExpressionWrapper(F(key.name) + Value(0), output_field=field)


def keyset_rows(
    queryset: QuerySet[Any], *, sort: str, keys: list[SortKey], cursor: str | None, limit: int, walkable: bool = True
) -> QuerySet[Any]:
    """The first `limit + 1` rows after the cursor in the order of `keys`, not yet read (a subquery
    as well as a query): one more than the page, to tell whether another page follows. See
    `_ordering` for `walkable`."""
    if cursor:
        queryset = queryset.filter(_after(keys, decode_cursor(cursor, sort, keys)))
    return queryset.order_by(*_ordering(keys, walkable=walkable))[: limit + 1]


def page_and_cursor(
    rows: list[Any], *, sort: str, limit: int, values: Callable[[Any], list[Any]]
) -> tuple[list[Any], str | None]:
    """The page of `rows` (at most `limit + 1`, in order) and the cursor of the next page (None: last),
    made of `values(last row of the page)`."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(sort, values(rows[-1]))


def keyset_page(
    queryset: QuerySet[Any], *, sort: str, keys: list[SortKey], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """The `limit` rows after the cursor in the order of `keys`, and the cursor of the next page (None: last)."""
    rows = list(keyset_rows(queryset, sort=sort, keys=keys, cursor=cursor, limit=limit))
    return page_and_cursor(rows, sort=sort, limit=limit, values=lambda row: [getattr(row, key.name) for key in keys])


def in_key_order(rows: list[Any], keys: list[SortKey], attributes: dict[str, str] | None = None) -> list[Any]:
    """`rows` sorted in Python as `_ordering` sorts them in SQL (nulls last), reading each key from the
    attribute `attributes` maps its name to (by default, the key's own name)."""
    ordered = list(rows)
    for key in reversed(keys):  # stable sorts, least significant key first
        ordered.sort(
            key=nulls_last(attrgetter((attributes or {}).get(key.name, key.name)), key), reverse=key.descending
        )
    return ordered


def nulls_last(read: Callable[[Any], Any], key: SortKey) -> Callable[[Any], tuple[bool, Any]]:
    """A sort key of the value `read` gives, that puts nulls last in the key's direction (sorted with
    `reverse=key.descending`)."""

    def value(row: Any) -> tuple[bool, Any]:
        found = read(row)
        present = found is not None
        return (present if key.descending else not present), (found if present else 0)

    return value
