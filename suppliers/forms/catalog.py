"""Forms of the catalog. The product form collects raw values and hands them to
`suppliers.catalog_rules.product_data_from`, the one validation the API and the import share,
then shows its messages next to the fields they are about.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import CurrencyField, WholeNumberField
from marketplace.input_values import id_value
from marketplace.selectors.money import offered_currency_codes
from suppliers.catalog_rules import MAX_ATTRIBUTES, MAX_QUANTITY, MAX_TIERS, ProductData, ProductDataInvalid
from suppliers.catalog_rules import product_data_from as validated_product_data
from suppliers.models import Product, Unit
from suppliers.selectors.catalog import categories_for_products, category_by_key
from suppliers.services.catalog import MAX_IMAGES_PER_PRODUCT

TIER_ROWS = 5
ATTRIBUTE_ROWS = 6
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


def category_choices() -> list[tuple[str, str]]:
    return [("", "---------")] + [
        (str(category.pk), f"{'— ' * category.depth}{category.name}") for category in categories_for_products()
    ]


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files in one input; their content is checked by the service, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NumberInput(forms.TextInput):
    """A text input that brings up a numeric keyboard; the rules, not the browser, judge the number."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "decimal", **(attrs or {})})


_PRODUCT_FIELDS = (
    "sku",
    "title",
    "description",
    "category",
    "unit",
    "moq",
    "currency",
    "lead_time_days",
    "monthly_capacity",
    "sample_available",
    "sample_price",
    "sample_days",
    "status",
)


class ProductForm(DomainErrorsMixin, forms.Form):
    """Create or edit a product. `product_data` holds the validated ProductData once the form is valid."""

    sku = forms.CharField(label=_("SKU"), required=False, help_text=_("Your own product code, unique in your catalog."))
    title = forms.CharField(label=_("Title"), required=False, help_text=_("In any language."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("Category"), choices=category_choices, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    moq = forms.CharField(label=_("Minimum order quantity"), required=False, widget=NumberInput())
    currency = CurrencyField(label=_("Currency"), initial="CNY")
    lead_time_days = forms.CharField(label=_("Lead time (days)"), required=False, widget=NumberInput())
    monthly_capacity = forms.CharField(label=_("Monthly capacity"), required=False, widget=NumberInput())
    sample_available = forms.BooleanField(label=_("Samples available"), required=False)
    sample_price = forms.CharField(label=_("Sample price"), required=False, widget=NumberInput())
    sample_days = forms.CharField(label=_("Sample lead time (days)"), required=False, widget=NumberInput())
    status = forms.ChoiceField(label=_("Status"), choices=Product.Status.choices, initial=Product.Status.DRAFT)
    images = MultipleImageField(label=_("Add images"), required=False)
    remove_images = forms.MultipleChoiceField(
        label=_("Remove images"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # Never rendered as inputs: they carry the messages about the tier and attribute rows as a whole.
    tiers = forms.CharField(required=False, widget=forms.HiddenInput)
    attributes = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, product: Product | None = None, **kwargs: Any) -> None:
        self.product = product
        self.product_data: ProductData | None = None
        tiers = list(product.tiers.all()) if product else []
        attributes = list(product.attributes or []) if product else []
        self.tier_rows = min(MAX_TIERS, max(TIER_ROWS, len(tiers) + 1))
        self.attribute_rows = min(MAX_ATTRIBUTES, max(ATTRIBUTE_ROWS, len(attributes) + 2))
        if product is not None:
            kwargs.setdefault("initial", {}).update(self._initial_from(product, tiers, attributes))
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = gettext(
            "JPEG, PNG or WebP, at least 100 pixels a side; up to %(max)s images per product."
        ) % {"max": MAX_IMAGES_PER_PRODUCT}
        for row in range(self.tier_rows):
            self.fields[f"tier_quantity_{row}"] = forms.CharField(
                label=_("From quantity"), required=False, widget=NumberInput({"inputmode": "numeric"})
            )
            self.fields[f"tier_price_{row}"] = forms.CharField(
                label=_("Unit price"), required=False, widget=NumberInput()
            )
        for row in range(self.attribute_rows):
            self.fields[f"attribute_name_{row}"] = forms.CharField(label=_("Attribute"), required=False)
            self.fields[f"attribute_value_{row}"] = forms.CharField(label=_("Value"), required=False)
        if product is not None:  # a product already in a currency no longer offered keeps it, saying so
            currency = self.fields["currency"]
            assert isinstance(currency, CurrencyField)  # for the type checker
            currency.keep(product.currency_id)
        if product is not None and product.images.all():
            remove_images = self.fields["remove_images"]
            assert isinstance(remove_images, forms.ChoiceField)  # for the type checker
            remove_images.choices = [(str(image.pk), image.image.name) for image in product.images.all()]
        else:
            del self.fields["remove_images"]

    @staticmethod
    def _initial_from(product: Product, tiers: list, attributes: list[dict[str, str]]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "sku": product.sku,
            "title": product.title,
            "description": product.description,
            "category": str(product.category_id),
            "unit": product.unit,
            "moq": product.moq,
            "currency": product.currency_id,
            "lead_time_days": product.lead_time_days,
            "monthly_capacity": product.monthly_capacity or "",
            "sample_available": product.sample_available,
            "sample_price": "" if product.sample_price is None else product.sample_price.normalize(),
            "sample_days": product.sample_days or "",
            "status": product.status,
        }
        for row, tier in enumerate(tiers):
            initial[f"tier_quantity_{row}"] = tier.min_quantity
            initial[f"tier_price_{row}"] = f"{tier.unit_price.normalize():f}"
        for row, pair in enumerate(attributes):
            initial[f"attribute_name_{row}"] = pair.get("name", "")
            initial[f"attribute_value_{row}"] = pair.get("value", "")
        return initial

    # --- What the template shows -------------------------------------------------------------

    def tier_row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"tier_quantity_{row}"], self[f"tier_price_{row}"]) for row in range(self.tier_rows)]

    def attribute_row_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"attribute_name_{row}"], self[f"attribute_value_{row}"]) for row in range(self.attribute_rows)]

    def existing_images(self) -> list[tuple[Any, BoundWidget | None]]:
        """Each current image with its remove checkbox."""
        if "remove_images" not in self.fields or self.product is None:
            return []
        boxes = {str(box.data["value"]): box for box in self["remove_images"]}
        return [(image, boxes.get(str(image.pk))) for image in self.product.images.all()]

    # --- Validation ----------------------------------------------------------------------------

    def _raw(self) -> dict[str, Any]:
        data = self.cleaned_data
        tiers = []
        for row in range(self.tier_rows):
            quantity, price = data.get(f"tier_quantity_{row}", ""), data.get(f"tier_price_{row}", "")
            if quantity.strip() or price.strip():
                tiers.append((quantity, price))
        attributes = []
        for row in range(self.attribute_rows):
            name, value = data.get(f"attribute_name_{row}", ""), data.get(f"attribute_value_{row}", "")
            if name.strip() or value.strip():
                attributes.append((name, value))
        return {**{name: data.get(name, "") for name in _PRODUCT_FIELDS}, "tiers": tiers, "attributes": attributes}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        try:
            self.product_data = validated_product_data(
                self._raw(),
                category_lookup=category_by_key,
                currency_codes=offered_currency_codes(),
                kept_currency=self.product.currency_id if self.product is not None else None,
            )
        except ProductDataInvalid as invalid:
            for field, messages in invalid.errors.items():
                if field in self.errors:  # the form already said what is wrong with it
                    continue
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """`data` and the images, as product_create and product_update take them."""
        arguments: dict[str, Any] = {"data": self.product_data}
        images = self.cleaned_data.get("images") or []
        if self.product is None:
            arguments["images"] = images
        else:
            arguments["new_images"] = images
            arguments["removed_image_ids"] = [int(pk) for pk in self.cleaned_data.get("remove_images") or []]
        return arguments


