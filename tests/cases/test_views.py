import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import ClosingReason, Jeugdige, Status
from tests.cases.factories import make_jeugdige
from wel.models import AuditEvent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def form_data(j, **kw):
    data = {
        "gemeente": j.gemeente_id,
        "given_name": j.given_name,
        "family_name": j.family_name,
        "date_of_birth": j.date_of_birth.isoformat(),
        "bsn": j.bsn,
        "grondslag": j.grondslag,
        "version": j.version,
        "notes": j.notes,
    }
    return {**data, **kw}


def _many(world, n, **kw):
    for i in range(n):
        make_jeugdige(world, given_name=f"Kind{i}", **kw)


@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a"])
def test_list_query_count_does_not_grow_with_rows(
    world, client_for, django_assert_max_num_queries, persona
):
    client = client_for(persona)
    _many(world, 3)
    with django_assert_max_num_queries(11) as few:  # incl. the second-factor device
        assert client.get(reverse("cases:list")).status_code == 200
    _many(world, 30)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("cases:list"), {"sort": "-name"})
    assert response.status_code == 200


def test_detail_and_worklist_query_counts_are_pinned(
    world, client_for, django_assert_max_num_queries
):
    j = make_jeugdige(world, next_contact_due=TODAY - dt.timedelta(days=3))
    lpa = world.user("lpa_a")
    for i in range(5):
        services.contact_add(jeugdige=j, date=TODAY, kind="telefoon", summary=f"c{i}", by=lpa)
        services.betrokkene_add(jeugdige=j, data={"kind": "ggd", "name": f"b{i}"}, by=lpa)
        services.activiteit_add(jeugdige=j, data={"kind": "onderwijs"}, by=lpa)
    _many(world, 10, next_contact_due=TODAY - dt.timedelta(days=1))
    client = client_for("lpa_a")
    # measured: detail 17 (incl. the interviews panel and the family panel's two queries:
    # invitations, contributions), worklist 16, history 11; each includes
    # the one query of django-otp's middleware that loads the verified second-factor device.
    # The worklist reads overdue renewals and renewals due soon as two lists (cases.rules).
    # Issue 12: +1 on a cold cache (the region's case token is read before the totals are
    # counted; tests/test_query_counts.py).
    with django_assert_max_num_queries(18):
        assert client.get(j.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(17):
        assert client.get(reverse("cases:worklist")).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(reverse("cases:history", args=[j.reference])).status_code == 200


def test_list_filters_and_search(world, client_for):
    a = make_jeugdige(world, given_name="Anna", family_name="Zijlstra", is_focus=True)
    b = make_jeugdige(
        world,
        given_name="Bram",
        family_name="Mulder",
        gemeente=world.borger,
        grondslag="absoluut_verzuim",
        date_of_birth=TODAY.replace(year=TODAY.year - 17),
    )
    client = client_for("kartrekker_a")

    def refs(**params):
        response = client.get(reverse("cases:list"), params)
        assert response.status_code == 200
        return {j.reference for j in response.context["page"]}

    assert refs() == {a.reference, b.reference}
    assert refs(q="zijl") == {a.reference}
    assert refs(q="Bram Mulder") == {b.reference}
    assert refs(q=b.reference) == {b.reference}
    assert refs(grondslag="absoluut_verzuim") == {b.reference}
    assert refs(gemeente=world.borger.pk) == {b.reference}
    assert refs(is_focus="1") == {a.reference}
    assert refs(age_band="16-17") == {b.reference}
    assert refs(age_band="12-15") == {a.reference}
    assert refs(status=Status.AANGEMELD, open="open") == {a.reference, b.reference}
    assert refs(sort="-reference")
    # rubbish in the query string: no 500
    assert (
        client.get(
            reverse("cases:list"), {"gemeente": "x", "age_band": "z", "page": "9"}
        ).status_code
        == 200
    )


def test_lpa_gets_404_outside_their_gemeente_and_kartrekker_sees_region(world, client_for):
    borger = make_jeugdige(world, gemeente=world.borger)
    assert client_for("lpa_a").get(borger.get_absolute_url()).status_code == 404
    assert client_for("kartrekker_a").get(borger.get_absolute_url()).status_code == 200
    assert client_for("lpa_b").get(borger.get_absolute_url()).status_code == 404
    assert client_for("landelijk").get(borger.get_absolute_url()).status_code == 403


def test_national_roles_see_no_case_content_anywhere(world, client_for):
    make_jeugdige(world, given_name="Geheimnaam")
    for persona in ("landelijk", "beheerder"):
        client = client_for(persona)
        home = client.get("/")
        assert b"Geheimnaam" not in home.content
        assert b"My worklist" not in home.content
        assert client.get(reverse("cases:list")).status_code == 403


def test_viewing_a_case_is_audited_and_shown_in_its_access_history(world, client_for):
    j = make_jeugdige(world)
    client = client_for("lpa_a")
    client.get(j.get_absolute_url())
    event = AuditEvent.objects.filter(action="view", jeugdige_id=j.pk).get()
    assert event.user == world.user("lpa_a") and event.object_label == j.reference
    response = client.get(reverse("cases:history", args=[j.reference]))
    assert world.user("lpa_a").email in response.content.decode()


def test_create_view_flags_duplicates_with_a_link_and_proceeds_after_confirmation(
    world, client_for
):
    existing = make_jeugdige(world)
    client = client_for("lpa_a")
    data = {
        "region": world.region_a.pk,
        "gemeente": world.emmen.pk,
        "given_name": "Sanne",
        "family_name": "de Vries",
        "date_of_birth": "2014-03-14",
        "grondslag": "vrijstelling_5a",
    }
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    assert "confirm_duplicate" in response.context["form"].fields
    assert Jeugdige.objects.count() == 1
    response = client.post(reverse("cases:create"), {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Jeugdige.objects.count() == 2


def test_create_view_refuses_a_gemeente_outside_the_lpas_scope(world, client_for):
    response = client_for("lpa_a").post(
        reverse("cases:create"),
        {
            "region": world.region_a.pk,
            "gemeente": world.borger.pk,
            "given_name": "A",
            "family_name": "B",
            "date_of_birth": "2014-03-14",
            "grondslag": "vrijstelling_5a",
        },
    )
    assert response.status_code == 200 and "gemeente" in response.context["form"].errors
    assert not Jeugdige.objects.exists()


def test_create_view_validates_bsn_and_dates(world, client_for):
    response = client_for("lpa_a").post(
        reverse("cases:create"),
        {
            "region": world.region_a.pk,
            "gemeente": world.emmen.pk,
            "given_name": "A",
            "family_name": "B",
            "date_of_birth": "2099-01-01",
            "bsn": "123456789",
            "grondslag": "vrijstelling_5a",
            "exemption_start": "2025-08-01",
            "exemption_end": "2025-07-01",
        },
    )
    errors = response.context["form"].errors
    assert {"bsn", "date_of_birth", "exemption_end"} <= set(errors)


def test_two_people_editing_the_second_save_is_refused_with_what_changed(world, client_for):
    j = make_jeugdige(world)
    first, second = client_for("kartrekker_a"), client_for("lpa_a")
    url = reverse("cases:update", args=[j.reference])
    opened = form_data(j)
    assert first.post(url, {**opened, "notes": "Van de kartrekker"}).status_code == 302
    response = second.post(url, {**opened, "last_school": "Mijn school"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else changed this case" in content
    assert "Van de kartrekker" in content
    j.refresh_from_db()
    assert j.notes == "Van de kartrekker" and j.last_school == ""


def test_transition_and_close_through_the_views(world, client_for):
    j = make_jeugdige(world)
    client = client_for("lpa_a")
    url = reverse("cases:transition", args=[j.reference])
    response = client.post(url, {"to": Status.IN_BEELD, "version": j.version, "note": "gezien"})
    assert response.status_code == 302
    j.refresh_from_db()
    assert j.status == Status.IN_BEELD
    # not allowed from here: refused with a message, nothing changes
    client.post(url, {"to": Status.IN_ONTWIKKELING, "version": j.version})
    j.refresh_from_db()
    assert j.status == Status.IN_BEELD
    close = reverse("cases:close", args=[j.reference])
    response = client.post(
        close, {"reason": ClosingReason.ANDERS, "note": "", "version": j.version}
    )
    assert response.status_code == 200 and "note" in response.context["form"].errors
    response = client.post(close, {"reason": ClosingReason.VERHUISD, "version": j.version})
    assert response.status_code == 302
    j.refresh_from_db()
    assert j.status == Status.AFGESLOTEN and j.closing_reason == ClosingReason.VERHUISD


def test_sub_forms_add_contact_betrokkene_activity(world, client_for):
    j = make_jeugdige(world)
    client = client_for("lpa_a")
    r = client.post(
        reverse("cases:contact_add", args=[j.reference]),
        {"date": TODAY.isoformat(), "kind": "huisbezoek", "summary": "<script>x</script>"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("cases:betrokkene_add", args=[j.reference]),
        {"kind": "ouder_verzorger", "name": "Moeder", "invited_by_parents": "on"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("cases:activiteit_add", args=[j.reference]),
        {
            "kind": "zorgboerderij",
            "hours_per_week": "8",
            "since": "2025-01-01",
            "until": "2024-01-01",
        },
    )
    assert r.status_code == 200 and "until" in r.context["form"].errors
    r = client.post(
        reverse("cases:contact_add", args=[j.reference]),
        {"date": (TODAY + dt.timedelta(days=2)).isoformat(), "kind": "telefoon", "summary": "x"},
    )
    assert r.status_code == 200 and "date" in r.context["form"].errors
    page = client.get(j.get_absolute_url()).content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
    j.refresh_from_db()
    assert j.last_contact_on == TODAY
    assert j.contacten.count() == 1 and j.betrokkenen.count() == 1


def test_worklist_sections(world, client_for):
    lpa = world.user("lpa_a")
    overdue = make_jeugdige(world, given_name="O", next_contact_due=TODAY - dt.timedelta(days=1))
    renewal = make_jeugdige(world, given_name="R", renewal_due=TODAY + dt.timedelta(days=30))
    far = make_jeugdige(world, given_name="F", renewal_due=TODAY + dt.timedelta(days=90))
    late = make_jeugdige(world, given_name="L", renewal_due=TODAY - dt.timedelta(days=150))
    recent = make_jeugdige(world, given_name="C")
    services.contact_add(jeugdige=recent, date=TODAY, kind="telefoon", summary="x", by=lpa)
    other_lpa = make_jeugdige(
        world,
        given_name="X",
        assigned_lpa=world.user("kartrekker_a"),
        next_contact_due=TODAY - dt.timedelta(days=1),
    )
    closed = make_jeugdige(world, given_name="Z", next_contact_due=TODAY - dt.timedelta(days=1))
    services.jeugdige_close(jeugdige=closed, reason="verhuisd", by=lpa)

    work = client_for("lpa_a").get(reverse("cases:worklist")).context["work"]
    assert {j.pk for j in work.contact_overdue} == {overdue.pk}
    # five months late is not "within 60 days": two lists, each marked
    assert {j.pk for j in work.renewal_due_soon} == {renewal.pk}
    assert {j.pk for j in work.renewal_overdue} == {late.pk}
    assert work.counts["renewal_due_soon"] == 1 and work.counts["renewal_overdue"] == 1
    assert recent.pk not in {j.pk for j in work.no_recent_contact}
    assert far.pk in {j.pk for j in work.no_recent_contact}
    # the kartrekker sees the whole region's work, whoever it is assigned to
    work = client_for("kartrekker_a").get(reverse("cases:worklist")).context["work"]
    assert {j.pk for j in work.contact_overdue} == {overdue.pk, other_lpa.pk}
    home = client_for("lpa_a").get("/").content.decode()
    assert "contacts overdue" in home


def test_focus_panel_warns_when_not_at_target(world, client_for):
    for i in range(2):
        make_jeugdige(world, given_name=f"F{i}", is_focus=True)
    make_jeugdige(world, given_name="FB", is_focus=True, gemeente=world.borger)
    client = client_for("lpa_a")
    regions = client.get(reverse("cases:worklist")).context["focus_regions"]
    region = regions[0]
    assert region.focus_count == 3 and region.focus_warning
    assert len(region.focus_cases) == 2  # the Borger case is counted, not shown, to lpa_a
    for i in range(2):
        make_jeugdige(world, given_name=f"G{i}", is_focus=True)
    region = client.get(reverse("cases:worklist")).context["focus_regions"][0]
    assert region.focus_count == 5 and not region.focus_warning
    make_jeugdige(world, given_name="Six", is_focus=True)
    content = client.get(reverse("cases:worklist")).content.decode()
    assert "more than its target" in content


def test_import_template_download(world, client_for):
    response = client_for("lpa_a").get(reverse("cases:import_template"))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").startswith("bsn;voornaam;achternaam")


@pytest.mark.parametrize("sort", ["name", "-name", "reference", "-reference", "-updated"])
def test_search_results_keep_the_chosen_order(world, client_for, sort):
    """A search sorts its matches by a non-indexed expression (cases.filters); same order."""
    for family in ("Jansen", "Van Jansen", "Jansma", "Achterjans", "Mulder"):
        make_jeugdige(world, given_name="Kim", family_name=family)
    client = client_for("kartrekker_a")
    response = client.get(reverse("cases:list"), {"q": "jans", "sort": sort})
    assert response.status_code == 200
    shown = list(response.context["page"])
    field = {"name": "family_name", "reference": "reference", "updated": "updated_at"}[
        sort.lstrip("-")
    ]
    expected = sorted(
        Jeugdige.objects.filter(family_name__icontains="jans"),
        key=lambda j: getattr(j, field),
        reverse=sort.startswith("-"),
    )
    assert [getattr(j, field) for j in shown] == [getattr(j, field) for j in expected]
    assert len(shown) == 4
