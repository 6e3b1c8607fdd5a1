"""Single input values read the same way everywhere: text as typed in a form, a CSV/XLSX cell or a
JSON field becomes a value, or a ValueError whose message a person understands ("The quantity
must be at least 1."). The input rules of each app (suppliers.catalog_rules, buyers.rfq_rules,
buyers.quote_rules), the form fields (marketplace.forms.fields) and the API fields
(marketplace.api.fields) build on these, so the same kind of mistake gets the same message.
The rules of the kernel's own lists (a text's length, a category, a currency) are here too, so
no app's rule module keeps a copy of them.

Numbers typed by people (quantities, amounts) are read leniently but never guessed at: the
full-width digits and signs of Chinese input methods (１２，０００．５０) are folded to ASCII, then
only ASCII digits count. Other digits (², ٣, ०), exponents (1e5), NaN, Infinity, hexadecimal and
underscores are refused, and a huge value is refused by its length, before any conversion. Ids
come from links and programs, not typing: only plain ASCII digits are an id. See docs/input.md.

No text anywhere may hold a control character other than tab, line feed and carriage return, nor
half of a UTF-16 surrogate pair (`CONTROL_CHARACTERS`): PostgreSQL cannot store a NUL byte, an
XLSX export cannot hold the others, and none is ever typed. The request checks
(marketplace.request_checks) and the API's JSON parser refuse them before any of these rules runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from marketplace.selectors.money import currency_refusal

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from marketplace.models import Category

MAX_AMOUNT = Decimal("9999999999")
MAX_AMOUNT_PLACES = 4
MAX_ID = 2**63 - 1  # PostgreSQL's bigint: a larger id can only be an error.

# What Chinese input methods type in full-width mode: the digits and ，．－＋ (and the ideographic space).
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        "\uff0c": ",",
        "\uff0e": ".",
        "\uff0d": "-",
        "\uff0b": "+",
        "\u3000": " ",
    }
)
# The integer part: plain digits, or digits grouped by three with commas or spaces ("1,000", "1 000").
# Grouping is checked so that a decimal comma ("1,5") is refused rather than read as 15.
_INTEGER_PART = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)"
_WHOLE_NUMBER = re.compile(rf"([+-]?)({_INTEGER_PART})(?:\.0+)?", re.ASCII)
_AMOUNT = re.compile(rf"([+-]?)({_INTEGER_PART})?(?:\.([0-9]*))?", re.ASCII)
_ID = re.compile(r"[0-9]+", re.ASCII)


def _numbers_up_to(most: int) -> str:
    """A regex for the numbers 1 to `most`, written without leading zeros: those with fewer digits,
    then, digit by digit, those of as many digits that are smaller, then `most` itself."""
    digits = str(most)
    shorter = f"[1-9][0-9]{{0,{len(digits) - 2}}}" if len(digits) > 1 else ""
    branches = [shorter] if shorter else []
    for place, digit in enumerate(digits):
        lowest = 1 if place == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - place - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            branches.append(f"{digits[:place]}[{lowest}-{int(digit) - 1}]{tail}")
    branches.append(digits)
    return "|".join(branches)


# An id as `id_value` reads it (leading zeros allowed, 1 to MAX_ID), in a regex that an OpenAPI
# schema's `pattern` can hold (no anchors: a pattern puts it where it goes).
ID_PATTERN = f"0*(?:{_numbers_up_to(MAX_ID)})"
# The white space `str.strip` takes from around a value, but the control characters (refused).
SPACE_PATTERN = r"[\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# C0 controls but tab, line feed and carriage return (the characters XML 1.0 forbids, so openpyxl
# too), and lone surrogates, which a JSON "\ud800" escape makes and UTF-8 cannot encode.
_C0_REFUSED = r"\x00-\x08\x0b\x0c\x0e-\x1f"
CONTROL_CHARACTERS = re.compile(rf"[{_C0_REFUSED}\ud800-\udfff]")
# The same rule as the API's schema states it for every text (a JSON-schema `pattern`: ECMA-262,
# which jsonschema-rs, Python's re and browsers read alike). A string of characters matches it
# exactly when it has no CONTROL_CHARACTERS. A lone surrogate is no character: it exists only as a
# JSON "\ud800" escape; it is refused too, which the pattern does not say because a regex engine
# that reads UTF-8 (Rust's, in jsonschema-rs) cannot name one (docs/api.md).
TEXT_PATTERN = rf"^[^{_C0_REFUSED}]*$"


class InputValueError(ValueError):
    """A refused value. The message is for people; `code` says which rule refused it ("invalid",
    "min_value", "max_value", "max_decimal_places", "max_length"), so a form field can put its own
    words on it."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def has_control_characters(typed: str) -> bool:
    """Whether `typed` holds a character no text may hold (see CONTROL_CHARACTERS)."""
    return CONTROL_CHARACTERS.search(typed) is not None


