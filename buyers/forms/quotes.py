"""The supplier's quote form. Its fields are text as typed; `buyers.quote_rules` does the checking
(the API uses the same rules), so the form only carries values and shows the messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buyers.forms.attachments import MultipleDocumentField
from buyers.models import Incoterm, Quote
from marketplace.forms.fields import CurrencyField


class QuoteForm(forms.Form):
    """A quote's terms as typed. `kept_currency` is the currency of the quote being revised: it
    stays a choice, with a note, when it is no longer offered."""

    unit_price = forms.CharField(
        label=_("Unit price"),
        required=False,
        help_text=_("The price per unit for the quantity you offer. Leave empty when you give quantity-break prices."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    tiers = forms.CharField(
        label=_("Quantity-break prices"),
        required=False,
        help_text=_("Optional: quantity:unit price pairs separated by semicolons, for example 10000:2.60; 50000:2.35."),
    )
    currency = CurrencyField(label=_("Currency"))
    quantity = forms.CharField(label=_("Quantity offered"), widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    min_order_quantity = forms.CharField(
        label=_("Minimum order"),
        required=False,
        help_text=_("Optional: the smallest quantity you accept if the buyer splits the order."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    lead_time_days = forms.CharField(
        label=_("Lead time (days)"), widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    valid_until = forms.CharField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices)
    port = forms.CharField(label=_("Port or place"), required=False, max_length=120)
    freight = forms.CharField(
        label=_("Estimated freight to the destination"),
        required=False,
        help_text=_("In the quote's currency: a fixed amount per shipment, or an amount per unit."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    freight_basis = forms.ChoiceField(
        label=_("Freight is charged"), choices=Quote.FreightBasis.choices, initial=Quote.FreightBasis.SHIPMENT
    )
    sample_available = forms.BooleanField(label=_("Samples available"), required=False)
    sample_price = forms.CharField(label=_("Sample price"), required=False)
    sample_days = forms.CharField(label=_("Sample lead time (days)"), required=False)
    notes = forms.CharField(label=_("Notes for the buyer"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleDocumentField(
        label=_("Attachments"),
        required=False,
        help_text=_("Drawings, specifications, certificates or photos: PDF, JPEG, PNG or WebP, up to 10 MB each."),
    )

    def __init__(self, *args: Any, kept_currency: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        currency = self.fields["currency"]
        assert isinstance(currency, CurrencyField)  # for the type checker
        currency.keep(kept_currency)

    def add_rule_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
