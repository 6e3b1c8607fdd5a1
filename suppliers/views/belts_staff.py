"""The belt staff pages (namespace "belt_admin", under /staff/belts/): the belts a person runs, one
belt's status, figures, history and onboarding funnel, the lists behind the funnel's steps, and
the staff's own actions (create a belt, move it through its lifecycle, choose its managers).

Staff run every belt; a belt manager only theirs (`managed_belt_or_404`): another belt, like any
page here for anybody else, answers 404. Logged-out visitors are sent to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.errors import Conflict, DomainError, InvalidInput
from marketplace.forms.kernel import PageForm
from marketplace.models import IndustrialBelt
from marketplace.selectors.belts import managed_belt_or_404, manages_any_belt
from marketplace.services.belts import (
    belt_create,
    belt_manager_add,
    belt_manager_remove,
    belt_next_statuses,
    belt_transition,
    belt_update,
)
from marketplace.tenancy import AuthenticatedHttpRequest, staff_required
from suppliers.forms.belts_staff import (
    STEP_LABELS,
    BeltCreateForm,
    BeltFiguresForm,
    BeltManagerAddForm,
    BeltManagerRemoveForm,
    BeltTransitionForm,
)
from suppliers.selectors.belts_staff import (
    belt_events,
    belt_managers,
    belt_specialties,
    belt_with_specialties,
    belts_for_admin,
)
from suppliers.selectors.funnel import STEPS, belt_funnel, belt_funnel_step, belt_funnels

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LIST_PAGE_SIZE = 50
FUNNEL_PAGE_SIZE = 50
Status = IndustrialBelt.Status

# The button that makes each move, in the staff's words.
MOVE_LABELS: dict[tuple[str, str], StrOrPromise] = {
    (Status.DRAFT, Status.ONBOARDING): gettext_lazy("Start onboarding"),
    (Status.ONBOARDING, Status.LIVE): gettext_lazy("Take live"),
    (Status.ONBOARDING, Status.DRAFT): gettext_lazy("Back to draft"),
    (Status.LIVE, Status.ONBOARDING): gettext_lazy("Pause (back to onboarding)"),
}


def belt_runner_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Pages for staff and belt managers: anybody else signed in gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not manages_any_belt(request.user):
            raise Http404(_("No such page."))
        return view(request, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, items: Any, default_size: int) -> Page:
    """One page of `items` from ?page= and ?page_size=; a bad or too-far page shows the first, with a message."""
    form = PageForm(request.GET)
    form.is_valid()
    for errors in form.errors.values():
        for error in errors:
            messages.warning(request, str(error))
    size = form.cleaned_data.get("page_size") if "page_size" in request.GET else default_size
    paginator = Paginator(items, size or default_size)
    number = form.cleaned_data.get("page") or 1
    if number > paginator.num_pages:
        messages.warning(request, _("There is no page %(page)s; showing the first page.") % {"page": number})
        number = 1
    return paginator.page(number)


# --- The belts a person runs ---------------------------------------------------------------------


@require_GET
@belt_runner_required
def belt_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The belts the person runs (staff: all), with their status and onboarding funnel."""
    status = request.GET.get("status", "")
    if status and status not in Status.values:
        messages.warning(request, _("“%(status)s” is not a belt status; showing every belt.") % {"status": status})
        status = ""
    page = _page(request, belts_for_admin(user=request.user, status=status or None), LIST_PAGE_SIZE)
    funnels = belt_funnels(list(page.object_list))  # one query for the page
    return render(
        request,
        "suppliers/belts_staff/list.html",
        {
            "page_obj": page,
            "funnels": funnels,
            "status": status,
            "statuses": Status.choices,
            "filter_query": f"status={status}" if status else "",
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def belt_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new belt, as a draft."""
    form = BeltCreateForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            belt = belt_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The belt is created as a draft: only staff see it until it goes live."))
            return redirect("belt_admin:belt_detail", slug=belt.slug)
    return render(request, "suppliers/belts_staff/create.html", {"form": form}, status=400 if form.errors else 200)


# --- One belt ------------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    belt: IndustrialBelt,
    *,
    transition_form: BeltTransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    funnel = belt_funnel(belt)
    moves = [(to_status, MOVE_LABELS[(belt.status, to_status)]) for to_status in belt_next_statuses(belt)]
    context = {
        "belt": belt,
        "specialties": belt_specialties(belt),
        "events": belt_events(belt),
        "managers": belt_managers(belt),
        "funnel_steps": [(step, STEP_LABELS[step], count) for step, count in funnel.steps],
        "moves": moves,
        "transition_form": transition_form or BeltTransitionForm(),
        "can_run_lifecycle": request.user.is_staff,
    }
    return render(request, "suppliers/belts_staff/detail.html", context, status=status)


@require_GET
@belt_runner_required
def belt_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The belt's status, figures, specialties, history and funnel."""
    return _detail(request, managed_belt_or_404(request.user, slug))


@require_http_methods(["GET", "POST"])
@belt_runner_required
def belt_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The belt's descriptions in both languages, specialties and figures."""
    belt = managed_belt_or_404(request.user, slug)
    if request.method == "POST":
        form = BeltFiguresForm(request.POST)
        if form.is_valid():
            try:
                belt_update(belt_id=belt.pk, actor=request.user, **form.cleaned_data)
            except (InvalidInput, Conflict) as error:  # shown in the form, with what was typed
                form.add_domain_error(error)
            else:
                messages.success(request, _("The belt is saved."))
                return redirect("belt_admin:belt_detail", slug=belt.slug)
    else:
        form = BeltFiguresForm(initial=BeltFiguresForm.initial_for(belt_with_specialties(belt)))
    return render(
        request, "suppliers/belts_staff/edit.html", {"belt": belt, "form": form}, status=400 if form.errors else 200
    )


@require_POST
@staff_required
def belt_transition_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Move the belt to another status, with a reason (required when it goes back)."""
    belt = managed_belt_or_404(request.user, slug)
    form = BeltTransitionForm(request.POST)
    if not form.is_valid():
        return _detail(request, belt, transition_form=form, status=400)
    try:
        belt_transition(
            belt=belt, actor=request.user, to_status=form.cleaned_data["to_status"], reason=form.cleaned_data["reason"]
        )
    except (InvalidInput, Conflict) as error:  # shown in the form, with the reason as typed
        form.add_domain_error(error)
        belt.refresh_from_db()  # somebody may have moved it meanwhile: show where it is now
        return _detail(request, belt, transition_form=form, status=error.status_code)
    messages.success(request, _("The belt is now %(status)s.") % {"status": belt.get_status_display().lower()})
    return redirect("belt_admin:belt_detail", slug=belt.slug)


@require_http_methods(["GET", "POST"])
@staff_required
def belt_managers_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Who manages the belt: add a person by the e-mail of their account, or remove one."""
    belt = managed_belt_or_404(request.user, slug)
    form = BeltManagerAddForm()
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            remove = BeltManagerRemoveForm(request.POST)
            if not remove.is_valid():
                raise Http404(_("That person does not manage this belt."))
            user = belt_manager_remove(belt=belt, actor=request.user, user_id=remove.cleaned_data["remove"])
            messages.success(request, _("%(email)s no longer manages this belt.") % {"email": user.email})
            return redirect("belt_admin:belt_managers", slug=belt.slug)
        form = BeltManagerAddForm(request.POST)
        if form.is_valid():
            try:
                user = belt_manager_add(belt=belt, actor=request.user, email=form.cleaned_data["email"])
            except DomainError as error:
                form.add_domain_error(error)
                status = error.status_code
            else:
                messages.success(request, _("%(email)s now manages this belt.") % {"email": user.email})
                return redirect("belt_admin:belt_managers", slug=belt.slug)
        else:
            status = 400
    return render(
        request,
        "suppliers/belts_staff/managers.html",
        {"belt": belt, "managers": belt_managers(belt), "form": form},
        status=status,
    )


@require_GET
@belt_runner_required
def belt_funnel_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The factories behind one step of the funnel (?step=invited|claimed|published|verified)."""
    belt = managed_belt_or_404(request.user, slug)
    step = request.GET.get("step") or STEPS[0]
    if step not in STEPS:
        messages.warning(
            request, _("There is no funnel step “%(step)s”; showing the invited factories.") % {"step": step}
        )
        step = STEPS[0]
    page = _page(request, belt_funnel_step(belt, step), FUNNEL_PAGE_SIZE)
    funnel = belt_funnel(belt)
    query = f"step={step}"
    if "page_size" in request.GET and page.paginator.per_page != FUNNEL_PAGE_SIZE:
        query += f"&page_size={page.paginator.per_page}"
    return render(
        request,
        "suppliers/belts_staff/funnel.html",
        {
            "belt": belt,
            "step": step,
            "step_label": STEP_LABELS[step],
            "funnel_steps": [(name, STEP_LABELS[name], count) for name, count in funnel.steps],
            "page_obj": page,
            "invitations": page.object_list,
            "query": query,
        },
    )
