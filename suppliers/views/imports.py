"""Pages of the catalog import and export: upload, check report, start, live progress, downloads.

Every page is about the acting company's own supplier profile; another supplier's import answers 404.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.middleware import returns_to
from marketplace.tenancy import AuthenticatedHttpRequest
from suppliers.catalog_files import MAX_FILE_BYTES, MAX_ROWS, csv_lines, product_export_row, xlsx_bytes
from suppliers.forms.imports import CatalogUploadForm
from suppliers.models import CatalogImport, SupplierProfile
from suppliers.selectors.imports import catalog_import_of, catalog_imports_of, catalog_products_for_export
from suppliers.services.import_queue import catalog_import_start
from suppliers.services.imports import catalog_import_upload
from suppliers.views.access import supplier_required

HISTORY_PAGE_SIZE = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_import(supplier: SupplierProfile, pk: int) -> CatalogImport:
    return catalog_import_of(supplier=supplier, pk=pk)


@require_http_methods(["GET", "POST"])
@supplier_required
def import_list(request: AuthenticatedHttpRequest, supplier: SupplierProfile) -> HttpResponse:
    """Upload a catalog file (checked at once, row by row) and see earlier imports."""
    form = CatalogUploadForm(request.POST, request.FILES) if request.method == "POST" else CatalogUploadForm()
    if form.is_bound and form.is_valid():
        try:
            catalog_import = catalog_import_upload(
                supplier=supplier, user=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("suppliers:import_detail", pk=catalog_import.pk)
    history = list(catalog_imports_of(supplier=supplier)[:HISTORY_PAGE_SIZE])
    context = {
        "form": form,
        "imports": history,
        "supplier": supplier,
        "max_megabytes": MAX_FILE_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
    }
    return render(request, "suppliers/imports/list.html", context, status=400 if form.errors else 200)


@require_GET
@supplier_required
def import_detail(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """The check report: problems by row, a Start button when the file is ready, the progress bar."""
    catalog_import = _own_import(supplier, pk)
    problems = [problem for problem in catalog_import.errors if not problem.get("warning")]
    warnings = [problem for problem in catalog_import.errors if problem.get("warning")]
    context = {"catalog_import": catalog_import, "problems": problems, "warnings": warnings}
    return render(request, "suppliers/imports/detail.html", context)


@require_GET
@supplier_required
def import_progress(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    """The progress fragment htmx polls every second while the import waits or runs."""
    catalog_import = _own_import(supplier, pk)
    return render(request, "suppliers/imports/_progress.html", {"catalog_import": catalog_import})


@returns_to("suppliers:import_detail", "pk")
@require_POST
@supplier_required
def import_start(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> HttpResponse:
    catalog_import_start(supplier=supplier, import_id=pk)
    return redirect("suppliers:import_detail", pk=pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@supplier_required
def import_errors(request: AuthenticatedHttpRequest, supplier: SupplierProfile, pk: int) -> StreamingHttpResponse:
    """The check report as CSV: row, column, problem (warnings marked)."""
    catalog_import = _own_import(supplier, pk)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([_("row"), _("column"), _("problem"), _("kind")])
        for problem in catalog_import.errors:
            kind = _("warning") if problem.get("warning") else _("error")
            # Messages quote what the supplier typed, so they get the same guard as an export.
            message = str(problem.get("message", ""))
            if message.startswith(("=", "+", "-", "@", "\t", "\r")):
                message = "'" + message
            yield writer.writerow([problem.get("row") or "", problem.get("column", ""), message, kind])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{catalog_import.pk}-problems.csv"'
    return response


@require_GET
@supplier_required
def catalog_export(
    request: AuthenticatedHttpRequest, supplier: SupplierProfile, file_format: str
) -> HttpResponse | StreamingHttpResponse:
    """The supplier's whole catalog in the import's columns, so the file imports back unchanged."""
    rows = (product_export_row(product) for product in catalog_products_for_export(supplier=supplier))
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        response: HttpResponse | StreamingHttpResponse = HttpResponse(xlsx_bytes(rows), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalog-{stamp}.{file_format}"'
    return response
