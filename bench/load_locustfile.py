"""The mix that `bench/load_test.py` plays through locust: buyers and suppliers at work.

Not meant to be run by hand: the load test starts `locust --headless` with this file and the plan
in the environment variable LOAD_TEST_PLAN (JSON, written by the load test: tokens, paths, RFQ ids
and categories). Only ever against 127.0.0.1.

- A buyer (three in four users) searches the catalog through the API (words in Chinese and
  English, every sort), opens product pages and now and then posts an RFQ through the API (a
  draft, then its publication: two requests).
- A supplier (one in four) reads its RFQ inbox, opens one of its RFQs and quotes on it: the first
  time a new quote (201), afterwards a revision of it (200).

Each user is a closed loop with no pause, so the number of users is the concurrency. Any answer
but the expected one counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from locust import FastHttpUser, constant, task

PLAN: dict[str, Any] = json.loads(os.environ.get("LOAD_TEST_PLAN", "{}"))
# Which buyer and supplier identity the next user takes (several users may share one).
_BUYERS = itertools.count()
_SUPPLIERS = itertools.count()
# The run is bounded in requests as well as in time: past this many, locust stops.
_SENT = itertools.count(1)
MAX_REQUESTS = int(PLAN.get("max_requests", 100_000))


class _LocalUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    network_timeout = 15.0
    connection_timeout = 15.0

    def on_start(self) -> None:
        if not str(self.host).startswith(("http://127.0.0.1:", "http://127.0.0.1/")):
            raise RuntimeError("the load test only loads 127.0.0.1")

    def _send(self, method: str, path: str, name: str, expected: tuple[int, ...], **kwargs: Any) -> Any:
        if next(_SENT) > MAX_REQUESTS and self.environment.runner is not None:
            self.environment.runner.quit()
        headers = {**PLAN.get("headers", {}), **kwargs.pop("headers", {})}
        with self.client.request(
            method, path, name=name, headers=headers, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code in expected:
                response.success()  # a 409 may be expected: locust would count any 4xx as failed
            else:
                response.failure(f"status {response.status_code}: {(response.text or '')[:200]}")
            return response


class Buyer(_LocalUser):
    weight = 3

    def on_start(self) -> None:
        super().on_start()
        buyers = PLAN["buyers"]
        self.token = buyers[next(_BUYERS) % len(buyers)]
        self.searches = itertools.cycle(random.sample(PLAN["searches"], len(PLAN["searches"])))
        self.products = itertools.cycle(random.sample(PLAN["products"], len(PLAN["products"])))

    @task(10)
    def search(self) -> None:
        self._send("GET", next(self.searches), "buyer: search API", (200,))

    @task(6)
    def product_page(self) -> None:
        self._send("GET", next(self.products), "buyer: product page", (200,))

    @task(1)
    def post_rfq(self) -> None:
        auth = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        now = datetime.now(UTC)
        body = {
            "title": "Load test: transparent school backpacks",
            "description": "Clear PVC, reinforced straps, 2 colours.",
            "category": random.choice(PLAN["categories"]),
            "quantity": random.choice((5_000, 20_000, 50_000)),
            "unit": "piece",
            "currency": "USD",
            "destination_country": "LK",
            "destination_city": "Colombo",
            "incoterm": "FOB",
            "required_by": (now + timedelta(days=40)).date().isoformat(),
            "quote_deadline": (now + timedelta(days=7)).isoformat(),
        }
        created = self._send("POST", "/api/v1/rfqs/", "buyer: create RFQ", (201,), data=json.dumps(body), headers=auth)
        if created.status_code == 201:
            rfq = created.json()["id"]
            self._send("POST", f"/api/v1/rfqs/{rfq}/publish/", "buyer: publish RFQ", (200,), headers=auth)


class Supplier(_LocalUser):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        supplier = PLAN["suppliers"][next(_SUPPLIERS) % len(PLAN["suppliers"])]
        self.token = supplier["token"]
        self.rfqs = list(supplier["rfqs"])
        self.quoted: set[int] = set()

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}

    @task(4)
    def inbox(self) -> None:
        self._send("GET", "/api/v1/inbox/", "supplier: inbox", (200,), headers=self.auth)

    @task(3)
    def rfq(self) -> None:
        self._send(
            "GET", f"/api/v1/inbox/{random.choice(self.rfqs)}/", "supplier: inbox RFQ", (200,), headers=self.auth
        )

    @task(1)
    def quote(self) -> None:
        rfq = random.choice(self.rfqs)
        body = {
            "unit_price": f"{random.uniform(1.5, 3.5):.2f}",
            "currency": "USD",
            "quantity": 50_000,
            "lead_time_days": random.randint(12, 40),
            "valid_until": (datetime.now(UTC) + timedelta(days=20)).date().isoformat(),
            "incoterm": "FOB",
        }
        headers = {**self.auth, "Content-Type": "application/json"}
        path = f"/api/v1/inbox/{rfq}/quote/"
        if rfq in self.quoted:
            self._send("PUT", path, "supplier: revise quote", (200,), data=json.dumps(body), headers=headers)
        else:
            # Another user with the same identity may have quoted it first: then this one revises.
            response = self._send("POST", path, "supplier: quote", (201, 409), data=json.dumps(body), headers=headers)
            self.quoted.add(rfq)
            if response.status_code == 409:
                self._send("PUT", path, "supplier: revise quote", (200,), data=json.dumps(body), headers=headers)
