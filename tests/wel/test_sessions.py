"""Sessions end after WEL_SESSION_IDLE_MINUTES of inactivity (with a warning before), at
browser close, and never last more than WEL_SESSION_MAX_HOURS."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from wel.middleware import AUTH_AT, SEEN_AT
from wel.models import AuditEvent


@pytest.fixture
def lpa_client(world):
    client = Client()
    client.force_login(world.user("lpa_a"))
    return client


def shift(client, *, seen_ago: int, auth_ago: int | None = None) -> None:
    session = client.session
    now = int(time.time())
    session[SEEN_AT] = now - seen_ago
    session[AUTH_AT] = now - (seen_ago if auth_ago is None else auth_ago)
    session.save()


def test_idle_session_ends_after_30_minutes(lpa_client):
    shift(lpa_client, seen_ago=30 * 60)
    response = lpa_client.get(reverse("cases:list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "logged out after 30 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in lpa_client.session
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT).count() == 1


def test_activity_keeps_the_session(lpa_client):
    shift(lpa_client, seen_ago=29 * 60)
    assert lpa_client.get(reverse("cases:list")).status_code == 200
    assert int(time.time()) - lpa_client.session[SEEN_AT] < 5  # the request counted


def test_the_idle_limit_is_configurable(lpa_client, settings):
    settings.WEL_SESSION_IDLE_MINUTES = 5
    shift(lpa_client, seen_ago=5 * 60 + 1)
    response = lpa_client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_no_session_lasts_more_than_8_hours(lpa_client):
    shift(lpa_client, seen_ago=10, auth_ago=8 * 60 * 60)
    response = lpa_client.get(reverse("home"), follow=True)
    assert "a session lasts at most 8 hours" in response.content.decode()
    assert "_auth_user_id" not in lpa_client.session


def test_the_status_poll_is_not_activity_but_stay_logged_in_is(lpa_client):
    shift(lpa_client, seen_ago=10 * 60)
    seen = lpa_client.session[SEEN_AT]
    response = lpa_client.get(reverse("session_status"))
    assert response.status_code == 200
    assert 19 * 60 < response.json()["seconds_left"] <= 20 * 60
    assert lpa_client.session[SEEN_AT] == seen
    response = lpa_client.post(reverse("session_keepalive"))
    assert response.status_code == 200
    assert response.json()["seconds_left"] > 29 * 60
    assert lpa_client.session[SEEN_AT] > seen


def test_the_session_cookie_ends_with_the_browser(world):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "lpa.a@wel.test", "password": "correct-horse-battery"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie


def test_pages_carry_the_warning_without_inline_script(lpa_client):
    page = lpa_client.get(reverse("home")).content.decode()
    config = re.search(r'<div id="wel-session"[^>]*>', page).group(0)
    assert 'data-warn-seconds="60"' in config
    assert 'data-status-url="/account/sessie/"' in config
    left = int(re.search(r'data-seconds-left="(\d+)"', config).group(1))
    assert 29 * 60 <= left <= 30 * 60
    assert 'id="wel-session-stay"' in page
    assert "js/session-timeout.js" in page
    # CSP: script-src 'self' only, so every script is a file.
    assert re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page) == []


def test_anonymous_pages_have_no_warning(client, world):
    assert 'id="wel-session"' not in client.get(reverse("login")).content.decode()
