"""Reads of RFQs, always scoped to the acting company.

A buyer reads only its own company's RFQs. A supplier reads an RFQ only when it was matched to it,
invited to it, or the RFQ is open, public and in one of the supplier's categories (the board).
Reading one RFQ (or its match, or its attachment) the company may not see raises NotFound, the
same as one that does not exist: no existence leaks, and pages and the API answer 404.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from buyers.models import Match, RfqAttachment, SourcingRequest
from marketplace.errors import NotFound
from marketplace.models import Category, Company
from suppliers.models import SupplierProfile


def rfqs_of_buyer(*, company: Company) -> QuerySet[SourcingRequest]:
    """The buyer company's RFQs, newest first, with what its list shows."""
    return (
        SourcingRequest.objects.filter(buyer=company)
        .select_related("category", "currency")
        .order_by("-created_at", "-id")
    )


def rfq_of_buyer(*, company: Company, pk: int) -> SourcingRequest:
    """One of the buyer company's RFQs; NotFound for any other company's."""
    rfq = rfqs_of_buyer(company=company).select_related("created_by").filter(pk=pk).first()
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    return rfq


def supplier_category_paths(*, supplier: SupplierProfile) -> list[str]:
    """Materialised paths of the categories a supplier works in: its main categories, its
    product lines' categories and its published products' categories."""
    ids = set(supplier.main_categories.values_list("id", flat=True))
    ids |= set(supplier.capacities.values_list("category_id", flat=True))
    ids |= set(supplier.products.filter(status="published").values_list("category_id", flat=True).distinct())
    return list(Category.objects.filter(id__in=ids).values_list("path", flat=True))


def _in_category_subtrees(paths: list[str], field: str = "category__path") -> Q:
    """RFQs whose category lies in one of the given subtrees (a supplier of 箱包 sees 书包 RFQs)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def rfq_board_for_supplier(*, supplier: SupplierProfile, category: Category | None = None) -> QuerySet[SourcingRequest]:
    """Open public RFQs in the supplier's categories, newest first (the supplier may choose to answer).

    `already_matched` tells the ones already in its inbox; `category` narrows to a subtree."""
    paths = supplier_category_paths(supplier=supplier)
    board = (
        SourcingRequest.objects.open()
        .public()
        .filter(_in_category_subtrees(paths))
        .exclude(buyer_id=supplier.company_id)
    )
    if category is not None:
        board = board.filter(category__path__startswith=category.path)
    return (
        board.select_related("category", "buyer")
        .annotate(
            already_matched=Exists(Match.objects.filter(rfq=OuterRef("pk"), supplier=supplier)),
        )
        .order_by("-published_at", "-id")
    )


def rfqs_visible_to_supplier(*, supplier: SupplierProfile) -> QuerySet[SourcingRequest]:
    """Every RFQ the supplier may open: matched or invited (any status but draft, and never one
    cancelled before it was published), or on its board."""
    paths = supplier_category_paths(supplier=supplier)
    matched = Match.objects.filter(rfq=OuterRef("pk"), supplier=supplier)
    on_board = Q(
        status=SourcingRequest.Status.OPEN, visibility=SourcingRequest.Visibility.PUBLIC
    ) & _in_category_subtrees(paths)
    return (
        SourcingRequest.objects.exclude(status=SourcingRequest.Status.DRAFT)
        .filter(published_at__isnull=False)
        .exclude(buyer_id=supplier.company_id)
        .filter(Q(Exists(matched)) | on_board)
        .select_related("category", "currency")
    )


def rfq_for_supplier(*, supplier: SupplierProfile, pk: int) -> SourcingRequest:
    """An RFQ the supplier may open (`rfqs_visible_to_supplier`); NotFound for any other."""
    rfq = rfqs_visible_to_supplier(supplier=supplier).filter(pk=pk).first()
    if rfq is None:
        raise NotFound(_("No such sourcing request."))
    return rfq


def rfq_attachment_for_supplier(*, supplier: SupplierProfile, rfq_id: int, attachment_id: int) -> RfqAttachment:
    """An attachment of an RFQ the supplier may see (matched, invited or on its board); NotFound
    for an RFQ it may not see and for an attachment that is not that RFQ's."""
    rfq = rfq_for_supplier(supplier=supplier, pk=rfq_id)
    attachment = RfqAttachment.objects.filter(rfq=rfq, pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return attachment


def inbox_of_supplier(
    *,
    supplier: SupplierProfile,
    category: Category | None = None,
    rfq_status: str | None = None,
    match_status: str | None = None,
) -> QuerySet[Match]:
    """The supplier's matched, invited and board-chosen RFQs, newest and best-matched first.

    Never an RFQ that was not published (drafts, drafts cancelled before publishing), never one of
    the supplier's own company. Filters: the RFQ's category subtree, the RFQ's status, the
    match's status (new, opened, declined, quoted). `published` (the RFQ's publishing time) is
    annotated for cursor pagination."""
    inbox = (
        Match.objects.filter(supplier=supplier, rfq__published_at__isnull=False)
        .exclude(rfq__status=SourcingRequest.Status.DRAFT)
        .exclude(rfq__buyer_id=supplier.company_id)
    )
    if category is not None:
        inbox = inbox.filter(rfq__category__path__startswith=category.path)
    if rfq_status:
        inbox = inbox.filter(rfq__status=rfq_status)
    if match_status:
        inbox = inbox.filter(status=match_status)
    return (
        inbox.select_related("rfq", "rfq__category", "rfq__buyer")
        .annotate(published=F("rfq__published_at"))
        .order_by("-published", "-score", "-id")
    )


def match_of_supplier(*, supplier: SupplierProfile, rfq_id: int) -> Match:
    """The supplier's match on an RFQ in its inbox; NotFound when the RFQ is not in its inbox."""
    match = inbox_of_supplier(supplier=supplier).filter(rfq_id=rfq_id).first()
    if match is None:
        raise NotFound(_("No such sourcing request."))
    return match


def matches_of_rfq_for_buyer(*, company: Company, rfq_id: int) -> QuerySet[Match]:
    """The suppliers matched to one of the buyer's RFQs, best first, with their reasons."""
    return (
        Match.objects.filter(rfq_id=rfq_id, rfq__buyer=company)
        .select_related("supplier", "supplier__belt")
        .order_by("-score", "id")
    )
