"""Celery tasks of the suppliers app, one module per area; importing them here registers them.

A task module runs the services of its area and holds the function that queues its tasks; a
service that queues a task imports that function, so the work a task runs never lives in a module
that queues it (docs/architecture.md).
"""

from suppliers.tasks.imports import *  # noqa: F403
from suppliers.tasks.onboarding import *  # noqa: F403
from suppliers.tasks.relays import *  # noqa: F403
from suppliers.tasks.search import *  # noqa: F403
from suppliers.tasks.verification import *  # noqa: F403
