"""Forms of supplier verification: submitting a document, the staff queue's filters, a rejection.

Forms parse and give early messages; suppliers/services/verification.py checks everything again
(the file by its content), so the API gets the same rules.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.forms.accounts import DomainErrorsMixin
from marketplace.forms.fields import ModelIdChoiceField
from marketplace.forms.kernel import PageForm
from marketplace.models import IndustrialBelt
from suppliers.models import Certification
from suppliers.services.verification import MAX_REASON_LENGTH


class DocumentForm(DomainErrorsMixin, forms.Form):
    """A business licence or a certification, with its file; it then waits for staff review."""

    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=Certification.Kind.choices,
        initial=Certification.Kind.CERTIFICATION,
        required=False,
        help_text=_("Your business licence earns the verified badge; certifications show buyers what you meet."),
    )
    name = forms.CharField(
        label=_("Name of the document"),
        max_length=200,
        help_text=_("For example “Business licence”, “ISO 9001” or “BSCI”."),
    )
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Required for a certification; for a licence only if it has one."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF or an image (JPEG, PNG or WebP), at most 10 MB. Only you and our staff see it."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}),
    )

    def clean_kind(self) -> str:
        # Older clients of the certification page send no kind: theirs is a certification.
        return self.cleaned_data.get("kind") or Certification.Kind.CERTIFICATION


class QueueFilterForm(PageForm):
    """The review queue's filters (kind, the supplier's belt) and its page, from the query string."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Certification.Kind.choices],
        error_messages={"invalid_choice": _("There is no kind of document “%(value)s”; showing all kinds.")},
    )
    belt = ModelIdChoiceField(
        label=_("Industrial belt"),
        required=False,
        queryset=IndustrialBelt.objects.order_by("name_en"),
        empty_label=_("All belts"),
        error_messages={"invalid_choice": _("There is no such industrial belt; showing all belts.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["belt"]
        assert isinstance(field, forms.ModelChoiceField)  # for the type checker
        # Django documents replacing label_from_instance on the field; mypy refuses assigning to a method.
        field.label_from_instance = lambda belt: belt.name  # type: ignore[method-assign,assignment]


class RejectForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The supplier reads this: say what to fix, e.g. “The scan is unreadable”."),
        error_messages={"required": _("Say why the document is rejected, so the supplier can fix it.")},
    )