def text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()


def folded(raw: Any) -> str:
    """The text with full-width digits, ，．－＋ and the ideographic space made ASCII, stripped."""
    return text(raw).translate(_FULL_WIDTH).strip()


def limited_text(raw: Any, *, label: str, maximum: int) -> str:
    """The text, stripped, of at most `maximum` characters ("The title can be at most 200 characters.")
    and without a control character (an import's cell may hold one)."""
    typed = text(raw)
    if has_control_characters(typed):
        raise InputValueError(
            _("%(label)s holds a control character (such as a NUL byte): remove it.") % {"label": label}
        )
    if len(typed) > maximum:
        raise InputValueError(
            _("%(label)s can be at most %(max)s characters.") % {"label": label, "max": f"{maximum:,}"},
            code="max_length",
        )
    return typed


def category_value(raw: Any, *, lookup: Callable[[str], Category | None]) -> Category:
    """A category by its key (an id or a slug, as `lookup` finds it); the lookup is passed in so an
    import of thousands of rows loads the categories once."""
    key = text(raw)
    found = lookup(key) if key else None
    if found is None:
        raise InputValueError(
            _("Choose a category from the list.")
            if not key
            else _("There is no category “%(key)s”: choose one from the list.") % {"key": key[:80]}
        )
    return found


def currency_value(raw: Any, *, codes: Collection[str], default: str) -> str:
    """An ISO 4217 code among `codes` (the offered currencies), in any case; `default` when none is
    given. A code outside them is refused saying why: unknown, or without a recent exchange rate."""
    code = text(raw).upper() or default
    if code not in codes:
        raise InputValueError(currency_refusal(code))
    return code


