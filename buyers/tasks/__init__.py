"""Celery tasks of the buyers app, one module per area; importing them here registers them.

A task module runs the services of its area and holds the function that queues its tasks; a
service that queues a task imports that function, so the work a task runs never lives in a module
that queues it (docs/architecture.md).
"""

from buyers.tasks.insights import *  # noqa: F403
from buyers.tasks.matching import *  # noqa: F403
from buyers.tasks.rfqs import *  # noqa: F403
