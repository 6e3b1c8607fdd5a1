from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self) -> None:
        from marketplace.notification_kinds import register_notification_kinds

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
