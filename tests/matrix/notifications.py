"""The notification centre and the notifications API: each person sees only their own."""

from tests.factories import NotificationFactory
from tests.matrix import Route, World, expect


def build(world: World) -> None:
    """The buyer has one notification; everyone else must get 404 for it."""
    world.buyer_notification = NotificationFactory(
        recipient=world.actors["buyer"].user, kind="test", context={"message": "hello"}, url="/"
    )


def _buyer_notification(world: World) -> dict[str, int]:
    return {"pk": world.buyer_notification.pk}


ROUTES = [
    Route("notification_list", expect(200, anonymous=302)),
    Route("notification_unread_count", expect(200, anonymous=302)),
    Route("notification_read_all", expect(302), method="post"),
    Route(
        "notification_read",
        expect(404, anonymous=302, buyer=302),
        method="post",
        kwargs=_buyer_notification,
    ),
    Route(
        "notification_read",
        expect(404, anonymous=302, buyer=200),
        method="post",
        kwargs=_buyer_notification,
        headers={"HX-Request": "true"},
    ),
    Route("api-notification-list", expect(200, anonymous=401)),
    Route(
        "api-notification-read",
        expect(404, anonymous=401, buyer=200),
        method="post",
        kwargs=_buyer_notification,
    ),
]
