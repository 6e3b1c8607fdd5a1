"""The registry of notification kinds.

Each app declares the kinds it sends in its AppConfig.ready() (`register_notification_kinds`); the
outbox (`marketplace.services.notifications.notify`) refuses a kind nobody declared, so a typo
fails at once instead of sending the generic text. Every kind has its templates,
`notifications/<kind>_subject.txt` and `_body.txt`, written with `{% translate %}` so they render
in the recipient's language; `tests/marketplace/test_notification_kinds.py` checks both exist and
render in English and Chinese for every registered kind. The kernel holds only the registry: it
never imports the apps that fill it.
"""

from __future__ import annotations

from collections.abc import Iterable

_KINDS: dict[str, str] = {}


def register_notification_kinds(app_label: str, kinds: Iterable[str]) -> None:
    """Declare the kinds an app sends. Declaring a kind twice (from two apps) is a mistake."""
    for kind in kinds:
        owner = _KINDS.setdefault(kind, app_label)
        if owner != app_label:
            raise ValueError(f"Notification kind {kind!r} is declared by both {owner} and {app_label}.")


def registered_notification_kinds() -> dict[str, str]:
    """Every declared kind and the app that declared it."""
    return dict(_KINDS)


def check_notification_kind(kind: str) -> None:
    if kind not in _KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: declare it in its app's AppConfig.ready().")
