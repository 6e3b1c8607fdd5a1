from django.apps import AppConfig


class SourcebeltConfig(AppConfig):
    """The project package: settings, root URLs, the Celery app, WSGI/ASGI and the commands that
    wire every app (seed_demo). It may import every app; no app imports it."""

    name = "sourcebelt"
    verbose_name = "SourceBelt"
