"""Big imports: over WEL_IMPORT_JOB_THRESHOLD new rows the confirmed import is a Celery job
(in-process in tests, as without a broker) with a progress page; all rows or none."""

import io

import pytest
from django.urls import reverse

from cases.importer import job as import_job
from cases.models import ImportJob, Jeugdige
from jobs import files
from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db

LINES = ["bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag"] + [
    f";Kind{n};Achternaam{n};{n + 1:02d}-03-2015;0114;5a" for n in range(5)
]


def stored_upload(lines=LINES):
    return files.store(
        ("\n".join(lines)).encode(), purpose="import_upload", folder="imports/test", expires_in=None
    )


def upload(client, world, lines=LINES):
    data = io.BytesIO(("\r\n".join(lines) + "\r\n").encode())
    data.name = "groot.csv"
    response = client.post(reverse("cases:import"), {"region": world.region_a.pk, "file": data})
    assert response.status_code == 200
    return response


def test_over_the_threshold_the_import_is_a_job_with_a_progress_page(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.WEL_IMPORT_JOB_THRESHOLD = 4
    client = client_for("kartrekker_a")
    response = upload(client, world)
    assert "written in the background" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:import_confirm"), {"token": response.context["token"]}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cases:import_job", args=[job.pk]
    )
    assert job.status == ImportJob.Status.DONE and job.progress == 100
    assert (job.created, job.skipped) == (5, 0)
    assert Jeugdige.objects.count() == 5
    page = client.get(response.url)
    assert "5 new jeugdigen" in page.content.decode()
    partial = client.get(reverse("cases:import_job_progress", args=[job.pk]))
    assert partial.status_code == 200 and "hx-get" not in partial.content.decode()
    # someone else's job: 404, as anything outside one's scope
    assert client_for("lpa_a").get(response.url).status_code == 404
    assert client_for("lpa_b").get(response.url).status_code in (403, 404)


def test_at_the_threshold_the_import_is_written_in_the_request(world, client_for, settings):
    settings.WEL_IMPORT_JOB_THRESHOLD = 5
    client = client_for("kartrekker_a")
    response = upload(client, world)
    response = client.post(reverse("cases:import_confirm"), {"token": response.context["token"]})
    assert response.status_code == 302 and not ImportJob.objects.exists()
    assert Jeugdige.objects.count() == 5


def test_a_job_is_all_or_nothing_when_a_row_no_longer_fits(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    settings.WEL_IMPORT_JOB_THRESHOLD = 1
    client = client_for("kartrekker_a")
    lines = [LINES[0], "123456782" + LINES[1], *LINES[2:]]
    response = upload(client, world, lines)
    token = response.context["token"]
    # between the preview and the job, a colleague registers the first child with another BSN
    make_jeugdige(
        world,
        given_name="Kind0",
        family_name="Achternaam0",
        date_of_birth=dt.date(2015, 3, 1),
        bsn="111222333",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:import_confirm"), {"token": token})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and "Nothing was written" in job.outcome
    assert Jeugdige.objects.count() == 1  # only the colleague's


def test_a_failing_job_writes_nothing_and_says_why(world, settings):
    from django.core.files.storage import default_storage

    lines = [*LINES, ";X;Y;bad;0114;5a"]
    upload = stored_upload(lines)
    path = upload.path
    job = ImportJob.objects.create(
        region=world.region_a,
        created_by=world.user("kartrekker_a"),
        filename="groot.csv",
        upload=upload,
    )
    import_job.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "Nothing was written" in job.outcome
    assert not Jeugdige.objects.exists()
    assert not default_storage.exists(path)
    # idempotent: running it again leaves it alone
    assert import_job.import_job_run(job_id=job.pk).status == ImportJob.Status.FAILED


def test_progress_is_saved_while_reading_and_checking(world, monkeypatch):

    from jobs import services as jobs

    seen = []
    original = jobs.progress

    def spy(model, job_id, percent, note=""):
        seen.append(percent)
        original(model, job_id, percent, note)

    monkeypatch.setattr(jobs, "progress", spy)
    job = ImportJob.objects.create(
        region=world.region_a,
        created_by=world.user("kartrekker_a"),
        filename="g.csv",
        upload=stored_upload(),
    )
    import_job.import_job_run(job_id=job.pk)
    # while reading and checking; none inside the write transaction (it would lock the row)
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(seen) and len(seen) >= 4
    assert not [p for p in seen if 50 < p < 100]
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100


def test_confirm_and_job_pages_answer_post_and_get_only(world, client_for):
    client = client_for("kartrekker_a")
    assert client.get(reverse("cases:import_confirm")).status_code == 405
    job = ImportJob.objects.create(
        region=world.region_a, created_by=world.user("kartrekker_a"), filename="g.csv"
    )
    assert client.post(reverse("cases:import_job", args=[job.pk])).status_code == 405
    assert client_for("anonymous").get(reverse("cases:import_job", args=[job.pk])).status_code in (
        302,
        403,
        404,
    )


# -- one job machinery (issue 18 §1) -------------------------------------------------------------
def _stored(world, status="queued", **kw):
    return ImportJob.objects.create(
        region=world.region_a,
        created_by=world.user("kartrekker_a"),
        filename="g.csv",
        upload=stored_upload(),
        status=status,
        **kw,
    )


def test_a_redelivered_import_takes_over_the_job_its_dead_worker_left_running(world):
    # Found: a worker that died during an import left the job "running" for ever: the
    # redelivered task only claimed queued jobs. The same message again takes it over.
    from cases.tasks import run_import_job

    job = _stored(world, status="running", attempts=1, celery_task_id="t1")
    run_import_job.apply(kwargs={"job_id": job.pk}, task_id="t1")
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2 and Jeugdige.objects.count() == 5


def test_a_silent_import_is_queued_again_by_the_sweep_then_given_up(
    world, settings, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from jobs import services as jobs

    settings.WEL_JOB_MAX_ATTEMPTS = 2
    long_ago = timezone.now() - dt.timedelta(seconds=settings.WEL_JOB_STALE_SECONDS + 1)
    job = _stored(world, status="running", attempts=1, started_at=long_ago, heartbeat_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep().retried == 1  # and the task ran again (eager)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    spent = _stored(world, status="running", attempts=2, started_at=long_ago, heartbeat_at=long_ago)
    assert jobs.sweep().given_up == 1
    spent.refresh_from_db()
    assert spent.status == "failed" and "no sign of life" in spent.outcome
