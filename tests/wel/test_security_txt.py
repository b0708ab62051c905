"""/.well-known/security.txt (RFC 9116): where to report a weakness (BIO2 5.24.08)."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def fields(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        name, _, value = line.partition(": ")
        assert name and value, f"not a field line: {line!r}"
        assert name not in out, f"{name} given twice"
        out[name] = value
    return out


@pytest.mark.django_db
def test_security_txt_names_the_contact_and_a_future_expiry_without_a_login(client, settings):
    settings.WEL_SECURITY_CONTACT = "mailto:security@gemeente.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    got = fields(response.content.decode())
    assert got["Contact"] == "mailto:security@gemeente.example"
    expires = datetime.strptime(got["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    now = datetime.now(UTC)
    # RFC 9116 §2.5.5: required, and "less than a year into the future" is recommended
    assert now + timedelta(days=170) < expires <= now + timedelta(days=180)
    assert got["Canonical"] == "http://testserver/.well-known/security.txt"
    assert got["Preferred-Languages"] == "nl, en"
    assert reverse("security_txt") == "/.well-known/security.txt"


@pytest.mark.parametrize("value", ["security@gemeente.example", "http://gemeente.example/cvd"])
def test_a_contact_that_is_not_a_mailto_or_https_uri_names_the_variable(value):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "wel.settings.test", "WEL_SECURITY_CONTACT": value}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "WEL_SECURITY_CONTACT" in result.stderr
