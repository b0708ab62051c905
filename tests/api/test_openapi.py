"""The OpenAPI document passes the Logius API Design Rules ruleset (api/linter/logius-adr.yaml)
with no error, linted by Spectral as CI lints it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
RULESET = ROOT / "api" / "linter" / "logius-adr.yaml"


def _spectral_or_skip() -> Path:
    if SPECTRAL.exists():
        return SPECTRAL
    if os.environ.get("WEL_REQUIRE_SERVICES") == "1":
        pytest.fail("node_modules/.bin/spectral is missing (run make install)")
    pytest.skip("Spectral is not installed (node_modules missing)")


@pytest.mark.django_db
def test_openapi_passes_the_logius_ruleset(tmp_path):
    spectral = _spectral_or_skip()
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = tmp_path / "openapi.json"
    document.write_bytes(response.content)
    result = subprocess.run(
        [str(spectral), "lint", "-r", str(RULESET), "-f", "json", "-q", str(document)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    findings = json.loads(result.stdout or "[]")
    errors = [f for f in findings if f.get("severity") == 0]
    assert not errors, json.dumps(errors, indent=1)[:4000]
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_ruleset_names_its_source_commit():
    head = RULESET.read_text().splitlines()[:12]
    assert any("Logius-standaarden/API-Design-Rules" in line for line in head)
    assert any("6edd13c7661879b1b7231e6e1929cfa6506c85bc" in line for line in head)


@pytest.mark.django_db
def test_the_version_header_matches_the_document():
    response = Client().get("/api/v1/openapi.json")
    assert response["API-Version"] == response.json()["info"]["version"]
