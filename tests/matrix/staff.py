"""The staff dashboard (/staff/): staff only; anybody else signed in gets 404 (the page does not
exist for them), anonymous visitors are sent to log in. It takes no POST."""

from tests.matrix import Route, expect

ROUTES = [
    Route("staff:dashboard", expect(404, staff=200, anonymous=302)),
    Route("staff:dashboard", expect(405), method="post"),
]
