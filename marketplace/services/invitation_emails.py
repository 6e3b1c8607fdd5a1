"""The e-mail that carries a company invitation's link: the body of `invitation_send_task`.

`invitation_create` (marketplace/services/accounts.py) records the invitation and queues the task.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from marketplace.models import Invitation


def invitation_send(*, invitation_id: int, token: str) -> bool:
    """E-mail the invitation link, written in the inviter's language.

    Sends nothing for an invitation that was meanwhile revoked, accepted or expired, or whose
    token does not match (a stale retry). Returns whether an e-mail went out.
    """
    invitation = Invitation.objects.select_related("company", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open or invitation.token_hash != Invitation.hash_token(token):
        return False
    inviter = invitation.invited_by
    language = inviter.preferred_language if inviter else settings.LANGUAGE_CODE
    context = {
        "invitation": invitation,
        "company": invitation.company.name,
        "inviter": inviter.name if inviter else "",
        "inviter_email": inviter.email if inviter else "",
        "url": settings.SITE_URL + reverse("invitation_accept", kwargs={"token": token}),
        "expires_at": invitation.expires_at,
    }
    with translation.override(language):
        context["role"] = invitation.get_role_display()
        subject = " ".join(render_to_string("marketplace/accounts/invitation_email_subject.txt", context).split())
        body = render_to_string("marketplace/accounts/invitation_email_body.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])
    if inviter is not None:
        message.reply_to = [inviter.email]
    message.send()
    return True
