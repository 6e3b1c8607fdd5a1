from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuyersConfig(AppConfig):
    name = "buyers"
    verbose_name = _("Buyers")

    def ready(self) -> None:
        from buyers.receivers import match_supplier_to_open_rfqs
        from suppliers.signals import catalog_changed

        catalog_changed.connect(match_supplier_to_open_rfqs, dispatch_uid="buyers.match_supplier_to_open_rfqs")