class CatalogFilterForm(forms.Form):
    """The filters of the supplier's product list; a bad value is ignored, never an error page."""

    q = forms.CharField(label=_("SKU or title"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *Product.Status.choices]
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=category_choices)
    page_size = WholeNumberField(label=_("Per page"), required=False, min_value=1, widget=forms.HiddenInput)

    def _valid_values(self) -> dict[str, Any]:
        """The values that passed validation (Django drops the others from cleaned_data)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of catalog_for_supplier, from the valid values only."""
        data = self._valid_values()
        category = data.get("category")
        return {
            "status": data.get("status") or None,
            "category": category_by_key(category) if category else None,
            "q": data.get("q") or None,
        }

    def rows_per_page(self) -> int:
        """`page_size` from the address, 25 when absent or bad, at most 100."""
        data = self._valid_values()
        size = data.get("page_size") or PAGE_SIZE
        return max(1, min(MAX_PAGE_SIZE, size))


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def clean(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        ids = []
        for item in values:
            try:
                ids.append(id_value(item, label=_("The product")))
            except ValueError:
                raise forms.ValidationError(_("The selection is not valid; reload the page and try again.")) from None
        if not ids:
            raise forms.ValidationError(_("Select at least one product."))
        return ids


class BulkStatusForm(forms.Form):
    """Publish or archive the products ticked in the list."""

    ACTIONS = {"publish": Product.Status.PUBLISHED, "archive": Product.Status.ARCHIVED, "draft": Product.Status.DRAFT}

    action = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("archive", _("Archive")), ("draft", _("Return to draft"))],
        error_messages={"required": _("Choose publish or archive."), "invalid_choice": _("Choose publish or archive.")},
    )
    products = IdListField()
    return_query = forms.CharField(required=False, max_length=2000)

    @property
    def status(self) -> str:
        return self.ACTIONS[self.cleaned_data["action"]]


class PriceQuantityForm(forms.Form):
    quantity = WholeNumberField(
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "required": _("Enter a quantity, such as 500."),
            "invalid": _("Enter a whole number of units, such as 500."),
            "min_value": _("Enter a whole number of units, such as 500."),
            "max_value": _("That is more than we can price; enter at most %(limit_value)s."),
        },
    )
