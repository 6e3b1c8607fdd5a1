"""Routes (filled by the helper that owns them)."""

urlpatterns: list = []
