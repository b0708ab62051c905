"""The notifications page, reading, and the e-mail choice, per persona; the header's badge
costs no query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from notifications import services
from notifications.models import EmailChoice, Kind, Notification, Preference
from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db
PERSONAS = ("lpa_a", "kartrekker_a", "lpa_b", "landelijk", "beheerder")


def _tell(user, j, kind=Kind.ASSIGNED):
    return services.notify(
        recipient=user, kind=kind, reference=j.reference, link=j.get_absolute_url(), jeugdige=j
    )


@pytest.fixture
def case(world):
    return make_jeugdige(world, given_name="Zoë", family_name="Bakkerstraat")


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_sees_only_their_own(world, client_for, case, persona):
    _tell(world.user("lpa_a"), case)
    response = client_for(persona).get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.content.decode()
    if persona == "lpa_a":
        assert f"Case {case.reference} has been assigned to you." in page
        assert 'data-testid="notification-count">1' in page
    else:
        assert case.reference not in page
        assert 'data-testid="notification-count"' not in page
    assert "Zoë" not in page and "Bakkerstraat" not in page  # references only


def test_unread_first_then_newest(world, client_for, case):
    lpa = world.user("lpa_a")
    old = _tell(lpa, case)
    newer = _tell(lpa, case, Kind.FAMILY_ANSWERED)
    services.mark_read(user=lpa, notification_id=newer.pk)
    response = client_for("lpa_a").get(reverse("notifications:list"))
    assert [n.pk for n in response.context["notifications"]] == [old.pk, newer.pk]


def test_open_marks_read_and_goes_to_the_case(world, client_for, case):
    lpa = world.user("lpa_a")
    notice = _tell(lpa, case)
    client = client_for("lpa_a")
    response = client.post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    notice.refresh_from_db()
    lpa.refresh_from_db()
    assert notice.read_at is not None
    assert lpa.unread_notifications == 0


@pytest.mark.parametrize("persona", ["kartrekker_a", "lpa_b", "landelijk", "beheerder"])
def test_someone_elses_notice_is_404_and_stays_unread(world, client_for, case, persona):
    notice = _tell(world.user("lpa_a"), case)
    response = client_for(persona).post(reverse("notifications:read", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_reading_is_post_only(world, client_for, case):
    notice = _tell(world.user("lpa_a"), case)
    client = client_for("lpa_a")
    assert client.get(reverse("notifications:read", args=[notice.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_mark_all_read_only_touches_ones_own(world, client_for, case):
    lpa, kartrekker = world.user("lpa_a"), world.user("kartrekker_a")
    _tell(lpa, case)
    _tell(lpa, case, Kind.FAMILY_ANSWERED)
    theirs = _tell(kartrekker, case)
    response = client_for("lpa_a").post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=lpa, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    lpa.refresh_from_db()
    kartrekker.refresh_from_db()
    assert (lpa.unread_notifications, kartrekker.unread_notifications) == (0, 1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_email_choice(world, client_for, persona):
    client = client_for(persona)
    response = client.get(reverse("notifications:settings"))
    assert response.status_code == 200
    assert "checked" in response.content.decode()  # the default, daily, is shown chosen
    response = client.post(reverse("notifications:settings"), {"email": EmailChoice.DIRECT})
    assert response.status_code == 302
    assert Preference.objects.get(user=world.user(persona)).email == EmailChoice.DIRECT


def test_a_wrong_choice_is_refused_with_a_message(world, client_for):
    response = client_for("lpa_a").post(reverse("notifications:settings"), {"email": "nooit"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preference.objects.exists()


def test_list_queries_are_fixed(world, client_for, case, django_assert_num_queries):
    lpa = world.user("lpa_a")
    client = client_for("lpa_a")
    _tell(lpa, case)
    client.get(reverse("notifications:list"))  # warm (session, second factor)
    # session, user, second-factor device, the scope, count (paginator), the notices
    with django_assert_num_queries(6) as first:
        client.get(reverse("notifications:list"))
    for _ in range(20):
        _tell(lpa, case, Kind.FAMILY_ANSWERED)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("notifications:list"))


def test_the_badge_costs_no_query(world, client_for, case, django_assert_num_queries):
    """The count is a column of the user row every request loads already."""
    client = client_for("lpa_a")
    url = reverse("account_settings")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    case_services.jeugdige_handover(
        jeugdige=case, to=world.user("lpa_a"), note="Zie dossier.", by=world.user("kartrekker_a")
    )
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert 'data-testid="notification-count">1' in response.content.decode()
