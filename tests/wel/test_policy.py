"""The access policy at queryset level: every persona against every model that holds region or
case content (issue 18 §2). Removing any clause of ``wel/access.py`` fails a test here, not
only a distant view test; the expectations are written out per model and persona, so a new
model or persona cannot be added without saying what it shows to whom.

The world: region A (Emmen, Borger-Odoorn), region B (Assen). Content is tagged by where it
lives: ``A/emmen``, ``A/borger``, ``B`` for case content; ``A``, ``B`` for region content.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from cases.models import (
    Betrokkene,
    ContactMoment,
    ImportJob,
    Jeugdige,
    Ontwikkelactiviteit,
    RuleFinding,
    TimelineEntry,
    Transfer,
)
from family.models import Contribution, Invitation, SharedStep
from interviews.models import BelemmerendeFactor, BeraadAction, Interview, MoreelBeraad, NextStep
from regions.models import (
    Learning,
    LearningTheme,
    Region,
    TrainingRegistration,
    TrainingSession,
)
from regions.services import training_default
from reports.models import Report
from tests.factories import MembershipFactory, UserFactory, phase
from tests.interviews.factories import (
    BeraadFactory,
    InterviewFactory,
    LearningFactory,
    NextStepFactory,
    ObstacleFactory,
    make_jeugdige,
)
from wel import access
from wel.access import OutOfScope, ScopedQuerySet, require_case, require_region_member, scope_for
from wel.models import NationalRole, Role

EXTRA_PERSONAS = (
    "beheerder_member",
    "landelijk_member",
    "lpa_a_whole",
    "kartrekker_a_named",
    "no_role",
)
ALL_PERSONAS = (
    "anonymous",
    "lpa_a",
    "kartrekker_a",
    "lpa_b",
    "landelijk",
    "beheerder",
    *EXTRA_PERSONAS,
)

# -- What each kind of content shows to whom ------------------------------------------------
CASES = {
    "anonymous": set(),
    "lpa_a": {"A/emmen"},
    "kartrekker_a": {"A/emmen", "A/borger"},
    "kartrekker_a_named": {"A/emmen", "A/borger"},
    "lpa_b": {"B"},
    "landelijk": set(),
    "beheerder": set(),
    # A beheerder never sees case content, whatever memberships it holds.
    "beheerder_member": set(),
    # A national role adds nothing; the membership (LPA of A for Borger-Odoorn) does.
    "landelijk_member": {"A/borger"},
    "lpa_a_whole": {"A/emmen", "A/borger"},
    "no_role": set(),
}
REGION_INTERNAL = {
    "anonymous": set(),
    "lpa_a": {"A"},
    "kartrekker_a": {"A"},
    "kartrekker_a_named": {"A"},
    "lpa_b": {"B"},
    "landelijk": set(),  # national roles see no region content beyond aggregates
    "beheerder": set(),
    "beheerder_member": set(),
    "landelijk_member": {"A"},
    "lpa_a_whole": {"A"},
    "no_role": set(),
}
REGION_OPEN = {
    "anonymous": set(),
    "lpa_a": {"A"},
    "kartrekker_a": {"A"},
    "kartrekker_a_named": {"A"},
    "lpa_b": {"B"},
    "landelijk": {"A", "B"},
    "beheerder": {"A", "B"},
    "beheerder_member": {"A", "B"},
    "landelijk_member": {"A", "B"},
    "lpa_a_whole": {"A"},
    "no_role": set(),
}
OBSTACLES = {
    "anonymous": set(),
    "lpa_a": {"A/region", "A/emmen"},
    "kartrekker_a": {"A/region", "A/emmen", "A/borger"},
    "kartrekker_a_named": {"A/region", "A/emmen", "A/borger"},
    "lpa_b": {"B/region"},
    "landelijk": set(),
    "beheerder": set(),
    "beheerder_member": set(),
    "landelijk_member": {"A/region", "A/borger"},
    "lpa_a_whole": {"A/region", "A/emmen", "A/borger"},
    "no_role": set(),
}
LEARNINGS = {
    "anonymous": set(),
    "lpa_a": {"published", "draft/lpa_a"},
    "kartrekker_a": {"published", "draft/kartrekker_a"},
    "kartrekker_a_named": {"published"},  # the draft is the other kartrekker's
    "lpa_b": {"published"},
    "landelijk": {"published"},
    "beheerder": {"published"},
    "beheerder_member": {"published"},
    "landelijk_member": {"published"},
    "lpa_a_whole": {"published"},
    "no_role": set(),
}
TRAINING_SESSIONS = {
    "anonymous": set(),
    "lpa_a": {"published"},
    "kartrekker_a": {"published"},
    "kartrekker_a_named": {"published"},
    "lpa_b": {"published"},
    "landelijk": {"published", "unpublished"},
    "beheerder": {"published"},
    "beheerder_member": {"published"},
    "landelijk_member": {"published", "unpublished"},
    "lpa_a_whole": {"published"},
    "no_role": set(),
}
TRAINING_REGISTRATIONS = {
    "anonymous": set(),
    "lpa_a": {"lpa_a"},
    "kartrekker_a": set(),
    "kartrekker_a_named": set(),
    "lpa_b": {"lpa_b"},
    "landelijk": {"lpa_a", "lpa_b"},
    "beheerder": set(),
    "beheerder_member": set(),
    "landelijk_member": {"lpa_a", "lpa_b"},
    "lpa_a_whole": set(),
    "no_role": set(),
}
REPORTS = {
    "anonymous": set(),
    "lpa_a": {"A/regio", "A/landelijk"},
    "kartrekker_a": {"A/regio", "A/landelijk"},
    "kartrekker_a_named": {"A/regio", "A/landelijk"},
    "lpa_b": {"B/regio"},
    "landelijk": {"A/landelijk", "phase"},
    "beheerder": set(),
    "beheerder_member": set(),
    "landelijk_member": {"A/regio", "A/landelijk", "phase"},
    "lpa_a_whole": {"A/regio", "A/landelijk"},
    "no_role": set(),
}
IMPORT_JOBS = {
    "anonymous": set(),
    # Only the person who confirmed it, and only while they work in its region.
    "lpa_a": {"lpa_a/A"},
    "kartrekker_a": set(),
    "kartrekker_a_named": set(),
    "lpa_b": {"lpa_b/B"},
    "landelijk": set(),
    "beheerder": set(),
    "beheerder_member": set(),
    "landelijk_member": set(),
    "lpa_a_whole": set(),
    "no_role": set(),
}
# A transfer (issue 21 §2): the people who work on cases at its sending side (from) or at its
# receiving side (to). Tagged "from>to".
TRANSFERS = {
    "anonymous": set(),
    "lpa_a": {"A/emmen>B", "A/emmen>A/borger"},
    "kartrekker_a": {"A/emmen>B", "B>A/borger", "A/emmen>A/borger"},
    "kartrekker_a_named": {"A/emmen>B", "B>A/borger", "A/emmen>A/borger"},
    "lpa_b": {"A/emmen>B", "B>A/borger"},
    "landelijk": set(),
    "beheerder": set(),
    "beheerder_member": set(),
    "landelijk_member": {"B>A/borger", "A/emmen>A/borger"},
    "lpa_a_whole": {"A/emmen>B", "B>A/borger", "A/emmen>A/borger"},
    "no_role": set(),
}

EXPECTED = {
    Jeugdige: CASES,
    Betrokkene: CASES,
    Ontwikkelactiviteit: CASES,
    ContactMoment: CASES,
    TimelineEntry: CASES,
    RuleFinding: CASES,
    Interview: CASES,
    NextStep: CASES,
    Invitation: CASES,
    Contribution: CASES,
    SharedStep: CASES,
    MoreelBeraad: REGION_INTERNAL,
    BeraadAction: REGION_INTERNAL,
    BelemmerendeFactor: OBSTACLES,
    Region: REGION_OPEN,
    Learning: LEARNINGS,
    LearningTheme: LEARNINGS,
    TrainingSession: TRAINING_SESSIONS,
    TrainingRegistration: TRAINING_REGISTRATIONS,
    Report: REPORTS,
    ImportJob: IMPORT_JOBS,
    Transfer: TRANSFERS,
}

# Models with a path to a region or a case that have no policy of their own, and why.
NOT_SCOPED = {
    "wel.membership": "who works where: read by the policy itself and by beheerders in beheer",
    "cases.referencecounter": "a counter of reference numbers, no content",
    "cases.casesversion": "a cache token per region, no content",
    "cases.historicaljeugdige": "field history, read only through a case the user may see",
}


# -- The world with content everywhere ---------------------------------------------------------
@pytest.fixture
def policy_world(world):
    users = world.users
    beheerder_member = UserFactory(
        email="beheerder.lid@wel.test", national_role=NationalRole.BEHEERDER
    )
    MembershipFactory(user=beheerder_member, region=world.region_a, role=Role.KARTREKKER)
    landelijk_member = UserFactory(
        email="landelijk.lid@wel.test", national_role=NationalRole.LANDELIJK_TEAM
    )
    MembershipFactory(
        user=landelijk_member, region=world.region_a, role=Role.LPA, gemeenten=[world.borger]
    )
    # A kartrekker sees the whole region, even when the membership names gemeenten.
    kartrekker_a_named = UserFactory(email="kartrekker.a.gemeente@wel.test")
    MembershipFactory(
        user=kartrekker_a_named,
        region=world.region_a,
        role=Role.KARTREKKER,
        gemeenten=[world.emmen],
    )
    lpa_a_whole = UserFactory(email="lpa.a.heel@wel.test")
    MembershipFactory(user=lpa_a_whole, region=world.region_a, role=Role.LPA)
    no_role = UserFactory(email="zonder.rol@wel.test")
    personas = {
        **users,
        "beheerder_member": beheerder_member,
        "landelijk_member": landelijk_member,
        "lpa_a_whole": lpa_a_whole,
        "kartrekker_a_named": kartrekker_a_named,
        "no_role": no_role,
    }
    author = users["kartrekker_a"]
    content: dict[type, dict[models.Model, str]] = {model: {} for model in EXPECTED}

    def tag(obj, label):
        content[type(obj)][obj] = label
        return obj

    now = timezone.now()
    today = timezone.localdate()
    places = {}
    for label, region, gemeente in (
        ("A/emmen", world.region_a, world.emmen),
        ("A/borger", world.region_a, world.borger),
        ("B", world.region_b, world.assen),
    ):
        case = tag(make_jeugdige(region, gemeente), label)
        places[label] = (case, region, gemeente)
        tag(Betrokkene.objects.create(jeugdige=case, kind="ouder_verzorger", name="Ouder"), label)
        tag(Ontwikkelactiviteit.objects.create(jeugdige=case, kind="onderwijs"), label)
        tag(
            ContactMoment.objects.create(
                jeugdige=case, date=today, kind="telefoon", summary="Gebeld."
            ),
            label,
        )
        tag(TimelineEntry.objects.create(jeugdige=case, kind="update", text="Gewijzigd."), label)
        tag(
            RuleFinding.objects.create(jeugdige=case, code="renewal_due", level="review"),
            label,
        )
        interview = tag(
            InterviewFactory(jeugdige=case, created_by=author, interviewer=author), label
        )
        step = tag(NextStepFactory(interview=interview), label)
        invitation = tag(
            Invitation.objects.create(
                jeugdige=case,
                audience="parent",
                purpose="after",
                delivery="letter",
                recipient_name="Ouder",
                token_hash=f"t-{label}",
                code_hash=f"c-{label}",
                expires_at=now + dt.timedelta(days=7),
                created_by=author,
            ),
            label,
        )
        tag(
            Contribution.objects.create(invitation=invitation, jeugdige=case, audience="parent"),
            label,
        )
        tag(SharedStep.objects.create(invitation=invitation, next_step=step), label)
        if region == world.region_a:
            tag(ObstacleFactory(region=region, jeugdige=case, created_by=author), label)
    for source, target, status in (
        ("A/emmen", "B", Transfer.Status.PROPOSED),
        ("B", "A/borger", Transfer.Status.PROPOSED),
        ("A/emmen", "A/borger", Transfer.Status.DECLINED),
    ):
        case, from_region, from_gemeente = places[source]
        _case, to_region, to_gemeente = places[target]
        tag(
            Transfer.objects.create(
                jeugdige=case,
                from_region=from_region,
                from_gemeente=from_gemeente,
                to_region=to_region,
                to_gemeente=to_gemeente,
                note="Verhuist.",
                status=status,
                decline_reason="Niet hier." if status == Transfer.Status.DECLINED else "",
            ),
            f"{source}>{target}",
        )
    for label, region in (("A", world.region_a), ("B", world.region_b)):
        beraad = tag(BeraadFactory(region=region, created_by=author), label)
        tag(
            BeraadAction.objects.create(beraad=beraad, description="Terugkoppelen", owner="LPA"),
            label,
        )
        tag(ObstacleFactory(region=region, created_by=author), f"{label}/region")
        tag(region, label)
        tag(
            Report.objects.create(
                kind="region_progress",
                region=region,
                audience="regio",
                period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 6, 30),
            ),
            f"{label}/regio",
        )
    tag(
        Report.objects.create(
            kind="region_progress",
            region=world.region_a,
            audience="landelijk",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        ),
        "A/landelijk",
    )
    tag(
        Report.objects.create(
            kind="phase_overview",
            phase=phase(1),
            audience="landelijk",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
        ),
        "phase",
    )
    published = tag(LearningFactory(author=users["lpa_b"], region=world.region_b), "published")
    # A draft of someone who no longer holds a role: not even its author sees it now.
    for persona in ("lpa_a", "kartrekker_a", "no_role"):
        draft = tag(
            LearningFactory(
                author=personas[persona],
                region=world.region_a,
                status=Learning.Status.DRAFT,
                published_at=None,
            ),
            f"draft/{persona}",
        )
        tag(LearningTheme.objects.create(learning=draft, theme="parents"), f"draft/{persona}")
    tag(LearningTheme.objects.create(learning=published, theme="parents"), "published")
    training = training_default()
    for label, is_published in (("published", True), ("unpublished", False)):
        session = tag(
            TrainingSession.objects.create(
                training=training,
                starts_at=now + dt.timedelta(days=30),
                place="Zwolle",
                capacity=10,
                is_published=is_published,
            ),
            label,
        )
    for persona, region in (("lpa_a", world.region_a), ("lpa_b", world.region_b)):
        tag(
            TrainingRegistration.objects.create(
                session=session, user=users[persona], region=region, status="registered"
            ),
            persona,
        )
    for persona, region in (
        ("lpa_a", world.region_a),
        ("lpa_b", world.region_b),
        ("lpa_a", world.region_b),  # a job in a region its maker does not (or no longer) work in
    ):
        tag(
            ImportJob.objects.create(
                region=region,
                created_by=users[persona],
                filename="lijst.csv",
            ),
            f"{persona}/{region.code == world.region_a.code and 'A' or 'B'}",
        )
    return personas, content


# -- The tests ---------------------------------------------------------------------------------
@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m._meta.label)
def test_every_persona_sees_exactly_what_the_policy_says(policy_world, model):
    personas, content = policy_world
    tags = content[model]
    assert set(tags.values()) >= set().union(*EXPECTED[model].values()), "world incomplete"
    seen = {}
    for persona in ALL_PERSONAS:
        visible = model.objects.visible_to(personas[persona]).filter(
            pk__in=[obj.pk for obj in tags]
        )
        seen[persona] = {tags[obj] for obj in visible}
    assert seen == EXPECTED[model]


def test_every_model_with_region_or_case_content_declares_its_policy():
    """A new model that points at a region or a case (directly or through its parents) must
    declare its rule on a ScopedQuerySet, or be listed in NOT_SCOPED with a reason."""
    ours = ("wel", "regions", "cases", "interviews", "family", "reports")
    holders = {apps.get_model("regions", "Region"), apps.get_model("cases", "Jeugdige")}

    def reaches(model, depth=0) -> bool:
        if model in holders:
            return True
        if depth >= 3:
            return False
        return any(
            reaches(f.related_model, depth + 1)
            for f in model._meta.concrete_fields
            if f.many_to_one and f.related_model is not model
        )

    for model in apps.get_models():
        if model._meta.app_label not in ours or not reaches(model):
            continue
        label = model._meta.label_lower
        if label in NOT_SCOPED:
            continue
        queryset = model._default_manager.get_queryset()
        assert isinstance(queryset, ScopedQuerySet), f"{label} declares no access policy"
        assert isinstance(type(queryset).visibility, access.Rule), label
        assert model in EXPECTED, f"{label}: write down what it shows to each persona here"


def test_the_single_checks_agree_with_the_querysets(policy_world):
    """``require_case`` (what services check) refuses exactly the cases the queryset hides."""
    personas, content = policy_world
    for persona in ALL_PERSONAS:
        user = personas[persona]
        for case, label in content[Jeugdige].items():
            allowed = label in CASES[persona]
            if user is None:
                continue  # services never run for an anonymous visitor
            if allowed:
                require_case(user, case)
            else:
                with pytest.raises(OutOfScope):
                    require_case(user, case)
        for region, label in content[Region].items():
            if user is None:
                continue
            if label in REGION_INTERNAL[persona]:
                require_region_member(user, region.pk)
            else:
                with pytest.raises(OutOfScope):
                    require_region_member(user, region.pk)


def test_who_decides_a_transfer_agrees_everywhere(policy_world):
    """``may_decide`` (what the services check), ``transfer_deciders`` (whom the notifications
    tell) and ``transfers_waiting`` (the receiver's list) name the same people: those who would
    see the case at the receiving side (issue 21 §2)."""
    from cases import transfers

    personas, content = policy_world
    for transfer, label in content[Transfer].items():
        deciders = set(transfers.transfer_deciders(transfer))
        receiving = label.split(">")[1]
        for persona in ALL_PERSONAS:
            user = personas[persona]
            if user is None:
                continue
            expected = receiving in CASES[persona]
            assert transfers.may_decide(user, transfer) is expected, (persona, label)
            assert (user in deciders) is expected, (persona, label)
            waiting = set(transfers.transfers_waiting(user=user))
            assert (transfer in waiting) is (expected and transfer.status == "proposed")


def test_a_beheerder_scope_carries_no_memberships(policy_world):
    personas, _ = policy_world
    scope = scope_for(personas["beheerder_member"])
    assert scope.is_beheerder and scope.memberships == ()
    assert scope_for(personas["landelijk_member"]).memberships != ()


def test_where_one_may_register_a_case_is_where_one_sees_cases(policy_world, world):
    """``gemeente_ids_for_cases`` (the form's and importer's choice of gemeenten) agrees with
    the case rule: a gemeente is offered exactly when its cases are visible."""
    personas, _ = policy_world
    by_label = {"A/emmen": world.emmen.pk, "A/borger": world.borger.pk}
    for persona in ALL_PERSONAS:
        offered = scope_for(personas[persona]).gemeente_ids_for_cases(world.region_a.pk)
        if offered is None:
            offered = {world.emmen.pk, world.borger.pk}
        expected = {by_label[label] for label in CASES[persona] if label in by_label}
        assert set(offered) == expected, persona


def test_the_strongest_role_in_a_region_is_kartrekker(world):
    """Someone who is both LPA and kartrekker of a region acts there as its kartrekker (exact
    figures, the region's lead pages); an LPA only as LPA; a non-member has no role there."""
    both = UserFactory(email="lpa.en.kartrekker@wel.test")
    MembershipFactory(user=both, region=world.region_a, role=Role.LPA, gemeenten=[world.emmen])
    MembershipFactory(user=both, region=world.region_a, role=Role.KARTREKKER)
    assert scope_for(both).role_in(world.region_a.pk) == Role.KARTREKKER
    assert scope_for(world.user("lpa_a")).role_in(world.region_a.pk) == Role.LPA
    assert scope_for(world.user("lpa_a")).role_in(world.region_b.pk) is None
    assert scope_for(world.user("landelijk")).role_in(world.region_a.pk) is None


# Who leads a region (may_lead: moreel beraad, the obstacle agenda's decisions, the region's
# exact report): its kartrekkers only, whatever else a persona holds. Persona -> regions led.
LEADS = {
    "lpa_a": set(),
    "kartrekker_a": {"A"},
    "kartrekker_a_named": {"A"},
    "lpa_b": set(),
    "landelijk": set(),
    "landelijk_member": set(),
    "beheerder": set(),
    "beheerder_member": set(),  # the beheerder role carries no membership, so leads nothing
    "lpa_a_whole": set(),
    "no_role": set(),
    "anonymous": set(),
}


def test_only_a_kartrekker_leads_a_region(policy_world, world):
    """A hand mutation letting every member lead (``may_lead`` on ``region_ids``, or
    ``kartrekker_region_ids`` counting LPAs) survived the policy tests without this."""
    personas, _ = policy_world
    regions = {"A": world.region_a, "B": world.region_b}
    assert set(LEADS) == set(ALL_PERSONAS)
    for persona in ALL_PERSONAS:
        scope = scope_for(personas[persona])
        led = {label for label, region in regions.items() if scope.may_lead(region.pk)}
        assert led == LEADS[persona], persona
        assert scope.is_kartrekker == bool(LEADS[persona]), persona
        assert scope.kartrekker_region_ids == {regions[r].pk for r in LEADS[persona]}, persona
