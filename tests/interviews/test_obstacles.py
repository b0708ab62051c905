"""The obstacle agenda: the status rules, escalation and the national agenda's
de-identification."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from interviews import services
from interviews.models import AgendaStatus, BelemmerendeFactor, Category, Level
from interviews.services import TRANSITIONS
from tests.interviews.factories import ObstacleFactory
from wel.models import AuditEvent

S = AgendaStatus
ALLOWED = {
    (S.GESIGNALEERD, S.GEAGENDEERD),
    (S.GESIGNALEERD, S.NIET_OPLOSBAAR),
    (S.GEAGENDEERD, S.OPGEPAKT),
    (S.GEAGENDEERD, S.NIET_OPLOSBAAR),
    (S.OPGEPAKT, S.OPGELOST),
    (S.OPGEPAKT, S.NIET_OPLOSBAAR),
}
SUMMARY = "Leerlingenvervoer naar zorgboerderijen wordt in de regio niet vergoed."


def test_transition_table_is_exactly_the_agreed_one():
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(S.values)


@pytest.mark.parametrize("start,to", list(itertools.product(S.values, S.values)))
def test_every_transition_follows_the_table(world, start, to):
    factor = ObstacleFactory(region=world.region_a, status=start)
    kartrekker = world.user("kartrekker_a")
    if (start, to) in ALLOWED:
        result = services.obstacle_transition(
            factor=factor, to=to, by=kartrekker, agenda_where="Lokaal Educatieve Agenda"
        )
        assert result.status == to
        assert result.status_changed_at is not None
    else:
        with pytest.raises(ValidationError):
            services.obstacle_transition(factor=factor, to=to, by=kartrekker, agenda_where="LEA")
        factor.refresh_from_db()
        assert factor.status == start


def test_putting_on_the_agenda_needs_the_place_and_records_the_date(world):
    factor = ObstacleFactory(region=world.region_a)
    kartrekker = world.user("kartrekker_a")
    with pytest.raises(ValidationError) as error:
        services.obstacle_transition(factor=factor, to=S.GEAGENDEERD, by=kartrekker)
    assert "agenda_where" in error.value.message_dict
    factor = services.obstacle_transition(
        factor=factor, to=S.GEAGENDEERD, by=kartrekker, agenda_where="Regionaal overleg"
    )
    assert factor.agenda_where == "Regionaal overleg"
    assert factor.agenda_on is not None


@pytest.mark.parametrize("persona", ["lpa_a", "lpa_b", "landelijk", "beheerder"])
def test_only_the_regions_kartrekker_moves_an_obstacle(world, persona):
    factor = ObstacleFactory(region=world.region_a)
    with pytest.raises(PermissionDenied):
        services.obstacle_transition(
            factor=factor, to=S.GEAGENDEERD, by=world.user(persona), agenda_where="LEA"
        )


def test_a_new_obstacle_cannot_start_at_national_level(world, interview_a):
    with pytest.raises(ValidationError):
        services.obstacle_raise(
            by=world.user("lpa_a"),
            region=None,
            interview=interview_a,
            category=Category.FUNDING,
            description="x",
            level=Level.NATIONAL,
        )


def test_raising_from_an_interview_links_the_case_and_writes_the_timeline(world, interview_a):
    factor = services.obstacle_raise(
        by=world.user("lpa_a"),
        region=None,
        interview=interview_a,
        category=Category.WAITING_LISTS,
        description="Wachtlijst dagbesteding.",
    )
    assert factor.region == world.region_a
    assert factor.jeugdige == interview_a.jeugdige
    assert factor.source == BelemmerendeFactor.Source.INTERVIEW
    assert interview_a.jeugdige.timeline.filter(text__icontains="belemmerende factor").exists()
    assert AuditEvent.objects.filter(object_id=str(factor.pk), action="create").exists()


def test_an_lpa_cannot_raise_for_a_case_outside_their_gemeenten(world):
    from tests.interviews.factories import make_jeugdige

    borger_case = make_jeugdige(world.region_a, world.borger)
    with pytest.raises(PermissionDenied):
        services.obstacle_raise(
            by=world.user("lpa_a"),
            region=None,
            jeugdige=borger_case,
            category=Category.OTHER,
            description="x",
        )


# -- Escalation ---------------------------------------------------------------------------------
def test_escalation_needs_a_summary_and_sets_the_national_level(world, obstacle_a):
    kartrekker = world.user("kartrekker_a")
    with pytest.raises(ValidationError):
        services.obstacle_escalate(factor=obstacle_a, summary="  ", by=kartrekker)
    factor = services.obstacle_escalate(factor=obstacle_a, summary=SUMMARY, by=kartrekker)
    assert factor.level == Level.NATIONAL
    assert factor.shareable_summary == SUMMARY
    assert factor.escalated_by == kartrekker
    assert factor.escalated_at is not None


@pytest.mark.parametrize(
    "summary",
    [
        "Fenna heeft geen vervoer naar de zorgboerderij in de regio.",
        "Voor VELDKAMP is er geen vervoer naar de zorgboerderij.",
        "Het kind met referentie EMM-2026-0001 heeft geen vervoer.",
        "Geboren op 14-03-2013, geen vervoer naar de zorgboerderij.",
        "BSN 123456782 heeft geen vervoer naar de zorgboerderij.",
    ],
)
def test_escalation_refuses_identifying_summaries(world, obstacle_a, summary):
    with pytest.raises(ValidationError) as error:
        services.obstacle_escalate(
            factor=obstacle_a, summary=summary, by=world.user("kartrekker_a")
        )
    assert "shareable_summary" in error.value.message_dict
    obstacle_a.refresh_from_db()
    assert obstacle_a.level != Level.NATIONAL


@pytest.mark.parametrize("persona", ["lpa_a", "lpa_b", "landelijk"])
def test_only_the_kartrekker_escalates(world, obstacle_a, persona):
    with pytest.raises(PermissionDenied):
        services.obstacle_escalate(factor=obstacle_a, summary=SUMMARY, by=world.user(persona))


def test_a_closed_obstacle_is_not_escalated(world):
    factor = ObstacleFactory(region=world.region_a, status=S.OPGELOST)
    with pytest.raises(ValidationError):
        services.obstacle_escalate(factor=factor, summary=SUMMARY, by=world.user("kartrekker_a"))


def test_the_database_refuses_a_national_obstacle_without_summary(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ObstacleFactory(region=world.region_a, level=Level.NATIONAL, shareable_summary="")


def test_escalating_through_the_view(world, client_for, obstacle_a):
    client = client_for("kartrekker_a")
    url = reverse("interviews:obstacle_escalate", kwargs={"pk": obstacle_a.pk})
    response = client.post(url, {"shareable_summary": "Fenna heeft geen vervoer, al maanden."})
    assert response.status_code == 200
    assert "could identify a child" in response.content.decode()
    response = client.post(url, {"shareable_summary": SUMMARY})
    assert response.status_code == 302
    obstacle_a.refresh_from_db()
    assert obstacle_a.level == Level.NATIONAL


# -- The national agenda ------------------------------------------------------------------------
def test_national_agenda_shows_the_summary_and_never_the_case(world, client_for, obstacle_a):
    services.obstacle_escalate(factor=obstacle_a, summary=SUMMARY, by=world.user("kartrekker_a"))
    local = ObstacleFactory(region=world.region_a, description="Alleen lokaal bekend probleem.")
    response = client_for("landelijk").get(reverse("interviews:national_agenda"))
    assert response.status_code == 200
    page = response.content.decode()
    case = obstacle_a.jeugdige
    assert SUMMARY in page
    assert world.region_a.name in page
    assert "transport" in page
    for secret in (
        case.given_name,
        case.family_name,
        case.reference,
        obstacle_a.description,
        "zorgboerderij: geen vervoer",
        local.description,
        obstacle_a.interview.respondent_name,
        reverse("interviews:obstacle_detail", kwargs={"pk": obstacle_a.pk}),
        case.get_absolute_url(),
    ):
        assert secret not in page, secret


def test_national_agenda_rows_carry_only_the_shareable_fields(world, obstacle_a):
    from interviews.selectors import NATIONAL_FIELDS, national_agenda

    services.obstacle_escalate(factor=obstacle_a, summary=SUMMARY, by=world.user("kartrekker_a"))
    (row,) = list(national_agenda())
    assert set(row) == set(NATIONAL_FIELDS)
    assert "description" not in row and "jeugdige" not in row and "interview" not in row


@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a", "lpa_b", "beheerder"])
def test_national_agenda_is_for_the_national_team(client_for, persona):
    assert client_for(persona).get(reverse("interviews:national_agenda")).status_code == 403


def test_national_roles_never_see_an_obstacle_in_the_region(world, client_for, obstacle_a):
    url = reverse("interviews:obstacle_detail", kwargs={"pk": obstacle_a.pk})
    assert client_for("landelijk").get(url).status_code == 403
    assert client_for("lpa_b").get(url).status_code == 404


def test_an_lpa_does_not_see_obstacles_of_cases_outside_their_gemeenten(world, client_for):
    from tests.interviews.factories import make_jeugdige

    borger_case = make_jeugdige(world.region_a, world.borger, given_name="Daan", family_name="Smit")
    factor = ObstacleFactory(
        region=world.region_a, jeugdige=borger_case, source=BelemmerendeFactor.Source.CASE
    )
    region_wide = ObstacleFactory(region=world.region_a)
    url = reverse("interviews:obstacle_detail", kwargs={"pk": factor.pk})
    assert client_for("lpa_a").get(url).status_code == 404
    assert client_for("kartrekker_a").get(url).status_code == 200
    listing = client_for("lpa_a").get(reverse("interviews:obstacle_list")).content.decode()
    assert reverse("interviews:obstacle_detail", kwargs={"pk": region_wide.pk}) in listing
    assert url not in listing


def test_status_view_changes_status_and_refuses_a_jump(world, client_for, obstacle_a):
    client = client_for("kartrekker_a")
    url = reverse("interviews:obstacle_status", kwargs={"pk": obstacle_a.pk})
    client.post(url, {"status": "opgelost"})
    obstacle_a.refresh_from_db()
    assert obstacle_a.status == S.GESIGNALEERD
    client.post(url, {"status": "geagendeerd", "agenda_where": "LEA Emmen"})
    obstacle_a.refresh_from_db()
    assert obstacle_a.status == S.GEAGENDEERD and obstacle_a.agenda_where == "LEA Emmen"


def test_obstacle_list_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    for _ in range(15):
        ObstacleFactory(region=world.region_a)
    client = client_for("kartrekker_a")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("interviews:obstacle_list")).status_code == 200


def test_national_agenda_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    for _ in range(15):
        ObstacleFactory(region=world.region_a, level=Level.NATIONAL, shareable_summary=SUMMARY)
    client = client_for("landelijk")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("interviews:national_agenda")).status_code == 200


def test_the_landelijk_team_moves_national_obstacles_only(world, client_for):
    national = ObstacleFactory(
        region=world.region_a, level=Level.NATIONAL, shareable_summary=SUMMARY
    )
    regional = ObstacleFactory(region=world.region_a, level=Level.REGIONAL)
    client = client_for("landelijk")
    url = reverse("interviews:national_status", kwargs={"pk": national.pk})
    assert client.post(url, {"status": "geagendeerd"}).status_code == 302
    national.refresh_from_db()
    assert national.status == S.GEAGENDEERD and national.agenda_where == "national team"
    client.post(url, {"status": "opgelost"})  # not allowed from geagendeerd
    national.refresh_from_db()
    assert national.status == S.GEAGENDEERD
    other = reverse("interviews:national_status", kwargs={"pk": regional.pk})
    assert client.post(other, {"status": "geagendeerd"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.obstacle_transition(
            factor=regional, to=S.GEAGENDEERD, by=world.user("landelijk"), agenda_where="x"
        )


def test_a_coming_meeting_can_be_put_on_the_agenda(world, client_for, obstacle_a):
    """Issue 21: "geagendeerd" with the coming meeting's date (weeks ahead) was refused with
    "Kies een van de aangeboden statussen" and the typed fields were cleared."""
    import datetime as dt

    from django.utils import timezone

    client = client_for("kartrekker_a")
    url = reverse("interviews:obstacle_status", kwargs={"pk": obstacle_a.pk})
    meeting = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        url,
        {"status": "geagendeerd", "agenda_where": "LEA Emmen", "agenda_on": meeting.isoformat()},
    )
    assert response.status_code == 302
    obstacle_a.refresh_from_db()
    assert obstacle_a.status == S.GEAGENDEERD
    assert obstacle_a.agenda_on == meeting


def test_a_refused_status_change_keeps_what_was_typed(world, client_for, obstacle_a):
    client = client_for("kartrekker_a")
    url = reverse("interviews:obstacle_status", kwargs={"pk": obstacle_a.pk})
    response = client.post(
        url, {"status": "geagendeerd", "agenda_where": "LEA Emmen", "agenda_on": "2200-01-01"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="LEA Emmen"' in html and 'value="2200-01-01"' in html
    assert "Kies een van de aangeboden statussen" not in html
    obstacle_a.refresh_from_db()
    assert obstacle_a.status == S.GESIGNALEERD
    # a place left out is asked for at the field, the date stays
    response = client.post(url, {"status": "geagendeerd", "agenda_on": "2026-01-05"})
    assert response.status_code == 200
    assert 'value="2026-01-05"' in response.content.decode()
