"""Who may open which notifications URL: everyone their own; a notification of someone else
answers 404 (lpa_a owns the one the walk opens)."""

from notifications import services
from notifications.models import Kind
from tests.walk import Route, everyone


def build(world):
    notice = services.notify(
        recipient=world.user("lpa_a"),
        kind=Kind.ASSIGNED,
        reference=world.jeugdige_a.reference,
        link=world.jeugdige_a.get_absolute_url(),
        jeugdige=world.jeugdige_a,
    )
    world.extra.notification = notice


WALK = {
    "notifications:list": Route(get=everyone(200)),
    "notifications:read": Route(
        get=everyone(405),
        post=everyone(404, lpa_a=302),
        post_data=lambda w: {"stay": "1"},
        kwargs=lambda w: {"pk": w.notification.pk},
    ),
    "notifications:read_all": Route(get=everyone(405), post=everyone(302)),
    "notifications:settings": Route(
        get=everyone(200), post=everyone(200), post_data=lambda w: {"email": "nonsense"}
    ),
}
