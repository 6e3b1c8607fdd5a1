"""The lifecycles of a quote and of a supplier's match on an RFQ, written in one place.

    Quote:  (none) ──submit──▶ submitted ──revise──▶ submitted
            submitted ──withdraw──▶ withdrawn ──submit again──▶ submitted
            submitted ──expire (valid-until passed)──▶ expired ──submit again──▶ submitted
            submitted ──award──▶ accepted | declined ("not chosen")

    Match:  new ──open──▶ opened
            new, opened ──decline──▶ declined
            new, opened, declined, quoted ──quote──▶ quoted   (quoting after declining is allowed)

`QUOTE_TRANSITIONS` and `MATCH_TRANSITIONS` are the tables the services of `quotes` and
`responses` check every change against, as `orders.services.transitions.RULES` is for orders:
from which statuses an action may start and the status it leaves. The services keep their own
words for a refusal (what the supplier should do instead); a change that the table does not allow
never happens. Conditional updates (expiry, the award's decision, opening) filter on
`sources(...)`, so a row that moved in between is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from buyers.models import Match, Quote
from marketplace.errors import Conflict

QuoteStatus = Quote.Status
MatchStatus = Match.Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str | None]  # None: the row does not exist yet
    target: str


class QuoteAction(StrEnum):
    SUBMIT = "submit"
    REVISE = "revise"
    WITHDRAW = "withdraw"
    EXPIRE = "expire"
    ACCEPT = "accept"
    DECLINE = "decline"


class MatchAction(StrEnum):
    OPEN = "open"
    DECLINE = "decline"
    QUOTE = "quote"


QUOTE_TRANSITIONS: Final[Mapping[QuoteAction, Transition]] = {
    QuoteAction.SUBMIT: Transition(
        frozenset({None, QuoteStatus.WITHDRAWN, QuoteStatus.EXPIRED}), QuoteStatus.SUBMITTED
    ),
    QuoteAction.REVISE: Transition(frozenset({QuoteStatus.SUBMITTED}), QuoteStatus.SUBMITTED),
    QuoteAction.WITHDRAW: Transition(frozenset({QuoteStatus.SUBMITTED}), QuoteStatus.WITHDRAWN),
    QuoteAction.EXPIRE: Transition(frozenset({QuoteStatus.SUBMITTED}), QuoteStatus.EXPIRED),
    QuoteAction.ACCEPT: Transition(frozenset({QuoteStatus.SUBMITTED}), QuoteStatus.ACCEPTED),
    QuoteAction.DECLINE: Transition(frozenset({QuoteStatus.SUBMITTED}), QuoteStatus.DECLINED),
}

MATCH_TRANSITIONS: Final[Mapping[MatchAction, Transition]] = {
    MatchAction.OPEN: Transition(frozenset({MatchStatus.NEW}), MatchStatus.OPENED),
    MatchAction.DECLINE: Transition(frozenset({MatchStatus.NEW, MatchStatus.OPENED}), MatchStatus.DECLINED),
    MatchAction.QUOTE: Transition(
        frozenset({None, MatchStatus.NEW, MatchStatus.OPENED, MatchStatus.DECLINED, MatchStatus.QUOTED}),
        MatchStatus.QUOTED,
    ),
}


def quote_may(action: QuoteAction, status: str | None) -> bool:
    return status in QUOTE_TRANSITIONS[action].sources


def match_may(action: MatchAction, status: str | None) -> bool:
    return status in MATCH_TRANSITIONS[action].sources


def quote_move(action: QuoteAction, status: str | None, *, refusal: str) -> str:
    """The status `action` leaves a quote in that is `status` now; Conflict(refusal) when the table
    does not allow it."""
    if not quote_may(action, status):
        raise Conflict(refusal)
    return QUOTE_TRANSITIONS[action].target


def match_move(action: MatchAction, status: str | None, *, refusal: str) -> str:
    """As `quote_move`, for a supplier's match."""
    if not match_may(action, status):
        raise Conflict(refusal)
    return MATCH_TRANSITIONS[action].target


def quote_target(action: QuoteAction) -> str:
    return QUOTE_TRANSITIONS[action].target


def match_target(action: MatchAction) -> str:
    return MATCH_TRANSITIONS[action].target


def quote_sources(action: QuoteAction) -> list[str]:
    """The existing statuses `action` may start from, for a conditional UPDATE's filter."""
    return sorted(status for status in QUOTE_TRANSITIONS[action].sources if status is not None)


def match_sources(action: MatchAction) -> list[str]:
    return sorted(status for status in MATCH_TRANSITIONS[action].sources if status is not None)
