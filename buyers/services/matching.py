"""Matching RFQs to suppliers (the matching helper replaces this placeholder)."""

from __future__ import annotations


def rfq_match(*, rfq_id: int) -> int:
    return 0


def supplier_match_open_rfqs(*, supplier_id: int) -> int:
    return 0
