"""The lifecycles of a quote and of a supplier's match are one table each, which the services check."""

from __future__ import annotations

import pytest

from buyers.models import Match, Quote
from buyers.services.quote_states import (
    MATCH_TRANSITIONS,
    QUOTE_TRANSITIONS,
    MatchAction,
    QuoteAction,
    match_may,
    quote_may,
    quote_move,
)
from marketplace.errors import Conflict

Q = Quote.Status
M = Match.Status


def test_every_status_is_reached_by_some_action() -> None:
    assert {transition.target for transition in QUOTE_TRANSITIONS.values()} == set(Q.values)
    assert {transition.target for transition in MATCH_TRANSITIONS.values()} == set(M.values) - {M.NEW}


def test_a_quote_is_submitted_first_and_again_after_withdrawing_or_expiring() -> None:
    assert quote_may(QuoteAction.SUBMIT, None)
    assert quote_may(QuoteAction.SUBMIT, Q.WITHDRAWN)
    assert quote_may(QuoteAction.SUBMIT, Q.EXPIRED)
    assert not quote_may(QuoteAction.SUBMIT, Q.SUBMITTED)  # revise it instead


@pytest.mark.parametrize("status", [Q.WITHDRAWN, Q.EXPIRED, Q.ACCEPTED, Q.DECLINED])
def test_only_a_submitted_quote_is_revised_withdrawn_expired_or_decided(status: str) -> None:
    for action in (QuoteAction.REVISE, QuoteAction.WITHDRAW, QuoteAction.EXPIRE, QuoteAction.ACCEPT):
        assert not quote_may(action, status)
    with pytest.raises(Conflict, match="not allowed"):
        quote_move(QuoteAction.WITHDRAW, status, refusal="not allowed")


def test_an_award_decides_a_submitted_quote_for_good() -> None:
    assert quote_move(QuoteAction.ACCEPT, Q.SUBMITTED, refusal="") == Q.ACCEPTED
    assert quote_move(QuoteAction.DECLINE, Q.SUBMITTED, refusal="") == Q.DECLINED
    assert not any(quote_may(action, Q.ACCEPTED) for action in QuoteAction)
    assert not any(quote_may(action, Q.DECLINED) for action in QuoteAction)


def test_a_match_is_opened_once_declined_before_quoting_and_quoted_even_after_declining() -> None:
    assert match_may(MatchAction.OPEN, M.NEW)
    assert not match_may(MatchAction.OPEN, M.OPENED)
    assert match_may(MatchAction.DECLINE, M.OPENED)
    assert not match_may(MatchAction.DECLINE, M.QUOTED)
    assert not match_may(MatchAction.DECLINE, M.DECLINED)
    assert match_may(MatchAction.QUOTE, M.DECLINED)
