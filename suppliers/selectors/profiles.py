"""Reads of the suppliers app. Public pages read listed profiles; a company reads only its own.

One object read by primary key that the reader may not see raises NotFound, as one that does not
exist (404 on the pages and in the API).
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import Category, Company, IndustrialBelt
from marketplace.selectors.kernel import belts_visible_to
from suppliers.models import (
    Certification,
    FactoryPhoto,
    Product,
    ProductImage,
    ProductLineCapacity,
    SupplierProfile,
)
from suppliers.search.segment import simplified
from suppliers.selectors.verification import current_documents_q

_CATEGORIES_IN_ORDER = Prefetch("main_categories", queryset=Category.objects.order_by("path"))


def _public_sections() -> list[Prefetch]:
    """What the public page shows besides the facts: capacities, current certifications, photos.

    Certifications are read without their files' existence mattering: the files are private.
    """
    return [
        _CATEGORIES_IN_ORDER,
        Prefetch(
            "capacities",
            queryset=ProductLineCapacity.objects.select_related("category").order_by("product_line", "id"),
            to_attr="public_capacities",
        ),
        Prefetch(
            "certifications",
            # Only what staff approved and has not expired (suppliers/services/verification.py).
            queryset=Certification.objects.filter(current_documents_q()).order_by("name", "id"),
            to_attr="current_certifications",
        ),
        Prefetch("factory_photos", queryset=FactoryPhoto.objects.order_by("position", "id"), to_attr="public_photos"),
    ]


def supplier_public_profile(*, pk: int) -> SupplierProfile:
    """A supplier's public page: only listed (active) profiles, verified or not; NotFound otherwise.

    The profile comes with `public_capacities`, `current_certifications` (approved, not expired) and
    `public_photos` loaded, so the page makes a fixed number of queries.
    """
    profile = (
        SupplierProfile.objects.listed()
        .select_related("belt", "company")
        .prefetch_related(*_public_sections())
        .filter(pk=pk)
        .first()
    )
    if profile is None:
        raise NotFound(_("No such supplier."))
    return profile


def supplier_public_catalog(*, supplier: SupplierProfile) -> QuerySet[Product]:
    """The supplier's published products, newest first, each with `cover_images` (its first image, if any).

    `min_unit_price` on each product is the lowest price of its tiers (kept by the catalog services).
    """
    return (
        Product.objects.published()
        .filter(supplier=supplier)
        .select_related("currency")
        .prefetch_related(
            Prefetch("images", queryset=ProductImage.objects.order_by("position", "id")[:1], to_attr="cover_images")
        )
        .order_by("-created_at", "-id")
    )


def supplier_profile_of(*, company: Company | None) -> SupplierProfile | None:
    """The acting company's own supplier profile, if it sells; None when it does not (yet).

    None here is not "not yours": the company is the actor's own, and not selling is a state the
    pages act on (they offer to start selling)."""
    if company is None:
        return None
    return (
        SupplierProfile.objects.select_related("belt", "company")
        .prefetch_related(_CATEGORIES_IN_ORDER)
        .filter(company=company)
        .first()
    )


def supplier_capacities(*, supplier: SupplierProfile) -> QuerySet[ProductLineCapacity]:
    """The supplier's own product lines with their monthly capacity."""
    return (
        ProductLineCapacity.objects.filter(supplier=supplier).select_related("category").order_by("product_line", "id")
    )


def supplier_capacity(*, supplier: SupplierProfile, pk: int) -> ProductLineCapacity:
    """One of the supplier's own product lines; NotFound for another supplier's."""
    capacity = supplier_capacities(supplier=supplier).filter(pk=pk).first()
    if capacity is None:
        raise NotFound(_("No such product line."))
    return capacity


def supplier_certifications(*, supplier: SupplierProfile) -> QuerySet[Certification]:
    """All the supplier's own certifications, expired ones too (the page marks them)."""
    return Certification.objects.filter(supplier=supplier).order_by("name", "id")


def supplier_certification(*, supplier: SupplierProfile, pk: int) -> Certification:
    """One of the supplier's own certifications (to read its private file); NotFound for another supplier's."""
    certification = supplier_certifications(supplier=supplier).filter(pk=pk).first()
    if certification is None:
        raise NotFound(_("No such certification."))
    return certification


def supplier_factory_photos(*, supplier: SupplierProfile) -> QuerySet[FactoryPhoto]:
    return FactoryPhoto.objects.filter(supplier=supplier).order_by("position", "id")


def belts_a_supplier_can_join() -> QuerySet[IndustrialBelt]:
    """Belts a supplier may name as its own: live and onboarding ones, never drafts."""
    return belts_visible_to(None).order_by("name_en")


def categories_a_supplier_can_choose() -> QuerySet[Category]:
    """The whole category tree, in tree order, for the main-categories choice."""
    return Category.objects.order_by("path")


# A name search answers a few suppliers for a picker: at most this many words, of this length.
NAME_SEARCH_WORDS = 5
NAME_SEARCH_WORD_LENGTH = 50


def name_search_words(query: str) -> list[str]:
    """The words of a name search: whitespace-separated, control characters (NUL) dropped, at most
    NAME_SEARCH_WORDS of NAME_SEARCH_WORD_LENGTH characters. Nothing usable gives no words."""
    cleaned = "".join(char if char.isprintable() else " " for char in str(query or ""))
    return [word[:NAME_SEARCH_WORD_LENGTH] for word in cleaned.split()][:NAME_SEARCH_WORDS]


def _as_typed_and_simplified(text: str) -> list[str]:
    """`text` and, when it differs, its traditional Chinese folded to simplified."""
    return list(dict.fromkeys([text, simplified(text)]))


def suppliers_named(*, query: str, excluding: Company, limit: int = 10) -> list[SupplierProfile]:
    """Listed suppliers whose English or Chinese name contains every word of `query`, for a buyer
    choosing whom to invite: never `excluding` (the buyer itself). Names starting with the query
    first, then by name. One query; no words, no suppliers.

    Not `suppliers.search.service.search_suppliers`: that one matches whole words of descriptions,
    cities and belts too and cannot leave a company out, where a picker wants the names' own
    letters as they are typed ("bai" finds "Baigou Bags", "白沟" finds "白沟箱包厂").

    Traditional Chinese is folded to simplified (OpenCC, as the search does): 書包廠 finds 书包厂.
    A word matches as typed too, so a name a supplier wrote in traditional characters is found."""
    words = name_search_words(query)
    if not words:
        return []
    condition = Q()
    for word in words:
        matches = Q()
        for form in _as_typed_and_simplified(word):
            matches |= Q(name__icontains=form) | Q(name_zh__icontains=form)
        condition &= matches
    starts = Q()
    for form in _as_typed_and_simplified(" ".join(words)):
        starts |= Q(name__istartswith=form) | Q(name_zh__istartswith=form)
    return list(
        SupplierProfile.objects.listed()
        .filter(condition)
        .exclude(company=excluding)
        .select_related("belt")
        .defer("search_text", "description_en", "description_zh", "belt__description_en", "belt__description_zh")
        .annotate(starts=Case(When(starts, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("starts", Lower("name"), "pk")[: max(1, limit)]
    )
