"""Belt onboarding's steps that queue its tasks: recording an uploaded factory list (its run is
a task) and sending an invitation again (its e-mail is a task).

The work those tasks run is in suppliers/services/onboarding.py, which never imports the tasks.
"""

from __future__ import annotations

import functools

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput
from marketplace.models import IndustrialBelt, User
from marketplace.selectors.kernel import PUBLIC_BELT_STATUSES
from suppliers.catalog_files import MAX_FILE_BYTES, CatalogFileInvalid
from suppliers.factory_files import read_factory_file
from suppliers.models import FactoryImport, FactoryInvitation
from suppliers.services.import_relay import import_run_due
from suppliers.services.onboarding import _link_expiry, _managed_invitation, _new_nonce
from suppliers.tasks.onboarding import factory_import_enqueue_run, factory_invitation_enqueue_email


def _check_belt_invites(belt: IndustrialBelt) -> None:
    if belt.status not in PUBLIC_BELT_STATUSES:
        raise Conflict(
            _("This belt is still a draft: move it to onboarding before inviting its factories."), field="file"
        )


def factory_import_create(*, belt: IndustrialBelt, user: User | None, upload: UploadedFile) -> FactoryImport:
    """Record an uploaded factory list for `belt` and queue its run after commit.

    The caller has checked that `user` runs the belt. Raises InvalidInput (field "file") when the
    file cannot be imported at all: too large, neither CSV nor XLSX by its content, empty, no data
    rows, required columns missing; Conflict for a draft belt. Rows are checked by the task.
    """
    _check_belt_invites(belt)
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise InvalidInput(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": MAX_FILE_BYTES // 1024 // 1024},
            field="file",
        )
    upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    factory_file = read_factory_file(data)
    if not factory_file.rows:
        raise CatalogFileInvalid(_("The file has column names but no factories."))
    name = (upload.name or f"factories.{factory_file.file_format}").rsplit("/", 1)[-1][-200:]
    with transaction.atomic():
        factory_import = FactoryImport(
            belt=belt,
            created_by=user,
            original_name=name,
            file_format=factory_file.file_format,
            status=FactoryImport.Status.QUEUED,
            total_rows=len(factory_file.rows),
        )
        factory_import.file.save(f"factories.{factory_file.file_format}", ContentFile(data), save=False)
        factory_import.save()
        import_run_due(FactoryImport, factory_import.pk)  # queued again by the relay if the task is lost
        transaction.on_commit(functools.partial(factory_import_enqueue_run, factory_import.pk))
    return factory_import


def factory_invitation_resend(*, actor: User, invitation_id: int) -> FactoryInvitation:
    """Send the invitation again with a new link valid FACTORY_INVITATION_VALID_DAYS from now.

    The new nonce makes every earlier link stop working. Staff and the belt's managers only
    (NotFound otherwise); Conflict for a claimed or withdrawn invitation.
    """
    now = timezone.now()
    with transaction.atomic():
        invitation = _managed_invitation(actor, invitation_id)
        if invitation.claimed_at is not None:
            raise Conflict(_("This factory already claimed its account."))
        if invitation.revoked_at is not None:
            raise Conflict(_("This invitation was withdrawn; it cannot be sent again."))
        invitation.token_nonce = _new_nonce()
        invitation.sent_at = now
        invitation.expires_at = _link_expiry(now)
        invitation.save(update_fields=["token_nonce", "sent_at", "expires_at"])
        factory_invitation_enqueue_email(invitation.pk, invitation.token_nonce)
    return invitation
