"""Private files in a bucket of S3-compatible object storage (settings `MEDIA_STORAGE=s3`).

The bucket must never be public: nothing here asks for a public ACL, and whatever the settings
say, this storage keeps every object private (no canned ACL: the bucket's own, private, applies),
never puts a custom domain in front of it and signs every URL it makes. Its `url()` is "", as the
local private storage's: a private file is reached only through a view that checks who asks,
which streams it or answers with `signed_url()`, a URL that works for
PRIVATE_FILES_SIGNED_URL_SECONDS (marketplace.private_files.private_file_response).

Public media (product and factory pictures) use django-storages' own S3Storage, configured in the
settings.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage

# Above this, a private file read from the bucket is buffered on local disk rather than in memory.
_MEMORY_LIMIT = 2 * 1024 * 1024

_REFUSED_OPTIONS = {
    "custom_domain": "a custom domain would serve private files without a signature",
    "default_acl": "private objects keep the bucket's private access",
    "cloudfront_key_id": "private files are not served through a CDN",
    "cloudfront_key": "private files are not served through a CDN",
    "cloudfront_signer": "private files are not served through a CDN",
}


class PrivateObjectStorage(S3Storage):
    """An S3Storage for the private bucket: private objects, no URL of its own, signed URLs on demand."""

    def __init__(self, **options: Any) -> None:
        if options.pop("querystring_auth", True) is not True:
            raise ImproperlyConfigured("Private storage: querystring_auth must stay on (every URL is signed).")
        for option, reason in _REFUSED_OPTIONS.items():
            if options.pop(option, None) is not None:
                raise ImproperlyConfigured(f"Private storage: {option} cannot be set ({reason}).")
        options.setdefault("max_memory_size", _MEMORY_LIMIT)
        super().__init__(
            **options,
            custom_domain=None,
            querystring_auth=True,
            default_acl=None,
            cloudfront_key_id=None,
            cloudfront_key=None,
        )
        if "ACL" in self.object_parameters:  # AWS_S3_OBJECT_PARAMETERS could otherwise make objects public
            raise ImproperlyConfigured("Private storage: object parameters cannot set an ACL.")

    def url(
        self,
        name: str | None,
        parameters: dict[str, str] | None = None,
        expire: int | None = None,
        http_method: str | None = None,
    ) -> str:
        """No URL: "" (a form's file widget then shows no link); see `signed_url`."""
        return ""

    def signed_url(self, name: str, *, seconds: int, filename: str, content_type: str) -> str:
        """A GET URL for the object `name`, signed with this storage's credentials, valid for
        `seconds`, that makes the bucket answer it as a download named `filename` of
        `content_type` (the overrides a signed GET may carry)."""
        if seconds <= 0:
            raise ValueError("A signed URL must expire.")
        disposition = _attachment_disposition(filename)
        return super().url(
            name,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=seconds,
        )


def _attachment_disposition(filename: str) -> str:
    """`attachment` with the file's name, as Django's FileResponse writes it (RFC 6266 with an
    RFC 5987 name for one that is not plain ASCII)."""
    return content_disposition_header(as_attachment=True, filename=filename) or "attachment"
