"""Pages of the suppliers app: supplier sign-up, becoming a supplier, the dashboard, public pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.tenancy import acting_membership
from marketplace.views.accounts import sign_in
from suppliers.forms.profiles import SupplierProfileForm, SupplierSignupForm
from suppliers.selectors import supplier_profile_of, supplier_public_profile
from suppliers.services import supplier_become, supplier_profile_update, supplier_signup


def _status(form: SupplierProfileForm | SupplierSignupForm) -> int:
    """A form sent back with errors answers 400, so clients and tests can tell it was refused."""
    return 400 if form.is_bound and form.errors else 200


def signup(request: HttpRequest) -> HttpResponse:
    """Open an account for a factory or trading company in China; its profile awaits verification."""
    form = SupplierSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = supplier_signup(**form.account_arguments())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            user = profile.company.memberships.get().user
            with translation.override(user.preferred_language):
                message = _(
                    "Welcome to SourceBelt, %(name)s. %(supplier)s is listed and awaits verification by our staff."
                ) % {"name": user.name, "supplier": profile.name}
            return sign_in(request, user, message, to="suppliers:dashboard")
    return render(request, "suppliers/signup.html", {"form": form}, status=_status(form))


@login_required
def become(request: HttpRequest) -> HttpResponse:
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


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    if membership is None:
        return redirect("company_detail")
    profile = supplier_profile_of(company=membership.company)
    if profile is None:
        return redirect("suppliers:become")
    return render(request, "suppliers/dashboard.html", {"profile": profile, "company": membership.company})


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    """Edit the acting company's own profile; no URL can name another company's."""
    membership = acting_membership(request)
    if membership is None:
        return redirect("company_detail")
    profile = supplier_profile_of(company=membership.company)
    if profile is None:
        return redirect("suppliers:become")
    initial = {
        "supplier_name": profile.name,
        "belt": profile.belt_id,
        "province": profile.province,
        "city": profile.city,
        "main_categories": [category.pk for category in profile.main_categories.all()],
        "business_type": profile.business_type,
    }
    form = SupplierProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            supplier_profile_update(membership=membership, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your supplier profile is saved."))
            return redirect("suppliers:dashboard")
    return render(request, "suppliers/profile_edit.html", {"form": form, "profile": profile}, status=_status(form))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A supplier's public page."""
    profile = supplier_public_profile(pk=pk)
    if profile is None:
        raise Http404(_("No such supplier."))
    return render(request, "suppliers/detail.html", {"profile": profile})
