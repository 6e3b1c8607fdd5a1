"""A quote's versions as the buyer reads them: when each came, in which negotiation round, and what
it changed from the one before (derived from the stored snapshots, never stored twice)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from buyers.models import Quote, QuoteVersion
from marketplace.formatting import date_text, quantity_text, unit_price_text

# The terms a buyer cares about, in the order a change is listed.
FIELDS: dict[str, Any] = {
    "unit_price": _("unit price"),
    "tiers": _("quantity-break prices"),
    "currency": _("currency"),
    "quantity": _("quantity offered"),
    "min_order_quantity": _("minimum order"),
    "lead_time_days": _("lead time (days)"),
    "valid_until": _("valid until"),
    "incoterm": _("Incoterm"),
    "port": _("port or place"),
    "freight": _("freight"),
    "freight_basis": _("freight is charged"),
    "sample_available": _("sample available"),
    "sample_price": _("sample price"),
    "notes": _("notes"),
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionEntry:
    number: int
    created_at: datetime
    round: int | None
    changes: list[Change]


def _shown(name: str, value: Any, currency: str) -> str:
    """A stored term as the reader's language prints it: grouped numbers, the currency's places,
    the day in the language's format, a choice by its label."""
    if value in (None, "", []):
        return "—"
    if name == "tiers":
        return "; ".join(f"{quantity_text(quantity)}: {unit_price_text(price, currency)}" for quantity, price in value)
    if name in {"unit_price", "sample_price", "freight"}:  # freight per unit keeps four places
        return unit_price_text(value, currency)
    if name == "valid_until":
        return date_text(value)
    if name == "freight_basis" and value in Quote.FreightBasis.values:
        return str(Quote.FreightBasis(value).label)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int):
        return quantity_text(value)
    return str(value)


def quote_history(versions: Iterable[QuoteVersion]) -> list[VersionEntry]:
    """Every version in order, each with its changes from the previous one (none for the first)."""
    entries: list[VersionEntry] = []
    before: dict[str, Any] | None = None
    for version in sorted(versions, key=lambda version: version.number):
        terms = version.terms or {}
        changes = []
        if before is not None:
            for name, label in FIELDS.items():
                if name in terms and terms.get(name) != before.get(name):
                    changes.append(
                        Change(
                            field=name,
                            label=str(label),
                            before=_shown(name, before.get(name), str(before.get("currency") or "")),
                            after=_shown(name, terms.get(name), str(terms.get("currency") or "")),
                        )
                    )
        entries.append(
            VersionEntry(
                number=version.number,
                created_at=version.created_at,
                round=version.round.number if version.round else None,
                changes=changes,
            )
        )
        before = terms
    return entries
