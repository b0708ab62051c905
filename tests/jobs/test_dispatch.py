"""Without a broker (``make run``), a report or import runs in a thread of its own: the request
that asked for it answers at once and the page shows the progress (issue 23: a PDF request held
the browser for 5–8 s with no feedback)."""

from __future__ import annotations

import threading
import time

import pytest
from django.urls import reverse

from jobs import services as jobs
from reports import services as report_services
from reports.models import Report


def _eager_thread(name: str) -> threading.Thread:
    (thread,) = [t for t in threading.enumerate() if t.name == f"eager-{name}"]
    return thread


@pytest.fixture
def threaded(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.WEL_EAGER_TASKS_IN_THREAD = True


def test_settings_run_eager_tasks_in_a_thread_only_outside_the_tests():
    from wel.settings import base, test

    assert base.WEL_EAGER_TASKS_IN_THREAD is True
    assert test.WEL_EAGER_TASKS_IN_THREAD is False


@pytest.mark.django_db(transaction=True)
def test_a_report_request_answers_before_the_build_ends(threaded, world, client_for, monkeypatch):
    release, started = threading.Event(), threading.Event()
    build = report_services.report_build

    def slow_build(**kwargs):
        started.set()
        assert release.wait(30), "the test never let the build go on"
        return build(**kwargs)

    monkeypatch.setattr(report_services, "report_build", slow_build)
    client = client_for("kartrekker_a")
    try:
        response = client.post(reverse("reports:request_region", args=[world.region_a.code]))
        report = Report.objects.get()
        # The request has answered while the build still waits in its thread.
        assert response.status_code == 302 and response.url == report.get_absolute_url()
        assert started.wait(10)
        assert report.status in ("queued", "running")
        page = client.get(report.get_absolute_url())
        assert b'hx-trigger="every 2s"' in page.content  # the page polls its progress
    finally:
        release.set()
        _eager_thread("reports.build_report").join(60)
    report.refresh_from_db()
    assert report.status == "done"


def test_with_the_thread_off_an_eager_task_runs_in_the_call(settings):
    from wel.celery import app

    ran = []

    @app.task(name="tests.jobs.note_it")
    def note_it(value):
        ran.append((value, threading.current_thread() is threading.main_thread()))

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.WEL_EAGER_TASKS_IN_THREAD = False
    jobs.dispatch(note_it, value=1)
    assert ran == [(1, True)]
    settings.WEL_EAGER_TASKS_IN_THREAD = True
    before = set(threading.enumerate())
    jobs.dispatch(note_it, value=2)
    for thread in set(threading.enumerate()) - before:
        thread.join(10)  # (it may have finished already: then it is not listed)
    deadline = time.monotonic() + 10
    while len(ran) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ran == [(1, True), (2, False)]
