"""The catalog upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from marketplace.forms.accounts import DomainErrorsMixin


class CatalogUploadForm(DomainErrorsMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Catalog file (CSV or XLSX)"),
        help_text=gettext_lazy("Up to 20 MB and 50,000 products. The first row names the columns."),
    )
