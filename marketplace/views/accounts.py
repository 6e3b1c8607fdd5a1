"""Pages of accounts and tenancy: sign-up, log-in, settings, the company and its invitations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError, InvalidInput
from marketplace.forms.accounts import (
    AccountSettingsForm,
    BuyerSignupForm,
    CompanyForm,
    DomainErrorsMixin,
    InvitationForm,
    InvitationSignupForm,
    LoginForm,
)
from marketplace.input_values import id_value
from marketplace.middleware import returns_to
from marketplace.models import Invitation, Membership, User
from marketplace.security.addresses import client_address
from marketplace.security.lockout import lockout_clear
from marketplace.security.rate_limits import WINDOW_SECONDS, account_email_allowance
from marketplace.selectors.accounts import (
    company_members,
    company_open_invitations,
    invitation_by_token,
)
from marketplace.selectors.belts import belts_managed_by
from marketplace.services.account_emails import signup_confirmation_tokens
from marketplace.services.accounts import (
    account_confirm,
    account_signup,
    company_update,
    invitation_accept,
    invitation_accept_new_user,
    invitation_create,
    invitation_revoke,
    membership_remove,
    password_reset_request,
    user_update_settings,
)
from marketplace.tenancy import AuthenticatedHttpRequest, acting_membership, choose_company

# --- Language ----------------------------------------------------------------------------------


def remember_language(request: HttpRequest, response: HttpResponse, language: str) -> HttpResponse:
    """Show the interface in `language` from the next page on: the language cookie, which stands for
    the switcher's choice (marketplace/languages.py)."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 60 * 60 * 24 * 365,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def sign_in(request: HttpRequest, user: User, message: str, *, to: str = "home") -> HttpResponse:
    """Log a newly created account in and take it to `to`, in its own language from then on."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, message)
    return remember_language(request, redirect(to), user.preferred_language)


# --- Sign-up -----------------------------------------------------------------------------------


def signup(request: HttpRequest) -> HttpResponse:
    """Ask whether the newcomer buys or sells; each path has its own form."""
    return render(request, "marketplace/accounts/signup.html")


def signup_buyer(request: HttpRequest) -> HttpResponse:
    form = BuyerSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = signup_submit(request, form, lambda: account_signup(**form.account_arguments()))
        if answer is not None:
            return answer
    return render(request, "marketplace/accounts/signup_buyer.html", {"form": form}, status=_form_status(form))


def signup_submit(
    request: HttpRequest, form: DomainErrorsMixin, open_account: Callable[[], object]
) -> HttpResponse | None:
    """Open an account from a valid sign-up form, within the limits of account e-mails.

    Answers "check your e-mail" whatever happened (an account opened, the address's owner told it
    already has one, or the address had too many sign-ups this hour and nothing was sent); the "too
    many requests" page when this client address signed up too often. None when the service refused
    the input: the refusal is then on the form.
    """
    allowance = account_email_allowance(
        kind="signup", address=client_address(request), email=form.cleaned_data.get("email", "")
    )
    if not allowance.address_allowed:
        return too_many_requests(request)
    if allowance.send:
        try:
            open_account()
        except DomainError as error:
            form.add_domain_error(error)
            return None
    return redirect("signup_sent")


def signup_sent(request: HttpRequest) -> HttpResponse:
    """The one answer to every sign-up: the same whether or not the address has an account."""
    return render(request, "registration/signup_sent.html")


def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Follow the e-mailed link: the account is confirmed, signed in, and welcomed."""
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(uidb64)))).first()
    except (ValueError, OverflowError):
        user = None
    if user is not None and user.awaits_confirmation and signup_confirmation_tokens.check_token(user, token):
        user = account_confirm(user=user)
        membership = Membership.objects.select_related("company").filter(user=user).first()
        with translation.override(user.preferred_language):
            message = _("Your e-mail address is confirmed. Welcome to SourceBelt, %(name)s.") % {"name": user.name}
        to = "home"
        if membership is not None and membership.company.sells:
            to = "suppliers:dashboard"
        return sign_in(request, user, message, to=to)
    if user is not None and user.is_active and user.email_confirmed_at is not None:
        messages.info(request, _("This address is already confirmed. Log in."))
        return redirect("login")
    return render(request, "registration/signup_confirm_invalid.html", status=404)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """The answer to an address that asked for too many account e-mails this hour."""
    response = render(request, "registration/too_many_requests.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def _form_status(form: Any) -> int:
    """A form sent back with errors answers 400, so clients and tests can tell it was refused."""
    return 400 if form.is_bound and form.errors else 200


# --- Log-in, log-out, passwords ------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Log in by e-mail; the interface then switches to the user's preferred language."""

    form_class = LoginForm
    template_name = "registration/login.html"

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        return remember_language(self.request, response, form.get_user().preferred_language)


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, so a link on another site cannot log anyone out)."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; the e-mail goes in a task (marketplace/services/account_emails.py)."""

    template_name = "registration/password_reset_form.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """Queue the e-mail and answer at once, the same for every address (the task finds the account)."""
        email = form.cleaned_data["email"]
        allowance = account_email_allowance(kind="password_reset", address=client_address(self.request), email=email)
        if not allowance.address_allowed:
            return too_many_requests(self.request)
        if allowance.send:
            password_reset_request(email=email)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        lockout_clear(user=form.user)  # a locked-out owner can log in with the new password at once
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


# --- The user's settings -----------------------------------------------------------------------


@login_required
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = AccountSettingsForm(
        request.POST or None,
        initial={
            "name": user.name,
            "preferred_language": user.preferred_language,
            "preferred_currency": user.preferred_currency_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_update_settings(user=user, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            with translation.override(user.preferred_language):
                messages.success(request, _("Your settings are saved."))
            return remember_language(request, redirect("account_settings"), user.preferred_language)
    # A belt manager reaches the belts given to them from here (staff have the menu's Staff section).
    managed = [] if user.is_staff else list(belts_managed_by(user))
    return render(
        request,
        "marketplace/accounts/settings.html",
        {"form": form, "managed_belts": managed},
        status=_form_status(form),
    )


# --- The acting company ------------------------------------------------------------------------


def _no_company(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/accounts/no_company.html")


@login_required
def company_detail(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    if membership is None:
        return _no_company(request)
    return _render_company(request, membership)


def _render_company(
    request: HttpRequest,
    membership: Membership,
    *,
    invite_form: InvitationForm | None = None,
    company_form: CompanyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    company = membership.company
    context = {
        "membership": membership,
        "company": company,
        "members": company_members(company=company),
        "invitations": company_open_invitations(company=company) if membership.can_manage else [],
        "invite_form": invite_form or InvitationForm(),
        "company_form": company_form,
    }
    return render(request, "marketplace/accounts/company_detail.html", context, status=status)


@login_required
def company_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    if membership is None:
        return _no_company(request)
    if not membership.can_manage:
        messages.error(request, _("Only the company's owners and admins can edit it."))
        return redirect("company_detail")
    company = membership.company
    form = CompanyForm(
        request.POST or None,
        initial={
            "name": company.name,
            "country": company.country.code,
            "city": company.city,
            "website": company.website,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            company_update(membership=membership, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The company's details are saved."))
            return redirect("company_detail")
    return render(
        request, "marketplace/accounts/company_edit.html", {"form": form, "company": company}, status=_form_status(form)
    )


@login_required
@require_POST
def company_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = acting_membership(request)
    if membership is None:
        return redirect("company_detail")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, _token = invitation_create(membership=membership, **form.cleaned_data)
        except InvalidInput as error:  # shown in the form, with what was typed (a refusal goes to the middleware)
            form.add_domain_error(error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("company_detail")
    return _render_company(request, membership, invite_form=form, status=400)


@returns_to("company_detail")
@login_required
@require_POST
def invitation_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = invitation_revoke(membership=acting_membership(request), invitation_id=pk)
    messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect("company_detail")


@returns_to("company_detail")
@login_required
@require_POST
def membership_remove_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = acting_membership(request)
    removing_self = membership is not None and membership.pk == pk
    membership_remove(membership=membership, membership_id=pk)
    if removing_self:
        messages.success(request, _("You left the company."))
        return redirect("home")
    messages.success(request, _("The member was removed."))
    return redirect("company_detail")


@login_required
@require_POST
def company_switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Act for another of the user's companies; a company it does not belong to is not found."""
    try:
        company_id = id_value(request.POST.get("company", ""), label="")  # (refused as "No such company.")
    except ValueError:
        raise Http404(_("No such company.")) from None
    membership = choose_company(request, company_id)
    if membership is None:
        raise Http404(_("No such company."))
    messages.success(request, _("You are now acting for %(company)s.") % {"company": membership.company.name})
    next_url = request.POST.get("next") or request.headers.get("referer") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    return HttpResponseRedirect(next_url)


