"""Starting a checked catalog import: the step that queues its task.

The task runs `catalog_import_run` (suppliers/services/imports.py), which never imports the tasks.
"""

from __future__ import annotations

import functools

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, NotFound
from suppliers.models import CatalogImport, SupplierProfile
from suppliers.services.import_relay import import_run_due
from suppliers.tasks.imports import catalog_import_enqueue_run


def catalog_import_start(*, supplier: SupplierProfile, import_id: int) -> CatalogImport:
    """Queue a READY import of this supplier; its task runs after commit.

    A QUEUED import whose task never reached a worker can be started again (the task claims the
    import, so it still runs once). Raises NotFound for another supplier's import, Conflict for
    one that is invalid, running or finished.
    """
    with transaction.atomic():
        catalog_import = CatalogImport.objects.select_for_update().filter(pk=import_id, supplier=supplier).first()
        if catalog_import is None:
            raise NotFound(_("No such import."))
        if catalog_import.status == CatalogImport.Status.INVALID:
            raise Conflict(_("This file has errors: correct them and upload it again."))
        if catalog_import.status not in {CatalogImport.Status.READY, CatalogImport.Status.QUEUED}:
            raise Conflict(_("This import has already been started."))
        catalog_import.status = CatalogImport.Status.QUEUED
        catalog_import.save(update_fields=["status"])
        import_run_due(CatalogImport, catalog_import.pk)  # queued again by the relay if the task is lost
        transaction.on_commit(functools.partial(catalog_import_enqueue_run, catalog_import.pk))
    return catalog_import
