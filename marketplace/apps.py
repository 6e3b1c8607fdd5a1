from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self) -> None:
        from marketplace.notification_kinds import register_notification_kinds
        from marketplace.security import receivers
        from marketplace.services.default_currencies import ensure_default_currencies

        # "default" is the fallback text; "test" is the staff's test e-mail from the admin.
        register_notification_kinds(self.label, ["default", "test", "welcome", "member_joined", "belt_manager_added"])

        post_migrate.connect(ensure_default_currencies, sender=self, dispatch_uid="marketplace-default-currencies")
        # The security log and the lockout's e-mail (docs/security.md); the session timeout's clocks.
        receivers.connect()