# --- Accepting an invitation -------------------------------------------------------------------


def _invitation_problem(request: HttpRequest, invitation: Invitation | None) -> HttpResponse | None:
    """The page for a link that cannot be used (unknown, withdrawn, used: 404; expired: 410), else None."""
    if invitation is None:
        reason, status = _("This invitation link is not valid. Check that you copied the whole link."), 404
    elif invitation.revoked_at is not None:
        reason, status = _("This invitation was withdrawn by the company."), 404
    elif invitation.accepted_at is not None:
        reason, status = _("This invitation was already used."), 404
    elif invitation.expires_at <= timezone.now():
        reason, status = _("This invitation has expired. Ask your colleague to send a new one."), 410
    else:
        return None
    return render(request, "marketplace/accounts/invitation_invalid.html", {"reason": reason}, status=status)


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Join a company from an e-mailed link: signed in with the invited address, or by opening an account."""
    invitation = invitation_by_token(token=token)
    problem = _invitation_problem(request, invitation)
    if problem is not None:
        return problem
    assert invitation is not None
    user = request.user
    context: dict[str, Any] = {"invitation": invitation, "token": token}
    if user.is_authenticated:
        same_email = user.email.lower() == invitation.email.lower()
        context["same_email"] = same_email
        if request.method == "POST":
            try:
                membership = invitation_accept(invitation_id=invitation.pk, user=user)
            except DomainError as error:
                return _after_failed_accept(request, invitation, error, context)
            choose_company(request, membership.company_id)
            messages.success(request, _("You joined %(company)s.") % {"company": invitation.company.name})
            return redirect("company_detail")
        return render(
            request, "marketplace/accounts/invitation_accept.html", context, status=200 if same_email else 403
        )

    form = InvitationSignupForm(request.POST or None, email=invitation.email)
    context["form"] = form
    context["has_account"] = User.objects.filter(email__iexact=invitation.email).exists()
    if request.method == "POST" and form.is_valid():
        try:
            membership = invitation_accept_new_user(
                invitation_id=invitation.pk,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except DomainError as error:
            if error.field:
                form.add_domain_error(error)
            else:
                return _after_failed_accept(request, invitation, error, context)
        else:
            with translation.override(membership.user.preferred_language):
                message = _("Welcome to SourceBelt. You joined %(company)s.") % {"company": invitation.company.name}
            return sign_in(request, membership.user, message)
    return render(request, "marketplace/accounts/invitation_accept.html", context, status=_form_status(form))


def _after_failed_accept(
    request: HttpRequest, invitation: Invitation, error: DomainError, context: dict[str, Any]
) -> HttpResponse:
    """The invitation changed under us (withdrawn, used, expired) or is for someone else."""
    invitation.refresh_from_db()
    problem = _invitation_problem(request, invitation)
    if problem is not None:
        return problem
    context["error"] = error.message
    return render(request, "marketplace/accounts/invitation_accept.html", context, status=error.status_code)
