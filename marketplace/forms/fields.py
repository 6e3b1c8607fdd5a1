"""Form fields that read numbers and ids with `marketplace.input_values`, so a form refuses what the
API and the imports refuse, with the same message (full-width digits folded in quantities and
amounts; ², ٣, 1e5, 1_000, a sign on an id or a 5,000-digit number refused in words).

Messages name the value by `subject`, else by the field's label ("Quantity must be a whole
number."). error_messages given for a code ("invalid", "min_value", "max_value",
"invalid_choice") replace the shared message for that code, with %(limit_value)s as Django's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from marketplace.input_values import MAX_AMOUNT, MAX_ID, InputValueError, id_value, money, whole_number
from marketplace.models import Currency
from marketplace.selectors.money import currency_kept_note, offered_currencies

__all__ = [
    "AmountField",
    "CurrencyField",
    "IdField",
    "ModelIdChoiceField",
    "ModelIdMultipleChoiceField",
    "WholeNumberField",
]


class _SharedMessages:
    label: Any
    error_messages: dict[str, Any]
    default_subject: Any = _("The value")

    def _init_messages(self, subject: Any, error_messages: Mapping[str, Any] | None) -> None:
        self.subject = subject
        self.own_messages = frozenset(error_messages or ())

    def _subject(self) -> str:
        return str(self.subject or self.label or self.default_subject)

    def _refusal(self, error: InputValueError, limits: Mapping[str, Any] | None = None) -> ValidationError:
        if error.code in self.own_messages:
            limit = (limits or {}).get(error.code)
            return ValidationError(self.error_messages[error.code], code=error.code, params={"limit_value": limit})
        return ValidationError(error.message, code=error.code)


def _limit(value: Any) -> Any:
    """A field's min_value or max_value: Django also takes a callable that gives it."""
    return value() if callable(value) else value


class WholeNumberField(_SharedMessages, forms.IntegerField):
    """A whole number read by `input_values.whole_number` within [min_value, max_value]."""

    def __init__(self, *, subject: Any = None, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        minimum = -MAX_ID if self.min_value is None else int(_limit(self.min_value))
        maximum = MAX_ID if self.max_value is None else int(_limit(self.max_value))
        try:
            return whole_number(value, label=self._subject(), minimum=minimum, maximum=maximum)
        except InputValueError as error:
            raise self._refusal(error, {"min_value": self.min_value, "max_value": self.max_value}) from None


class AmountField(_SharedMessages, forms.DecimalField):
    """An amount read by `input_values.money`: positive (or zero with `allow_zero`, which
    min_value=0 implies), at most
    max_value (9,999,999,999 without it) with four decimal places; then max_digits /
    decimal_places, if given."""

    def __init__(self, *, subject: Any = None, allow_zero: bool | None = None, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        super().__init__(**kwargs)
        self.allow_zero = (
            allow_zero if allow_zero is not None else self.min_value is not None and _limit(self.min_value) <= 0
        )

    # The stubs give DecimalField the to_python of IntegerField, which it extends.
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            maximum = MAX_AMOUNT if self.max_value is None else Decimal(_limit(self.max_value))
            return money(value, label=self._subject(), allow_zero=self.allow_zero, maximum=maximum)
        except InputValueError as error:
            raise self._refusal(error, {"min_value": self.min_value, "max_value": self.max_value}) from None


class IdField(_SharedMessages, forms.IntegerField):
    """The id of a record (a link's or a hidden field's): plain ASCII digits, 1 to 2⁶³−1. With
    min_value=0, 0 passes too (for "none", such as `after=0`)."""

    default_subject = _("The record")

    def __init__(self, *, subject: Any = None, **kwargs: Any) -> None:
        self._init_messages(subject, kwargs.get("error_messages"))
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if self.min_value == 0 and _is_zero(value):
            return 0
        try:
            return id_value(value, label=self._subject())
        except InputValueError as error:
            raise self._refusal(error) from None


class ModelIdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField by id that refuses what is not plainly an id (full-width "１", "+1",
    "1.0") as an unknown choice, before the database is asked."""

    def to_python(self, value: Any) -> Model | None:
        if value in self.empty_values or isinstance(value, Model) or self.to_field_name not in (None, "pk", "id"):
            return super().to_python(value)
        try:
            pk = id_value(value, label="")
        except InputValueError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:50]}
            ) from None
        return super().to_python(pk)


class ModelIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField by id that refuses each value not plainly an id as an unknown choice."""

    def _check_values(self, value: Iterable[Any]) -> QuerySet[Any]:
        if self.to_field_name in (None, "pk", "id"):
            try:
                values = list(value)
            except TypeError:
                raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
            for item in values:
                try:
                    id_value(item, label="")
                except InputValueError:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:50]}
                    ) from None
            value = values
        return super()._check_values(value)  # type: ignore[misc]  # Django's own hook, not in the stubs


def _currency_label(currency: Currency) -> str:
    return f"{currency.code} · {currency.local_name}"


def offered_currency_choices() -> list[tuple[str, str]]:
    """The offered currencies (a recent exchange rate, `offered_currencies`) as a form's choices."""
    return [(currency.code, _currency_label(currency)) for currency in offered_currencies()]


class CurrencyField(forms.ChoiceField):
    """A choice among the offered currencies. The code itself is checked where the value is used
    (`input_values.currency_value`, the services), which refuse one that is not offered with
    `currency_refusal`'s reason: this field does not add Django's "Select a valid choice" to it.

    `keep(code)` adds the currency something is already in when it is no longer offered, with
    `currency_kept_note` as the field's help: the form shows what is saved instead of silently
    showing the first currency of the list, and sending it unchanged keeps it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", offered_currency_choices)
        super().__init__(**kwargs)

    def valid_value(self, value: Any) -> bool:
        return True

    def keep(self, code: str | None) -> None:
        code = (code or "").upper()
        choices = offered_currency_choices()
        if code and all(value != code for value, _label in choices):
            currency = Currency.objects.filter(code=code).first()
            choices = sorted([*choices, (code, _currency_label(currency) if currency else code)])
            self.help_text = currency_kept_note(code)
        self.choices = choices


def _is_zero(raw: Any) -> bool:
    return (isinstance(raw, int) and not isinstance(raw, bool) and raw == 0) or (
        isinstance(raw, str) and raw.strip() == "0"
    )
