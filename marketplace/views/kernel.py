"""Public pages of the kernel: home, language choice, the belt directory and the category browser."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.forms.kernel import DEFAULT_PAGE_SIZE, BeltFilterForm, PageForm
from marketplace.selectors.kernel import (
    belt_directory,
    belt_for_page,
    belt_provinces,
    belt_suppliers,
    category_by_slug,
    category_choices,
    category_page,
    category_tree,
    home_highlights,
)
from marketplace.services.accounts import user_set_language


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/home.html", {"highlights": home_highlights(user=request.user)})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it as its preference."""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 60 * 60 * 24 * 365,
            samesite="Lax",
            secure=request.is_secure(),
        )
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
    return response


def _warn_about(request: HttpRequest, form: PageForm | BeltFilterForm) -> None:
    """A bad filter or page is dropped, not fatal: say so and show what can be shown."""
    for errors in form.errors.values():
        for error in errors:
            messages.warning(request, str(error))


@require_GET
def belt_list(request: HttpRequest) -> HttpResponse:
    """The belt directory: filter by province and by category (its whole subtree), 24 belts a page."""
    user = request.user
    filters = BeltFilterForm(request.GET, provinces=belt_provinces(user=user), categories=category_choices())
    paging = PageForm(request.GET)
    filters.is_valid()
    paging.is_valid()
    _warn_about(request, filters)
    _warn_about(request, paging)

    province = filters.cleaned_data.get("province") or None
    category_slug = filters.cleaned_data.get("category") or None
    category = category_by_slug(category_slug) if category_slug else None
    page_size = paging.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE

    paginator = Paginator(belt_directory(user=user, province=province, category=category), page_size)
    page_number = paging.cleaned_data.get("page") or 1
    if page_number > paginator.num_pages:
        messages.warning(request, _("There is no page %(page)s; showing the first page.") % {"page": page_number})
        page_number = 1
    page = paginator.page(page_number)

    kept = {"province": province, "category": category_slug}
    if page_size != DEFAULT_PAGE_SIZE:
        kept["page_size"] = page_size
    return render(
        request,
        "marketplace/belts/list.html",
        {
            "form": filters,
            "page_obj": page,
            "belts": page.object_list,
            "category": category,
            "province": province,
            "filter_query": urlencode({key: value for key, value in kept.items() if value}),
            "is_filtered": bool(province or category),
        },
    )


@require_GET
def belt_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A belt's page: what it makes, its figures and its suppliers. A draft belt exists only for staff."""
    belt = belt_for_page(user=request.user, slug=slug)
    return render(
        request,
        "marketplace/belts/detail.html",
        {"belt": belt, "suppliers": list(belt_suppliers(belt=belt))},
    )


@require_GET
def category_list(request: HttpRequest) -> HttpResponse:
    """The whole category tree, read in one query."""
    return render(request, "marketplace/categories/list.html", {"roots": category_tree()})


@require_GET
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A category: its place in the tree, its subcategories, and the belts and suppliers that make it."""
    page = category_page(user=request.user, slug=slug)
    return render(request, "marketplace/categories/detail.html", {"page": page, "category": page.category})
