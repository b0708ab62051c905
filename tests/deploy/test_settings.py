"""Persistent database connections (issue 12): on by default, configurable, refused when wrong."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.deploy.production import ROOT

PRINT = (
    "import django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


def settings_with(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CONN_")}
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "wel.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_persistent_connections_with_health_checks_by_default():
    assert settings_with().stdout.split() == ["60", "True"]


def test_connection_settings_come_from_the_environment():
    result = settings_with(CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="off")
    assert result.stdout.split() == ["0", "False"]


def test_a_bad_conn_max_age_names_the_variable():
    for bad in ("forever", "-1"):
        result = settings_with(CONN_MAX_AGE=bad)
        assert result.returncode != 0
        assert "ImproperlyConfigured: CONN_MAX_AGE must be" in result.stderr
