"""Each kind of background work has its own Celery queue and can have workers of its own.

Two real worker processes, one reading only the imports queue and one only the notifications
queue (as on two hosts: docs/workers.md), under a queue prefix of this test's own: a large catalog
import runs on the first while a burst of notifications is delivered by the second, every one of
them before the import is done. Routed to one queue, the e-mails would wait for the import.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from marketplace.models import Notification
from marketplace.services.notifications import notify
from marketplace.tasks.notifications import notifications_relay_task
from sourcebelt.celery import app as celery_app
from suppliers.models import CatalogImport, Product
from suppliers.services.import_queue import catalog_import_start
from suppliers.services.imports import catalog_import_upload
from tests.celery_queues import conf_restore, conf_saved, publish_to, queue_keys, queue_names
from tests.chaos import MESSAGE_ID
from tests.factories import CategoryFactory, CurrencyFactory, SupplierProfileFactory, UserFactory
from tests.marketplace.test_notification_worker import _redis_url, worker_env
from tests.suppliers.test_import import csv_bytes, row
from tests.test_settings import run_python

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

START_SECONDS = 90  # two workers starting side by side on a busy 2-core machine
IMPORT_ROWS = 6_000  # twelve batches: the import runs for several seconds
BURST = 30  # notifications, each its own message on the notifications queue
RECEIVED = re.compile(r"Task (\S+)\[")


@dataclass
class QueueWorker:
    name: str
    process: subprocess.Popen
    log_file: Path

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def tasks_received(self) -> set[str]:
        return {name for name in RECEIVED.findall(self.log()) if "." in name}


@dataclass
class TwoHosts:
    prefix: str
    imports: QueueWorker
    notifications: QueueWorker
    mail_dir: Path

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.log()[-6000:]}" for w in (self.imports, self.notifications))

    def wait_for(self, condition: Callable[[], bool], what: str, *, timeout: float = START_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            for worker in (self.imports, self.notifications):
                if worker.process.poll() is not None:
                    pytest.fail(f"The {worker.name} worker stopped before {what}:\n{self.logs()}")
            time.sleep(0.1)
        pytest.fail(f"Not within {timeout:.0f} s: {what}.\n{self.logs()}")

    def mails(self) -> int:
        """E-mails written: their Message-IDs, not the files. Django's file backend names a file by
        the second and the backend's id(), so two backends one after the other in the same second
        (a quiet machine sends thirty in one) may append to one file: counting files had failed
        this test with every e-mail sent."""
        return sum(len(MESSAGE_ID.findall(path.read_text(errors="replace"))) for path in self.mail_dir.glob("*"))


@pytest.fixture
def two_hosts(tmp_path: Path) -> Iterator[TwoHosts]:
    """An imports worker and a notifications worker, each reading its one queue, as `make worker
    QUEUES=imports` and `make worker QUEUES=notifications` start them."""
    redis_url = _redis_url()
    prefix = f"sourcebelt-scale-{uuid.uuid4().hex[:12]}"
    queues = queue_names(prefix)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    private = tmp_path / "private"
    env = worker_env(
        prefix=prefix,
        broker_url=redis_url,
        mail_dir=mail_dir,
        PRIVATE_MEDIA_ROOT=str(private),  # where this process stores the uploaded file
        MEDIA_ROOT=str(tmp_path / "media"),
    )

    def start(kind: str) -> QueueWorker:
        log_file = tmp_path / f"worker-{kind}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "sourcebelt", "worker", "--pool=solo", "--prefetch-multiplier=1",
            "-Q", queues[kind], "-n", f"{kind}-{prefix}@%h", "-l", "info",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with log_file.open("w") as log:
            process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        return QueueWorker(kind, process, log_file)

    saved = conf_saved()
    saved_private = settings.PRIVATE_MEDIA_ROOT
    hosts = TwoHosts(prefix, start("imports"), start("notifications"), mail_dir)
    try:
        settings.PRIVATE_MEDIA_ROOT = private
        publish_to(redis_url, prefix)
        for worker in (hosts.imports, hosts.notifications):
            hosts.wait_for(lambda w=worker: " ready." in w.log(), f"the {worker.name} worker is ready")
        yield hosts
    finally:
        for worker in (hosts.imports, hosts.notifications):
            worker.process.kill()
            worker.process.wait(timeout=30)
        settings.PRIVATE_MEDIA_ROOT = saved_private
        conf_restore(saved)
        import redis

        client = redis.Redis.from_url(redis_url)
        try:
            client.delete(*queue_keys(prefix))
        finally:
            client.close()


def test_scale_out_an_import_and_a_burst_of_notifications_progress_side_by_side(two_hosts: TwoHosts) -> None:
    for code in {"CNY", settings.DEFAULT_CURRENCY}:
        CurrencyFactory(code=code)
    CategoryFactory(slug="transparent-backpacks", name_en="Transparent backpacks", name_zh="透明书包")
    supplier = SupplierProfileFactory()
    content = csv_bytes([row(f"BG-{number:05d}") for number in range(IMPORT_ROWS)])
    catalog_import = catalog_import_upload(
        supplier=supplier, user=None, upload=SimpleUploadedFile("catalog.csv", content)
    )
    assert catalog_import.status == CatalogImport.Status.READY, catalog_import.errors
    recipients = [UserFactory() for _ in range(BURST)]

    with transaction.atomic():
        catalog_import_start(supplier=supplier, import_id=catalog_import.pk)  # queued after commit

    def import_state() -> tuple[str, int]:
        catalog_import.refresh_from_db()
        return catalog_import.status, catalog_import.processed_rows

    two_hosts.wait_for(lambda: import_state()[1] > 0, "the import has written its first batch")
    assert import_state()[0] == CatalogImport.Status.RUNNING

    # One event told to thirty people (an RFQ matched to thirty suppliers): one message on the
    # notifications queue, each e-mail claimed and sent by that worker.
    with transaction.atomic():
        notifications = notify(
            recipients=recipients, kind="test", event_key="worker-test:urgent", context={"message": "urgent"}
        )
    ids = [notification.pk for notification in notifications]
    assert len(ids) == BURST

    # As beat does every RELAY_INTERVAL: on a busy machine a publish can outlast its timeout, and
    # the test process then leaves the broker alone for a few seconds (sourcebelt/celery.py); the
    # notifications stay pending and the relay, on the notifications queue, sends them.
    next_relay = [time.monotonic() + settings.RELAY_INTERVAL.total_seconds()]

    def delivered() -> bool:
        sent = Notification.objects.filter(pk__in=ids, email_status=Notification.EmailStatus.SENT).count()
        if sent < BURST and time.monotonic() > next_relay[0]:
            next_relay[0] = time.monotonic() + settings.RELAY_INTERVAL.total_seconds()
            notifications_enqueue_relay()
        return sent == BURST and two_hosts.mails() >= BURST

    two_hosts.wait_for(delivered, f"all {BURST} notifications are e-mailed")
    status, during = import_state()
    assert status == CatalogImport.Status.RUNNING, "every e-mail went out while the import was still running"
    assert during < IMPORT_ROWS

    two_hosts.wait_for(lambda: import_state()[0] == CatalogImport.Status.DONE, "the import is done", timeout=300)
    catalog_import.refresh_from_db()
    assert catalog_import.processed_rows == catalog_import.created_count == IMPORT_ROWS
    assert Product.objects.filter(supplier=supplier).count() == IMPORT_ROWS
    # Side by side: every e-mail went out between the import's start and its end.
    sent_at = [n.email_sent_at for n in Notification.objects.filter(pk__in=ids)]
    started, finished = catalog_import.started_at, catalog_import.finished_at
    assert started is not None
    assert finished is not None
    assert all(at is not None and started < at < finished for at in sent_at)

    # Each worker ran only its own kind of work.
    assert two_hosts.imports.tasks_received() == {"suppliers.tasks.catalog_import_run_task"}
    received = two_hosts.notifications.tasks_received()
    assert received & {"marketplace.tasks.notifications_deliver_task", "marketplace.tasks.notifications_relay_task"}
    assert received <= {"marketplace.tasks.notifications_deliver_task", "marketplace.tasks.notifications_relay_task"}


def notifications_enqueue_relay() -> None:
    """Queue the notifications' relay as beat would (a broker the process left alone: next time)."""
    with contextlib.suppress(Exception):  # beat's next run tries again
        notifications_relay_task.apply_async(priority=settings.RELAY_PRIORITY)


