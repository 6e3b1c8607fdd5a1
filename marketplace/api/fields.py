"""API fields that read numbers and ids with `marketplace.input_values`, so the API refuses what a
form or an import refuses, with the same message: full-width digits are folded in quantities and
amounts, and ², ٣, 1e5, NaN, 1_000, a sign on an id or a 5,000-digit number answer 400 in words,
never a 500 or a Python message.

They keep the types of DRF's fields (drf-spectacular documents them as integers, decimal strings
and ids) and their min_value / max_value. `subject` names the value in messages ("The quantity
must be a whole number."); error_messages given for a code ("invalid", "min_value",
"max_value") replace the shared message for that code.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from marketplace.input_values import MAX_AMOUNT, MAX_ID, InputValueError, id_value, limited_text, money, whole_number

__all__ = ["AmountField", "IdField", "LimitedTextField", "RelatedIdField", "WholeNumberField"]


class _SharedMessages:
    """Turns an InputValueError into the field's validation error."""

    subject: Any
    default_subject: Any = gettext_lazy("The value")
    own_messages: frozenset[str]
    error_messages: dict[str, Any]

    def _init_messages(self, subject: Any, error_messages: Mapping[str, Any] | None) -> None:
        self.subject = subject
        self.own_messages = frozenset(error_messages or ())

    def _label(self) -> str:
        return str(self.subject or self.default_subject)

    def _refuse(self, error: InputValueError, data: Any, **params: Any) -> NoReturn:
        if error.code in self.own_messages:
            message = str(self.error_messages[error.code]).format(input=str(data)[:50], **params)
            raise serializers.ValidationError(message, code=error.code)
        raise serializers.ValidationError(error.message, code=error.code)


class WholeNumberField(_SharedMessages, serializers.IntegerField):
    """A whole number, read by `input_values.whole_number` within [min_value, max_value]
    (without them, within ±(2⁶³−1)). A JSON 12.0 is 12; 12.5, true and "1e3" are refused."""

    def __init__(self, *, subject: Any = None, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        minimum = -MAX_ID if self.min_value is None else int(self.min_value)
        maximum = MAX_ID if self.max_value is None else int(self.max_value)
        try:
            return whole_number(data, label=self._label(), minimum=minimum, maximum=maximum)
        except InputValueError as error:
            self._refuse(error, data, min_value=self.min_value, max_value=self.max_value)


class AmountField(_SharedMessages, serializers.DecimalField):
    """An amount, read by `input_values.money`: positive (or zero with `allow_zero`, which
    min_value=0 implies), at most
    max_value (9,999,999,999 without it) with four decimal places; then DRF's max_digits /
    decimal_places, if given."""

    def __init__(
        self,
        *,
        subject: Any = None,
        allow_zero: bool | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)
        self.allow_zero = allow_zero if allow_zero is not None else self.min_value is not None and self.min_value <= 0

    def _maximum(self) -> Decimal:
        return MAX_AMOUNT if self.max_value is None else Decimal(self.max_value)

    def to_internal_value(self, data: Any) -> Decimal:
        try:
            value = money(data, label=self._label(), allow_zero=self.allow_zero, maximum=self._maximum())
        except InputValueError as error:
            self._refuse(error, data, min_value=self.min_value, max_value=self.max_value)
        return self.quantize(self.validate_precision(value))


class IdField(_SharedMessages, serializers.IntegerField):
    """The id of a record: plain ASCII digits or a JSON integer, 1 to 2⁶³−1 (`input_values.id_value`).
    Full-width digits, signs, "12.0", 12.0 and true are refused. With min_value=0, 0 passes too
    (for "none", such as `after=0`)."""

    default_subject = gettext_lazy("The record")

    def __init__(self, *, subject: Any = None, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        kwargs.setdefault("min_value", 1)
        # Stated in the schema; id_value refuses a larger id before DRF's own check would.
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if self.min_value == 0 and _is_zero(data):
            return 0
        try:
            return id_value(data, label=self._label())
        except InputValueError as error:
            self._refuse(error, data)


class LimitedTextField(_SharedMessages, serializers.CharField):
    """Text of at most `max_length` characters (the schema's maxLength), refused by the same rule and
    message as the rule modules use (`input_values.limited_text`: "The title can be at most 200
    characters."), rather than DRF's own words."""

    def __init__(self, *, subject: Any = None, max_length: int, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        # DRF's MaxLengthValidator stays, for the schema's maxLength: `to_internal_value` refuses a
        # text too long first, in the rule modules' words, so it never fires.
        super().__init__(max_length=max_length, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        typed = super().to_internal_value(data)
        try:
            return limited_text(typed, label=self._label(), maximum=int(self.max_length or 0))
        except InputValueError as error:
            self._refuse(error, data)


class RelatedIdField(_SharedMessages, serializers.PrimaryKeyRelatedField):
    """An object of the queryset named by its id, read by `input_values.id_value` before the lookup,
    so a malformed id gets the same message as anywhere else and never reaches the database."""

    default_subject = gettext_lazy("The record")

    def __init__(self, *, subject: Any = None, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            pk = id_value(data, label=self._label())
        except InputValueError as error:
            self._refuse(error, data)
        try:
            queryset = self.get_queryset()
            assert queryset is not None  # a writable related field has one
            return queryset.get(pk=pk)
        except ObjectDoesNotExist:
            if "does_not_exist" in self.own_messages:
                self.fail("does_not_exist", pk_value=pk)
            raise serializers.ValidationError(
                _("%(label)s with the id %(id)s does not exist.") % {"label": self._label(), "id": pk},
                code="does_not_exist",
            ) from None


def _is_zero(raw: Any) -> bool:
    return (isinstance(raw, int) and not isinstance(raw, bool) and raw == 0) or (
        isinstance(raw, str) and raw.strip() == "0"
    )
