"""The cache backend: Django's Redis cache, which answers without Redis when Redis is unreachable.

Nothing the site keeps in the cache is needed to answer a request: API throttle counts, matching's
category figures. So when Redis cannot be reached (refused, timed out after REDIS_TIMEOUT_SECONDS),
every operation answers as an empty cache that keeps nothing — a read misses, a write is dropped,
`incr` counts from zero — and the request goes on: throttles let it through, callers compute what
they would have read. The process then leaves Redis alone for REDIS_RETRY_AFTER_SECONDS
(sourcebelt/outages.py) and logs a warning. Other Redis errors (a bug, not an outage) still raise.

`count()` is the API throttles' counter (marketplace/api/throttling.py): one atomic increment in a
window, one round trip. `probe()` is for /healthz, which must see the outage this backend hides from everyone else.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from sourcebelt.outages import outage_begin, outage_end, outage_ongoing

OUTAGES = (RedisConnectionError, RedisTimeoutError)
ROLE = "cache"


class FallbackRedisCacheClient(RedisCacheClient):
    """Django's client with every operation answered by `fallback` while Redis is unreachable."""

    server = ""

    def _call(self, operation: Callable[[], Any], fallback: Any) -> Any:
        if outage_ongoing(self.server):
            return fallback
        try:
            result = operation()
        except OUTAGES as exc:
            outage_begin(self.server, role=ROLE, pause=settings.REDIS_RETRY_AFTER_SECONDS, error=exc)
            return fallback
        outage_end(self.server, role=ROLE)
        return result

    def add(self, key: Any, value: Any, timeout: Any) -> Any:
        return self._call(partial(super().add, key, value, timeout), False)

    def get(self, key: Any, default: Any) -> Any:
        return self._call(partial(super().get, key, default), default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._call(partial(super().set, key, value, timeout), None)

    def touch(self, key: Any, timeout: Any) -> Any:
        return self._call(partial(super().touch, key, timeout), False)

    def delete(self, key: Any) -> Any:
        return self._call(partial(super().delete, key), False)

    def get_many(self, keys: Any) -> Any:
        return self._call(partial(super().get_many, keys), {})

    def has_key(self, key: Any) -> Any:
        return self._call(partial(super().has_key, key), False)

    def incr(self, key: Any, delta: Any) -> Any:
        return self._call(partial(super().incr, key, delta), delta)

    def set_many(self, data: Any, timeout: Any) -> Any:
        return self._call(partial(super().set_many, data, timeout), list(data))

    def delete_many(self, keys: Any) -> Any:
        return self._call(partial(super().delete_many, keys), None)

    def clear(self) -> Any:
        return self._call(partial(super().clear), False)

    def count(self, key: Any, timeout: int) -> tuple[int, int]:
        """`FallbackRedisCache.count` on the made key, in one round trip."""

        def counted() -> tuple[int, int]:
            pipeline = self.get_client(key, write=True).pipeline(transaction=False)
            pipeline.set(key, 0, ex=timeout, nx=True)  # a new window: it ends `timeout` from now
            pipeline.incr(key)
            pipeline.ttl(key)
            _new, count, left = pipeline.execute()
            return int(count), int(left) if left and left > 0 else timeout

        return self._call(counted, (1, timeout))


class FallbackRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that answers as an empty cache during an outage."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    @cached_property
    def _cache(self) -> FallbackRedisCacheClient:
        # Set by RedisCache.__init__; the stubs do not declare them.
        client = FallbackRedisCacheClient(self._servers, **self._options)  # type: ignore[attr-defined]
        client.server = self._location
        return client

    def count(self, key: str, timeout: int) -> tuple[int, int]:
        """Counts one more under `key` in a window of `timeout` seconds that begins with its first
        count; returns the count (this one included) and the seconds the window has left. Atomic
        (Redis' INCR: concurrent workers never lose a count) and one round trip, whatever the count.
        During an outage: (1, timeout), nothing counted."""
        return self._cache.count(self.make_and_validate_key(key), timeout)

    def probe(self) -> None:
        """Store, read back and delete a key in Redis itself, raising whatever goes wrong (for
        /healthz: an outage is not hidden here, and a pause is not waited out)."""
        key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
        client = self._cache
        RedisCacheClient.set(client, key, value, 10)
        try:
            if RedisCacheClient.get(client, key, None) != value:
                raise RuntimeError("the cache did not return what was stored")
        finally:
            RedisCacheClient.delete(client, key)
        outage_end(self._location, role=ROLE)
