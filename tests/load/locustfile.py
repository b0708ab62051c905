"""The load test's users (``make load``; see tests/load/run.py and docs/benchmarks.md).

LPA's and kartrekkers log in through the real login form (tests/deploy/production.py's
``log_in``, the one place that knows the login flow), then, with 1-3 s of thinking between
clicks: the LPA opens her worklist, the case list and cases; the kartrekker opens the region
dashboard and worklist, requests the region report (and waits for it as the page's htmx poll
does) and imports a small exemption list. Every request goes with the headers of the
documented TLS proxy. Not collected by pytest.
"""

from __future__ import annotations

import os
import random
import re
import time
import uuid
from types import SimpleNamespace

from locust import HttpUser, between, task

from tests.deploy.production import TEST_TOTP_KEY, csrf_token, log_in

PASSWORD = os.environ.get("WEL_LOAD_PASSWORD", "wel-demo-2026")  # regions/demo.py DEMO_PASSWORD
# When the site asks for a second factor: the hex key of the demo users' TOTP devices.
TOTP_KEY = os.environ.get("WEL_LOAD_TOTP_KEY", TEST_TOTP_KEY)
REGION = os.environ.get("WEL_LOAD_REGION", "VO2202")
PREFIX = os.environ.get("WEL_LOAD_PREFIX", "emm")
IMPORT_GEMEENTE = os.environ.get("WEL_LOAD_GEMEENTE", "0114")
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


class WelUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    email = ""

    def on_start(self):
        origin = self.host.replace("http://", "https://")
        keep_secure_cookies(self.client)
        # The documented proxy's headers, and the Origin a browser sends (Django's CSRF check).
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.20", "Origin": origin}
        )
        log_in(self, self.email, PASSWORD, totp_key=TOTP_KEY)

    def post_form(self, page_path: str, action: str, data: dict, *, files=None, name=None):
        """The interface ``log_in`` uses: the CSRF token from the page's form, then POST."""
        page = self.client.get(page_path, name=name and f"{name} (form)")
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

    def on_start(self):
        self.email = f"lpa.{PREFIX}@wel.example"
        super().on_start()
        self.references = REFERENCE.findall(self.client.get("/jeugdigen/").text)

    @task(3)
    def worklist(self):
        self.client.get("/jeugdigen/werklijst/")

    @task(2)
    def case_list(self):
        self.client.get("/jeugdigen/")

    @task(2)
    def case_page(self):
        if self.references:
            ref = random.choice(self.references)  # noqa: S311 - not security
            self.client.get(f"/jeugdigen/{ref}/", name="/jeugdigen/[reference]/")

    @task(1)
    def home(self):
        self.client.get("/")


class Kartrekker(WelUser):
    weight = 2

    def on_start(self):
        self.email = f"kartrekker.{PREFIX}@wel.example"
        super().on_start()

    @task(4)
    def dashboard(self):
        self.client.get(f"/rapportages/regio/{REGION}/", name="/rapportages/regio/[code]/")

    @task(2)
    def worklist(self):
        self.client.get("/jeugdigen/werklijst/")

    @task(1)
    def request_report(self):
        dashboard = f"/rapportages/regio/{REGION}/"
        answer = self.post_form(
            dashboard, f"{dashboard}aanvragen/", {}, name="/rapportages/regio/[code]/aanvragen/"
        )
        match = re.search(r"/rapportages/(\d+)/", answer.location)
        if answer.status != 302 or not match:
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
            self.environment.events.request.fire(
                request_type="REPORT", name="report not ready in 120 s", response_time=0,
                response_length=0, exception=TimeoutError(), context={},
            )  # fmt: skip
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
            f";Load{batch};Test{n};14-03-2014;{IMPORT_GEMEENTE};5a;01-08-2025;31-07-2026;;"
            for n in range(5)
        ]
        body = ("\r\n".join([IMPORT_HEADER, *rows]) + "\r\n").encode()
        form = self.client.get("/jeugdigen/importeren/", name="/jeugdigen/importeren/ (form)")
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
