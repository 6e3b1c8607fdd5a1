"""Suppliers' answers to RFQs and their response figures (the supplier-side helper replaces this placeholder)."""

from __future__ import annotations


def supplier_response_metrics_recompute() -> int:
    return 0
