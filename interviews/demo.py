"""Demo content of the interviews app, and the regions' shared learnings and training.

Interviews (parents, young people, professionals) with next steps for cases that have had a
conversation; moreel beraad sessions; belemmerende factoren at every level and status; learnings;
training sessions with sign-ups and a waiting list. Idempotent: a region that already has
interviews, sessions or obstacles is left alone; learnings are found by title; the training
sessions are made once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Jeugdige, Status, TimelineEntry
from cases.services import timeline_add
from regions.models import (
    DEFAULT_TRAINING_TITLE,
    Learning,
    LearningTheme,
    Region,
    Theme,
    Training,
    TrainingRegistration,
    TrainingSession,
)
from wel.models import Membership, NationalRole, Role, User

from .models import (
    AgendaStatus,
    BelemmerendeFactor,
    BeraadAction,
    Category,
    Interview,
    Level,
    MoreelBeraad,
    NextStep,
)

TALKED = [
    Status.GESPREK_GEVOERD,
    Status.AANBOD_IN_VOORBEREIDING,
    Status.IN_ONTWIKKELING,
    Status.AFGESLOTEN,
]
KINDS = [
    Interview.RespondentKind.PARENT,
    Interview.RespondentKind.YOUNG_PERSON,
    Interview.RespondentKind.PROFESSIONAL,
]
ANSWERS = {
    Interview.RespondentKind.PARENT: {
        "respondent_role": "moeder",
        "view_on_situation": "De vrijstelling gaf eerst rust. Nu staan we er alleen voor.",
        "development_present": "Drie ochtenden per week op de zorgboerderij; leest thuis veel.",
        "development_contributors": "Een vaste begeleider die de tijd neemt, en kleine groepen.",
        "development_possible": "Misschien een paar uur rekenen en taal op de boerderij.",
        "child_needs": "Voorspelbaarheid, rust en iemand die het tempo volgt.",
        "parent_needs": "Eén vast aanspreekpunt en hulp bij het vervoer.",
    },
    Interview.RespondentKind.YOUNG_PERSON: {
        "respondent_role": "jongere zelf",
        "view_on_situation": "School was te druk. Thuis gaat het beter, maar ik verveel me soms.",
        "development_present": "Ik help bij de dieren en ik leer zelf programmeren.",
        "development_contributors": "Dat ik zelf mocht kiezen wat ik leer.",
        "development_possible": "Een cursus volgen, misschien online.",
        "child_needs": "Dat mensen niet meteen over school beginnen.",
        "parent_needs": "",
    },
    Interview.RespondentKind.PROFESSIONAL: {
        "respondent_role": "begeleider dagbesteding",
        "respondent_organisation": "Zorgboerderij De Eshof",
        "view_on_situation": "De vrijstelling klopt medisch, maar sluit ontwikkeling niet uit.",
        "development_present": "Zelfstandig taken plannen; samenwerken in een klein team.",
        "development_contributors": "Vaste structuur en werken met de handen.",
        "development_possible": "Erkenning van wat hier geleerd wordt door het onderwijs.",
        "child_needs": "Een plek waar leren en zorg samengaan.",
        "parent_needs": "Duidelijkheid over bekostiging van de dagbesteding.",
    },
}
STEPS = [
    ("Kennismaking plannen met de zorgboerderij", "LPA"),
    ("Navragen bij het samenwerkingsverband of een maatwerkarrangement kan", "kartrekker"),
    ("Vervoer aanvragen bij de gemeente", "moeder"),
    ("Evaluatiegesprek met ouders", "LPA"),
    ("Contact met de GGD-arts over het vervolg", "GGD"),
]
OBSTACLES = [
    (Category.TRANSPORT, "Leerlingenvervoer naar de dagbesteding wordt niet vergoed."),
    (Category.FUNDING, "Bekostiging van onderwijs op de zorgboerderij is niet geregeld."),
    (Category.MISSING_OFFER, "Geen passend aanbod voor een jongere van 15 met angstklachten."),
    (Category.WAITING_LISTS, "Wachtlijst van negen maanden bij de jeugd-GGZ."),
    (Category.EDUCATION_CARE, "School en zorgaanbieder spreken elkaar niet over het plan."),
    (Category.EXEMPTION_PROCEDURE, "De verlenging vóór 1 juli kost ouders elk jaar veel stress."),
    (Category.LAWS, "Onderwijstijd buiten school telt niet mee in de regels."),
    (Category.OTHER, "Ouders weten niet bij wie ze terechtkunnen na de vrijstelling."),
]
SUMMARIES = {
    Category.TRANSPORT: "Vervoer naar dagbesteding of zorgboerderij valt buiten de regeling "
    "leerlingenvervoer; gezinnen betalen het zelf of de jongere blijft thuis.",
    Category.FUNDING: "Er is geen bekostiging voor onderwijs dat op een zorglocatie wordt gegeven; "
    "scholen en gemeenten wijzen naar elkaar.",
    Category.MISSING_OFFER: "Voor jongeren met angstklachten ontbreekt een klein, rustig aanbod "
    "tussen onderwijs en zorg in.",
    Category.WAITING_LISTS: "Lange wachttijden in de jeugd-GGZ houden een vrijstelling "
    "jarenlang in stand.",
    Category.EDUCATION_CARE: "Onderwijs en zorg maken geen gezamenlijk plan; "
    "niemand heeft de regie.",
    Category.EXEMPTION_PROCEDURE: "De jaarlijkse verlenging van de vrijstelling 5a belast ouders "
    "zonder dat er iets verandert.",
    Category.LAWS: "Ontwikkeling buiten school wordt wettelijk niet als onderwijstijd erkend.",
    Category.OTHER: "Na de vrijstelling is er geen vast aanspreekpunt voor ouders.",
}
WHERE = {
    Level.LOCAL: "Lokaal Educatieve Agenda",
    Level.REGIONAL: "Regionaal overleg onderwijs-zorg",
    Level.NATIONAL: "Landelijk team WEL in Ontwikkeling",
}
LEARNINGS = [
    (
        "Begin bij wat er al is",
        Learning.Kind.WHAT_WORKS,
        "Vraag in het eerste gesprek niet naar school, maar naar de ontwikkeling die er al is. "
        "Ouders voelen zich dan gezien en vertellen meer.",
        "Gesprekken met ouders van kinderen met een vrijstelling 5a.",
        [Theme.CONVERSATION, Theme.PARENTS],
    ),
    (
        "Laat ouders kiezen wie aanschuift",
        Learning.Kind.WHAT_IS_VALUABLE,
        "Wanneer ouders zelf bepalen wie bij het gesprek zijn, is het gesprek rustiger en "
        "komen afspraken beter van de grond.",
        "Gesprekken waarin eerder veel professionals aan tafel zaten.",
        [Theme.PARENTS],
    ),
    (
        "De zorgboerderij als leerplek erkennen",
        Learning.Kind.WHAT_WORKS,
        "Een korte beschrijving van wat een jongere op de zorgboerderij leert, helpt de school "
        "om dat te erkennen in een maatwerkarrangement.",
        "Samenwerking tussen een samenwerkingsverband en twee zorgboerderijen.",
        [Theme.RECOGNITION, Theme.DEVELOPMENT, Theme.EDUCATION_CARE],
    ),
    (
        "Moreel beraad maakt twijfel bespreekbaar",
        Learning.Kind.WHAT_IS_VALUABLE,
        "Door het dilemma met de dilemmamethode te bespreken, zagen we dat 'wachten' ook een "
        "keuze met kosten is. Dat gaf ruimte om kleine stappen af te spreken.",
        "Regionaal moreel beraad met leerplicht, SWV en expertteam.",
        [Theme.MOREEL_BERAAD],
    ),
    (
        "Vervoer vroeg regelen",
        Learning.Kind.WHAT_WORKS,
        "Vraag vervoer aan zodra er een aanbod in zicht is: de aanvraag duurt vaak langer dan "
        "het vinden van de plek zelf.",
        "Meerdere jongeren die wachtten op vervoer naar dagbesteding.",
        [Theme.TRANSPORT],
    ),
    (
        "De jongere zelf aan het woord",
        Learning.Kind.WHAT_IS_VALUABLE,
        "Een apart gesprek met de jongere, zonder ouders, leverde wensen op die niemand kende.",
        "Jongeren van 14 tot 17 jaar.",
        [Theme.YOUNG_PERSON, Theme.CONVERSATION],
    ),
    (
        "Verlenging als moment om te kijken",
        Learning.Kind.WHAT_WORKS,
        "Gebruik de verlenging van de vrijstelling vóór 1 juli als vast moment voor een gesprek "
        "over ontwikkeling, niet alleen als administratie.",
        "Leerplichtafdelingen in drie gemeenten.",
        [Theme.EXEMPTION],
    ),
]


def seed(*, stdout, scale: int = 0) -> None:
    started = time.monotonic()
    regions = list(Region.objects.select_related("phase").order_by("code"))
    today = timezone.localdate()
    counts = {"interviews": 0, "morele beraden": 0, "obstacles": 0}
    for index, region in enumerate(regions):
        rnd = random.Random(f"interviews-{region.code}")
        kartrekker = _member(region, Role.KARTREKKER)
        if kartrekker is None or region.joined_on is None or region.joined_on > today:
            continue  # no conversations before a region has joined
        counts["interviews"] += _interviews(region, rnd, kartrekker)
        if region.phase.number <= 2:
            counts["morele beraden"] += _beraden(region, rnd, kartrekker)
        counts["obstacles"] += _obstacles(
            region, rnd, kartrekker, full=index == 0 or region.code == "VO2202"
        )
    learnings = _learnings(regions)
    sessions = _training(regions)
    stdout.write(
        "Interviews: {interviews} interviews, {morele beraden} morele beraden, "
        "{obstacles} belemmerende factoren".format(**counts)
        + f", {learnings} learnings, {sessions} training sessions "
        f"({time.monotonic() - started:.1f} s)"
    )


def _member(region: Region, role: str) -> User | None:
    membership = (
        Membership.objects.filter(region=region, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _interviews(region: Region, rnd: random.Random, kartrekker: User) -> int:
    if Interview.objects.filter(jeugdige__region=region).exists():
        return 0
    today = timezone.localdate()
    cases = list(
        Jeugdige.objects.filter(region=region, status__in=TALKED)
        .select_related("assigned_lpa")
        .order_by("reference")[:5]
    )
    made = 0
    for n, jeugdige in enumerate(cases):
        interviewer = jeugdige.assigned_lpa or kartrekker
        for k, kind in enumerate(KINDS[: 1 + (n % 3)]):
            held_on = today - dt.timedelta(days=rnd.randint(10, 120))
            answers = dict(ANSWERS[kind])
            interview = Interview.objects.create(
                jeugdige=jeugdige,
                respondent_kind=kind,
                respondent_name="" if kind == Interview.RespondentKind.YOUNG_PERSON else _name(rnd),
                held_on=held_on,
                interviewer=interviewer,
                attendees="moeder, vader, LPA" if kind == Interview.RespondentKind.PARENT else "",
                attendees_chosen_by_parents=True,
                consent_to_record=True,
                created_by=interviewer,
                **answers,
            )
            made += 1
            timeline_add(
                jeugdige=jeugdige,
                kind=TimelineEntry.Kind.INTERVIEW,
                text=_("Interview with a %(kind)s on %(date)s.")
                % {"kind": interview.get_respondent_kind_display(), "date": f"{held_on:%d-%m-%Y}"},
                by=interviewer,
                at=_aware(held_on),
            )
            for s in range(1 + (k + n) % 2):
                description, _owner = STEPS[(n + k + s) % len(STEPS)]
                due = held_on + dt.timedelta(days=rnd.randint(7, 60))
                done = due < today - dt.timedelta(days=10) and rnd.random() < 0.6
                NextStep.objects.create(
                    interview=interview,
                    description=description,
                    owner_user=interviewer,  # a colleague on the case (issue 21)
                    due_on=due,
                    done=done,
                    done_at=_aware(due) if done else None,
                )
                timeline_add(
                    jeugdige=jeugdige,
                    kind=TimelineEntry.Kind.NEXT_STEP,
                    text=_("Next step agreed: %(what)s (owner: %(owner)s, due %(due)s).")
                    % {
                        "what": description,
                        "owner": interviewer.full_name,
                        "due": f"{due:%d-%m-%Y}",
                    },
                    by=interviewer,
                    at=_aware(held_on, 11),
                )
    return made


def _beraden(region: Region, rnd: random.Random, kartrekker: User) -> int:
    if MoreelBeraad.objects.filter(region=region).exists():
        return 0
    today = timezone.localdate()
    linked = list(Jeugdige.objects.filter(region=region, is_focus=True).order_by("reference")[:1])
    sessions = [
        {
            "method": MoreelBeraad.Method.DILEMMA,
            "case_description": "Een meisje van 13 met een vrijstelling 5a sinds groep 7. "
            "Zij werkt "
            "drie ochtenden op een zorgboerderij en wil graag 'iets met dieren' leren.",
            "dilemma": "Dringen we aan op een onderwijsaanbod, of erkennen we de zorgboerderij als "
            "haar leerplek?",
            "option_a": "Aandringen op deeltijdonderwijs.",
            "option_a_costs": "De rust van nu kan verdwijnen; ouders voelen zich niet gehoord.",
            "option_b": "De zorgboerderij erkennen en daar leerdoelen aan koppelen.",
            "option_b_costs": "Geen diploma in zicht; afhankelijk van één begeleider.",
            "perspectives": "Ouders: rust voorop. Leerplicht: recht op onderwijs. Zorg: "
            "ontwikkeling gaat nu goed.",
            "values": "Autonomie, recht op onderwijs, zorgvuldigheid.",
            "conclusion": "We erkennen de zorgboerderij als leerplek en verkennen samen met de "
            "school een maatwerkarrangement.",
            "evaluation": "De methode hielp om de kosten van beide opties te zien.",
        },
        {
            "method": MoreelBeraad.Method.SOCRATIC,
            "case_description": "Een jongen van 16, twee jaar thuis zonder vrijstelling "
            "(absoluut verzuim). Ouders willen geen contact met instanties.",
            "dilemma": "Handhaven we, of investeren we eerst in vertrouwen?",
            "option_a": "Proces-verbaal opmaken.",
            "option_a_costs": "Het contact met het gezin raakt waarschijnlijk verloren.",
            "option_b": "Eerst huisbezoeken zonder handhaving.",
            "option_b_costs": "Het verzuim duurt langer; anderen zien dat er niets gebeurt.",
            "perspectives": "Wat betekent 'zorgen voor' hier?",
            "values": "Vertrouwen, rechtvaardigheid, bescherming.",
            "conclusion": "Drie maanden investeren in contact, daarna opnieuw wegen.",
            "evaluation": "Goed om de vraag achter de vraag te onderzoeken.",
        },
    ]
    for n, data in enumerate(sessions):
        beraad = MoreelBeraad.objects.create(
            region=region,
            held_on=today - dt.timedelta(days=30 + 45 * n),
            facilitator="Gespreksleider Gedragswerk",
            participants="Leerplichtambtenaar – gemeente\nConsulent – samenwerkingsverband\n"
            "Gedragswetenschapper – expertteam complexe casuïstiek",
            created_by=kartrekker,
            **data,
        )
        if n == 0 and linked:
            beraad.jeugdigen.set(linked)
        BeraadAction.objects.create(
            beraad=beraad,
            description="Terugkoppeling aan de ouders",
            owner="LPA",
            due_on=beraad.held_on + dt.timedelta(days=14),
            done=n == 1,
        )
        BeraadAction.objects.create(
            beraad=beraad,
            description="Evaluatie in het regionaal overleg",
            owner="kartrekker",
            due_on=beraad.held_on + dt.timedelta(days=60),
        )
    return len(sessions)


def _obstacles(region: Region, rnd: random.Random, kartrekker: User, *, full: bool) -> int:
    """The pilot region gets every level × status; others a handful."""
    if BelemmerendeFactor.objects.filter(region=region).exists():
        return 0
    now = timezone.now()
    interviews = list(
        Interview.objects.filter(jeugdige__region=region).select_related("jeugdige").order_by("pk")
    )
    beraad = MoreelBeraad.objects.filter(region=region).order_by("pk").first()
    if full:
        combos = list(itertools.product(Level.values, AgendaStatus.values))
    else:
        combos = [
            (rnd.choice(Level.values), rnd.choice(AgendaStatus.values))
            for _ in range(rnd.randint(2, 4))
        ]
    made = 0
    for n, (level, status) in enumerate(combos):
        category, description = OBSTACLES[(n + rnd.randint(0, 7)) % len(OBSTACLES)]
        source_kind = n % 4
        interview = interviews[n % len(interviews)] if interviews and source_kind == 0 else None
        raised = now - dt.timedelta(days=rnd.randint(20, 200))
        factor = BelemmerendeFactor(
            region=region,
            source=(
                BelemmerendeFactor.Source.INTERVIEW
                if interview
                else BelemmerendeFactor.Source.MOREEL_BERAAD
                if source_kind == 1 and beraad
                else BelemmerendeFactor.Source.REGION
            ),
            interview=interview,
            jeugdige=interview.jeugdige if interview else None,
            beraad=beraad if source_kind == 1 else None,
            category=category,
            description=description,
            level=level,
            status=status,
            created_by=interview.interviewer if interview else kartrekker,
            status_changed_at=raised + dt.timedelta(days=10),
        )
        if status != AgendaStatus.GESIGNALEERD:
            factor.agenda_where = WHERE[level]
            factor.agenda_on = (raised + dt.timedelta(days=7)).date()
        if level == Level.NATIONAL:
            factor.shareable_summary = SUMMARIES[category]
            factor.escalated_at = raised + dt.timedelta(days=5)
            factor.escalated_by = kartrekker
        factor.save()
        BelemmerendeFactor.objects.filter(pk=factor.pk).update(created_at=raised)
        made += 1
    return made


def _learnings(regions: list[Region]) -> int:
    made = 0
    landelijk = (
        User.objects.filter(national_role=NationalRole.LANDELIJK_TEAM).order_by("pk").first()
    )
    for n, (title, kind, lesson, context, themes) in enumerate(LEARNINGS):
        if Learning.objects.filter(title=title).exists() or not regions:
            continue
        region = regions[(n * 11) % len(regions)]
        author = _member(region, Role.KARTREKKER if n % 2 == 0 else Role.LPA)
        if author is None:
            continue
        learning = Learning.objects.create(
            title=title,
            kind=kind,
            lesson=lesson,
            context=context,
            region=region,
            author=author,
            status=Learning.Status.PUBLISHED,
            checked_identifying=True,
            published_at=timezone.now() - dt.timedelta(days=10 * (len(LEARNINGS) - n)),
        )
        LearningTheme.objects.bulk_create(
            [LearningTheme(learning=learning, theme=t) for t in themes]
        )
        made += 1
    title = "Wat regio's leren over ontwikkeling buiten school"
    if landelijk and not Learning.objects.filter(title=title).exists():
        learning = Learning.objects.create(
            title=title,
            kind=Learning.Kind.WHAT_IS_VALUABLE,
            lesson="In alle pilotregio's bleek: waar ontwikkeling buiten school wordt erkend, "
            "ontstaat beweging. Begin daarom met erkennen, niet met inschrijven.",
            context="Terugblik van het landelijk team op de pilotfase.",
            author=landelijk,
            status=Learning.Status.PUBLISHED,
            checked_identifying=True,
            published_at=timezone.now() - dt.timedelta(days=2),
        )
        LearningTheme.objects.create(learning=learning, theme=Theme.RECOGNITION)
        made += 1
    return made


def _training(regions: list[Region]) -> int:
    training, _created = Training.objects.get_or_create(
        title=DEFAULT_TRAINING_TITLE,
        defaults={
            "description": "Een dagdeel voor leerplichtambtenaren: hoe voer je een open gesprek "
            "met ouders en jongeren over de ontwikkeling die er al is, en wat nog kan?"
        },
    )
    if training.sessions.exists():
        return 0
    landelijk = (
        User.objects.filter(national_role=NationalRole.LANDELIJK_TEAM).order_by("pk").first()
    )
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    plans = [
        (-40, False, "Utrecht, Jaarbeurs", 20),
        (-12, True, "Microsoft Teams", 30),
        (9, False, "Zwolle, Provinciehuis", 4),  # full, with a waiting list
        (23, True, "Microsoft Teams", 25),
        (51, False, "Eindhoven, Evoluon", 20),
    ]
    lpas = list(
        Membership.objects.filter(role=Role.LPA, region__in=regions)
        .select_related("user", "region")
        .order_by("region__code", "pk")[:60]
    )
    for n, (days, online, place, capacity) in enumerate(plans):
        starts = (now + dt.timedelta(days=days)).replace(hour=13 if online else 9, minute=30)
        session = TrainingSession.objects.create(
            training=training,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            is_online=online,
            place=place,
            capacity=capacity,
            created_by=landelijk,
        )
        takers = lpas[n * 9 : n * 9 + (capacity + 3 if capacity < 10 else 9)]
        for i, m in enumerate(takers):
            TrainingRegistration.objects.get_or_create(
                session=session,
                user=m.user,
                defaults={
                    "region": m.region,
                    "status": TrainingRegistration.Status.REGISTERED
                    if i < capacity
                    else TrainingRegistration.Status.WAITING,
                    "created_at": starts - dt.timedelta(days=30 - i),
                },
            )
    return len(plans)


def _name(rnd: random.Random) -> str:
    from regions.demo import FAMILY, GIVEN

    return f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))
