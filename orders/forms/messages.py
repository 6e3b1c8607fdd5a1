"""Forms of the message pages: writing a message, and the `after` / `page_size` of the lists.

The form takes the text and the file as given; the messaging services judge them (empty, too
long, a file that is not a PDF or an image) and the page shows their refusal next to the field.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import IdField, WholeNumberField

INBOX_PAGE_SIZE = 25
MAX_INBOX_PAGE_SIZE = 100


class MessageForm(DomainErrorsMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        strip=False,  # the service strips, and counts what is left
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 10000}),
    )
    attachment = forms.FileField(
        label=_("Attachment (PDF or image, up to 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )
    # The newest message the page shows: the answer to a send appends what came after it.
    after = IdField(subject=_("The newest message"), required=False, min_value=0, widget=forms.HiddenInput)


class AfterForm(forms.Form):
    """`?after=<message id>` of the polled fragment; anything else reads as "from the start"."""

    after = IdField(subject=_("The newest message"), required=False, min_value=0)

    def after_id(self) -> int | None:
        return self.cleaned_data.get("after") if self.is_valid() else None


class InboxForm(forms.Form):
    page_size = WholeNumberField(required=False, min_value=1, max_value=MAX_INBOX_PAGE_SIZE)

    def rows_per_page(self) -> int:
        if self.is_valid() and self.cleaned_data.get("page_size"):
            return self.cleaned_data["page_size"]
        return INBOX_PAGE_SIZE
