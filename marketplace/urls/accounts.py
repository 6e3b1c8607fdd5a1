"""Accounts and tenancy: sign-up, log-in, passwords, settings, the acting company, invitations."""

from django.contrib.auth import views as auth_views
from django.urls import path

from marketplace.views import accounts, two_factor

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("signup/buyer/", accounts.signup_buyer, name="signup_buyer"),
    path("signup/sent/", accounts.signup_sent, name="signup_sent"),
    path("signup/confirm/<uidb64>/<token>/", accounts.signup_confirm, name="signup_confirm"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("login/verify/", two_factor.login_verify, name="login_verify"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("account/", accounts.account_settings, name="account_settings"),
    path("account/security/", two_factor.two_factor, name="two_factor"),
    path("account/security/begin/", two_factor.two_factor_begin, name="two_factor_begin"),
    path("account/security/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("account/security/recovery-codes/", two_factor.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("account/security/disable/", two_factor.two_factor_disable_view, name="two_factor_disable"),
    path("company/", accounts.company_detail, name="company_detail"),
    path("company/edit/", accounts.company_edit, name="company_edit"),
    path("company/invite/", accounts.company_invite, name="company_invite"),
    path("company/invitations/<int:pk>/revoke/", accounts.invitation_revoke_view, name="invitation_revoke"),
    path("company/members/<int:pk>/remove/", accounts.membership_remove_view, name="membership_remove"),
    path("company/switch/", accounts.company_switch, name="company_switch"),
    path("invitations/<str:token>/", accounts.invitation_accept_view, name="invitation_accept"),
]
