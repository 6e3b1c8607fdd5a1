"""Celery tasks of supplier verification (certificate expiry warnings and expiry)."""
