"""Celery tasks of the kernel, one module per area; importing them here registers them."""

from marketplace.tasks.accounts import *  # noqa: F403
from marketplace.tasks.notifications import *  # noqa: F403
