"""A real Celery worker delivers notifications from the outbox, also after a broker outage.

Each test starts `celery -A sourcebelt worker` as a separate process on queues of its own (every
kind of work's queue under a prefix of its own: tests/celery_queues.py), against the test database
and the test Redis, writing e-mail to files in a temporary folder. The test process publishes to
those queues for real (not eagerly) and waits for the outcome.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction

from marketplace.models import Notification, User
from marketplace.services.notifications import notify
from marketplace.tasks.notifications import notifications_relay_task
from sourcebelt.celery import app as celery_app
from tests.celery_queues import conf_restore, conf_saved, publish_to, queue_keys, queue_option
from tests.celery_queues import forget_connections as _forget_connections
from tests.factories import CurrencyFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAIT_SECONDS = 60  # a worker starting on a busy 2-core machine can take half a minute
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@dataclass
class Worker:
    process: subprocess.Popen
    mail_dir: Path
    log_file: Path

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or getattr(settings, "REDIS_URL", "")
    if not url:
        pytest.fail(
            "The worker test needs Redis as the Celery broker: set REDIS_URL "
            "(`make test` starts one, or e.g. REDIS_URL=redis://127.0.0.1:6379/0)."
        )
    return url


def _test_database_url() -> str:
    """The URL of the database this test runs against (pytest's test database, not the real one)."""
    db = connection.settings_dict
    if "postgresql" not in db["ENGINE"]:
        pytest.fail("The worker test needs PostgreSQL: set DATABASE_URL (a worker cannot share SQLite's test DB).")
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def worker_env(*, prefix: str, broker_url: str, mail_dir: Path, **extra: str) -> dict[str, str]:
    """A worker process's environment: this test's database, `broker_url`, the queues under
    `prefix` (what the worker itself enqueues, such as the relay's deliveries, goes there too) and
    e-mail written to files in `mail_dir`."""
    return {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": broker_url,
        "DEBUG": "true",
        "CELERY_QUEUE": prefix,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        **extra,
    }


@pytest.fixture(autouse=True)
def _default_currency() -> None:
    """Users need the default currency. A transactional test starts from a flushed database,
    which lost what the data migration inserted (see the report on tests/conftest.py)."""
    CurrencyFactory(code=settings.DEFAULT_CURRENCY)


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Worker]:
    redis_url = _redis_url()
    prefix = f"sourcebelt-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_file = tmp_path / "worker.log"
    env = worker_env(prefix=prefix, broker_url=redis_url, mail_dir=mail_dir)
    command = [
        sys.executable, "-m", "celery", "-A", "sourcebelt", "worker",
        "--pool=solo", "-Q", queue_option(prefix), "-n", f"{prefix}@%h", "-l", "info",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    saved = conf_saved()
    with log_file.open("w") as log:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        publish_to(redis_url, prefix)
        yield Worker(process=process, mail_dir=mail_dir, log_file=log_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        conf_restore(saved)
        _delete_queues(redis_url, prefix)


def _delete_queues(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(*queue_keys(prefix))
    finally:
        client.close()


def _wait_for(condition: Callable[[], bool], worker: Worker, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        if worker.process.poll() is not None:
            pytest.fail(f"The worker stopped (exit {worker.process.returncode}) before {what}:\n{worker.log()}")
        time.sleep(0.2)
    pytest.fail(f"Not within {WAIT_SECONDS} s: {what}. Worker log:\n{worker.log()}")


def _sent(notification: Notification) -> bool:
    notification.refresh_from_db()
    return notification.email_status == Notification.EmailStatus.SENT


def _mail_with(worker: Worker, *needles: str) -> bool:
    for path in worker.mail_dir.glob("*"):
        text = path.read_text(errors="replace")
        if all(needle in text for needle in needles):
            return True
    return False


def _notify(user: User, message: str) -> Notification:
    with transaction.atomic():
        created = notify(
            recipients=[user], kind="test", event_key=f"worker-test:{message}", context={"message": message}
        )
    return created[0]


def test_a_real_worker_delivers_a_notification_after_commit(worker: Worker) -> None:
    user = UserFactory()
    message = f"delivered-by-worker-{uuid.uuid4().hex[:8]}"

    notification = _notify(user, message)

    _wait_for(lambda: _sent(notification), worker, "the notification is marked sent")
    _wait_for(
        lambda: _mail_with(worker, "Subject: Test notification", f"To: {user.email}", message),
        worker,
        "an e-mail file holds its subject",
    )
    assert notification.email_attempts == 1
    assert notification.email_sent_at is not None


def test_a_notification_recorded_while_the_broker_is_down_is_delivered_by_the_relay(
    worker: Worker, caplog: pytest.LogCaptureFixture
) -> None:
    user = UserFactory()
    message = f"survived-an-outage-{uuid.uuid4().hex[:8]}"
    good_broker = celery_app.conf.broker_url

    celery_app.conf.broker_url = CLOSED_PORT_BROKER
    _forget_connections()
    try:
        notification = _notify(user, message)  # the user's request succeeds though nothing was enqueued
    finally:
        celery_app.conf.broker_url = good_broker
        _forget_connections()

    assert "Could not enqueue delivery" in caplog.text
    time.sleep(1)  # nothing is on its way to the worker
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_attempts == 0
    assert not _mail_with(worker, message)

    # The broker is back; beat queues the relay every RELAY_INTERVAL (here: we do).
    notifications_relay_task.delay()

    _wait_for(lambda: _sent(notification), worker, "the relay's delivery is marked sent")
    _wait_for(lambda: _mail_with(worker, "Subject: Test notification", message), worker, "the e-mail was written")
    assert notification.email_attempts == 1
