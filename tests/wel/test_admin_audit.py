"""Issue 9 §3: a beheerder cannot grant themself access, and every admin change is an
append-only audit event with old and new values."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Jeugdige
from tests.cases.factories import make_jeugdige
from wel.access import scope_for
from wel.models import AuditEvent, Membership, NationalRole, Role, User


def _user_form(user: User, *, memberships: list[dict] | None = None, **fields) -> dict:
    """The POST of the admin's user change page, with the membership inline."""
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "national_role": user.national_role,
        "wants_digest": "on",
        "is_active": "on" if user.is_active else "",
    } | fields
    data = {k: v for k, v in data.items() if v != ""}
    existing = list(user.memberships.order_by("pk"))
    rows = [
        {"id": m.pk, "user": user.pk, "region": m.region_id, "role": m.role} for m in existing
    ] + (memberships or [])
    data |= {
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"memberships-{i}-{key}"] = "on"
            else:
                data[f"memberships-{i}-{key}"] = str(value)
    return data


def _change_url(user: User) -> str:
    return reverse("admin:wel_user_change", args=[user.pk])


@pytest.fixture
def second_beheerder(world):
    return User.objects.create_user(
        "beheerder2@wel.test",
        "correct-horse-battery",
        full_name="Ben Beheerder",
        national_role=NationalRole.BEHEERDER,
    )


def test_beheerder_cannot_grant_themself_a_kartrekker_membership(client_for, world):
    """The found: a beheerder added a kartrekker membership for a region to their own account
    in /beheer/ and then opened case pages with name and BSN."""
    me = world.user("beheerder")
    jeugdige = make_jeugdige(world, given_name="Anna", family_name="Emmen")
    client = client_for("beheerder")
    new = {"user": me.pk, "region": world.region_a.pk, "role": Role.KARTREKKER}
    response = client.post(_change_url(me), _user_form(me, memberships=[new]))
    assert response.status_code in (302, 403)
    assert not Membership.objects.filter(user=me).exists()
    # …and the page does not offer it: the inline is read-only on one's own account.
    page = client.get(_change_url(me)).content.decode()
    assert 'name="memberships-TOTAL_FORMS"' not in page or "memberships-0-role" not in page
    assert client.get(jeugdige.get_absolute_url()).status_code == 403


def test_beheerder_cannot_change_their_own_national_role_or_deactivate(client_for, world):
    me = world.user("beheerder")
    client = client_for("beheerder")
    client.post(_change_url(me), _user_form(me, national_role=NationalRole.LANDELIJK_TEAM))
    client.post(_change_url(me), _user_form(me, is_active=""))
    me.refresh_from_db()
    assert me.national_role == NationalRole.BEHEERDER
    assert me.is_active


def test_another_beheerder_grants_and_it_is_audited_with_old_and_new(
    client_for, world, second_beheerder
):
    lpa = world.user("lpa_b")
    client = client_for("beheerder")
    new = {"user": lpa.pk, "region": world.region_a.pk, "role": Role.KARTREKKER}
    response = client.post(_change_url(lpa), _user_form(lpa, memberships=[new]))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user=lpa, region=world.region_a).exists()
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, object_type="wel.user", object_id=str(lpa.pk)
    )
    assert event.user == world.user("beheerder")
    assert event.event_type == "membership.created"
    assert event.detail["via"] == "beheer"
    changes = {c["field"]: c for c in event.changes}
    assert changes["role"] == {"field": "role", "old": None, "new": "kartrekker"}
    assert changes["region"] == {
        "field": "region",
        "old": None,
        "new": world.region_a.pk,
        "new_label": str(world.region_a),
    }

    # The new membership is visible on the user's own page, with who granted it.
    own = client_for("lpa_b").get(reverse("account_settings")).content.decode()
    assert str(world.region_a) in own
    assert "beheerder@wel.test" in own


def test_role_change_deactivation_and_password_set_are_audited(client_for, world):
    target = world.user("landelijk")
    client = client_for("beheerder")
    response = client.post(_change_url(target), _user_form(target, national_role="", is_active=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.UPDATE, object_type="wel.user", object_id=str(target.pk)
    )
    assert event.event_type == "user.updated"
    changes = {c["field"]: (c["old"], c["new"]) for c in event.changes}
    assert changes["national_role"] == ("landelijk_team", "")
    assert changes["is_active"] == (True, False)

    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = client.post(
        url,
        {"password1": "een-heel-lang-wachtwoord-42", "password2": "een-heel-lang-wachtwoord-42"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_SET)
    assert event.event_type == "password.set_by_beheerder"
    assert event.object_id == str(target.pk)
    assert event.user == world.user("beheerder")
    assert "een-heel-lang" not in str(event.detail)


def test_membership_removal_and_reference_data_changes_are_audited(client_for, world):
    lpa = world.user("lpa_a")
    client = client_for("beheerder")
    data = _user_form(lpa)
    data["memberships-0-DELETE"] = "on"
    response = client.post(_change_url(lpa), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not lpa.memberships.exists()
    removed = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_id=str(lpa.pk))
    assert removed.event_type == "membership.removed"
    assert str(world.region_a) in removed.detail["removed"]

    # Every registered admin is audited, not only the user admin: a region's name.
    region = world.region_b
    url = reverse("admin:regions_region_change", args=[region.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    post = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            post[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                post[name] = "on"
        else:
            post[name] = getattr(value, "pk", value)
    post["name"] = "Regio Assen e.o."
    response = client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(object_type="regions.region", object_id=str(region.pk))
    assert event.event_type == "beheer.updated"
    # Reference data: a region's name identifies nobody, so its values are kept.
    assert event.changes == [{"field": "name", "old": "Regio Assen", "new": "Regio Assen e.o."}]


def test_the_beheerder_role_never_sees_case_content_even_with_a_membership(world):
    me = world.user("beheerder")
    Membership.objects.create(user=me, region=world.region_a, role=Role.KARTREKKER)
    make_jeugdige(world)
    me = User.objects.get(pk=me.pk)
    assert not scope_for(me).memberships
    assert not Jeugdige.objects.visible_to(me).exists()


def test_admin_audit_events_are_append_only(client_for, world):
    lpa = world.user("lpa_b")
    client_for("beheerder").post(_change_url(lpa), _user_form(lpa, full_name="Bert LPA-B (Assen)"))
    event = AuditEvent.objects.get(object_id=str(lpa.pk), action=AuditEvent.Action.UPDATE)
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(data="x")
