"""Form and multipart bodies held to the schema: an empty value is a value, not "not given".

DRF reads an empty form field as absent when the field is optional (an HTML form sends every
field, filled or not). The API's schema says a text field may not be blank, as for JSON; so a
form body that sends one empty is refused as JSON's `""` would be, with the same message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.utils import html


class FormBlanksRefused(serializers.Serializer):
    """A serializer whose fields refuse an empty form value unless they allow blank text."""

    def to_internal_value(self, data: Any) -> Any:
        if html.is_html_input(data):
            errors = {
                str(field.field_name): [_("This field may not be blank.")]
                for field in self._writable_fields
                if data.get(field.field_name) == "" and not getattr(field, "allow_blank", False)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
