"""This test process's Celery app, pointed at a broker and at queues of a prefix of its own.

Production routes every task by name to the queue of its kind, "<CELERY_QUEUE>.<kind>"
(sourcebelt/settings.py, TASK_KINDS). A test that starts real workers gives them a prefix of its
own (`CELERY_QUEUE` in their environment, the queue names in `-Q`) and publishes from here to the
same names, so that parallel test processes never take each other's messages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from sourcebelt.celery import app as celery_app

SWITCHED = ("task_always_eager", "task_default_queue", "task_routes", "task_queues", "broker_url")
PRIORITY_LISTS = (3, 6, 9)  # kombu keeps a queue's messages of priority 3, 6 and 9 in lists of their own


def queue_names(prefix: str) -> dict[str, str]:
    """Each kind of work's queue under `prefix`: the production names with another prefix."""
    production = settings.TASK_QUEUE_PREFIX
    return {kind: prefix + name.removeprefix(production) for kind, name in settings.TASK_QUEUES.items()}


def queue_option(prefix: str) -> str:
    """A worker's `-Q` for every queue under `prefix`, as `make worker` passes it."""
    return ",".join(queue_names(prefix).values())


def queue_keys(prefix: str) -> list[str]:
    """The Redis lists that hold the messages of every queue under `prefix` (priority 0 in the first)."""
    names = queue_names(prefix).values()
    return [key for name in names for key in (name, *(f"{name}\x06\x16{step}" for step in PRIORITY_LISTS))]


def forget_connections() -> None:
    """Drop the app's cached broker connections and routes so the next publish reads the config anew."""
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


def conf_saved() -> dict[str, Any]:
    return {name: celery_app.conf[name] for name in SWITCHED}


def conf_restore(saved: dict[str, Any]) -> None:
    for name, value in saved.items():
        celery_app.conf[name] = value
    forget_connections()


def publish_to(broker_url: str, prefix: str) -> None:
    """Send this process's tasks to `broker_url`, for real (not eagerly), routed by kind under `prefix`."""
    names = queue_names(prefix)
    conf = celery_app.conf
    conf.task_always_eager = False
    conf.broker_url = broker_url
    conf.task_routes = {task: {"queue": names[kind]} for task, kind in settings.TASK_KINDS.items()}
    conf.task_queues = {name: {"exchange": name, "routing_key": name} for name in names.values()}
    conf.task_default_queue = names["periodic"]
    forget_connections()
