"""Pages of the catalog: the supplier's product list, form, duplicate, bulk actions and preview;
the public product page and its price-at-quantity box.

The dashboard pages act for the acting company's own supplier profile only; no URL names a
supplier, and another supplier's product answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from marketplace.errors import Conflict, InvalidInput
from marketplace.formatting import amount_text, unit_price_text
from marketplace.middleware import returns_to
from marketplace.services.translation_requests import translations_read
from marketplace.tenancy import AuthenticatedHttpRequest, acting_company, company_sells
from suppliers.forms.catalog import BulkStatusForm, CatalogFilterForm, PriceQuantityForm, ProductForm
from suppliers.models import Product, SupplierProfile
from suppliers.selectors.catalog import (
    PriceAtQuantity,
    catalog_for_supplier,
    product_for_supplier,
    product_price_at,
    product_public,
)
from suppliers.services.catalog import product_create as create_product
from suppliers.services.catalog import product_duplicate as duplicate_product
from suppliers.services.catalog import product_update as update_product
from suppliers.services.catalog import products_set_status
from suppliers.views.access import supplier_required


def _own_supplier(request: HttpRequest) -> SupplierProfile | None:
    company = acting_company(request)
    return company.supplier_profile if company_sells(company) else None


@dataclass(frozen=True)
class CatalogRow:
    product: Product
    thumbnail_url: str
    lowest_price: str
    highest_price: str


def _catalog_row(product: Product) -> CatalogRow:
    tiers = list(product.tiers.all())
    images = list(product.images.all())
    thumbnail = ""
    if images:
        thumbnail = (images[0].thumbnail or images[0].image).url
    prices = [tier.unit_price for tier in tiers]
    return CatalogRow(
        product=product,
        thumbnail_url=thumbnail,
        lowest_price=unit_price_text(min(prices), product.currency_id) if prices else "",
        highest_price=unit_price_text(max(prices), product.currency_id) if prices else "",
    )


def _product_form_page(
    request: HttpRequest, supplier: SupplierProfile, *, product: Product | None = None
) -> HttpResponse:
    template = "suppliers/catalog/form.html"
    if request.method != "POST":
        return render(request, template, {"form": ProductForm(product=product), "product": product})
    # A form too large to read was refused before this view (marketplace/request_checks.py).
    form = ProductForm(request.POST, request.FILES, product=product)
    if form.is_valid():
        try:
            if product is None:
                saved = create_product(supplier=supplier, **form.service_arguments())
            else:
                saved = update_product(supplier=supplier, product_id=product.pk, **form.service_arguments())
        except (InvalidInput, Conflict) as error:  # shown in the form, with what was typed
            form.add_domain_error(error)
        else:
            messages.success(request, _("Product %(sku)s is saved.") % {"sku": saved.sku})
            return redirect("suppliers:product_list")
    return render(request, template, {"form": form, "product": product}, status=400)


# --- The supplier's dashboard ------------------------------------------------------------------


@supplier_required
def product_list(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """The supplier's own catalog with filters, pages and bulk publish / archive."""
    filters = CatalogFilterForm(request.GET)
    products = catalog_for_supplier(supplier=supplier, **filters.filters())
    page = Paginator(products, filters.rows_per_page()).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    bulk_actions = BulkStatusForm.base_fields["action"]
    assert isinstance(bulk_actions, forms.ChoiceField)  # for the type checker
    return render(
        request,
        "suppliers/catalog/list.html",
        {
            "supplier": supplier,
            "filters": filters,
            "page": page,
            "rows": [_catalog_row(product) for product in page.object_list],
            "query": query.urlencode(),
            "bulk_actions": bulk_actions.choices,
        },
    )


