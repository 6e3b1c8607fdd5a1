"""Celery tasks of the kernel, one module per area; importing them here registers them.

A task module runs the services of its area and holds the function that queues its tasks; a
service that queues a task imports that function, so the work a task runs never lives in a module
that queues it (docs/architecture.md).
"""

from marketplace.tasks.accounts import *  # noqa: F403
from marketplace.tasks.exchange_rates import *  # noqa: F403
from marketplace.tasks.notifications import *  # noqa: F403
from marketplace.tasks.stored_indexes import *  # noqa: F403
from marketplace.tasks.translations import *  # noqa: F403
from marketplace.tasks.unconfirmed_accounts import *  # noqa: F403
