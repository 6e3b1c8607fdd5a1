"""Forms of the order pages. They check the shape of the input; the order services judge its
meaning and their refusals are shown next to the fields they are about."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from buyers.forms.rfqs import country_choices
from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import WholeNumberField
from orders.models import Order
from orders.selectors.orders import OrderFilters
from orders.services.catalog_orders import MAX_NOTES_LENGTH, CatalogOrderData
from orders.services.disputes import Outcome
from suppliers.catalog_rules import MAX_QUANTITY
from suppliers.forms.catalog import NumberInput

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _too_long() -> dict[str, Any]:
    return {"max_length": _("Say it in at most %(limit_value)d characters.")}


class OrderFilterForm(forms.Form):
    """The filters of an order list; a bad value is ignored, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Order.Status.choices]
    )
    counterparty = forms.TypedChoiceField(label=_("Supplier"), required=False, coerce=int, empty_value=None)
    placed_from = forms.DateField(label=_("Placed from"), required=False, widget=DATE_INPUT)
    placed_to = forms.DateField(label=_("Placed until"), required=False, widget=DATE_INPUT)
    page_size = WholeNumberField(label=_("Per page"), required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, counterparties: list[tuple[int, str]], counterparty_label: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["counterparty"]
        assert isinstance(field, forms.ChoiceField)  # for the type checker
        field.label = counterparty_label
        field.choices = [("", _("All")), *((str(pk), name) for pk, name in counterparties)]

    def _valid_values(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> OrderFilters:
        values = self._valid_values()
        return OrderFilters(
            status=values.get("status") or None,
            counterparty_id=values.get("counterparty") or None,
            placed_from=values.get("placed_from"),
            placed_to=values.get("placed_to"),
        )

    def rows_per_page(self) -> int:
        size = self._valid_values().get("page_size") or PAGE_SIZE
        return max(1, min(MAX_PAGE_SIZE, size))


class ReasonForm(DomainErrorsMixin, forms.Form):
    """Why the order is cancelled (the other side reads it)."""

    reason = forms.CharField(
        label=_("Why?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why: the other side will read it."), **_too_long()},
    )


class DisputeForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("What went wrong?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what went wrong: staff and the supplier will read it."), **_too_long()},
    )


class ShipForm(DomainErrorsMixin, forms.Form):
    carrier = forms.CharField(
        label=_("Carrier"), max_length=120, error_messages={"required": _("Name the carrier."), **_too_long()}
    )
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        max_length=120,
        error_messages={"required": _("Give the tracking number."), **_too_long()},
    )
    quantity = WholeNumberField(
        label=_("Quantity shipped"),
        subject=_("The quantity shipped"),
        min_value=1,
        max_value=MAX_QUANTITY,
        widget=NumberInput({"inputmode": "numeric"}),
        error_messages={"required": _("Say how many you ship.")},
    )


class PaidForm(DomainErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Payment reference (optional)"), required=False, max_length=120, error_messages=_too_long()
    )


class ReviewForm(DomainErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(str(n), "★" * n) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Give a rating from 1 to 5 stars."),
            "invalid_choice": _("Give a rating from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_too_long(),
    )


class CatalogOrderForm(DomainErrorsMixin, forms.Form):
    """ "Order now" on a product page."""

    quantity = WholeNumberField(
        label=_("Quantity"),
        subject=_("The quantity"),
        min_value=1,
        max_value=MAX_QUANTITY,
        widget=NumberInput({"inputmode": "numeric"}),
        error_messages={"required": _("Enter a quantity.")},
    )
    destination_country = forms.ChoiceField(
        label=_("Destination country"),
        choices=country_choices,
        required=False,
        help_text=_("Your company's country when left empty."),
        error_messages={
            "required": _("Choose the country the goods go to."),
            "invalid_choice": _("Choose the country the goods go to."),
        },
    )
    destination_city = forms.CharField(
        label=_("City or port"), required=False, max_length=120, error_messages=_too_long()
    )
    required_by = forms.DateField(
        label=_("Needed by (optional)"),
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": _("Enter a date such as 2026-09-30.")},
    )
    notes = forms.CharField(
        label=_("Notes for the supplier (optional)"),
        required=False,
        max_length=MAX_NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_too_long(),
    )

    def order_data(self, product_id: int, *, default_country: str) -> CatalogOrderData:
        data = self.cleaned_data
        return CatalogOrderData(
            product_id=product_id,
            quantity=data["quantity"],
            destination_country=data["destination_country"] or default_country,
            destination_city=data["destination_city"],
            required_by=data["required_by"],
            notes=data["notes"],
        )


class DisputeResolveForm(DomainErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Outcome.RESUME.value, _("Return the order to where it was")),
            (Outcome.CANCEL.value, _("Cancel the order")),
            (Outcome.COMPLETE.value, _("Complete the order")),
        ],
        error_messages={
            "required": _("Choose how the dispute ends."),
            "invalid_choice": _("Choose how the dispute ends."),
        },
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain the decision: both sides will read it."), **_too_long()},
    )
