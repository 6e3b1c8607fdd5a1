"""Pages of the suppliers app: sign-up, becoming a supplier, the dashboard, the profile and its
sections (capacity, certifications, factory photos), and the public supplier page with its catalog.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from marketplace.errors import DomainError
from marketplace.forms.kernel import DEFAULT_PAGE_SIZE, PageForm
from marketplace.middleware import returns_to
from marketplace.models import Membership
from marketplace.private_files import private_file_response
from marketplace.services.translation_requests import translations_read
from marketplace.tenancy import AuthenticatedHttpRequest, acting_membership
from marketplace.views.accounts import signup_submit
from suppliers.forms.profiles import (
    CapacityForm,
    FactoryPhotoForm,
    SupplierProfileEditForm,
    SupplierProfileForm,
    SupplierSignupForm,
)
from suppliers.forms.verification import DocumentForm
from suppliers.models import SupplierProfile
from suppliers.selectors.profiles import (
    supplier_capacities,
    supplier_capacity,
    supplier_certification,
    supplier_certifications,
    supplier_factory_photos,
    supplier_profile_of,
    supplier_public_catalog,
    supplier_public_profile,
)
from suppliers.services.profiles import (
    MAX_FACTORY_PHOTOS,
    SPOKEN_LANGUAGES,
    capacity_add,
    capacity_update,
    factory_photo_add,
    factory_photo_delete,
    supplier_become,
    supplier_profile_update,
    supplier_signup,
)
from suppliers.services.profiles import capacity_delete as capacity_delete_service
from suppliers.services.verification import certification_delete as certification_delete_service
from suppliers.services.verification import certification_submit


def _status(form: forms.Form) -> int:
    """A form sent back with errors answers 400, so clients and tests can tell it was refused."""
    return 400 if form.is_bound and form.errors else 200


def signup(request: HttpRequest) -> HttpResponse:
    """Open an account for a factory or trading company in China; its profile awaits verification."""
    form = SupplierSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = signup_submit(request, form, lambda: supplier_signup(**form.account_arguments()))
        if answer is not None:
            return answer
    return render(request, "suppliers/signup.html", {"form": form}, status=_status(form))


@login_required
def become(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The acting company starts selling too; one that already sells goes to its dashboard."""
    membership = acting_membership(request)
    if membership is None:
        messages.info(request, _("To sell, your account needs a company first."))
        return redirect("company_detail")
    if supplier_profile_of(company=membership.company) is not None:
        return redirect("suppliers:dashboard")
    initial = {"supplier_name": membership.company.name, "city": membership.company.city}
    form = SupplierProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            supplier_become(membership=membership, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your company now sells on SourceBelt too. Staff will verify your profile."))
            return redirect("suppliers:dashboard")
    return render(request, "suppliers/become.html", {"form": form, "company": membership.company}, status=_status(form))


def _spoken_languages(profile: SupplierProfile) -> list[str]:
    return [str(SPOKEN_LANGUAGES[code]) for code in profile.languages_spoken or [] if code in SPOKEN_LANGUAGES]


def _own_supplier(request: HttpRequest) -> tuple[Membership, SupplierProfile] | HttpResponse:
    """The acting membership and its company's supplier profile, or where to go instead.

    No company: the company page. A company that does not sell: the page to start selling.
    """
    membership = acting_membership(request)
    if membership is None:
        return redirect("company_detail")
    profile = supplier_profile_of(company=membership.company)
    if profile is None:
        return redirect("suppliers:become")
    return membership, profile


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    membership, profile = own
    return render(
        request,
        "suppliers/dashboard.html",
        {"profile": profile, "company": membership.company, "spoken_languages": _spoken_languages(profile)},
    )


def _profile_initial(profile: SupplierProfile) -> dict[str, object]:
    return {
        "supplier_name": profile.name,
        "name_zh": profile.name_zh,
        "description_en": profile.description_en,
        "description_zh": profile.description_zh,
        "year_founded": profile.year_founded,
        "staff_count": profile.staff_count,
        "factory_area_m2": profile.factory_area_m2,
        "belt": profile.belt_id,
        "province": profile.province,
        "city": profile.city,
        "main_categories": [category.pk for category in profile.main_categories.all()],
        "business_type": profile.business_type,
        "export_markets": [country.code for country in profile.export_markets],
        "languages_spoken": list(profile.languages_spoken or []),
    }


@login_required
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Edit the acting company's own profile and company facts; no URL can name another company's."""
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    membership, profile = own
    form = SupplierProfileEditForm(request.POST or None, initial=_profile_initial(profile))
    if request.method == "POST" and form.is_valid():
        try:
            supplier_profile_update(membership=membership, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your supplier profile is saved."))
            return redirect("suppliers:dashboard")
    return render(request, "suppliers/profile_edit.html", {"form": form, "profile": profile}, status=_status(form))


# --- Monthly capacity per product line -----------------------------------------------------------


@login_required
def capacity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supplier's product lines with their monthly capacity, and a form to add one."""
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            capacity_add(supplier=profile, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The product line is added."))
            return redirect("suppliers:capacity_list")
    return render(
        request,
        "suppliers/profile/capacity_list.html",
        {"profile": profile, "capacities": supplier_capacities(supplier=profile), "form": form},
        status=_status(form),
    )


@login_required
def capacity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    capacity = supplier_capacity(supplier=profile, pk=pk)
    initial = {
        "category": capacity.category_id,
        "product_line": capacity.product_line,
        "monthly_capacity": capacity.monthly_capacity,
        "unit": capacity.unit,
    }
    form = CapacityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            capacity_update(supplier=profile, capacity_id=capacity.pk, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The product line is saved."))
            return redirect("suppliers:capacity_list")
    return render(
        request,
        "suppliers/profile/capacity_edit.html",
        {"profile": profile, "capacity": capacity, "form": form},
        status=_status(form),
    )


def _delete(request: HttpRequest, remove: Callable[[SupplierProfile], None], *, done: str, to: str) -> HttpResponse:
    """Delete one of the supplier's own rows; another supplier's is NotFound (404)."""
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    remove(profile)
    messages.success(request, done)
    return redirect(to)


@returns_to("suppliers:capacity_list")
@login_required
@require_POST
def capacity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _delete(
        request,
        lambda profile: capacity_delete_service(supplier=profile, capacity_id=pk),
        done=_("The product line is deleted."),
        to="suppliers:capacity_list",
    )


# --- Certifications -------------------------------------------------------------------------------


@login_required
def certification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supplier's verification documents with their review (expired ones marked) and a form to submit one.

    Every document submitted here waits for staff review (suppliers/services/verification.py);
    `verification:status` shows the same documents with the badge and the history.
    """
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certification_submit(supplier=profile, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The document is submitted. Our staff will review it."))
            return redirect("suppliers:certification_list")
    return render(
        request,
        "suppliers/profile/certification_list.html",
        {"profile": profile, "certifications": supplier_certifications(supplier=profile), "form": form},
        status=_status(form),
    )


@login_required
@require_GET
def certification_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The certificate's file, for its own supplier only: certificate files are never public."""
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    certification = supplier_certification(supplier=profile, pk=pk)
    if not certification.file:
        raise Http404(_("No such certification."))
    return private_file_response(
        certification.file,
        name=os.path.basename(certification.file.name or ""),
        missing=_("The file of this certification is missing."),
    )


@returns_to("suppliers:certification_list")
@login_required
@require_POST
def certification_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Delete a pending or rejected document; an approved one stays on record (the page says why)."""
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    certification_delete_service(supplier=profile, certification_id=pk, actor=request.user)
    messages.success(request, _("The document is deleted."))
    return redirect("suppliers:certification_list")


# --- Factory photos -------------------------------------------------------------------------------


@login_required
def photo_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supplier's factory photos and a form to upload one (at most MAX_FACTORY_PHOTOS)."""
    own = _own_supplier(request)
    if isinstance(own, HttpResponse):
        return own
    _membership, profile = own
    form = FactoryPhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            factory_photo_add(supplier=profile, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("suppliers:photo_list")
    photos = list(supplier_factory_photos(supplier=profile))
    return render(
        request,
        "suppliers/profile/photo_list.html",
        {"profile": profile, "photos": photos, "form": form, "limit": MAX_FACTORY_PHOTOS},
        status=_status(form),
    )


@returns_to("suppliers:photo_list")
@login_required
@require_POST
def photo_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _delete(
        request,
        lambda profile: factory_photo_delete(supplier=profile, photo_id=pk),
        done=_("The photo is deleted."),
        to="suppliers:photo_list",
    )


# --- The public supplier page ---------------------------------------------------------------------


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier's public page: its facts, capacities, certifications, photos and catalog (24 a page)."""
    profile = supplier_public_profile(pk=pk)
    paging = PageForm(request.GET)
    paging.is_valid()
    for errors in paging.errors.values():
        for error in errors:
            messages.warning(request, str(error))
    page_size = paging.cleaned_data.get("page_size") or DEFAULT_PAGE_SIZE
    paginator = Paginator(supplier_public_catalog(supplier=profile), page_size)
    page_number = paging.cleaned_data.get("page") or 1
    if page_number > paginator.num_pages:
        messages.warning(request, _("There is no page %(page)s; showing the first page.") % {"page": page_number})
        page_number = 1
    page = paginator.page(page_number)
    display_name = profile.display_name
    other_name = next((name for name in (profile.name, profile.name_zh) if name and name != display_name), "")
    return render(
        request,
        "suppliers/detail.html",
        {
            "profile": profile,
            "display_name": display_name,
            "other_name": other_name,
            "spoken_languages": _spoken_languages(profile),
            "page_obj": page,
            "products": page.object_list,
            "translations": translations_read(texts=[product.title for product in page.object_list]),
            "page_query": urlencode({"page_size": page_size}) if page_size != DEFAULT_PAGE_SIZE else "",
        },
    )
