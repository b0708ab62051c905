"""Hand over (issue 21 §2): only to colleagues whose scope covers the case, with a note on the
timeline; the edit form offers only them too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.models import Jeugdige, TimelineEntry
from tests.cases.factories import make_jeugdige
from tests.factories import MembershipFactory, UserFactory
from wel.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues(world):
    """Another LPA of region A for Emmen (sees the case) and one for Borger-Odoorn (does not)."""
    emmen = UserFactory(email="emma.emmen@wel.test", full_name="Emma Emmen")
    MembershipFactory(user=emmen, region=world.region_a, role=Role.LPA, gemeenten=[world.emmen])
    borger = UserFactory(email="bram.borger@wel.test", full_name="Bram Borger")
    MembershipFactory(user=borger, region=world.region_a, role=Role.LPA, gemeenten=[world.borger])
    return emmen, borger


@pytest.fixture
def case(world):
    return make_jeugdige(world, by=world.user("lpa_a"), assigned_lpa=world.user("lpa_a"))


def test_the_edit_form_offers_only_people_who_would_see_the_case(
    world, client_for, colleagues, case
):
    """Issue 21: reassigning to a colleague of the region who covers other gemeenten saved,
    and the colleague then got a 404 and did not see it on the worklist."""
    emmen, borger = colleagues
    form = client_for("lpa_a").get(reverse("cases:update", args=[case.reference])).context["form"]
    offered = set(form.fields["assigned_lpa"].queryset)
    assert emmen in offered and world.user("kartrekker_a") in offered
    assert borger not in offered and world.user("lpa_b") not in offered


def test_a_post_naming_someone_who_would_not_see_it_is_refused(world, colleagues, case):
    _emmen, borger = colleagues
    with pytest.raises(services.CaseError) as refused:
        services.jeugdige_update(
            jeugdige=case,
            data={"assigned_lpa": borger},
            version=case.version,
            by=world.user("lpa_a"),
        )
    assert "Bram Borger does not work on cases in Emmen" in str(refused.value.messages)
    case.refresh_from_db()
    assert case.assigned_lpa == world.user("lpa_a")


def test_handover_with_a_note(world, client_for, colleagues, case):
    emmen, borger = colleagues
    client = client_for("lpa_a")
    url = reverse("cases:handover", args=[case.reference])
    page = client.get(url)
    offered = set(page.context["form"].fields["to"].queryset)
    assert emmen in offered and borger not in offered and world.user("lpa_a") not in offered
    response = client.post(url, {"to": emmen.pk, "note": "Moeder bellen na de vakantie."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_lpa == emmen
    entry = TimelineEntry.objects.filter(jeugdige=case).first()
    assert "Emma Emmen" in entry.text and "Moeder bellen na de vakantie." in entry.text
    event = AuditEvent.objects.get(event_type="jeugdige.handed_over")
    assert event.jeugdige_reference == case.reference
    assert "Moeder" not in str(event.data)
    # the colleague sees it (not a 404) and finds it among their own cases
    colleague = client_for("lpa_a")
    colleague.force_login(emmen)
    assert colleague.get(case.get_absolute_url()).status_code == 200


def test_handover_to_someone_outside_is_refused_in_dutch(world, client_for, colleagues, case):
    _emmen, borger = colleagues
    client = client_for("lpa_a")
    client.cookies.load({"django_language": "nl"})
    url = reverse("cases:handover", args=[case.reference])
    response = client.post(url, {"to": borger.pk, "note": "x"})
    assert response.status_code == 200
    assert Jeugdige.objects.get(pk=case.pk).assigned_lpa == world.user("lpa_a")
    # the service says why, for a POST that bypasses the list
    with pytest.raises(services.CaseError) as refused:
        services.jeugdige_handover(jeugdige=case, to=borger, note="x", by=world.user("lpa_a"))
    # a colleague of the region: who could add Emmen (issue 21 §2: the form says whom to ask)
    assert "only the kartrekker of the region can add it: ask Karel" in str(refused.value.messages)
    with pytest.raises(services.CaseError) as refused:
        services.jeugdige_handover(
            jeugdige=case, to=world.user("lpa_b"), note="x", by=world.user("lpa_a")
        )
    assert "would not see this case" in str(refused.value.messages)
    response = client.post(url, {"to": world.user("kartrekker_a").pk, "note": "  "})
    assert response.status_code == 200
    assert Jeugdige.objects.get(pk=case.pk).assigned_lpa == world.user("lpa_a")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lpa_a", 200), ("kartrekker_a", 200), ("lpa_b", 404), ("landelijk", 403), ("beheerder", 403)],
)
def test_handover_personas(world, client_for, case, persona, status):
    response = client_for(persona).get(reverse("cases:handover", args=[case.reference]))
    assert response.status_code == status


def test_anonymous_handover_goes_to_login(world, client_for, case):
    response = client_for("anonymous").get(reverse("cases:handover", args=[case.reference]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_my_team_counts_open_cases_per_colleague(
    world, client_for, colleagues, case, django_assert_max_num_queries
):
    emmen, _borger = colleagues
    make_jeugdige(world, given_name="Piet", assigned_lpa=emmen)
    make_jeugdige(world, given_name="Kees")  # not assigned
    make_jeugdige(world, gemeente=world.borger, given_name="Bo")  # outside lpa_a's scope
    client = client_for("lpa_a")
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:team"))
    rows = {r.name: r.open_cases for r in response.context["rows"]}
    assert rows["Lotte LPA-A"] == 1 and rows["Emma Emmen"] == 1 and rows[""] == 1
    assert rows["Bram Borger"] == 0  # a colleague, but no case lpa_a may see
    assert "Bert LPA-B" not in rows
    kartrekker = {
        r.name: r.open_cases
        for r in client_for("kartrekker_a").get(reverse("cases:team")).context["rows"]
    }
    assert kartrekker[""] == 2
    for persona in ("landelijk", "beheerder"):
        assert client_for(persona).get(reverse("cases:team")).status_code == 403


# -- hand over with a scope extension (issue 21 §2) ----------------------------------------------
def _gemeenten(user, region):
    from wel.models import Membership

    return set(Membership.objects.get(user=user, region=region).gemeenten.all())


def test_the_kartrekker_adds_the_gemeente_and_hands_over_in_one_step(
    world, client_for, colleagues, case
):
    _emmen, borger = colleagues
    client = client_for("kartrekker_a")
    url = reverse("cases:handover", args=[case.reference])
    form = client.get(url).context["form"]
    assert borger in set(form.fields["to"].queryset)
    assert "not in Emmen yet" in form.fields["to"].label_from_instance(borger)
    assert "extend_scope" in form.fields
    response = client.post(
        url, {"to": borger.pk, "note": "Bram neemt Emmen erbij.", "extend_scope": "on"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_lpa == borger
    assert _gemeenten(borger, world.region_a) == {world.borger, world.emmen}
    changed = AuditEvent.objects.get(event_type="membership.changed")
    assert changed.object_id == str(borger.pk) and changed.detail["via"] == "handover"
    gemeenten = next(c for c in changed.changes if c["field"] == "gemeenten")
    assert set(gemeenten["new_label"]) == {"Borger-Odoorn", "Emmen"}
    assert AuditEvent.objects.filter(event_type="jeugdige.handed_over").count() == 1
    colleague = client_for("lpa_a")
    colleague.force_login(borger)
    assert colleague.get(case.get_absolute_url()).status_code == 200


def test_the_kartrekker_must_choose_the_extension_explicitly(world, colleagues, case):
    _emmen, borger = colleagues
    with pytest.raises(services.CaseError) as refused:
        services.jeugdige_handover(
            jeugdige=case, to=borger, note="x", by=world.user("kartrekker_a")
        )
    assert 'Tick "Add Emmen' in str(refused.value.messages)
    assert _gemeenten(borger, world.region_a) == {world.borger}
    assert Jeugdige.objects.get(pk=case.pk).assigned_lpa == world.user("lpa_a")


def test_an_lpa_cannot_grant_scope_and_is_told_whom_to_ask(world, client_for, colleagues, case):
    _emmen, borger = colleagues
    client = client_for("lpa_a")
    url = reverse("cases:handover", args=[case.reference])
    page = client.get(url)
    form = page.context["form"]
    assert "extend_scope" not in form.fields and borger not in set(form.fields["to"].queryset)
    html = page.content.decode()
    assert "Bram Borger" in html and "Karel Kartrekker-A" in html  # who is outside, whom to ask
    for extend in (True, False):
        with pytest.raises(services.CaseError) as refused:
            services.jeugdige_handover(
                jeugdige=case, to=borger, note="x", by=world.user("lpa_a"), extend_scope=extend
            )
        assert "Karel Kartrekker-A" in str(refused.value.messages)
    # a forged POST changes nothing either
    client.post(url, {"to": borger.pk, "note": "x", "extend_scope": "on"})
    assert _gemeenten(borger, world.region_a) == {world.borger}
    assert Jeugdige.objects.get(pk=case.pk).assigned_lpa == world.user("lpa_a")
    assert not AuditEvent.objects.filter(event_type="membership.changed").exists()


def test_no_extension_for_someone_without_a_membership_in_the_region(world, case):
    with pytest.raises(services.CaseError) as refused:
        services.jeugdige_handover(
            jeugdige=case,
            to=world.user("lpa_b"),
            note="x",
            by=world.user("kartrekker_a"),
            extend_scope=True,
        )
    assert "no membership in this region" in str(refused.value.messages)
    assert not AuditEvent.objects.filter(event_type="membership.changed").exists()


def test_a_refused_handover_takes_the_scope_change_back(world, colleagues, case, monkeypatch):
    """The scope change and the handover are one transaction: when the handover fails after
    the membership was changed, neither stays."""
    _emmen, borger = colleagues

    def broken(**kwargs):
        raise services.CaseError("timeline unavailable")

    monkeypatch.setattr(services, "timeline_add", broken)
    with pytest.raises(services.CaseError):
        services.jeugdige_handover(
            jeugdige=case, to=borger, note="x", by=world.user("kartrekker_a"), extend_scope=True
        )
    assert _gemeenten(borger, world.region_a) == {world.borger}
    assert Jeugdige.objects.get(pk=case.pk).assigned_lpa == world.user("lpa_a")
    assert not AuditEvent.objects.filter(event_type="membership.changed").exists()
    # an empty note is refused before anything is touched
    monkeypatch.undo()
    with pytest.raises(services.CaseError):
        services.jeugdige_handover(
            jeugdige=case, to=borger, note=" ", by=world.user("kartrekker_a"), extend_scope=True
        )
    assert _gemeenten(borger, world.region_a) == {world.borger}
