"""Tasks of accounts and tenancy."""

__all__: list[str] = []
