"""Shared steps of the family tests: an invitation made through the staff page, and a family
client that has entered the code."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

CODE_RE = re.compile(r'data-testid="family-code"[^>]*>(\d{6})<')
LINK_RE = re.compile(r'data-testid="family-link"[^>]*>([^<]+)<')


def invite(client, jeugdige, **data) -> tuple[str, str]:
    """POST the invitation form as a professional; returns (token, code) from the page."""
    form = {
        "audience": "parent",
        "purpose": "before",
        "recipient_name": "Familie Jansen",
        "delivery": "letter",
    } | data
    response = client.post(reverse("family:invite", args=[jeugdige.reference]), form)
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    code = CODE_RE.search(body)
    link = LINK_RE.search(body)
    assert code and link, body[:3000]
    token = link.group(1).rstrip("/").rsplit("/", 1)[-1]
    return token, code.group(1)


def family_client(token: str, code: str) -> Client:
    client = Client()
    assert client.get(reverse("family:open", args=[token])).status_code == 200
    response = client.post(reverse("family:open", args=[token]), {"code": code})
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("family:answer", args=[token])
    return client
