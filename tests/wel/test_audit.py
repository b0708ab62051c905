"""The audit log: login events, the record helper, append-only at every level."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import need_services
from wel import audit
from wel.models import AuditEvent

# session, user, the verified second-factor device (django-otp), count, the page of events,
# the region names of their roles: pinned exactly
N_AUDIT_PAGE_QUERIES = 6


def test_successful_login_is_audited(client, world):
    response = client.post(
        reverse("login"),
        {"username": "lpa.a@wel.test", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.user == world.user("lpa_a")
    assert event.outcome == AuditEvent.Outcome.SUCCESS
    assert event.ip_address == "10.1.2.3"
    assert "lpa@" in event.role


def test_failed_login_is_audited_without_the_password(client, world):
    response = client.post(
        reverse("login"), {"username": "lpa.a@wel.test", "password": "wrong-password-123"}
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.outcome == AuditEvent.Outcome.FAILURE
    assert event.user_label == "lpa.a@wel.test"
    assert "wrong-password-123" not in str(event.detail)


def test_login_locks_after_repeated_failures(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "lpa.a@wel.test", "password": "nope-nope-nope"})
    response = client.post(
        reverse("login"), {"username": "lpa.a@wel.test", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


def test_logout_is_audited(client, world):
    client.force_login(world.user("kartrekker_a"))
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT).count() == 1


def test_record_labels_objects_without_names(world, rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = world.user("kartrekker_a")
    event = audit.record(audit.events.REPORT_TABLE_EXPORTED, request=request, obj=world.region_a)
    assert event.object_type == "regions.region"
    assert event.object_id == str(world.region_a.pk)
    assert event.ip_address == "192.0.2.7"


def test_forwarded_for_is_only_trusted_behind_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.2")
    settings.WEL_TRUSTED_PROXY_COUNT = 0
    assert audit.client_address(request) == "10.0.0.1"
    settings.WEL_TRUSTED_PROXY_COUNT = 1
    assert audit.client_address(request) == "10.0.0.2"
    settings.WEL_TRUSTED_PROXY_COUNT = 2
    assert audit.client_address(request) == "203.0.113.9"


def test_the_orm_refuses_to_change_or_delete_audit_events(world):
    event = audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("lpa_a"))
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(action="view")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


@pytest.mark.services
def test_postgresql_refuses_update_and_delete_of_the_audit_table(world):
    need_services(postgres=True)
    event = audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("lpa_a"))
    for sql in (
        "UPDATE wel_auditevent SET action = 'view' WHERE id = %s",
        "DELETE FROM wel_auditevent WHERE id = %s",
        "DELETE FROM wel_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk] if "%s" in sql else None)
    assert AuditEvent.objects.filter(pk=event.pk, action="login").exists()


def test_beheerder_reads_the_audit_log_filtered(client_for, world):
    audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("lpa_a"))
    audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("lpa_b"))
    response = client_for("beheerder").get(reverse("audit_log"), {"user_label": "lpa.b"})
    assert response.status_code == 200
    assert b"lpa.b@wel.test" in response.content
    assert b"lpa.a@wel.test" not in response.content


# -- issue 9 §4: readable labels, filters, CSV, the region's own log, refusals, edit form ---------
def _case(world):
    from tests.cases.factories import make_jeugdige

    return make_jeugdige(world, given_name="Anna", family_name="Emmen")


def test_opening_the_case_edit_form_writes_a_view_event(client_for, world):
    """The found: the edit form shows name, BSN and date of birth but wrote no view event."""
    jeugdige = _case(world)
    response = client_for("lpa_a").get(reverse("cases:update", args=[jeugdige.reference]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, jeugdige_id=jeugdige.pk)
    assert event.user == world.user("lpa_a")


def test_another_regions_case_is_refused_and_logged_denied(client_for, world):
    jeugdige = _case(world)
    response = client_for("lpa_b").get(reverse("cases:detail", args=[jeugdige.reference]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED)
    assert event.user == world.user("lpa_b")
    assert event.object_label == jeugdige.reference
    assert event.detail["status"] == 404
    # …and the case's own access history shows the attempt.
    page = client_for("kartrekker_a").get(reverse("cases:history", args=[jeugdige.reference]))
    assert any(
        e.outcome == "denied" and e.user_label == "lpa.b@wel.test" for e in page.context["page"]
    )
    response = client_for("landelijk").get(reverse("cases:list"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        outcome=AuditEvent.Outcome.DENIED, user=world.user("landelijk"), detail__status=403
    ).exists()


def test_the_audit_log_shows_dutch_labels_not_codes(client_for, world):
    jeugdige = _case(world)
    client_for("lpa_a").get(reverse("cases:detail", args=[jeugdige.reference]))
    with translation.override("nl"):
        page = client_for("beheerder").get(reverse("audit_log"), HTTP_ACCEPT_LANGUAGE="nl")
    body = page.content.decode()
    assert f"lpa@{world.region_a.pk}" not in body
    assert "cases.jeugdige" not in body
    assert world.region_a.name in body


def test_the_audit_log_filters_and_exports_csv_which_is_audited(client_for, world):
    jeugdige = _case(world)
    client_for("lpa_a").get(reverse("cases:detail", args=[jeugdige.reference]))
    client_for("kartrekker_a").get(reverse("cases:history", args=[jeugdige.reference]))
    client = client_for("beheerder")
    query = {
        "user_label": "lpa.a",
        "jeugdige_reference": jeugdige.reference,
        "action": "view",
        "outcome": "success",
        "since": "2000-01-01",
        "until": "2999-12-31",
    }
    page = client.get(reverse("audit_log"), query)
    assert [e.user_label for e in page.context["page"]] == ["lpa.a@wel.test"]
    response = client.get(reverse("audit_export"), query)
    assert response["Content-Type"] == "text/csv"
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and "lpa.a@wel.test" in rows[1]
    assert "school attendance officer, Emmen/Borger-Odoorn" in rows[1]
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, user=world.user("beheerder"))
    assert export.detail["rows"] == 1 and export.detail["filters"]["user_label"] == "lpa.a"


def test_the_kartrekker_sees_their_regions_access_log_only(client_for, world):
    from tests.cases.factories import make_jeugdige

    mine = _case(world)
    other = make_jeugdige(
        world, region=world.region_b, gemeente=world.assen, by=world.user("lpa_b")
    )
    client_for("lpa_a").get(reverse("cases:detail", args=[mine.reference]))
    client_for("lpa_b").get(reverse("cases:detail", args=[other.reference]))
    page = client_for("kartrekker_a").get(reverse("cases:region_audit"))
    refs = {e.jeugdige_reference for e in page.context["page"]}
    assert mine.reference in refs and other.reference not in refs
    csv_response = client_for("kartrekker_a").get(reverse("cases:region_audit_export"))
    assert other.reference not in csv_response.content.decode("utf-8-sig")
    assert client_for("lpa_a").get(reverse("cases:region_audit")).status_code == 403


def test_the_cases_access_history_uses_readable_labels(client_for, world):
    jeugdige = _case(world)
    client = client_for("kartrekker_a")
    client.post(
        reverse("cases:update", args=[jeugdige.reference]),
        {},
    )
    page = client.get(reverse("cases:history", args=[jeugdige.reference]))
    labels = [e.type_display for e in page.context["page"]]
    assert "Case history and access log viewed" in labels
    assert "Case file viewed (name, BSN, date of birth, details)" in labels
    assert not {"jeugdige.viewed", "jeugdige.history_viewed", "view"} & set(labels)


def test_the_audit_log_page_has_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    for _ in range(3):
        audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("lpa_a"))
    client = client_for("beheerder")
    client.get(reverse("audit_log"))
    with django_assert_num_queries(N_AUDIT_PAGE_QUERIES):
        client.get(reverse("audit_log"))
    for _ in range(30):
        audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("kartrekker_a"))
    with django_assert_num_queries(N_AUDIT_PAGE_QUERIES):
        client.get(reverse("audit_log"))


@pytest.mark.services
def test_the_application_role_cannot_update_delete_or_truncate_the_audit_log(world):
    """Issue 9 §4: two roles. The app role gets its rights from ``grant_app_role``; on the audit
    table it may SELECT and INSERT only. (The role is created inside the test's transaction, so
    it disappears with the rollback.)"""
    need_services(postgres=True)
    import uuid

    from django.core.management import call_command

    role = f"wel_app_test_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("grant_app_role", role)
    kept = audit.record(audit.events.LOGIN_SUCCEEDED, user=world.user("lpa_a"))

    def as_app(sql, params=None):
        with transaction.atomic(), connection.cursor() as cursor:
            # On an error the savepoint's rollback also undoes SET ROLE.
            cursor.execute(f'SET ROLE "{role}"')
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else None
            cursor.execute("RESET ROLE")
            return rows

    # What the application needs works…
    assert as_app("SELECT count(*) FROM wel_auditevent")[0][0] >= 1
    as_app(
        "INSERT INTO wel_auditevent (occurred_at, action, outcome, user_label, role, "
        "on_behalf_of, object_type, object_id, object_label, jeugdige_reference, data, detail) "
        "VALUES (now(), 'view', 'success', 'app', '', '', '', '', '', '', '', '{}')"
    )
    as_app("UPDATE wel_user SET wants_digest = wants_digest WHERE id = %s", [kept.user_id])
    # …changing or emptying the log does not.
    for sql in (
        "UPDATE wel_auditevent SET action = 'view'",
        "DELETE FROM wel_auditevent",
        "TRUNCATE wel_auditevent",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            as_app(sql)
    assert AuditEvent.objects.filter(pk=kept.pk, action="login").exists()
    # Retention: lines past five years go only through the owner's purge function (wel.0007),
    # which never touches a younger line, whatever cutoff it is given.
    expired = AuditEvent(action=AuditEvent.Action.VIEW, user_label="expired")
    expired.occurred_at = timezone.now() - dt.timedelta(days=6 * 366)
    expired.save()
    assert as_app("SELECT wel_audit_purge(now())")[0][0] == 1
    assert not AuditEvent.objects.filter(pk=expired.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_the_region_access_log_has_a_fixed_number_of_queries(
    client_for, world, django_assert_num_queries
):
    from tests.cases.factories import make_jeugdige

    client = client_for("kartrekker_a")
    jeugdige = make_jeugdige(world)
    client_for("lpa_a").get(reverse("cases:detail", args=[jeugdige.reference]))
    client.get(reverse("cases:region_audit"))
    # session, user, second-factor device, scope (memberships with their gemeenten), count,
    # page, region names
    with django_assert_num_queries(7):
        client.get(reverse("cases:region_audit"))
    for _ in range(5):
        other = make_jeugdige(world)
        client_for("lpa_a").get(reverse("cases:detail", args=[other.reference]))
    with django_assert_num_queries(7):
        client.get(reverse("cases:region_audit"))


@pytest.mark.django_db
def test_role_labels_read_only_the_regions_not_known_already(world, django_assert_num_queries):
    """label_events names a role's region by its current name; names passed in (the viewer's
    own regions from the scope) are not read again, the others in one query."""
    from wel.audit_labels import label_events

    a, b = world.region_a, world.region_b
    events = [
        AuditEvent(action="view", role=f"lpa@{a.pk}"),
        AuditEvent(action="view", role=f"kartrekker@{b.pk}, lpa@{a.pk}"),
        AuditEvent(action="view", role="landelijk_team"),
    ]
    with translation.override("nl"):
        with django_assert_num_queries(1):
            plain = [e.role_display for e in label_events(events)]
        with django_assert_num_queries(1):  # only region B is read
            known = label_events(events, known_regions={a.pk: a.name})
        assert [e.role_display for e in known] == plain
        with django_assert_num_queries(0):
            label_events(events, known_regions={a.pk: a.name, b.pk: b.name})
    assert a.name in plain[0] and b.name in plain[1] and a.name in plain[1]
