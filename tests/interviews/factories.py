"""Factories for the interviews app and the regions' learnings and training."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from cases.models import Grondslag, Jeugdige
from interviews.models import (
    BelemmerendeFactor,
    Category,
    Interview,
    MoreelBeraad,
    NextStep,
)
from regions.models import Learning, Training, TrainingSession

_numbers = itertools.count(1)


def make_jeugdige(
    region, gemeente, *, given_name="Fenna", family_name="Bakker", **extra
) -> Jeugdige:
    """A case, created directly (the cases app's services are not needed for these tests)."""
    n = next(_numbers)
    return Jeugdige.objects.create(
        region=region,
        gemeente=gemeente,
        # A year of its own, so these never meet the numbers the cases service hands out.
        reference=f"{region.reference_prefix}-1999-{n:04d}",
        given_name=given_name,
        family_name=family_name,
        date_of_birth=dt.date(2013, 3, 14),
        grondslag=Grondslag.VRIJSTELLING_5A,
        **extra,
    )


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    respondent_kind = Interview.RespondentKind.PARENT
    respondent_name = "Marieke Bakker"
    respondent_role = "moeder"
    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    consent_to_record = True
    attendees = "moeder, LPA, begeleider zorgboerderij"
    view_on_situation = "De vrijstelling gaf rust."
    development_present = "Fenna werkt drie ochtenden op de zorgboerderij."
    development_contributors = "Een vaste begeleider en kleine groepen."
    development_possible = "Twee uur per week les op de boerderij."
    child_needs = "Voorspelbaarheid."
    parent_needs = "Eén vast aanspreekpunt."


class NextStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NextStep

    interview = factory.SubFactory(InterviewFactory)
    description = "Gesprek plannen met de zorgboerderij"
    owner = "LPA"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


class BeraadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoreelBeraad

    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    facilitator = "Gespreksleider Gedragswerk"
    method = MoreelBeraad.Method.DILEMMA
    participants = "LPA – gemeente Emmen\nConsulent – samenwerkingsverband"
    case_description = "Een jongere van 12 met een vrijstelling 5a."
    dilemma = "Dringen we aan op onderwijs of respecteren we de keuze van ouders?"
    option_a = "Aandringen op een onderwijsaanbod."
    option_b = "De rust van nu respecteren."
    conclusion = "Kleine stappen, met de ouders aan het roer."
    evaluation = "Het beraad gaf ruimte voor twijfel."


class ObstacleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BelemmerendeFactor

    source = BelemmerendeFactor.Source.REGION
    category = Category.TRANSPORT
    description = "Leerlingenvervoer naar de zorgboerderij wordt niet vergoed."


class LearningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learning

    title = "Begin bij wat er al is"
    lesson = "Vraag eerst naar de ontwikkeling die er al is."
    status = Learning.Status.PUBLISHED
    checked_identifying = True
    published_at = factory.LazyFunction(timezone.now)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    training = factory.LazyFunction(
        lambda: Training.objects.get_or_create(
            title="Hoe voer je een gesprek over ontwikkelmogelijkheden?"
        )[0]
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    place = "Utrecht, Jaarbeurs"
    capacity = 2
