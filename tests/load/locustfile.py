"""The load test's users (``make load``; see tests/load/run.py and docs/benchmarks.md).

Every simulated user has a demo account of its own (tests/load/accounts.py: django-otp accepts
a TOTP code once per device, so users cannot share one), logs in once through the real login
form and the second factor with the demo authenticator's code (tests/deploy/production.py's
``log_in``, the one place that knows the login flow) and keeps that session. Then, with 1-3 s
of thinking between clicks: the LPA opens her worklist, the case list and cases; the kartrekker
opens the dashboard and worklist of her region, requests its report (and waits for it as the
page's htmx poll does) and imports a small exemption list for one of its gemeenten. Every
request goes with the headers of the documented TLS proxy. Not collected by pytest (importing
locust patches the standard library for gevent); tests/load/test_accounts.py checks the
accounts.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
import uuid
from types import SimpleNamespace

from locust import HttpUser, between, task

from tests.deploy.production import csrf_token, log_in
from tests.load.accounts import next_account

PASSWORD = os.environ.get("WEL_LOAD_PASSWORD", "wel-demo-2026")  # regions/demo.py DEMO_PASSWORD
# Written by tests/load/run.py (tests/load/accounts.py): the demo accounts and their TOTP key.
ACCOUNTS_FILE = os.environ.get("WEL_LOAD_ACCOUNTS", "")
_accounts: dict = {}
_taken: dict[str, int] = {}
IMPORT_HEADER = (
    "bsn;voornaam;achternaam;geboortedatum;gemeente;grondslag;vrijstelling_ingang;"
    "vrijstelling_einde;laatste_school;toelichting"
)
REFERENCE = re.compile(r'href="/jeugdigen/([A-Z]{2,4}-\d{4}-\d{4,})/"')


def keep_secure_cookies(session):
    """gunicorn speaks plain HTTP behind the (simulated) TLS proxy; the session and CSRF
    cookies are Secure, which requests only returns over https. A browser talks https to the
    proxy and does send them: keep them ourselves and send them as the Cookie header."""
    jar: dict[str, str] = {}

    def hook(response, *args, **kwargs):
        for cookie in response.cookies:
            jar[cookie.name] = cookie.value
        session.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        return response

    session.hooks["response"].append(hook)


def accounts() -> dict:
    if not _accounts:
        if not ACCOUNTS_FILE:
            raise RuntimeError("WEL_LOAD_ACCOUNTS is not set: start the load test with make load")
        with open(ACCOUNTS_FILE) as fh:
            _accounts.update(json.load(fh))
    return _accounts


class WelUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        # One account per simulated user, for the whole run (locust's users share one process).
        self.account = next_account(accounts(), self.role, _taken)
        self.region = self.account["region"]
        origin = self.host.replace("http://", "https://")
        keep_secure_cookies(self.client)
        # The documented proxy's headers, and the Origin a browser sends (Django's CSRF check).
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.20", "Origin": origin}
        )
        log_in(self, self.account["email"], PASSWORD, totp_key=accounts()["totp_key"])

    def page(self, path: str, name: str | None = None):
        """GET a page the user may see: anything but a 200 (a redirect to the login or the
        second factor, i.e. a lost session) counts as a failure, not as a fast answer."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.headers.get('Location', '')}".strip())
        return r

    def fail(self, name: str, message: str) -> None:
        self.environment.events.request.fire(
            request_type="CHECK", name=name, response_time=0, response_length=0,
            exception=AssertionError(message), context={},
        )  # fmt: skip

    def get(self, path: str):
        """The interface ``log_in`` uses (to see whether the start page asks for the second
        factor): one GET, redirects not followed, counted apart from the start page's visits."""
        response = self.client.get(path, allow_redirects=False, name=f"{path} (after login)")
        return SimpleNamespace(
            status=response.status_code,
            location=response.headers.get("Location", ""),
            text=response.text,
        )

    def post_form(self, page_path: str, action: str, data: dict, *, files=None, name=None):
        """The interface ``log_in`` uses: the CSRF token from the page's form, then POST."""
        page = self.client.get(page_path, name=name and f"{name} (form)", allow_redirects=False)
        response = self.client.post(
            action,
            data={"csrfmiddlewaretoken": csrf_token(page.text), **data},
            files=files,
            allow_redirects=False,
            name=name,
        )
        return SimpleNamespace(
            status=response.status_code,
            location=response.headers.get("Location", ""),
            text=response.text,
        )


