"""Reading the test outbox as a person reads their mailbox: the e-mails to one address, the link in one."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage


def emails_to(address: str) -> list[EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def link_in(message: EmailMessage, path_start: str) -> str:
    """The path of the first link on this site in `message` whose path starts with `path_start`."""
    for url in re.findall(r"https?://\S+", message.body):
        path = url.removeprefix(settings.SITE_URL)
        if path.startswith(path_start):
            return path
    raise AssertionError(f"No link to {path_start} in: {message.body}")