@supplier_required
def product_create(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    return _product_form_page(request, supplier)


@supplier_required
def product_edit(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    product = product_for_supplier(supplier=supplier, product_id=pk)
    return _product_form_page(request, supplier, product=product)


@returns_to("suppliers:product_list")
@require_POST
@supplier_required
def product_duplicate(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    copy = duplicate_product(supplier=supplier, product_id=pk)
    messages.success(request, _("Copied as draft %(sku)s. Change what differs, then publish.") % {"sku": copy.sku})
    return redirect("suppliers:product_edit", pk=copy.pk)


def _catalog_list(request: HttpRequest) -> str:
    """The catalog list as the supplier had filtered it (the bulk form's `return_query`)."""
    url = reverse("suppliers:product_list")
    query = QueryDict(request.POST.get("return_query", "")[:2000]).urlencode()
    return f"{url}?{query}" if query else url


@returns_to(_catalog_list)
@require_POST
@supplier_required
def product_bulk(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """Publish, archive or return to draft the ticked products: all of them, or none."""
    form = BulkStatusForm(request.POST)
    if form.is_valid():
        count = products_set_status(supplier=supplier, product_ids=form.cleaned_data["products"], status=form.status)
        messages.success(request, _status_message(form.status, count))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(_catalog_list(request))


def _status_message(status: str, count: int) -> str:
    if status == Product.Status.PUBLISHED:
        text = ngettext("%(count)s product is published.", "%(count)s products are published.", count)
    elif status == Product.Status.ARCHIVED:
        text = ngettext("%(count)s product is archived.", "%(count)s products are archived.", count)
    else:
        text = ngettext("%(count)s product is a draft again.", "%(count)s products are drafts again.", count)
    return text % {"count": count}


@supplier_required
def product_preview(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """The public page as buyers will see it, for the owner, drafts included."""
    product = product_for_supplier(supplier=supplier, product_id=pk)
    return _product_page(request, product, preview=True)


# --- Public pages ------------------------------------------------------------------------------


def _viewer_currency(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.preferred_currency_id
    return settings.DEFAULT_CURRENCY


@dataclass(frozen=True)
class PriceBox:
    """The price-at-quantity box: a form, and what it found (or why it found nothing)."""

    form: PriceQuantityForm
    price: PriceAtQuantity | None
    unit_price: str = ""
    total: str = ""
    converted_total: str = ""


def _price_box(request: HttpRequest, product: Product, *, asked: bool) -> PriceBox:
    if not asked:
        return PriceBox(form=PriceQuantityForm(initial={"quantity": product.moq}), price=None)
    form = PriceQuantityForm(request.GET)
    if not form.is_valid():
        return PriceBox(form=form, price=None)
    price = product_price_at(
        product=product, quantity=form.cleaned_data["quantity"], viewer_currency=_viewer_currency(request)
    )
    return PriceBox(
        form=form,
        price=price,
        unit_price=unit_price_text(price.unit_price, price.currency),
        total=amount_text(price.total, price.currency),
        converted_total=amount_text(price.converted.amount, price.converted.currency) if price.converted else "",
    )


def _product_page(request: HttpRequest, product: Product, *, preview: bool) -> HttpResponse:
    currency = product.currency_id
    return render(
        request,
        "suppliers/catalog/detail.html",
        {
            "product": product,
            "translations": translations_read(texts=[product.title, product.description]),
            "supplier": product.supplier,
            "preview": preview,
            "ancestors": product.category.ancestors(),
            "tiers": [(tier, unit_price_text(tier.unit_price, currency)) for tier in product.tiers.all()],
            "images": list(product.images.all()),
            "sample_price": unit_price_text(product.sample_price, currency),
            "box": _price_box(request, product, asked="quantity" in request.GET),
            "price_url": reverse("suppliers:product_price", kwargs={"pk": product.pk}),
        },
    )


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published product of an active supplier, for everyone. Drafts answer 404, even to their owner."""
    product = product_public(product_id=pk)
    return _product_page(request, product, preview=False)


def product_price(request: HttpRequest, pk: int) -> HttpResponse:
    """The price box's content for ?quantity=N (htmx swaps it in). The owner may price its drafts."""
    product = product_public(product_id=pk, supplier=_own_supplier(request))
    return render(
        request,
        "suppliers/catalog/_price.html",
        {"product": product, "box": _price_box(request, product, asked=True)},
    )
