"""Celery tasks of belt onboarding (factory imports, invitation reminders)."""
