from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from marketplace.currencies import ensure_default_currencies

        post_migrate.connect(ensure_default_currencies, sender=self, dispatch_uid="marketplace-default-currencies")
