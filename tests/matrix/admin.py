"""The Django admin: staff only."""

from tests.matrix import Route, expect

ROUTES = [Route("admin:index", expect(302, staff=200))]
