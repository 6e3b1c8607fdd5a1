"""The load that `bench/http_bench.py` sends through locust: one kind of page per run.

Not meant to be run by hand: the bench starts `locust --headless` with this file and the plan in
the environment variable BENCH_HTTP_PLAN (JSON: the kind's name, its paths, the headers to send).
Each simulated user requests the kind's paths in turn, without waiting between requests (a closed
loop: the number of users is the concurrency), and only ever against 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import FastHttpUser, constant, task

PLAN: dict[str, Any] = json.loads(os.environ.get("BENCH_HTTP_PLAN", "{}"))


class BenchUser(FastHttpUser):
    """One client: the plan's paths in a random rotation, every response checked for a 200."""

    wait_time = constant(0)
    network_timeout = 10.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        if not str(self.host).startswith(("http://127.0.0.1:", "http://127.0.0.1/")):
            raise RuntimeError("the HTTP bench only loads 127.0.0.1")
        paths = list(PLAN["paths"])
        random.shuffle(paths)
        self.paths = itertools.cycle(paths)

    @task
    def request_one(self) -> None:
        with self.client.get(
            next(self.paths),
            headers=PLAN.get("headers", {}),
            name=PLAN["kind"],
            catch_response=True,
            # Never followed: production redirects plain http, and the bench must see that as a failure.
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
