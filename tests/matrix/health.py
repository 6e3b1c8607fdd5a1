"""/healthz answers everyone, signed in or not."""

from tests.matrix import Route, expect

ROUTES = [Route("healthz", expect(200))]
