"""The notification centre: the list, marking read, and the unread count that base.html polls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from marketplace.input_values import MAX_ID, whole_number
from marketplace.selectors.notifications import (
    NOTIFICATION_PAGE_SIZE,
    notification_page,
    notification_unread_count,
    with_text,
)
from marketplace.services.notifications import notification_mark_all_read, notification_mark_read
from marketplace.tenancy import AuthenticatedHttpRequest

# htmx listeners (the unread count in base.html) refresh on this event.
CHANGED_EVENT = "notifications-changed"


def _page_size(raw: str | None) -> int:
    """`?page_size=` read as every whole number is; not one: the usual size (the selector caps it)."""
    try:
        return whole_number(raw, label="page_size", minimum=1, maximum=MAX_ID) if raw else NOTIFICATION_PAGE_SIZE
    except ValueError:
        return NOTIFICATION_PAGE_SIZE


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = notification_page(
        user=request.user, page=request.GET.get("page"), page_size=_page_size(request.GET.get("page_size"))
    )
    unread = notification_unread_count(user=request.user)
    return render(request, "marketplace/notifications/list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read. htmx gets the updated item; a plain form follows the link."""
    notification = notification_mark_read(user=request.user, notification_id=pk)
    if request.htmx:
        response = render(
            request, "marketplace/notifications/_item.html", {"notification": with_text([notification])[0]}
        )
        response["HX-Trigger"] = CHANGED_EVENT
        return response
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notification_list")
    return redirect(target)


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    changed = notification_mark_all_read(user=request.user)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Trigger"] = CHANGED_EVENT
        response["HX-Refresh"] = "true"
        return response
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


@never_cache
@login_required
@require_GET
def notification_unread_count_fragment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`<span class="count">N</span>` when there is something unread, else nothing."""
    count = notification_unread_count(user=request.user)
    return render(request, "marketplace/notifications/_unread_count.html", {"count": count})