class Lpa(WelUser):
    weight = 3
    role = "lpa"

    def on_start(self):
        super().on_start()
        self.references = REFERENCE.findall(self.page("/jeugdigen/").text)

    @task(3)
    def worklist(self):
        self.page("/jeugdigen/werklijst/")

    @task(2)
    def case_list(self):
        self.page("/jeugdigen/")

    @task(2)
    def case_page(self):
        if self.references:
            ref = random.choice(self.references)  # noqa: S311 - not security
            self.page(f"/jeugdigen/{ref}/", name="/jeugdigen/[reference]/")

    @task(1)
    def home(self):
        self.page("/")


class Kartrekker(WelUser):
    weight = 2
    role = "kartrekker"

    @task(4)
    def dashboard(self):
        self.page(f"/rapportages/regio/{self.region}/", name="/rapportages/regio/[code]/")

    @task(2)
    def worklist(self):
        self.page("/jeugdigen/werklijst/")

    @task(1)
    def request_report(self):
        dashboard = f"/rapportages/regio/{self.region}/"
        answer = self.post_form(
            dashboard, f"{dashboard}aanvragen/", {}, name="/rapportages/regio/[code]/aanvragen/"
        )
        match = re.search(r"/rapportages/(\d+)/", answer.location)
        if answer.status != 302 or not match:
            self.fail("report request refused", f"{answer.status} {answer.location}")
            return
        pk = match.group(1)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # as the page's htmx poll does, every 2 s
            with self.client.get(
                f"/rapportages/{pk}/voortgang/",
                name="/rapportages/[pk]/voortgang/",
                catch_response=True,
            ) as poll:
                if "report-status-failed" in poll.text:
                    poll.failure("the report failed")
                    return
                if "report-status-done" in poll.text:
                    break
            time.sleep(2)
        else:
            self.fail("report not ready in 120 s", f"report {pk}")
            return
        with self.client.get(
            f"/rapportages/{pk}/download/", name="/rapportages/[pk]/download/", catch_response=True
        ) as pdf:
            if not pdf.content.startswith(b"%PDF"):
                pdf.failure("not a PDF")

    @task(1)
    def import_list(self):
        batch = uuid.uuid4().hex[:8]
        rows = [
            f";Load{batch};Test{n};14-03-2014;{self.account['gemeente']};5a;01-08-2025;31-07-2026;;"
            for n in range(5)
        ]
        body = ("\r\n".join([IMPORT_HEADER, *rows]) + "\r\n").encode()
        form = self.page("/jeugdigen/importeren/", name="/jeugdigen/importeren/ (form)")
        region = re.search(r'name="region" value="(\d+)"', form.text)
        with self.client.post(
            "/jeugdigen/importeren/",
            data={
                "csrfmiddlewaretoken": csrf_token(form.text),
                "region": region.group(1) if region else "",
            },
            files={"file": (f"load-{batch}.csv", body, "text/csv")},
            name="/jeugdigen/importeren/ (preview)",
            catch_response=True,
        ) as preview:
            token = re.search(r'name="token" value="([^"]+)"', preview.text)
            if not token:
                preview.failure("no import token on the preview")
                return
        with self.client.post(
            "/jeugdigen/importeren/bevestigen/",
            data={"csrfmiddlewaretoken": csrf_token(preview.text), "token": token.group(1)},
            allow_redirects=False,
            name="/jeugdigen/importeren/bevestigen/",
            catch_response=True,
        ) as done:
            if done.status_code != 302:
                done.failure(f"import answered {done.status_code}")
