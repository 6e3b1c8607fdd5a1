from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from marketplace.notification_kinds import register_notification_kinds

        register_notification_kinds(
            self.label,
            [
                "order_placed",
                "order_confirmed",
                "order_in_production",
                "order_shipped",
                "order_delivered",
                "order_completed",
                "order_cancelled",
                "order_disputed",
                "order_dispute_resolved",
                "order_milestone_paid",
                "order_milestone_received",
                "order_reviewed",
                "message_new",
                "quote_accepted",
                "quote_declined",
            ],
        )
