"""The search pages: products (/suppliers/search/) and the supplier directory (/suppliers/directory/).

Public pages. Filters come from the query string; a bad value is ignored with a message. "More"
loads the next page by cursor, appended by htmx (or as a whole page without JavaScript).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marketplace.errors import InvalidInput
from marketplace.services.translation_requests import translations_read
from suppliers.search.filters import ProductSearchForm, SupplierSearchForm, _SearchForm, query_string
from suppliers.search.service import search_products, search_suppliers


def _parse(request: HttpRequest, form_class: type[_SearchForm]) -> tuple[_SearchForm, dict[str, Any]]:
    """The form to show (with only the valid values) and the search arguments."""
    bound = form_class(request.GET)
    bound.is_valid()
    for sentence in bound.ignored():
        messages.warning(request, sentence)
    values = bound.valid_values()
    initial = {name: getattr(value, "pk", value) for name, value in values.items() if name not in {"cursor", "limit"}}
    return form_class(initial=initial), bound.search_arguments()


def _run(request: HttpRequest, search: Any, arguments: dict[str, Any]) -> Any:
    try:
        return search(**arguments)
    except InvalidInput as error:
        messages.warning(request, error.message)
        return search(**{**arguments, "cursor": None})


def _fragment_wanted(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request")) and bool(request.GET.get("cursor"))


def product_search(request: HttpRequest) -> HttpResponse:
    form, arguments = _parse(request, ProductSearchForm)
    fragment = _fragment_wanted(request)
    result = _run(request, search_products, {**arguments, "with_facets": not fragment})
    params = request.GET
    context = {
        "form": form,
        "result": result,
        "translations": translations_read(texts=[product.title for product in result.items]),
        "query": arguments["query"],
        "category": arguments["category"],
        "belt": arguments["belt"],
        "category_facets": [(facet, query_string(params, category=facet.pk)) for facet in result.facets.categories],
        "belt_facets": [(facet, query_string(params, belt=facet.pk)) for facet in result.facets.belts],
        "without_category": query_string(params, category=None),
        "without_belt": query_string(params, belt=None),
        "more_url": f"?{query_string(params, cursor=result.next_cursor)}" if result.next_cursor else "",
    }
    template = "suppliers/search/_product_results.html" if fragment else "suppliers/search/products.html"
    return render(request, template, context)


def supplier_search(request: HttpRequest) -> HttpResponse:
    form, arguments = _parse(request, SupplierSearchForm)
    fragment = _fragment_wanted(request)
    result = _run(request, search_suppliers, arguments)
    params = request.GET
    context = {
        "form": form,
        "result": result,
        "query": arguments["query"],
        "category": arguments["category"],
        "belt": arguments["belt"],
        "without_category": query_string(params, category=None),
        "without_belt": query_string(params, belt=None),
        "more_url": f"?{query_string(params, cursor=result.next_cursor)}" if result.next_cursor else "",
    }
    template = "suppliers/search/_supplier_results.html" if fragment else "suppliers/search/suppliers.html"
    return render(request, template, context)
