"""Reads of quotes. Sealed: a quote is read only by its supplier and by the RFQ's buyer."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from buyers.models import NegotiationRound, Quote, QuoteVersion
from marketplace.models import Company
from suppliers.models import SupplierProfile


def quotes_visible_to(*, company: Company) -> QuerySet[Quote]:
    """Every quote the company may read: those it wrote as a supplier, and those on its own RFQs."""
    return Quote.objects.filter(Q(supplier__company=company) | Q(rfq__buyer=company))


def quotes_for_buyer(*, company: Company, rfq_id: int) -> QuerySet[Quote]:
    """The quotes on one of the buyer's RFQs (withdrawn and expired ones included, with their
    status), with the supplier's signals and every version, for the comparison."""
    return (
        Quote.objects.filter(rfq_id=rfq_id, rfq__buyer=company)
        .select_related("supplier", "supplier__belt", "currency")
        .prefetch_related(
            Prefetch("versions", queryset=QuoteVersion.objects.select_related("round").order_by("number")),
            "attachments",
        )
        .order_by("submitted_at", "id")
    )


def quote_of_supplier(*, supplier: SupplierProfile, rfq_id: int) -> Quote | None:
    """The supplier's own quote on an RFQ, if it has one; None when it has not quoted yet.

    None here is not "not yours": the query is the supplier's own quotes only, so another
    supplier's quote is never found, and having no quote is a state the quote page shows (the form
    to submit one). Callers read the RFQ first through `rfq_for_supplier`, which raises NotFound
    for an RFQ the supplier may not see; a caller that needs a quote raises NotFound itself.
    """
    return (
        Quote.objects.filter(rfq_id=rfq_id, supplier=supplier)
        .select_related("currency")
        .prefetch_related(
            Prefetch("versions", queryset=QuoteVersion.objects.select_related("round").order_by("number")),
            "attachments",
        )
        .first()
    )


def rounds_for_buyer(*, company: Company, rfq_id: int) -> QuerySet[NegotiationRound]:
    """The negotiation rounds of one of the buyer's RFQs, with the quotes each named."""
    return (
        NegotiationRound.objects.filter(rfq_id=rfq_id, rfq__buyer=company)
        .prefetch_related("quotes__supplier")
        .order_by("number")
    )


def rounds_for_supplier(*, supplier: SupplierProfile, rfq_id: int) -> QuerySet[NegotiationRound]:
    """The rounds that asked this supplier to revise its quote on the RFQ (sealed: only its own)."""
    return NegotiationRound.objects.filter(rfq_id=rfq_id, quotes__supplier=supplier).order_by("number")