# --- The routes, the commands and the compose file ----------------------------------------------

ROUTES_UNDER_A_PREFIX = """
import json
import django
django.setup()
from sourcebelt.celery import app
print(json.dumps({
    "import": app.amqp.router.route({}, "suppliers.tasks.catalog_import_run_task")["queue"].name,
    "relay": app.amqp.router.route({}, "marketplace.tasks.notifications_relay_task")["queue"].name,
    "unrouted": app.amqp.router.route({}, "some.task.nobody.routed")["queue"].name,
    "read_by_a_bare_worker": sorted(app.amqp.queues),
}))
"""


def _project_tasks() -> set[str]:
    celery_app.loader.import_default_modules()
    # (Not the tasks test modules register for themselves: tests/test_scale_out_replicas.py has one.)
    return {name for name in celery_app.tasks if not name.startswith(("celery.", "tests."))}


def test_scale_out_every_task_is_routed_to_the_queue_of_its_kind() -> None:
    assert set(settings.TASK_KINDS) == _project_tasks(), "a task without a route, or a route without a task"
    assert set(settings.TASK_KINDS.values()) == set(settings.WORK_KINDS)
    for task, kind in settings.TASK_KINDS.items():
        assert settings.CELERY_TASK_ROUTES[task] == {"queue": f"{settings.TASK_QUEUE_PREFIX}.{kind}"}
    # Beat's jobs go to the periodic queue, but for the relays and the runs of matching and insights.
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {task for task in scheduled if settings.TASK_KINDS[task] != "periodic"} == {
        "buyers.tasks.rfqs_match_relay_task",
        "marketplace.tasks.notifications_relay_task",
        "marketplace.tasks.text_translations_relay_task",
        "suppliers.tasks_onboarding.factory_invitations_relay_task",
        "buyers.tasks.matching_facts_rebuild_task",
        "buyers.tasks_insights.demand_aggregate_task",
        "buyers.tasks_insights.demand_digest_weekly_task",
    }


