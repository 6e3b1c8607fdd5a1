from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from marketplace.notification_kinds import register_notification_kinds
        from marketplace.seller_directory import register_seller_directory
        from suppliers.search import sqlite_words
        from suppliers.selectors.directory import SupplierDirectory

        # Misspelt words on SQLite (the demo): its connections get the edit-distance function.
        connection_created.connect(sqlite_words.register, dispatch_uid="suppliers.sqlite_words")

        # The kernel's belt and category pages list suppliers through this, without naming the app.
        register_seller_directory(SupplierDirectory())

        register_notification_kinds(
            self.label,
            [
                "verification_submitted",
                "verification_approved",
                "verification_rejected",
                "verification_expiry_warning",
                "verification_expired",
                "verification_badge_granted",
                "verification_badge_removed",
            ],
        )
