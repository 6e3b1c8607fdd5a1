"""Tasks of the notification outbox."""

__all__: list[str] = []
