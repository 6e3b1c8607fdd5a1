"""Forms of the buyer's RFQ pages. The RFQ form collects raw values and hands them to
`buyers.rfq_rules.rfq_data_from`, the one validation the API shares, then shows its messages
next to the fields they are about.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from buyers.forms.attachments import MultipleDocumentField
from buyers.models import Incoterm, SourcingRequest
from buyers.rfq_rules import (
    MAX_INVITED,
    RFQ_FIELDS,
    RfqData,
    RfqDataInvalid,
    listed_suppliers_by_id,
    rfq_data_from,
    rfq_input_of,
    supplier_ids_from,
)
from buyers.services.posting import MAX_ATTACHMENTS
from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import CurrencyField, WholeNumberField
from marketplace.models import Company
from marketplace.selectors.accounts import active_currencies
from marketplace.uploads import MAX_DOCUMENT_BYTES
from suppliers.forms.catalog import NumberInput, category_choices
from suppliers.models import SupplierProfile, Unit

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def country_choices() -> list[tuple[str, str]]:
    return [("", "---------"), *((country.code, country.name) for country in countries)]


def _choice_errors(message: Any) -> dict[str, Any]:
    return {"invalid_choice": message, "required": message}


class RfqForm(DomainErrorsMixin, forms.Form):
    """Create or edit an RFQ. `rfq_data` holds the validated RfqData once the form is valid.

    `publishing` says the request is to be open once saved (the buyer pressed "Publish", or it
    is open already): a private request then needs an invited supplier.
    """

    title = forms.CharField(
        label=_("What do you need?"),
        required=False,
        help_text=_("A short title in any language, such as “Transparent school backpacks”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Materials, sizes, colours, packing, certificates: what a supplier needs to quote."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=category_choices,
        required=False,
        error_messages=_choice_errors(_("Choose a category from the list.")),
    )
    quantity = forms.CharField(label=_("Quantity"), required=False, widget=NumberInput({"inputmode": "numeric"}))
    unit = forms.ChoiceField(
        label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE, error_messages=_choice_errors(_("Choose a unit."))
    )
    target_unit_price = forms.CharField(
        label=_("Target unit price"),
        required=False,
        widget=NumberInput(),
        help_text=_("Optional: what you hope to pay per unit."),
    )
    currency = CurrencyField(
        label=_("Currency"), initial="USD", error_messages={"required": _("Choose a currency from the list.")}
    )
    destination_country = forms.ChoiceField(
        label=_("Destination country"),
        choices=country_choices,
        required=False,
        error_messages=_choice_errors(_("Choose the country the goods go to.")),
    )
    destination_city = forms.CharField(label=_("City or port"), required=False)
    incoterm = forms.ChoiceField(
        label=_("Incoterm"),
        choices=Incoterm.choices,
        initial=Incoterm.FOB,
        error_messages=_choice_errors(_("Choose an Incoterm from the list.")),
        help_text=_("Who pays and bears the risk for which part of the transport."),
    )
    required_by = forms.CharField(
        label=_("Required delivery date"),
        required=False,
        widget=forms.TextInput(attrs={"type": "date"}),
    )
    quote_deadline = forms.CharField(
        label=_("Quote deadline"),
        required=False,
        widget=forms.TextInput(attrs={"type": "datetime-local"}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may quote"),
        choices=SourcingRequest.Visibility.choices,
        initial=SourcingRequest.Visibility.PUBLIC,
        widget=forms.RadioSelect,
        error_messages=_choice_errors(_("Choose public or private.")),
    )
    invited_suppliers = forms.CharField(
        label=_("Invited suppliers"),
        required=False,
        max_length=2000,
        help_text=_(
            "Search suppliers by name below, or type their numbers separated by commas: the number in a "
            "supplier's page address (/suppliers/12/). A private request goes only to them."
        ),
    )
    allow_split = forms.BooleanField(label=_("The order may be split across several suppliers"), required=False)
    max_quotes = forms.CharField(
        label=_("Most quotes wanted"),
        required=False,
        widget=NumberInput({"inputmode": "numeric"}),
        help_text=_("Optional: the request closes once this many quotes have arrived."),
    )
    attachments = MultipleDocumentField(label=_("Add attachments"), required=False)
    remove_attachments = forms.MultipleChoiceField(
        label=_("Remove attachments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    source_product = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        buyer: Company,
        rfq: SourcingRequest | None = None,
        publishing: bool = False,
        **kwargs: Any,
    ) -> None:
        self.buyer = buyer
        self.rfq = rfq
        self.publishing = publishing
        self.rfq_data: RfqData | None = None
        if rfq is not None:
            kwargs["initial"] = {**(kwargs.get("initial") or {}), **self.initial_from(rfq)}
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = gettext(
            "Drawings, specifications, photos: PDF, JPEG, PNG or WebP, up to %(size)s MB each, %(max)s per request."
        ) % {"size": MAX_DOCUMENT_BYTES // 1024 // 1024, "max": MAX_ATTACHMENTS}
        self.fields["quote_deadline"].help_text = gettext(
            "Suppliers quote until then (time zone %(zone)s). It must come before the delivery date."
        ) % {"zone": timezone.get_current_timezone_name()}
        if rfq is not None:  # a request already in a currency no longer offered keeps it, saying so
            currency = self.fields["currency"]
            assert isinstance(currency, CurrencyField)  # for the type checker
            currency.keep(rfq.currency_id)
        self.fields["invited_suppliers"].widget.attrs.update({"data-max": MAX_INVITED, "data-picker-field": ""})
        attachments = list(rfq.attachments.all()) if rfq is not None else []
        if attachments:
            remove_attachments = self.fields["remove_attachments"]
            assert isinstance(remove_attachments, forms.ChoiceField)  # for the type checker
            remove_attachments.choices = [(str(attachment.pk), attachment.original_name) for attachment in attachments]
        else:
            del self.fields["remove_attachments"]

    @staticmethod
    def initial_from(rfq: SourcingRequest) -> dict[str, Any]:
        """The stored RFQ's input, written as the form's inputs show it."""
        values = rfq_input_of(rfq)
        price = values["target_unit_price"]
        return {
            **values,
            "target_unit_price": "" if price is None else f"{price.normalize():f}",
            "required_by": values["required_by"].isoformat(),
            "quote_deadline": datetime_local(values["quote_deadline"]),
            "max_quotes": values["max_quotes"] or "",
            "invited_suppliers": ", ".join(str(pk) for pk in values["invited_suppliers"]),
            "source_product": values["source_product"] or "",
        }

    @staticmethod
    def initial_for_new(*, buyer: Company, currency: str | None) -> dict[str, Any]:
        """Sensible starting values: the buyer's country, its currency, quotes due in a week."""
        now = timezone.now()
        codes = {item.code for item in active_currencies()}
        return {
            "destination_country": buyer.country.code if buyer.country else "",
            "currency": currency if currency in codes else "USD",
            "quote_deadline": datetime_local(now + timedelta(days=7)),
            "required_by": (timezone.localdate(now) + timedelta(days=30)).isoformat(),
        }

    def invited_chips(self) -> list[SupplierProfile]:
        """The listed suppliers the invited field names now (as typed, or as stored), in its order:
        the picker's chips. Numbers that name no supplier are left to the field's message."""
        try:
            ids = supplier_ids_from(self["invited_suppliers"].value())[:MAX_INVITED]
        except ValueError:
            return []
        found = listed_suppliers_by_id(ids) if ids else {}
        return [found[pk] for pk in ids if pk in found]

    def existing_attachments(self) -> list[tuple[Any, BoundWidget | None]]:
        """Each current attachment with its remove checkbox."""
        if "remove_attachments" not in self.fields or self.rfq is None:
            return []
        boxes = {str(box.data["value"]): box for box in self["remove_attachments"]}
        return [(attachment, boxes.get(str(attachment.pk))) for attachment in self.rfq.attachments.all()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        raw = {name: cleaned.get(name, "") for name in RFQ_FIELDS}
        try:
            self.rfq_data = rfq_data_from(
                raw,
                buyer=self.buyer,
                publishing=self.publishing,
                kept_currency=self.rfq.currency_id if self.rfq is not None else None,
            )
        except RfqDataInvalid as invalid:
            for field, messages in invalid.errors.items():
                if field in self.errors:  # the form already said what is wrong with it
                    continue
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned

    def removed_attachment_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove_attachments") or []]


def datetime_local(value: datetime) -> str:
    """A datetime as a datetime-local input shows it, in the current time zone."""
    return timezone.localtime(value).strftime(DATETIME_LOCAL)


class RfqFilterForm(forms.Form):
    """The filters of the buyer's RFQ list; a bad value is ignored, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *SourcingRequest.Status.choices]
    )
    page_size = WholeNumberField(label=_("Per page"), required=False, min_value=1, widget=forms.HiddenInput)

    def _valid_values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def status_value(self) -> str | None:
        return self._valid_values().get("status") or None

    def rows_per_page(self) -> int:
        size = self._valid_values().get("page_size") or PAGE_SIZE
        return max(1, min(MAX_PAGE_SIZE, size))


class ReasonForm(forms.Form):
    """Why the buyer closes or cancels a request (the suppliers see it)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Say it in at most %(limit_value)d characters.")},
    )
