"""Who may open which cases URL. Case pages are for people who work in a region: national
roles get 403 (they have no case role at all); a case outside one's scope answers 404."""

from django.utils import timezone

from cases import transfers
from cases.models import ImportJob, ReferenceCounter, Status
from tests.cases.factories import make_jeugdige
from tests.walk import Route, everyone

WORKERS = everyone(200, landelijk=403, beheerder=403)
POST_ONLY = everyone(405, landelijk=403, beheerder=403)


def build(world):
    # Other apps' factories write EMM-2026-0001… directly; keep clear of their numbers.
    ReferenceCounter.objects.update_or_create(
        region=world.region_a, year=timezone.localdate().year, defaults={"last": 9000}
    )
    world.extra.jeugdige_a = make_jeugdige(world, given_name="Anna", family_name="Emmen")
    world.extra.jeugdige_a_borger = make_jeugdige(
        world, gemeente=world.borger, given_name="Bas", family_name="Borger"
    )
    # A case of Emmen whose move to Assen (region B) waits for lpa_b (issue 21 §2).
    world.extra.jeugdige_a_moving = make_jeugdige(world, given_name="Mees", family_name="Verhuis")
    world.extra.transfer = transfers.transfer_propose(
        jeugdige=world.extra.jeugdige_a_moving,
        to_region=world.region_b,
        to_gemeente=world.assen,
        note="Verhuist naar Assen.",
        by=world.user("lpa_a"),
    )
    world.extra.import_job = ImportJob.objects.create(
        region=world.region_a,
        created_by=world.user("kartrekker_a"),
        filename="lijst.csv",
        status=ImportJob.Status.DONE,
    )


def case(**overrides):
    """A URL of the Emmen case: lpa_a and kartrekker_a may, lpa_b gets 404."""
    return everyone(200, lpa_b=404, landelijk=403, beheerder=403) | overrides


ref = {"kwargs": lambda w: {"reference": w.jeugdige_a.reference}}
job = everyone(404, kartrekker_a=200, landelijk=403, beheerder=403)
job_kwargs = {"kwargs": lambda w: {"pk": w.import_job.pk}}

WALK = {
    "cases:list": Route(get=WORKERS),
    "cases:worklist": Route(get=WORKERS),
    "cases:agenda": Route(get=WORKERS, query="wie=team"),
    "cases:team": Route(get=WORKERS),
    # the header's search: no case search at all for national roles (404, no box)
    "cases:search": Route(get=everyone(200, landelijk=404, beheerder=404)),
    "cases:create": Route(
        get=WORKERS,
        post=everyone(200, landelijk=403, beheerder=403),  # empty form: errors, no 500
        post_data=lambda w: {},
    ),
    "cases:export": Route(get=WORKERS),
    "cases:import": Route(
        get=WORKERS, post=everyone(200, landelijk=403, beheerder=403), post_data=lambda w: {}
    ),
    "cases:import_confirm": Route(
        get=POST_ONLY,
        post=everyone(302, landelijk=403, beheerder=403),  # no pending import: back to upload
        post_data=lambda w: {"token": "nope"},
    ),
    "cases:import_template": Route(get=WORKERS),
    "cases:import_ignore_columns": Route(
        get=POST_ONLY,
        post=everyone(302, landelijk=403, beheerder=403),  # no pending import: back to upload
        post_data=lambda w: {"token": "nope", "ignore_column": "x"},
    ),
    # an import job is seen only by the person who confirmed it
    "cases:import_job": Route(get=job, **job_kwargs),
    "cases:import_job_progress": Route(get=job, **job_kwargs),
    "cases:detail": Route(get=case(), **ref),
    "cases:update": Route(
        get=case(), post=case(), post_data=lambda w: {}, **ref
    ),  # empty form: errors
    "cases:transition": Route(
        get=case(lpa_a=405, kartrekker_a=405, lpa_b=405),
        post=case(lpa_a=302, kartrekker_a=302),
        post_data=lambda w: {"to": Status.IN_BEELD, "version": "999"},  # stale: refused
        **ref,
    ),
    "cases:close": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "cases:handover": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "cases:betrokkene_add": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "cases:activiteit_add": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "cases:contact_add": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "cases:history": Route(get=case(), **ref),
    # the case's processing log (Logboek Dataverwerkingen): the kartrekker; an LPA of the case 403
    "cases:processing_log": Route(get=case(lpa_a=403), **ref),
    "cases:inzage": Route(get=case(), **ref),
    "cases:inzage_pdf": Route(get=case(), **ref),
    "cases:inzage_json": Route(get=case(), **ref),
    # the year overview of Emmen (0114): lpa_a and kartrekker_a; lpa_b works elsewhere: 404
    "cases:leerplichttelling": Route(get=case(), query="gemeente=0114&schooljaar=2025-2026"),
    "cases:leerplichttelling_csv": Route(get=case(), query="gemeente=0114&schooljaar=2025-2026"),
    "cases:leerplichttelling_xlsx": Route(get=case(), query="gemeente=0114&schooljaar=2025-2026"),
    "cases:leerplichttelling_pdf": Route(get=case(), query="gemeente=0114&schooljaar=2025-2026"),
    "cases:leerplichttelling_cases": Route(
        get=case(),
        kwargs=lambda w: {"key": "absoluut_verzuim"},
        query="gemeente=0114&schooljaar=2025-2026",
    ),
    # transfers (issue 21 §2): the sending side (lpa_a, kartrekker_a) and the receiving side
    # (lpa_b) see the transfer; a POST without an action is answered with a message
    "cases:transfers": Route(get=WORKERS),
    "cases:transfer": Route(
        get=WORKERS, post=WORKERS, post_data=lambda w: {}, kwargs=lambda w: {"pk": w.transfer.pk}
    ),
    "cases:transfer_propose": Route(get=case(), post=case(), post_data=lambda w: {}, **ref),
    "cases:region_audit": Route(get=everyone(403, kartrekker_a=200)),
    "cases:region_audit_export": Route(get=everyone(403, kartrekker_a=200)),
}
