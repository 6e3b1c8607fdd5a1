from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from buyers.receivers import match_supplier_to_open_rfqs, rematch_translated_rfqs
        from buyers.services.rfq_index import STORED_INDEX
        from marketplace.notification_kinds import register_notification_kinds
        from marketplace.signals import texts_translated
        from marketplace.stored_indexes import register_stored_index
        from suppliers.signals import catalog_changed

        catalog_changed.connect(match_supplier_to_open_rfqs, dispatch_uid="buyers.match_supplier_to_open_rfqs")
        # An RFQ's words hold its translations: when one arrives, the RFQ is matched again.
        texts_translated.connect(rematch_translated_rfqs, dispatch_uid="buyers.rematch_translated_rfqs")
        register_stored_index(STORED_INDEX)
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
