"""Writes of the supplier's catalog: create, edit, duplicate, publish and archive products.

Every write keeps what the catalog's readers rely on, in the same transaction as the change:

- the tiers are exactly `data.tiers` (validated by `suppliers.catalog_rules`);
- the denormalised fields: `belt` and `province` from the supplier, `min_unit_price` = the lowest
  tier price (what search filters and sorts on without a join);
- a published product has at least one image, and `published_at` is its first publication;
- the search text, through `suppliers.search.index.products_reindex`;
- the machine translations of a new or edited title and description, asked for in every site
  language (`product_translations_request`: made after commit; the products are indexed again,
  with them, when they arrive).

Images are checked by content, size and pixel count (`marketplace.uploads.check_image`) before
anything is written, so a refused upload leaves nothing behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.errors import InvalidInput, NotFound
from marketplace.uploads import IMAGE_FORMATS, check_image, make_thumbnail
from suppliers.catalog_rules import ProductData
from suppliers.models import PriceTier, Product, ProductImage, SupplierProfile
from suppliers.search.index import product_translations_request, products_reindex
from suppliers.signals import catalog_changed_on_commit

MAX_IMAGES_PER_PRODUCT = 10
COPY_SUFFIX = "-copy"
MAX_SKU_LENGTH = 64


# --- Helpers -----------------------------------------------------------------------------------


def _sku_taken_error() -> InvalidInput:
    return InvalidInput(_("You already have a product with this SKU; each product needs its own."), field="sku")


def _checked_images(images: Sequence[UploadedFile], *, keeping: int) -> list[tuple[UploadedFile, str]]:
    """Check every upload before anything is written; return each with its real format."""
    if keeping + len(images) > MAX_IMAGES_PER_PRODUCT:
        raise InvalidInput(
            _("A product can have at most %(max)s images; it would have %(count)s.")
            % {"max": MAX_IMAGES_PER_PRODUCT, "count": keeping + len(images)},
            field="images",
        )
    checked = []
    for upload in images:
        try:
            image_format = check_image(upload, field="images")
        except InvalidInput as error:
            name = os.path.basename(upload.name or "")[:100]
            raise InvalidInput(f"{name}: {error.message}" if name else error.message, field="images") from error
        checked.append((upload, image_format))
    return checked


def _store_images(product: Product, images: list[tuple[UploadedFile, str]], *, first_position: int) -> None:
    """Save checked uploads under names of our own (never the uploader's), each with a thumbnail."""
    for offset, (upload, image_format) in enumerate(images):
        stem = uuid.uuid4().hex[:16]
        upload.seek(0)
        name = f"{stem}.{IMAGE_FORMATS[image_format]}"
        content = ContentFile(upload.read(), name=name)
        image = ProductImage(product=product, position=first_position + offset)
        image.image.save(name, content, save=False)
        image.thumbnail.save(f"{stem}-thumb.jpg", make_thumbnail(upload, name=stem), save=False)
        image.save()


def _delete_files_after_commit(names: Iterable[str | None]) -> None:
    """Files are removed only once the rows are gone for good: a rolled-back change keeps them."""
    stored = [name for name in names if name]

    def delete() -> None:
        for name in stored:
            default_storage.delete(name)

    if stored:
        transaction.on_commit(delete)


def product_fields_apply(product: Product, *, supplier: SupplierProfile, data: ProductData) -> None:
    """Copy validated data and the denormalised fields onto `product` (not saved)."""
    product.sku = data.sku
    product.title = data.title
    product.description = data.description
    product.category = data.category
    product.attributes = data.attributes_json()
    product.unit = data.unit
    product.moq = data.moq
    product.currency_id = data.currency
    product.lead_time_days = data.lead_time_days
    product.monthly_capacity = data.monthly_capacity
    product.sample_available = data.sample_available
    product.sample_price = data.sample_price if data.sample_available else None
    product.sample_days = data.sample_days if data.sample_available else None
    product.belt_id = supplier.belt_id
    product.province = supplier.province
    product.min_unit_price = min((price for _quantity, price in data.tiers), default=None)
    _set_status(product, data.status)


def _set_status(product: Product, status: str) -> None:
    product.status = status
    if status == Product.Status.PUBLISHED and product.published_at is None:
        product.published_at = timezone.now()


def _replace_tiers(product: Product, tiers: Iterable[tuple[int, Decimal]]) -> None:
    PriceTier.objects.filter(product=product).delete()
    PriceTier.objects.bulk_create(
        PriceTier(product=product, min_quantity=quantity, unit_price=price) for quantity, price in tiers
    )


def _refuse_publishing_without_image(status: str, image_count: int) -> None:
    if status == Product.Status.PUBLISHED and image_count == 0:
        raise InvalidInput(_("Add at least one image before publishing the product."), field="images")


def _save_product(product: Product) -> None:
    """Save, turning the SKU's unique constraint (a concurrent twin) into the same clear refusal."""
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as error:
        raise _sku_taken_error() from error


def _locked_own_product(*, supplier: SupplierProfile, product_id: int) -> Product:
    product = Product.objects.select_for_update().filter(pk=product_id, supplier=supplier).first()
    if product is None:
        raise NotFound(_("No such product in your catalog."))
    return product


# --- Services ----------------------------------------------------------------------------------


def product_create(*, supplier: SupplierProfile, data: ProductData, images: Sequence[UploadedFile] = ()) -> Product:
    """Add a product to the supplier's catalog, with its tiers and images.

    `data` comes from `catalog_rules.product_data_from`. Refuses (InvalidInput) a SKU the
    supplier already uses, more than MAX_IMAGES_PER_PRODUCT images, any upload that is not a
    readable image of sane size, and publishing without an image. All or nothing.
    """
    checked = _checked_images(images, keeping=0)
    _refuse_publishing_without_image(data.status, len(checked))
    with transaction.atomic():
        if Product.objects.filter(supplier=supplier, sku=data.sku).exists():
            raise _sku_taken_error()
        product = Product(supplier=supplier)
        product_fields_apply(product, supplier=supplier, data=data)
        _save_product(product)
        _replace_tiers(product, data.tiers)
        _store_images(product, checked, first_position=0)
        product_translations_request([product])
        products_reindex(product_ids=[product.pk])
        if product.status == Product.Status.PUBLISHED:
            catalog_changed_on_commit(supplier_id=supplier.pk)
    return product


def product_update(
    *,
    supplier: SupplierProfile,
    product_id: int,
    data: ProductData,
    new_images: Sequence[UploadedFile] = (),
    removed_image_ids: Iterable[int] = (),
) -> Product:
    """Replace a product's data and tiers; add and remove images.

    Another supplier's product (or an unknown id) raises NotFound. Image ids that are not this
    product's are ignored. The product row is locked, so two edits apply one after the other.
    """
    removed = {int(pk) for pk in removed_image_ids}
    with transaction.atomic():
        product = _locked_own_product(supplier=supplier, product_id=product_id)
        images = list(product.images.all())
        dropped = [image for image in images if image.pk in removed]
        kept = len(images) - len(dropped)
        checked = _checked_images(new_images, keeping=kept)
        _refuse_publishing_without_image(data.status, kept + len(checked))
        if Product.objects.filter(supplier=supplier, sku=data.sku).exclude(pk=product.pk).exists():
            raise _sku_taken_error()
        product_fields_apply(product, supplier=supplier, data=data)
        _save_product(product)
        _replace_tiers(product, data.tiers)
        if dropped:
            ProductImage.objects.filter(pk__in=[image.pk for image in dropped]).delete()
            _delete_files_after_commit(name for image in dropped for name in (image.image.name, image.thumbnail.name))
        next_position = max((image.position for image in images if image not in dropped), default=-1) + 1
        _store_images(product, checked, first_position=next_position)
        product_translations_request([product])
        products_reindex(product_ids=[product.pk])
        # Any change may add or remove what the supplier offers (published, archived, edited).
        catalog_changed_on_commit(supplier_id=supplier.pk)
    return product


def _copy_sku(*, supplier: SupplierProfile, sku: str) -> str:
    """ "<sku>-copy", else "<sku>-copy-2", "-copy-3"..., shortening the base to stay within 64 characters."""
    number = 1
    while True:
        suffix = COPY_SUFFIX if number == 1 else f"{COPY_SUFFIX}-{number}"
        candidate = f"{sku[: MAX_SKU_LENGTH - len(suffix)]}{suffix}"
        if not Product.objects.filter(supplier=supplier, sku=candidate).exists():
            return candidate
        number += 1


def product_duplicate(*, supplier: SupplierProfile, product_id: int) -> Product:
    """Copy one of the supplier's products as a new draft: data, tiers, attributes and images.

    The copy's SKU is "<sku>-copy" (or "-copy-2", ...); its image files are copies too, so
    removing an image from one product never touches the other.
    """
    with transaction.atomic():
        original = _locked_own_product(supplier=supplier, product_id=product_id)
        tiers = list(original.tiers.all())
        images = list(original.images.all())
        copy = Product.objects.get(pk=original.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.sku = _copy_sku(supplier=supplier, sku=original.sku)
        copy.status = Product.Status.DRAFT
        copy.published_at = None
        copy.created_at = timezone.now()
        copy.belt_id = supplier.belt_id
        copy.province = supplier.province
        _save_product(copy)
        PriceTier.objects.bulk_create(
            PriceTier(product=copy, min_quantity=tier.min_quantity, unit_price=tier.unit_price) for tier in tiers
        )
        for image in images:
            _copy_image(image, to=copy)
        products_reindex(product_ids=[copy.pk])
    return copy


def _copy_image(image: ProductImage, *, to: Product) -> None:
    stem = uuid.uuid4().hex[:16]
    extension = os.path.splitext(image.image.name or "")[1] or ".jpg"
    copy = ProductImage(product=to, position=image.position)
    with image.image.open("rb") as source:
        copy.image.save(f"{stem}{extension}", ContentFile(source.read()), save=False)
    if image.thumbnail:
        with image.thumbnail.open("rb") as source:
            copy.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(source.read()), save=False)
    copy.width, copy.height = image.width, image.height
    copy.save()


_SKU_LIST_LIMIT = 10


def products_set_status(*, supplier: SupplierProfile, product_ids: Iterable[int], status: str) -> int:
    """Publish, archive (or return to draft) several of the supplier's products at once.

    All or nothing: an id that is not one of the supplier's products raises NotFound; publishing a
    product without an image refuses the whole request, naming the products by SKU. Returns the
    number of products now in `status`; `published_at` is set on a product's first publication.
    """
    if status not in Product.Status.values:
        raise InvalidInput(_("Choose publish or archive."), field="status")
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        raise InvalidInput(_("Select at least one product."), field="products")
    with transaction.atomic():
        products = list(Product.objects.select_for_update().filter(supplier=supplier, pk__in=ids).order_by("pk"))
        if len(products) != len(ids):
            raise NotFound(_("No such product in your catalog."))
        if status == Product.Status.PUBLISHED:
            with_images = set(
                ProductImage.objects.filter(product__in=products).values_list("product_id", flat=True).distinct()
            )
            missing = [product.sku for product in products if product.pk not in with_images]
            if missing:
                shown = ", ".join(missing[:_SKU_LIST_LIMIT]) + ("…" if len(missing) > _SKU_LIST_LIMIT else "")
                raise InvalidInput(
                    ngettext(
                        "%(count)s product has no image and cannot be published: %(skus)s. Nothing was changed.",
                        "%(count)s products have no image and cannot be published: %(skus)s. Nothing was changed.",
                        len(missing),
                    )
                    % {"count": len(missing), "skus": shown},
                    field="products",
                )
        now = timezone.now()
        changed = []
        for product in products:
            if product.status != status:
                _set_status(product, status)
                product.updated_at = now  # bulk_update does not run auto_now
                changed.append(product)
        if changed:
            Product.objects.bulk_update(changed, ["status", "published_at", "updated_at"])
            products_reindex(product_ids=[product.pk for product in changed])
            catalog_changed_on_commit(supplier_id=supplier.pk)
    return len(products)
