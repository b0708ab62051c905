"""The audit log: login events, the record helper, append-only at every level."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.conftest import need_services
from wel import audit
from wel.models import AuditEvent


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
    event = audit.record(action=audit.Action.VIEW, request=request, obj=world.region_a)
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
    event = audit.record(action=audit.Action.LOGIN, user=world.user("lpa_a"))
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
    event = audit.record(action=audit.Action.LOGIN, user=world.user("lpa_a"))
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
    audit.record(action=audit.Action.LOGIN, user=world.user("lpa_a"))
    audit.record(action=audit.Action.LOGIN, user=world.user("lpa_b"))
    response = client_for("beheerder").get(reverse("audit_log"), {"user_label": "lpa.b"})
    assert response.status_code == 200
    assert b"lpa.b@wel.test" in response.content
    assert b"lpa.a@wel.test" not in response.content