def test_scale_out_urgent_e_mail_imports_and_translations_never_share_a_queue() -> None:
    kinds = settings.TASK_KINDS
    assert kinds["suppliers.tasks.catalog_import_run_task"] == "imports"
    assert kinds["suppliers.tasks_onboarding.factory_import_run_task"] == "imports"
    for e_mail in (
        "marketplace.tasks.notification_deliver_task",
        "marketplace.tasks.notifications_deliver_task",
        "marketplace.tasks.password_reset_send_task",
        "marketplace.tasks.invitation_send_task",
        "suppliers.tasks_onboarding.factory_invitation_send_task",
    ):
        assert kinds[e_mail] == "notifications", e_mail
    assert kinds["marketplace.tasks.text_translations_make_task"] == "translations"  # an import asks for thousands
    assert kinds["buyers.tasks.rfq_match_task"] == "matching"
    assert kinds["buyers.tasks_insights.demand_aggregate_task"] == "insights"


def test_scale_out_each_relay_jumps_the_queue_of_the_work_it_relays() -> None:
    relayed = {
        "buyers.tasks.rfqs_match_relay_task": "buyers.tasks.rfq_match_task",
        "marketplace.tasks.notifications_relay_task": "marketplace.tasks.notification_deliver_task",
        "marketplace.tasks.text_translations_relay_task": "marketplace.tasks.text_translations_make_task",
        "suppliers.tasks_onboarding.factory_invitations_relay_task": (
            "suppliers.tasks_onboarding.factory_invitation_send_task"
        ),
    }
    assert set(relayed) | set(relayed.values()) <= _project_tasks()
    for relay, work in relayed.items():
        assert settings.CELERY_TASK_ROUTES[relay] == settings.CELERY_TASK_ROUTES[work]
        assert celery_app.tasks[relay].priority == settings.RELAY_PRIORITY < settings.CELERY_TASK_DEFAULT_PRIORITY
        assert celery_app.tasks[work].priority in {None, settings.CELERY_TASK_DEFAULT_PRIORITY}  # behind the relay
    beat_relays = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] in relayed]
    assert len(beat_relays) == len(relayed)
    assert all(entry["options"]["priority"] == settings.RELAY_PRIORITY for entry in beat_relays)


def test_scale_out_celery_queue_names_the_queues_and_a_bare_worker_reads_them_all() -> None:
    result = run_python(
        ["-c", ROUTES_UNDER_A_PREFIX], DEBUG="true", REDIS_URL="redis://127.0.0.1:1/0", CELERY_QUEUE="acme"
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["import"] == "acme.imports"
    assert printed["relay"] == "acme.notifications"
    assert printed["unrouted"] == "acme.periodic"  # with the periodic jobs, which every setup reads
    assert printed["read_by_a_bare_worker"] == sorted(f"acme.{kind}" for kind in settings.WORK_KINDS)


def _make_worker(*args: str, **env: str) -> str:
    result = subprocess.run(
        ["make", "-n", "worker", *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "CELERY_QUEUE": "sourcebelt", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if "celery -A sourcebelt worker" in line][-1]


def test_scale_out_make_worker_reads_every_queue_or_the_kinds_asked_for() -> None:
    every = _make_worker()
    assert f"-Q {','.join(settings.TASK_QUEUES.values())} " in every  # one process for a single host
    imports = _make_worker("QUEUES=imports")
    assert "-Q sourcebelt.imports -n imports@%h" in imports
    assert "--concurrency=2 --prefetch-multiplier=1" in imports
    assert "--concurrency=8" in _make_worker("QUEUES=notifications")
    assert "-Q acme.matching,acme.insights " in _make_worker("QUEUES=matching,insights", CELERY_QUEUE="acme")
    assert _make_worker("QUEUES=imports", "WORKER_OPTS=--concurrency=1").endswith("imports@%h --concurrency=1")
    refused = subprocess.run(
        ["make", "-n", "worker", "QUEUES=bogus"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    assert "unknown kind" in refused.stderr


def test_scale_out_the_docs_show_each_queue_s_workers_and_their_settings() -> None:
    page = (settings.BASE_DIR / "docs" / "workers.md").read_text()
    readme = (settings.BASE_DIR / "README.md").read_text()
    for kind in settings.WORK_KINDS:
        assert f"make worker QUEUES={kind}" in page
        assert f"-Q sourcebelt.{kind}" in page
        assert f"worker-{kind}" in readme
    assert "docs/workers.md" in readme