def yes(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    return text(raw).lower() in {"1", "true", "yes", "y", "on", "是"}


def _within(value: int, *, label: str, minimum: int, maximum: int) -> int:
    if value < minimum:
        raise InputValueError(
            _("%(label)s must be at least %(min)s.") % {"label": label, "min": minimum}, code="min_value"
        )
    if value > maximum:
        raise InputValueError(
            _("%(label)s can be at most %(max)s.") % {"label": label, "max": f"{maximum:,}"}, code="max_value"
        )
    return value


def whole_number(raw: Any, *, label: str, minimum: int, maximum: int) -> int:
    """A whole number in [minimum, maximum].

    "1,000", "1 000", "1000.0", " 1000 ", "+1000" and "１，０００" are read as 1000; a JSON
    number is taken as it is (12.0 as 12, 12.5 refused).
    """
    not_whole = InputValueError(_("%(label)s must be a whole number.") % {"label": label})
    if isinstance(raw, bool):
        raise not_whole
    if isinstance(raw, int):
        return _within(raw, label=label, minimum=minimum, maximum=maximum)
    if isinstance(raw, float | Decimal):
        number = Decimal(raw) if isinstance(raw, float) else raw
        if not number.is_finite() or number != number.to_integral_value():
            raise not_whole
        if number.adjusted() > len(str(max(abs(minimum), abs(maximum)))):
            number = Decimal(maximum + 1) if number > 0 else Decimal(minimum - 1)
        return _within(int(number), label=label, minimum=minimum, maximum=maximum)
    match = _WHOLE_NUMBER.fullmatch(folded(raw))
    if match is None:
        raise not_whole
    sign, digits = match.group(1), match.group(2).replace(",", "").replace(" ", "")
    significant = digits.lstrip("0") or "0"
    # Python refuses int() of more than 4,300 digits; a number longer than the bounds is out of them.
    if len(significant) > len(str(max(abs(minimum), abs(maximum)))):
        value = minimum - 1 if sign == "-" else maximum + 1
    else:
        value = -int(significant) if sign == "-" else int(significant)
    return _within(value, label=label, minimum=minimum, maximum=maximum)


def money(raw: Any, *, label: str, allow_zero: bool = False, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """A positive amount (or zero with `allow_zero`) up to `maximum` with at most four decimal places.

    "1,250.50", "+12.5", ".5" and "１２．５０" are read; "12,50" (a decimal comma) is refused.
    """
    not_a_number = InputValueError(_("%(label)s must be a number such as 12.50.") % {"label": label})
    too_large = InputValueError(
        _("%(label)s can be at most %(max)s.") % {"label": label, "max": f"{maximum:,}"}, code="max_value"
    )
    if isinstance(raw, bool):
        raise not_a_number
    if isinstance(raw, Decimal | int | float):
        value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite():
            raise not_a_number
    else:
        match = _AMOUNT.fullmatch(folded(raw))
        if match is None or not any(character.isdigit() for character in match.group(0)):
            raise not_a_number
        sign, whole, fraction = match.group(1), (match.group(2) or "0"), (match.group(3) or "")
        whole = whole.replace(",", "").replace(" ", "").lstrip("0") or "0"
        if len(whole) > len(str(int(maximum))):
            raise too_large if sign != "-" else _not_positive(label)
        if len(fraction.rstrip("0")) > MAX_AMOUNT_PLACES:
            raise _too_many_places(label)
        fraction = fraction[:MAX_AMOUNT_PLACES]  # Only zeros are cut: "12.500000" is 12.5000.
        value = Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    if value < 0 or (value == 0 and not allow_zero):
        raise _not_positive(label)
    if value > maximum:
        raise too_large
    if value != value.quantize(Decimal(1).scaleb(-MAX_AMOUNT_PLACES)):
        raise _too_many_places(label)
    return value.copy_abs() if value == 0 else value


def _not_positive(label: str) -> InputValueError:
    return InputValueError(_("%(label)s must be a positive amount.") % {"label": label}, code="min_value")


def _too_many_places(label: str) -> InputValueError:
    return InputValueError(
        _("%(label)s can have at most four decimal places.") % {"label": label}, code="max_decimal_places"
    )


def id_value(raw: Any, *, label: StrOrPromise) -> int:
    """The id of a record, from a link, a form's hidden field or a program: plain ASCII digits (or a
    JSON integer) from 1 to 2⁶³−1. Nothing is folded or guessed: not full-width digits, signs,
    spaces inside, "12.0" nor a JSON 12.0."""
    refused = InputValueError(_("%(label)s must be given by its id, a whole number such as 42.") % {"label": label})
    if isinstance(raw, bool):
        raise refused
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _ID.fullmatch(raw.strip()):
        significant = raw.strip().lstrip("0")
        if len(significant) > len(str(MAX_ID)):
            raise refused
        value = int(significant or "0")
    else:
        raise refused
    if not 1 <= value <= MAX_ID:
        raise refused
    return value


def date_value(raw: Any, *, label: str) -> date:
    if isinstance(raw, datetime):
        return timezone.localtime(raw).date() if timezone.is_aware(raw) else raw.date()
    if isinstance(raw, date):
        return raw
    typed = text(raw)
    if not typed:
        raise ValueError(_("%(label)s is required.") % {"label": label})
    try:
        value = parse_date(typed)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(_("%(label)s must be a date such as 2025-09-30.") % {"label": label})
    return value


def datetime_value(raw: Any, *, label: str) -> datetime:
    """A date and time; a naive one is read in the site's time zone."""
    if isinstance(raw, datetime):
        value = raw
    else:
        typed = text(raw)
        if not typed:
            raise ValueError(_("%(label)s is required.") % {"label": label})
        try:
            parsed = parse_datetime(typed)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(_("%(label)s must be a date and time such as 2025-09-30T17:00.") % {"label": label})
        value = parsed
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value
