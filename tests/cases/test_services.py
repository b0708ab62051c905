import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cases import services
from cases.models import (
    ClosingReason,
    ContactMoment,
    Grondslag,
    Jeugdige,
    Status,
    TimelineEntry,
)
from tests.cases.factories import make_jeugdige
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def data(**kw):
    return {
        "given_name": "Sanne",
        "family_name": "de Vries",
        "date_of_birth": dt.date(2014, 3, 14),
        "grondslag": Grondslag.VRIJSTELLING_5A,
    } | kw


def test_create_gives_a_reference_per_region_and_year_and_writes_timeline_and_audit(world):
    lpa = world.user("lpa_a")
    a = services.jeugdige_create(region=world.region_a, gemeente=world.emmen, by=lpa, data=data())
    b = services.jeugdige_create(
        region=world.region_a, gemeente=world.emmen, by=lpa, data=data(given_name="Daan")
    )
    c = services.jeugdige_create(
        region=world.region_b, gemeente=world.assen, by=world.user("lpa_b"), data=data()
    )
    assert (a.reference, b.reference) == (f"EMM-{YEAR}-0001", f"EMM-{YEAR}-0002")
    assert c.reference == f"ASS-{YEAR}-0001"
    assert a.timeline.get().kind == TimelineEntry.Kind.CREATED
    event = AuditEvent.objects.get(action="create", jeugdige_id=a.pk)
    assert event.object_label == a.reference and "Sanne" not in event.object_label
    assert a.history.count() == 1
    assert a.created_by == lpa


def test_reference_skips_numbers_written_around_the_counter(world):
    Jeugdige.objects.create(
        region=world.region_a,
        gemeente=world.emmen,
        reference=f"EMM-{YEAR}-0001",
        given_name="X",
        family_name="Y",
        date_of_birth=dt.date(2014, 1, 1),
        grondslag=Grondslag.ABSOLUUT_VERZUIM,
    )
    j = make_jeugdige(world)
    assert j.reference == f"EMM-{YEAR}-0002"


def test_default_renewal_due_for_a_yearly_5a_exemption(world):
    j = make_jeugdige(
        world,
        exemption_start=dt.date(2025, 8, 1),
        exemption_end=dt.date(2026, 7, 31),
        exemption_duration="school_year",
    )
    assert j.renewal_due == dt.date(2026, 7, 1)
    whole = make_jeugdige(
        world,
        given_name="W",
        exemption_start=dt.date(2025, 8, 1),
        exemption_duration="whole_period",
    )
    assert whole.renewal_due is None


def test_lpa_may_only_create_in_their_gemeenten(world):
    with pytest.raises(PermissionDenied):
        services.jeugdige_create(
            region=world.region_a, gemeente=world.borger, by=world.user("lpa_a"), data=data()
        )
    with pytest.raises(services.CaseError):
        services.jeugdige_create(
            region=world.region_a, gemeente=world.assen, by=world.user("kartrekker_a"), data=data()
        )
    assert not Jeugdige.objects.exists()


def test_duplicate_bsn_is_refused_and_name_plus_birth_date_needs_confirmation(world):
    lpa = world.user("lpa_a")
    first = make_jeugdige(world, bsn="111222333")
    with pytest.raises(services.CaseError) as exc:
        services.jeugdige_create(
            region=world.region_a,
            gemeente=world.emmen,
            by=lpa,
            data=data(given_name="Other", bsn="111222333"),
        )
    assert exc.value.code == "duplicate_bsn" and first.reference in exc.value.messages[0]
    with pytest.raises(services.CaseError) as exc:
        services.jeugdige_create(
            region=world.region_a,
            gemeente=world.emmen,
            by=lpa,
            data=data(given_name="SANNE", family_name="de vries "),
        )
    assert exc.value.code == "duplicate_name"
    assert Jeugdige.objects.count() == 1
    confirmed = services.jeugdige_create(
        region=world.region_a, gemeente=world.emmen, by=lpa, data=data(), allow_duplicate=True
    )
    assert confirmed.pk != first.pk
    # the same person in another region is not a duplicate
    services.jeugdige_create(
        region=world.region_b,
        gemeente=world.assen,
        by=world.user("lpa_b"),
        data=data(bsn="111222333"),
    )


def test_update_with_optimistic_locking_refuses_the_second_save(world):
    lpa, kartrekker = world.user("lpa_a"), world.user("kartrekker_a")
    j = make_jeugdige(world)
    opened_by_both = j.version
    services.jeugdige_update(
        jeugdige=j,
        data={"last_school": "OBS De Esch", "notes": "Eerste"},
        version=opened_by_both,
        by=kartrekker,
    )
    with pytest.raises(services.ConcurrentEditError) as exc:
        services.jeugdige_update(
            jeugdige=j, data={"notes": "Tweede"}, version=opened_by_both, by=lpa
        )
    changes = {c.field: c for c in exc.value.changes}
    assert set(changes) == {"last_school", "notes"}
    assert changes["notes"].new == "Eerste" and changes["notes"].by == str(kartrekker)
    j.refresh_from_db()
    assert j.notes == "Eerste" and j.version == opened_by_both + 1
    # with the current version the save goes through
    services.jeugdige_update(jeugdige=j, data={"notes": "Tweede"}, version=j.version, by=lpa)
    j.refresh_from_db()
    assert j.notes == "Tweede"
    assert j.timeline.filter(kind=TimelineEntry.Kind.UPDATE).count() == 2


