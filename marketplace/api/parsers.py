"""The API's parsers: DRF's JSON, form and multipart parsers, refusing what no field may receive.

Every API view parses its body with these (they are DEFAULT_PARSER_CLASSES, and a view that names
its parsers names these; tests/api/test_hardening.py checks every view), so the body of every API
request is held to the same rules before any serializer reads it:

- no text, key or value, at any depth, holds a control character
  (`marketplace.input_values.CONTROL_CHARACTERS`: a NUL byte, which PostgreSQL cannot store, the
  other C0 controls but tab and line breaks, a lone "\\ud800" surrogate): 400 `invalid`, naming the
  top-level field that holds it;
- a JSON number is at most MAX_NUMBER_DIGITS digits long, and no number overflows to infinity
  (1e400): 400 `parse_error`, in words (Python refuses int() of 4,300 digits in its own words).

Query strings and the forms of pages are checked by marketplace.request_checks.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Mapping
from typing import IO, Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils import json

from marketplace.input_values import CONTROL_CHARACTERS, has_control_characters

# No field takes a longer number: amounts have at most 10 digits before the point, ids 19.
MAX_NUMBER_DIGITS = 50


def control_character_message() -> str:
    return _("A control character (such as a NUL byte) cannot be part of any text: remove it.")


def printable_name(name: str) -> str:
    """A field name as a message can show it: its control characters replaced by �."""
    return CONTROL_CHARACTERS.sub("\ufffd", name)[:100]


def _holds_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, Mapping):
        return any(_holds_control_characters(key) or _holds_control_characters(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_control_characters(item) for item in value)
    return False


def refuse_control_characters(data: Any) -> None:
    """Raise a ValidationError (400 `invalid`) naming each top-level field of `data` whose name or
    value (at any depth) holds a control character."""
    if isinstance(data, QueryDict):
        items: list[tuple[Any, Any]] = list(data.lists())
    elif isinstance(data, Mapping):
        items = list(data.items())
    else:
        items = [("non_field_errors", data)]
    fields = {
        printable_name(str(name)): [control_character_message()]
        for name, value in items
        if _holds_control_characters(name) or _holds_control_characters(value)
    }
    if fields:
        raise ValidationError(fields)


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ParseError(
            _("A number in the body has more than %(max)s digits: no field takes one so long.")
            % {"max": MAX_NUMBER_DIGITS}
        )
    return int(digits)


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or len(text) > MAX_NUMBER_DIGITS * 2:
        raise ParseError(_("A number in the body is too large: no field takes %(number)s.") % {"number": text[:30]})
    return value


class JSONParser(parsers.JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = parsers.get_encoding(parser_context or {})  # type: ignore[attr-defined]
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_int=_whole_number, parse_float=_number)
        except ValueError as error:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": error}) from error
        refuse_control_characters(data)
        return data


class FormParser(parsers.FormParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        refuse_control_characters(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> parsers.DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        refuse_control_characters(parsed.data)
        return parsed
