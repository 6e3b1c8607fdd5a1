"""The e-mails of accounts, each the body of a task in marketplace/tasks/accounts.py: the link that
confirms a sign-up, "you already have an account", a password reset link, and "your account was
locked". Each is written in the recipient's preferred language.

The request that causes one (a sign-up, a reset, a log-in) only queues its task, whatever the
address: whether an e-mail goes out, and which, is decided here, out of the request, so the answer
and its timing say nothing about whether the address has an account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from marketplace.models import User
from marketplace.services.unconfirmed_accounts import confirmation_link_outlives


class SignupConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """The token of a sign-up's confirmation link: it stops working once the account is confirmed
    (or replaced by a newer sign-up), and after PASSWORD_RESET_TIMEOUT, as a reset link does."""

    key_salt = "marketplace.services.account_emails.SignupConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.password}{user.is_active}{user.email_confirmed_at}{timestamp}"


signup_confirmation_tokens = SignupConfirmationTokenGenerator()


def user_uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _send(*, user: User, template: str, context: dict[str, Any], body: str = "body") -> None:
    """Render `template`_subject.txt and `template`_`body`.txt in the user's language and send them to it."""
    context = {"user": user, "name": user.get_short_name(), "site_url": settings.SITE_URL, **context}
    with translation.override(user.preferred_language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}_{body}.txt", context)
    EmailMultiAlternatives(subject=subject, body=text, to=[user.email]).send()


def signup_confirmation_send(*, user_id: int) -> bool:
    """E-mail a new account the link that confirms its address; nothing once it is confirmed, nor
    when the link would still work after the account is removed as never confirmed."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.awaits_confirmation or confirmation_link_outlives(user):
        return False
    path = reverse(
        "signup_confirm", kwargs={"uidb64": user_uid(user), "token": signup_confirmation_tokens.make_token(user)}
    )
    _send(
        user=user,
        template="registration/signup_confirm_email",
        context={"url": settings.SITE_URL + path, "valid_days": settings.PASSWORD_RESET_TIMEOUT // 86400},
    )
    return True


def _send_to(user_id: int, *, template: str, context: dict[str, Any]) -> bool:
    """`_send` to the user with this id; False when it no longer exists."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return False
    _send(user=user, template=template, context={"reset_url": settings.SITE_URL + reverse("password_reset"), **context})
    return True


def signup_existing_send(*, user_id: int) -> bool:
    """Tell the owner of an address that someone (likely they) tried to sign up with it again."""
    context = {"login_url": settings.SITE_URL + reverse("login")}
    return _send_to(user_id, template="registration/signup_existing_email", context=context)


def password_reset_send(*, email: str) -> int:
    """E-mail a reset link to every active account with this address (one at most); returns how many."""
    sent = 0
    for user in PasswordResetForm().get_users(email):
        context = {"uid": user_uid(user), "token": default_token_generator.make_token(user)}
        _send(user=user, template="registration/password_reset", context=context, body="email")
        sent += 1
    return sent


def account_locked_send(*, user_id: int, address: str, minutes: int) -> bool:
    """Tell an account's owner that log-ins to it are paused after too many wrong passwords."""
    context = {"address": address, "minutes": minutes}
    return _send_to(user_id, template="registration/account_locked_email", context=context)
