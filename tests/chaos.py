"""A Redis of its own and real Celery processes (worker and beat) for the chaos tests.

`ChaosStack` starts `redis-server` on a free port with no persistence (stopping it loses every
queued message, as a crash of a Redis that does not persist does), then a Celery worker and
Celery beat with that Redis as their broker, against this test process's database, writing
e-mail to files; and it points this process's Celery app at that Redis, so that services called
here queue their tasks for real. It can stop and restart Redis and kill the worker with SIGKILL.
Every wait is bounded; `close()` stops whatever is still running.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from tests.celery_queues import conf_restore, conf_saved, publish_to, queue_option
from tests.marketplace.test_notification_worker import worker_env

START_SECONDS = 90  # a worker or beat starting on a busy 2-core machine can take half a minute or more
MESSAGE_ID = re.compile(r"^Message-ID: (\S+)", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ChaosStack:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.prefix = f"sourcebelt-chaos-{uuid.uuid4().hex[:12]}"  # every kind of work's queue under it
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        self.redis: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.beat: subprocess.Popen | None = None
        self.workers_started = 0
        self._saved = conf_saved()

    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    # --- Redis ----------------------------------------------------------------------------------

    def redis_start(self) -> None:
        """Start Redis (empty) and wait until it answers."""
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.folder), "--loglevel", "warning",
        ]  # fmt: skip
        with (self.folder / "redis.log").open("a") as log:
            self.redis = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        self.wait_for(self._redis_answers, "Redis answers", timeout=30)

    def redis_stop(self) -> None:
        """Stop Redis: what was queued is lost with it."""
        assert self.redis is not None
        self.redis.terminate()
        self.redis.wait(timeout=30)
        self.redis = None

    def _redis_answers(self) -> bool:
        """Our Redis answers (not another that took the port: ours would have exited)."""
        if self.redis is None or self.redis.poll() is not None:
            pytest.fail(f"redis-server did not start on port {self.port}:\n{self.log('redis.log')}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    # --- Celery -------------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        return worker_env(prefix=self.prefix, broker_url=self.broker_url, mail_dir=self.mail_dir)

    def _start(self, command: list[str], log_name: str) -> subprocess.Popen:
        with (self.folder / log_name).open("w") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "sourcebelt", *command],
                cwd=settings.BASE_DIR,
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def worker_start(self) -> None:
        """Start a worker and wait until it consumes."""
        self.workers_started += 1
        log_name = f"worker-{self.workers_started}.log"
        self.worker = self._start(
            [
                "worker", "--pool=solo", "-Q", queue_option(self.prefix),
                "-n", f"{self.prefix}-{self.workers_started}@%h",
                "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            log_name,
        )  # fmt: skip
        self.wait_for(lambda: " ready." in self.log(log_name), f"worker {self.workers_started} is ready")

    def worker_kill(self) -> None:
        """kill -9 the worker: it records nothing more, acknowledges nothing more."""
        assert self.worker is not None
        self.worker.send_signal(signal.SIGKILL)
        self.worker.wait(timeout=30)
        self.worker = None

    def use_from_this_process(self) -> None:
        """Publish this process's tasks to the stack's Redis, for real, to the stack's queues."""
        publish_to(self.broker_url, self.prefix)

    def start(self) -> None:
        """Redis, then beat and a worker (starting side by side: each takes seconds on a busy machine)."""
        self.redis_start()
        self.use_from_this_process()
        self.beat = self._start(["beat", "-l", "info", "-s", str(self.folder / "beat-schedule")], "beat.log")
        self.worker_start()
        self.wait_for(lambda: "beat: Starting" in self.log("beat.log"), "beat is running")

    def close(self) -> None:
        for process in (self.worker, self.beat, self.redis):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=30)
        conf_restore(self._saved)

    # --- Watching -----------------------------------------------------------------------------

    def log(self, name: str) -> str:
        path = self.folder / name
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-6000:]}" for path in self.folder.glob("*.log")
        )

    def wait_for(self, condition: Callable[[], bool], what: str, *, timeout: float = START_SECONDS) -> float:
        """Wait until `condition` holds; returns the seconds it took. Fails after `timeout`."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if condition():
                return time.monotonic() - start
            for process in (self.worker, self.beat):
                if process is not None and process.poll() is not None:
                    pytest.fail(f"A Celery process stopped (exit {process.returncode}) before {what}:\n{self.logs()}")
            time.sleep(0.1)
        pytest.fail(f"Not within {timeout:.0f} s: {what}.\n{self.logs()}")

    def message_ids(self) -> Counter[str]:
        """How many e-mails were written with each Message-ID."""
        ids: Counter[str] = Counter()
        for path in self.mail_dir.glob("*"):
            ids.update(MESSAGE_ID.findall(path.read_text(errors="replace")))
        return ids
