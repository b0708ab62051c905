"""/health/ answers 200 only when the site can really serve: pages render (the static
manifest is there), the database answers and the Celery broker accepts a connection."""

from __future__ import annotations

import os

import pytest
from django.db import OperationalError, connection

from tests.conftest import need_services
from tests.deploy.test_faults import reset_broker, reset_pools
from wel.celery import app

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "pages": "ok", "database": "ok", "broker": "ok"}


def test_missing_static_manifest_is_unhealthy(client, settings, tmp_path):
    # Production storage without collectstatic: every page would answer 500, so health must not
    # say ok (found: it did).
    (tmp_path / "static").mkdir()
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["pages"] == "unavailable"


def test_database_down_is_unhealthy(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.fixture
def broker(settings, monkeypatch):
    """Point the Celery app at a broker URL for one test; restore afterwards."""
    saved = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        # Celery prefers the CELERY_BROKER_URL environment variable (CI sets it) to its conf.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.update(broker_url=url, task_always_eager=False)
        reset_pools()

    yield use
    reset_broker(saved)


def test_broker_down_is_unhealthy(client, broker):
    broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.services
def test_real_broker_is_healthy(client, broker):
    need_services(redis=True)
    broker(os.environ["CELERY_BROKER_URL"])
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