def test_update_refuses_moving_the_case_to_a_gemeente_outside_the_lpas_scope(world):
    j = make_jeugdige(world)
    with pytest.raises(PermissionDenied):
        services.jeugdige_update(
            jeugdige=j,
            data={"gemeente": world.borger},
            version=j.version,
            by=world.user("lpa_a"),
        )
    j.refresh_from_db()
    assert j.gemeente == world.emmen


def test_transitions_follow_the_table(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world)
    with pytest.raises(services.CaseError):
        services.jeugdige_transition(jeugdige=j, to=Status.IN_ONTWIKKELING, by=lpa)
    with pytest.raises(services.CaseError):
        services.jeugdige_transition(jeugdige=j, to=Status.AFGESLOTEN, by=lpa)
    with pytest.raises(services.CaseError):
        services.jeugdige_transition(jeugdige=j, to="nonsense", by=lpa)
    path = [
        Status.IN_BEELD,
        Status.CONTACT_OUDERS,
        Status.GESPREK_GEPLAND,
        Status.GESPREK_GEVOERD,
        Status.AANBOD_IN_VOORBEREIDING,
        Status.IN_ONTWIKKELING,
    ]
    for step in path:
        j = services.jeugdige_transition(jeugdige=j, to=step, by=lpa, note="ok")
    assert j.status == Status.IN_ONTWIKKELING
    entries = j.timeline.filter(kind=TimelineEntry.Kind.STATUS).order_by("at", "pk")
    assert [e.status_to for e in entries] == path
    assert entries.first().status_from == Status.AANGEMELD


def test_every_status_has_transitions_and_none_lead_to_closed():
    for status in Status.values:
        allowed = services.allowed_transitions(status)
        assert allowed, status
        assert Status.AFGESLOTEN not in allowed
        assert all(a in Status.values for a in allowed)


def test_stale_transition_is_refused(world):
    j = make_jeugdige(world)
    with pytest.raises(services.ConcurrentEditError):
        services.jeugdige_transition(
            jeugdige=j, to=Status.IN_BEELD, by=world.user("lpa_a"), version=j.version + 1
        )


def test_close_needs_a_reason_and_can_be_reopened(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world, is_focus=True)
    with pytest.raises(services.CaseError):
        services.jeugdige_close(jeugdige=j, reason="", by=lpa)
    with pytest.raises(services.CaseError):
        services.jeugdige_close(jeugdige=j, reason=ClosingReason.ANDERS, by=lpa, note=" ")
    j = services.jeugdige_close(jeugdige=j, reason=ClosingReason.VERHUISD, by=lpa)
    assert j.status == Status.AFGESLOTEN and j.closed_on == timezone.localdate()
    assert not j.is_focus
    with pytest.raises(services.CaseError):
        services.jeugdige_close(jeugdige=j, reason=ClosingReason.VERHUISD, by=lpa)
    j = services.jeugdige_transition(jeugdige=j, to=Status.IN_BEELD, by=lpa)
    assert j.closing_reason == "" and j.closed_on is None


def test_contact_keeps_last_contact_and_next_due(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world)
    today = timezone.localdate()
    services.contact_add(
        jeugdige=j,
        date=today - dt.timedelta(days=3),
        kind=ContactMoment.Kind.TELEFOON,
        summary="Gebeld",
        by=lpa,
        next_contact_due=today + dt.timedelta(days=30),
    )
    services.contact_add(
        jeugdige=j,
        date=today - dt.timedelta(days=10),
        kind=ContactMoment.Kind.EMAIL,
        summary="Oudere mail",
        by=lpa,
    )
    j.refresh_from_db()
    assert j.last_contact_on == today - dt.timedelta(days=3)
    assert j.next_contact_due == today + dt.timedelta(days=30)
    assert j.timeline.filter(kind=TimelineEntry.Kind.CONTACT).count() == 2
    with pytest.raises(services.CaseError):
        services.contact_add(
            jeugdige=j, date=today + dt.timedelta(days=1), kind="telefoon", summary="x", by=lpa
        )


def test_betrokkene_and_activiteit_write_timeline_and_audit(world):
    lpa = world.user("lpa_a")
    j = make_jeugdige(world)
    services.betrokkene_add(
        jeugdige=j, data={"kind": "ggd", "name": "Jeugdarts", "invited_by_parents": True}, by=lpa
    )
    services.activiteit_add(
        jeugdige=j, data={"kind": "zorgboerderij", "provider": "De Hoeve"}, by=lpa
    )
    kinds = set(j.timeline.values_list("kind", flat=True))
    assert {"betrokkene", "activity"} <= kinds
    assert AuditEvent.objects.filter(jeugdige_id=j.pk, action="create").count() == 3


def test_timeline_add_for_other_apps(world):
    j = make_jeugdige(world)
    at = timezone.now() - dt.timedelta(days=2)
    entry = services.timeline_add(
        jeugdige=j, kind=TimelineEntry.Kind.INTERVIEW, text="Gesprek met ouders", by=None, at=at
    )
    assert entry.at == at and entry.by is None
