from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from buyers.receivers import match_supplier_to_open_rfqs
        from marketplace.notification_kinds import register_notification_kinds
        from suppliers.signals import catalog_changed

        catalog_changed.connect(match_supplier_to_open_rfqs, dispatch_uid="buyers.match_supplier_to_open_rfqs")
        register_notification_kinds(
            self.label,
            [
                "rfq_matched",
                "rfq_invited",
                "quote_received",
                "quote_revised",
                "quote_withdrawn",
                "negotiation_round_opened",
                "negotiation_round_opened_buyer",
                "negotiation_round_ended",
                "negotiation_round_ended_supplier",
                "demand_surge",
                "demand_digest",
            ],
        )
