from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save

        from marketplace.models import Category, IndustrialBelt
        from marketplace.notification_kinds import register_notification_kinds
        from marketplace.seller_directory import register_seller_directory
        from marketplace.signals import texts_translated
        from marketplace.stored_indexes import register_stored_index
        from suppliers.receivers import reindex_translated_products
        from suppliers.search import facets, sqlite_words
        from suppliers.search.index import STORED_INDEXES
        from suppliers.selectors.directory import SupplierDirectory

        # Misspelt words on SQLite (the demo): its connections get the edit-distance function.
        connection_created.connect(sqlite_words.register, dispatch_uid="suppliers.sqlite_words")

        # The facets' names, kept by each process: forgotten when this process saves a belt or category.
        for named in (Category, IndustrialBelt):
            for signal in (post_save, post_delete):
                signal.connect(
                    facets.names_forget, sender=named, dispatch_uid=f"suppliers.facet_names.{named.__name__}"
                )

        # The kernel's belt and category pages list suppliers through this, without naming the app.
        register_seller_directory(SupplierDirectory())

        # Products are searched in their translations too: indexed again when one is stored, and
        # rebuilt in the background after an upgrade that changed what their search text holds.
        texts_translated.connect(reindex_translated_products, dispatch_uid="suppliers.reindex_translated_products")
        for index in STORED_INDEXES:
            register_stored_index(index)

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
