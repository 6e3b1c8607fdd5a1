"""Public kernel pages."""

from tests.matrix import Route, expect

ROUTES = [
    Route("home", expect(200)),
    Route("set_language", expect(302), method="post", data=lambda w: {"language": "zh-hans", "next": "/"}),
]
