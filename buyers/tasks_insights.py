"""Celery tasks of demand insights (aggregation, surge alerts, weekly digests)."""
