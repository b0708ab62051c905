"""More than one web process or host (issue 18 §7): the web tier holds no state of its own.

Two gunicorn servers (separate processes, separate ports, as two hosts behind a load balancer)
and two Celery workers, with production settings, one PostgreSQL database and one Redis (broker;
the cache in a database of its own). One browser moves between the two servers, and what it did
on one is seen on the other: the login, the session, the second factor, a cached count, a
report's progress, a rate limit and a lockout count. Production refuses a per-process cache
(tests/wel/test_settings.py), so there is nothing per process to document.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlsplit

import pytest
import redis

from reports.models import Report
from tests.celery_harness import database_url
from tests.conftest import need_services
from tests.reports import factories as f

from .production import (
    PASSWORD,
    SECOND_FACTOR_PATH,
    production_instances,
    totp_code,
    usable_in_production,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

COUNTS = ":1:wel:counts:*"  # cases/counts.py, under Django's key prefix and version


def cache_url() -> str:
    """The cache: the broker's Redis, database 9 (the broker uses its own number)."""
    return os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0] + "/9"


@pytest.fixture
def sites(world, tmp_path):
    need_services(postgres=True, redis=True)
    usable_in_production(*(u for u in world.users.values() if u is not None))
    cache = redis.Redis.from_url(cache_url())
    cache.flushdb()
    try:
        with production_instances(
            database_url=database_url(),
            broker_url=os.environ["CELERY_BROKER_URL"],
            workdir=tmp_path,
            instances=2,
            CACHE_URL=cache_url(),
        ) as both:
            yield both
    finally:
        cache.flushdb()


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_what_one_instance_did_is_seen_on_the_other(sites, world):
    a, b = sites
    assert a.port != b.port and a.procs["gunicorn"].pid != b.procs["gunicorn"].pid
    for n in range(3):
        f.jeugdige(world.region_a, world.emmen, given_name=f"Kind{n}")
    kartrekker = world.user("kartrekker_a")
    client = a.client()  # one browser; ``client.port`` is the server the balancer picked

    # The password on A; the second factor, asked for by B, answered on B.
    response = client.post_form(
        "/account/login/", "/account/login/", {"username": kartrekker.email, "password": PASSWORD}
    )
    assert response.status == 302, response.text[:500]
    client.port = b.port
    step = response.location
    if not urlsplit(step).path.startswith(SECOND_FACTOR_PATH):
        page = client.get(path_of(step))
        assert page.status == 302, (page.status, b.log_text())
        step = page.location
    assert urlsplit(step).path.startswith(SECOND_FACTOR_PATH)  # B knows the password step
    response = client.post_form(path_of(step), path_of(step), {"token": totp_code(), "next": "/"})
    assert response.status == 302
    assert not urlsplit(response.location).path.startswith(SECOND_FACTOR_PATH)

    # The session with its verified second factor, on A.
    client.port = a.port
    page = client.get("/jeugdigen/")
    assert page.status == 200, (page.status, a.log_text())
    assert kartrekker.get_short_name() in page.text and "3 jeugdigen" in page.text

    # A cached count made on A is read by B: B shows what A's entry in the cache says.
    cache = redis.Redis.from_url(cache_url())
    for key in cache.scan_iter(COUNTS):
        cache.delete(key)
    assert "3 jeugdigen" in client.get("/jeugdigen/").text
    made_on_a = list(cache.scan_iter(COUNTS))
    assert made_on_a
    for key in made_on_a:
        assert int(cache.get(key)) == 3
        cache.set(key, 777, keepttl=True)  # a marker only the shared entry can carry
    client.port = b.port
    assert "777 jeugdigen" in client.get("/jeugdigen/").text
    for key in made_on_a:
        cache.delete(key)

    # A report asked for on A; its progress and its PDF on B (built by either worker).
    client.port = a.port
    code = world.region_a.code
    response = client.post_form(
        f"/rapportages/regio/{code}/", f"/rapportages/regio/{code}/aanvragen/", {}
    )
    assert response.status == 302, response.text[:500]
    report = Report.objects.get()
    assert path_of(response.location) == f"/rapportages/{report.pk}/"
    client.port = b.port
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        page = client.get(f"/rapportages/{report.pk}/voortgang/")
        assert page.status == 200
        if f"/rapportages/{report.pk}/download/" in page.text:
            break
        time.sleep(0.3)
    report.refresh_from_db()
    assert report.status == "done", (report.error, a.log_text(), b.log_text())
    pdf = client.get(f"/rapportages/{report.pk}/download/")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")

    # A rate limit counted on both: three reset requests for one address (A, B, A), the fourth
    # (on B) is refused.
    anonymous = a.client()
    reset = "/account/password_reset/"
    for site in (a, b, a):
        anonymous.port = site.port
        response = anonymous.post_form(reset, reset, {"email": kartrekker.email})
        assert response.status == 302, response.status
    anonymous.port = b.port
    assert anonymous.post_form(reset, reset, {"email": kartrekker.email}).status == 429

    # A lockout counted on both (django-axes, in the database): five wrong passwords, on A and
    # B in turn, lock the account; the right password on A is then refused.
    attacker = a.client()
    target = world.user("lpa_b").email
    for site in (a, b, a, b, a):
        attacker.port = site.port
        response = attacker.post_form(
            "/account/login/", "/account/login/", {"username": target, "password": "wrong-one"}
        )
        assert response.status in (200, 429)  # the form again; the last one: locked
    assert response.status == 429
    owner = b.client()
    response = owner.post_form(
        "/account/login/", "/account/login/", {"username": target, "password": PASSWORD}
    )
    assert response.status == 429 and "Account geblokkeerd" in response.text
