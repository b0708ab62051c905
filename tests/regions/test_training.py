"""The LPA training: capacity, the waiting list and promotion on cancellation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from regions.models import TrainingRegistration
from regions.selectors import training_attendance
from regions.services import training_cancel, training_sign_up
from tests.factories import MembershipFactory, UserFactory
from tests.interviews.factories import TrainingSessionFactory
from wel.models import Role

R, W, C = (
    TrainingRegistration.Status.REGISTERED,
    TrainingRegistration.Status.WAITING,
    TrainingRegistration.Status.CANCELLED,
)


def lpas(world, n):
    people = []
    for i in range(n):
        user = UserFactory(email=f"lpa{i}@wel.test")
        MembershipFactory(user=user, region=world.region_a, role=Role.LPA)
        people.append(user)
    return people


def test_capacity_then_waiting_list_in_order(world):
    session = TrainingSessionFactory(capacity=2)
    a, b, c, d = lpas(world, 4)
    assert [training_sign_up(session=session, user=u).status for u in (a, b, c, d)] == [R, R, W, W]
    assert session.registrations.filter(status=R).count() == 2


def test_cancelling_a_place_promotes_the_first_waiter(world):
    session = TrainingSessionFactory(capacity=2)
    a, b, c, d = lpas(world, 4)
    for u in (a, b, c, d):
        training_sign_up(session=session, user=u)
    promoted = training_cancel(session=session, user=a)
    assert promoted.user == c
    statuses = dict(session.registrations.values_list("user__email", "status"))
    assert statuses == {a.email: C, b.email: R, c.email: R, d.email: W}
    assert session.registrations.get(user=c).promoted_at is not None


def test_cancelling_a_waiting_place_promotes_nobody(world):
    session = TrainingSessionFactory(capacity=1)
    a, b, c = lpas(world, 3)
    for u in (a, b, c):
        training_sign_up(session=session, user=u)
    assert training_cancel(session=session, user=b) is None
    assert session.registrations.get(user=c).status == W
    assert session.registrations.filter(status=R).count() == 1


def test_signing_up_twice_keeps_one_place_and_can_sign_up_again_after_cancel(world):
    session = TrainingSessionFactory(capacity=3)
    (a,) = lpas(world, 1)
    first = training_sign_up(session=session, user=a)
    assert training_sign_up(session=session, user=a).pk == first.pk
    training_cancel(session=session, user=a)
    again = training_sign_up(session=session, user=a)
    assert again.pk != first.pk and again.status == R
    assert session.registrations.count() == 2


def test_the_database_allows_one_active_registration_per_person(world):
    session = TrainingSessionFactory(capacity=3)
    (a,) = lpas(world, 1)
    TrainingRegistration.objects.create(session=session, user=a, status=R)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingRegistration.objects.create(session=session, user=a, status=W)


def test_cancel_without_registration_says_so(world):
    session = TrainingSessionFactory()
    with pytest.raises(ValidationError):
        training_cancel(session=session, user=world.user("lpa_a"))


def test_no_sign_up_for_past_or_unpublished_sessions(world):
    past = TrainingSessionFactory(starts_at=timezone.now() - dt.timedelta(days=1))
    hidden = TrainingSessionFactory(is_published=False)
    for session in (past, hidden):
        with pytest.raises(ValidationError):
            training_sign_up(session=session, user=world.user("lpa_a"))


@pytest.mark.parametrize("persona", ["landelijk", "beheerder"])
def test_national_roles_do_not_sign_up(world, persona):
    with pytest.raises(PermissionDenied):
        training_sign_up(session=TrainingSessionFactory(), user=world.user(persona))


def test_raising_capacity_moves_waiters_up(world, client_for):
    session = TrainingSessionFactory(capacity=1)
    a, b = lpas(world, 2)
    training_sign_up(session=session, user=a)
    training_sign_up(session=session, user=b)
    response = client_for("landelijk").post(
        reverse("regions:training_session_update", kwargs={"pk": session.pk}),
        {
            "training": session.training_id,
            "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "place": session.place,
            "capacity": 2,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert session.registrations.get(user=b).status == R


def test_sign_up_and_cancel_through_the_views(world, client_for):
    session = TrainingSessionFactory(capacity=1)
    lpa = client_for("lpa_a")
    url = reverse("regions:training_sign_up", kwargs={"pk": session.pk})
    assert lpa.get(url).status_code == 405
    assert lpa.post(url).status_code == 302
    kartrekker = client_for("kartrekker_a")
    response = kartrekker.post(url, follow=True)
    assert "waiting list" in response.content.decode()
    lpa.post(reverse("regions:training_cancel", kwargs={"pk": session.pk}))
    assert session.registrations.get(user=world.user("kartrekker_a")).status == R


def test_attendance_per_region(world, client_for):
    future = TrainingSessionFactory(capacity=5)
    past = TrainingSessionFactory(capacity=5, starts_at=timezone.now() + dt.timedelta(hours=1))
    training_sign_up(session=future, user=world.user("lpa_a"))
    training_sign_up(session=past, user=world.user("lpa_a"))
    training_sign_up(session=future, user=world.user("lpa_b"))
    type(past).objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=2))
    rows = {r.code: r for r in training_attendance()}
    assert (rows["VO2202"].registered, rows["VO2202"].attended, rows["VO2202"].people) == (1, 1, 1)
    assert (rows["VO2201"].registered, rows["VO2201"].attended) == (1, 0)
    page = client_for("landelijk").get(reverse("regions:training_attendance"))
    assert page.status_code == 200 and world.region_a.name in page.content.decode()
    assert client_for("lpa_a").get(reverse("regions:training_attendance")).status_code == 403


def test_the_landelijk_team_publishes_a_session_with_the_default_title(world, client_for):
    client = client_for("landelijk")
    response = client.get(reverse("regions:training_session_create"))
    assert "Hoe voer je een gesprek over ontwikkelmogelijkheden?" in response.content.decode()
    starts = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    form = response.context["form"]
    response = client.post(
        reverse("regions:training_session_create"),
        {
            "training": form.initial["training"].pk,
            "starts_at": starts,
            "is_online": "on",
            "place": "Teams",
            "capacity": 12,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    listing = client_for("lpa_a").get(reverse("regions:training_list")).content.decode()
    assert "Teams" in listing


def test_training_list_query_count(world, client_for, django_assert_max_num_queries):
    for _ in range(10):
        TrainingSessionFactory()
    client = client_for("lpa_a")
    with django_assert_max_num_queries(8):
        client.get(reverse("regions:training_list"))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_exceed_capacity(world):
    """Real PostgreSQL: ten people press the button at once for three places."""
    import threading

    from django.db import connection

    from tests.conftest import need_services

    need_services(postgres=True)
    session = TrainingSessionFactory(capacity=3)
    people = lpas(world, 10)
    barrier = threading.Barrier(len(people))
    errors = []

    def sign_up(user):
        try:
            barrier.wait()
            training_sign_up(session=session, user=user)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert session.registrations.filter(status=R).count() == 3
    assert session.registrations.filter(status=W).count() == 7
