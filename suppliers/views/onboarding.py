"""Pages of belt onboarding: importing a belt's factories, its invitations, and the factory's claim.

Staff and the belt's managers only (marketplace.selectors.belts): anyone else, and a manager
reaching another belt's belt, import or invitation, gets 404. The claim page is public: the
signed link in the invitation e-mail is the factory's key.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import DomainError
from marketplace.languages import language_activate
from marketplace.middleware import returns_to
from marketplace.selectors.belts import managed_belt_or_404
from marketplace.tenancy import AuthenticatedHttpRequest
from marketplace.views.accounts import sign_in
from suppliers.catalog_files import FORMULA_TRIGGERS, MAX_FILE_BYTES
from suppliers.factory_files import COLUMNS, MAX_ROWS
from suppliers.forms.onboarding import STATE_LABELS, FactoryClaimForm, FactoryUploadForm, InvitationFilterForm
from suppliers.models import FactoryImport
from suppliers.selectors.onboarding import (
    factory_import_for,
    factory_imports_of,
    factory_invitation_counts,
    factory_invitation_for,
    factory_invitations_of,
)
from suppliers.services.onboarding import (
    factory_import_error_rows,
    factory_invitation_by_token,
    factory_invitation_claim,
    factory_invitation_revoke,
)
from suppliers.services.onboarding_queue import factory_import_create, factory_invitation_resend

HISTORY_PAGE_SIZE = 20
INVITATIONS_PAGE_SIZE = 50


def _import(request: AuthenticatedHttpRequest, pk: int) -> FactoryImport:
    return factory_import_for(user=request.user, pk=pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_safe(value: str) -> str:
    """Cells quote what people typed, so they get the export's guard against formula injection."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _csv_response(rows: Iterator[list[str]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        first = True
        for row in rows:
            line = writer.writerow([_csv_safe(cell) for cell in row])
            yield ("\ufeff" + line) if first else line
            first = False

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Imports -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload a belt's factory list (checked as a whole now, row by row in a task) and see earlier ones."""
    belt = managed_belt_or_404(request.user, slug)
    form = FactoryUploadForm(request.POST, request.FILES) if request.method == "POST" else FactoryUploadForm()
    if form.is_bound and form.is_valid():
        try:
            factory_import = factory_import_create(belt=belt, user=request.user, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("onboarding:import_detail", pk=factory_import.pk)
    context = {
        "belt": belt,
        "form": form,
        "imports": list(factory_imports_of(belt=belt)[:HISTORY_PAGE_SIZE]),
        "columns": COLUMNS,
        "max_megabytes": MAX_FILE_BYTES // 1024 // 1024,
        "max_rows": MAX_ROWS,
    }
    return render(request, "suppliers/onboarding/import_list.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def import_sample(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    """A sample factory list with the belt's own specialties as categories."""
    belt = managed_belt_or_404(request.user, slug)
    specialties = list(belt.specialties.order_by("path")[:2])
    first = specialties[0].slug if specialties else "school-bags"
    both = "; ".join(category.slug for category in specialties) or "school-bags; backpacks"
    chinese = "、".join(category.name_zh for category in specialties) or "书包、双肩包"
    rows = iter(
        [
            list(COLUMNS),
            ["Example Bags Factory", "Li Wei", "sales@example-bags.cn", "+86 312 555 0101", first, "50000", "zh-hans"],
            ["示例箱包有限公司", "王芳", "wang.fang@example-luggage.cn", "0312-5550102", chinese, "120,000", ""],
            ["Example Trading Co., Ltd.", "Chen Jie", "chen@example-trading.cn", "", both, "", "en"],
        ]
    )
    return _csv_response(rows, f"factories-sample-{belt.slug}.csv")


@login_required
@require_GET
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One import: the progress bar while it runs, then the counts and the rejected rows."""
    factory_import = _import(request, pk)
    context = {"factory_import": factory_import, "belt": factory_import.belt, "rejected": factory_import.errors}
    return render(request, "suppliers/onboarding/import_detail.html", context)


@login_required
@require_GET
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls every second while the import waits or runs."""
    factory_import = _import(request, pk)
    return render(request, "suppliers/onboarding/_progress.html", {"factory_import": factory_import})


@login_required
@require_GET
def import_errors(request: AuthenticatedHttpRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows as CSV: the row number, the row as it was in the file, and its problems."""
    factory_import = _import(request, pk)
    header = [_("row"), *COLUMNS, _("problems")]
    rows = iter([header, *factory_import_error_rows(factory_import)])
    return _csv_response(rows, f"factory-import-{factory_import.pk}-errors.csv")


# --- Invitations ---------------------------------------------------------------------------------


@login_required
@require_GET
def invitation_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The belt's invitations with their state; filter by state; resend or withdraw."""
    belt = managed_belt_or_404(request.user, slug)
    filters = InvitationFilterForm(request.GET)
    state = filters.state_value()
    page = Paginator(factory_invitations_of(belt=belt, state=state), INVITATIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "belt": belt,
        "filters": filters,
        "state": state,
        "page": page,
        "invitations": list(page.object_list),
        "counts": factory_invitation_counts(belt=belt),
        "state_labels": STATE_LABELS,
    }
    return render(request, "suppliers/onboarding/invitation_list.html", context)


def _invitations_page(request: AuthenticatedHttpRequest, pk: int) -> str:
    """The list of the invitation's belt, where its buttons are."""
    invitation = factory_invitation_for(user=request.user, pk=pk)
    return reverse("onboarding:invitation_list", kwargs={"slug": invitation.belt.slug})


def _invitation_action(request: AuthenticatedHttpRequest, pk: int, *, resend: bool) -> HttpResponse:
    invitation = factory_invitation_for(user=request.user, pk=pk)
    action = factory_invitation_resend if resend else factory_invitation_revoke
    action(actor=request.user, invitation_id=pk)
    if resend:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": invitation.email})
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("onboarding:invitation_list", slug=invitation.belt.slug)


@returns_to(_invitations_page)
@login_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, resend=True)


@returns_to(_invitations_page)
@login_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(request, pk, resend=False)


# --- The factory claims its account ----------------------------------------------------------------


def _link_problem(request: HttpRequest, error: DomainError) -> HttpResponse:
    status = 404 if error.status_code == 404 else 410
    return render(request, "suppliers/onboarding/claim_invalid.html", {"reason": error.message}, status=status)


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """The invited factory opens its account: the form is prefilled from the invitation, and the
    page speaks the invitation's language, as its e-mail did (unless the visitor chose another)."""
    try:
        invitation = factory_invitation_by_token(token=token)
    except DomainError as error:
        return _link_problem(request, error)
    language_activate(request, request.user, addressee=invitation.language)
    form = FactoryClaimForm(request.POST if request.method == "POST" else None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            profile = factory_invitation_claim(token=token, **form.claim_arguments())
        except DomainError as error:
            if error.field is None and error.status_code in (404, 409):
                return _link_problem(request, error)  # the invitation changed under us
            form.add_domain_error(error)
        else:
            user = profile.company.memberships.get().user
            with translation.override(user.preferred_language):
                message = _(
                    "Welcome to SourceBelt, %(name)s. Complete your profile so that buyers find %(supplier)s."
                ) % {"name": user.name, "supplier": profile.name}
            return sign_in(request, user, message, to="suppliers:profile_edit")
    context = {"invitation": invitation, "form": form, "token": token}
    return render(
        request, "suppliers/onboarding/claim.html", context, status=400 if form.is_bound and form.errors else 200
    )
