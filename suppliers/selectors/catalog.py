"""Reads of the catalog. A supplier reads its own products (drafts included) only through a
selector taking its SupplierProfile; everyone else sees published products of active suppliers.
Eager loading lives here, so a list makes the same number of queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.input_values import id_value
from marketplace.models import Category
from marketplace.selectors.money import Conversion, convert
from suppliers.models import PriceTier, Product, ProductImage, SupplierProfile
from suppliers.pricing import product_unit_price_at

_TIERS_IN_ORDER = Prefetch("tiers", queryset=PriceTier.objects.order_by("min_quantity"))
_IMAGES_IN_ORDER = Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
MAX_QUERY_LENGTH = 100


def catalog_for_supplier(
    *,
    supplier: SupplierProfile,
    status: str | None = None,
    category: Category | None = None,
    q: str | None = None,
) -> QuerySet[Product]:
    """The supplier's own products, newest first, drafts and archived included.

    `category` includes its subtree; `q` matches the SKU or the title (case-insensitive, a plain
    LIKE: one supplier's catalog is small enough, and its rows are found by the supplier index).
    """
    products = Product.objects.filter(supplier=supplier)
    if status:
        products = products.filter(status=status)
    if category is not None:
        products = products.filter(category__path__startswith=category.path)
    text = (q or "").strip()[:MAX_QUERY_LENGTH]
    if text:
        products = products.filter(Q(sku__icontains=text) | Q(title__icontains=text))
    return (
        products.select_related("category", "currency")
        .prefetch_related(_TIERS_IN_ORDER, _IMAGES_IN_ORDER)
        .order_by("-created_at", "-id")
    )


def product_for_supplier(*, supplier: SupplierProfile, product_id: int) -> Product:
    """One of the supplier's own products, whatever its status; NotFound for anyone else's."""
    product = (
        Product.objects.filter(supplier=supplier, pk=product_id)
        .select_related("supplier", "supplier__belt", "category", "currency", "belt")
        .prefetch_related(_TIERS_IN_ORDER, _IMAGES_IN_ORDER)
        .first()
    )
    if product is None:
        raise NotFound(_("No such product in your catalog."))
    return product


def product_public(*, product_id: int, supplier: SupplierProfile | None = None) -> Product:
    """A product as buyers see it: published, of an active supplier; NotFound otherwise.

    With `supplier`, that supplier's own products are found whatever their status too (the
    owner's preview uses it); without, a draft is NotFound even for its owner.
    """
    visible = Q(status=Product.Status.PUBLISHED, supplier__is_active=True)
    if supplier is not None:
        visible |= Q(supplier=supplier)
    product = (
        Product.objects.filter(visible, pk=product_id)
        .select_related("supplier", "supplier__belt", "category", "currency")
        .prefetch_related(_TIERS_IN_ORDER, _IMAGES_IN_ORDER)
        .first()
    )
    if product is None:
        raise NotFound(_("No such product."))
    return product


def category_by_key(key: str) -> Category | None:
    """The category a form or a file names, by id or by slug (the `category_lookup` of catalog_rules).

    None when the input names no category: the rule module reports that on the field, with every
    other problem of the input (an input lookup, not a read of something private: nothing here is
    "not yours"). Only plain ASCII digits are an id (see `input_values.id_value`): "１" or "²" is looked up as a
    slug, and so found nowhere, never taken for category 1.
    """
    key = (key or "").strip()
    if key.isascii() and key.isdigit():
        try:
            pk = id_value(key, label=_("The category"))
        except ValueError:
            return None
        return Category.objects.filter(pk=pk).first()
    return Category.objects.filter(slug=key[:140]).first() if key else None


def categories_for_products() -> QuerySet[Category]:
    """The category tree in tree order, for the product form and the catalog filter."""
    return Category.objects.order_by("path")


@dataclass(frozen=True)
class PriceAtQuantity:
    """What `quantity` units of a product cost: None prices below the first tier (the MOQ)."""

    quantity: int
    unit_price: Decimal | None
    total: Decimal | None
    currency: str
    places: int
    converted: Conversion | None = None

    @property
    def below_moq(self) -> bool:
        return self.unit_price is None


def product_price_at(*, product: Product, quantity: int, viewer_currency: str | None = None) -> PriceAtQuantity:
    """The unit price (from suppliers.pricing, the one rule) and the total at `quantity`.

    The total is rounded half-up to the currency's decimal places. With `viewer_currency`, the
    total is also converted at today's staff-maintained rate, when there is one.
    """
    places = product.currency.decimal_places
    unit_price = product_unit_price_at(product, quantity)
    total = None
    converted = None
    if unit_price is not None:
        total = (unit_price * quantity).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if viewer_currency and viewer_currency != product.currency_id:
            try:
                # The plugin reads the _id of a foreign key with a default as optional; this one is required.
                converted = convert(
                    amount=total,
                    source=product.currency_id,  # type: ignore[arg-type]
                    target=viewer_currency,
                    on=timezone.localdate(),
                )
            except NotFound:
                converted = None
    return PriceAtQuantity(
        quantity=quantity,
        unit_price=unit_price,
        total=total,
        currency=product.currency_id,  # type: ignore[arg-type]  # required, as above
        places=places,
        converted=converted,
    )
