"""The documented production deployment, started for real on 127.0.0.1: ``collectstatic`` under
``wel.settings.production``, gunicorn behind a (simulated) TLS proxy that sets
``X-Forwarded-Proto: https``, PostgreSQL, Redis and a Celery worker with the same settings.

Used by tests/deploy/test_production.py (and the load test's runner). Logging in happens in ONE
place, :func:`log_in`, so a changed login flow (e.g. a second factor) is adapted there only.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import os
import re
import secrets
import socket
import struct
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


def free_port() -> int:
    """A free TCP port on 127.0.0.1: from WEL_TEST_PORTS ("8130-8139") when set, which keeps
    parallel developers on a shared machine apart; otherwise one the OS picks."""
    span = os.environ.get("WEL_TEST_PORTS", "")
    candidates = [0]
    if span:
        low, high = (int(p) for p in span.split("-"))
        candidates = list(range(low, high + 1))
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in WEL_TEST_PORTS={span}")


def production_env(*, database_url: str, broker_url: str, static_root: Path, media_root: Path,
                   queue: str, **extra: str) -> dict[str, str]:  # fmt: skip
    """The environment an operator sets (README "Deployment"), for web and worker alike."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "CELERY_", "WEL_"))
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "wel.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": broker_url,  # production refuses a per-process cache
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def collectstatic(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as fh:
        return subprocess.Popen(args, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait(proc: subprocess.Popen, log: Path, ready, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited early:\n{log.read_text()}")
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout}s:\n{log.read_text()}")


@dataclass
class Site:
    base_url: str
    port: int
    env: dict[str, str]
    logs: dict[str, Path]
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    def client(self) -> Client:
        return Client(self.port)

    def log_text(self) -> str:
        return "\n".join(
            f"--- {name}\n{path.read_text()[-4000:]}" for name, path in self.logs.items()
        )


def _start_worker(env: dict[str, str], log: Path, name: str) -> subprocess.Popen:
    return _start(
        [sys.executable, "-m", "celery", "-A", "wel", "worker", "-Q",
         env["CELERY_TASK_DEFAULT_QUEUE"], "-c", "1", "--pool", "prefork", "-l", "info",
         "--without-mingle", "--without-gossip", "-n", f"{name}@%h"],
        env,
        log,
    )  # fmt: skip


def _worker_ready(proc: subprocess.Popen, log: Path) -> None:
    _wait(proc, log, lambda: "ready." in log.read_text(), "Celery worker")


def _start_gunicorn(env: dict[str, str], log: Path, port: int, workers: int) -> subprocess.Popen:
    return _start(
        [sys.executable, "-m", "gunicorn", "wel.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(workers), "--timeout", "120", "--access-logfile", "-"],
        env,
        log,
    )  # fmt: skip


def _gunicorn_ready(proc: subprocess.Popen, log: Path, port: int) -> None:
    def answers() -> bool:
        try:
            return Client(port).get("/health/").status in (200, 503)
        except OSError:
            return False

    _wait(proc, log, answers, "gunicorn")


@contextmanager
def production_instances(
    *,
    database_url: str,
    broker_url: str,
    workdir: Path,
    instances: int = 2,
    gunicorn_workers: int = 1,
    worker: bool = True,
    **extra_env: str,
):
    """collectstatic once, then ``instances`` separate gunicorn servers (each with its own
    port and processes) and as many Celery workers, all with ONE production environment (one
    SECRET_KEY, database, broker, cache, media root and queue), as more web hosts behind a
    load balancer would run. Yields one :class:`Site` per instance."""
    static_root, media_root = workdir / "static", workdir / "media"
    media_root.mkdir(parents=True, exist_ok=True)
    queue = f"wel-prod-{uuid.uuid4().hex[:8]}"
    env = production_env(
        database_url=database_url,
        broker_url=broker_url,
        static_root=static_root,
        media_root=media_root,
        queue=queue,
        **extra_env,
    )
    done = collectstatic(env)
    assert done.returncode == 0, f"collectstatic failed:\n{done.stdout}\n{done.stderr[-3000:]}"
    sites = []
    with ExitStack() as stack:
        # Every process starts at once, then each is waited for (the start-up is the slow part).
        for n in range(instances):
            suffix = f"-{n + 1}" if instances > 1 else ""
            port = free_port()
            site = Site(base_url=f"http://{HOST}:{port}", port=port, env=env, logs={})
            if worker:
                site.logs["worker"] = workdir / f"worker{suffix}.log"
                site.procs["worker"] = _start_worker(env, site.logs["worker"], f"{queue}{suffix}")
                stack.callback(_stop, site.procs["worker"])
            site.logs["gunicorn"] = workdir / f"gunicorn{suffix}.log"
            site.procs["gunicorn"] = _start_gunicorn(
                env, site.logs["gunicorn"], port, gunicorn_workers
            )
            stack.callback(_stop, site.procs["gunicorn"])
            sites.append(site)
        for site in sites:
            if worker:
                _worker_ready(site.procs["worker"], site.logs["worker"])
            _gunicorn_ready(site.procs["gunicorn"], site.logs["gunicorn"], site.port)
        yield sites


@contextmanager
def production_site(
    *,
    database_url: str,
    broker_url: str,
    workdir: Path,
    gunicorn_workers: int = 2,
    worker: bool = True,
    **extra_env: str,
):
    """collectstatic, then gunicorn (and a Celery worker on a queue of its own) with production
    settings. Raises AssertionError with collectstatic's output when that fails."""
    with production_instances(
        database_url=database_url,
        broker_url=broker_url,
        workdir=workdir,
        instances=1,
        gunicorn_workers=gunicorn_workers,
        worker=worker,
        **extra_env,
    ) as (site,):
        yield site


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = raw.headers
        self.body = raw.read()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Client:
    """A browser-like HTTP client that talks plain HTTP to gunicorn with the headers the
    documented TLS proxy adds. It keeps cookies itself (the session and CSRF cookies are
    ``Secure``, which a standard cookie jar would not send over plain HTTP)."""

    def __init__(self, port: int, *, forwarded_proto: str | None = "https"):
        self.port = port
        self.forwarded_proto = forwarded_proto
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def request(self, method: str, path: str, *, data: dict | None = None,
                headers: dict | None = None) -> Response:  # fmt: skip
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        hdrs = {"Host": f"{HOST}:{self.port}", "X-Forwarded-For": "192.0.2.10"}
        if self.forwarded_proto:
            hdrs["X-Forwarded-Proto"] = self.forwarded_proto
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks Origin/Referer on HTTPS POSTs, as a browser would send them.
            hdrs["Origin"] = self.origin
            hdrs["Referer"] = self.origin + path
        hdrs.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=hdrs)
            response = Response(conn.getresponse())
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict, **kw) -> Response:
        return self.request("POST", path, data=data, **kw)

    def post_form(self, page_path: str, action: str, data: dict) -> Response:
        """Open ``page_path``, take the CSRF token from its form and POST ``data`` to
        ``action`` (the CSRF cookie is HttpOnly in production, so the page is the source)."""
        page = self.get(page_path)
        assert page.status == 200, (page_path, page.status)
        return self.post(action, {"csrfmiddlewaretoken": csrf_token(page.text), **data})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def usable_in_production(*users) -> None:
    """Make test users able to log in to the production settings: a password hash production
    checks (the test settings hash with MD5 for speed), and, where the project has a second
    factor, a TOTP device with the tests' known key (tests/conftest.py ``enrol_test_totp``)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tests import conftest

    hasher = PBKDF2PasswordHasher()
    enrol = getattr(conftest, "enrol_test_totp", None)
    for user in users:
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
        if enrol is not None:
            enrol(user)


# RFC 6238's test secret: the key tests/conftest.py gives test users' TOTP devices.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"
SECOND_FACTOR_PATH = "/account/tweede-factor/"


def totp_code(key_hex: str = TEST_TOTP_KEY, *, at: float | None = None) -> str:
    """The six-digit TOTP code (RFC 6238: HMAC-SHA1, 30-second steps) for a hex key."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database ``url`` names when it does not exist yet (a fresh clone);
    for ``make bench`` and ``make load``, which keep their data between runs."""
    import psycopg2

    server, name = url.rsplit("/", 1)
    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()


def log_in(client, email: str, password: str = PASSWORD, *, totp_key: str = TEST_TOTP_KEY):
    """Log in through the real login form, as a person would. The ONE place that knows the
    login flow, for the production test and the load test: when the site asks for a second
    factor (the login goes to the start page, which redirects to /account/tweede-factor/...),
    it answers with the TOTP code of the user's device key. ``client`` needs
    ``post_form(page, action, data)`` and ``get(path)`` (not following redirects), both
    returning an object with ``status``, ``location`` and ``text``."""
    response = client.post_form("/account/login/", "/account/login/",
                                {"username": email, "password": password})  # fmt: skip
    assert response.status == 302, (email, response.status, response.text[:2000])
    location = urlsplit(response.location)
    if not location.path.startswith(SECOND_FACTOR_PATH):
        # The login itself goes to the start page; the site asks for the factor on the way.
        page = client.get(location.path + (f"?{location.query}" if location.query else ""))
        if page.status == 302 and urlsplit(page.location).path.startswith(SECOND_FACTOR_PATH):
            location = urlsplit(page.location)
    if location.path.startswith(SECOND_FACTOR_PATH):
        step = location.path + (f"?{location.query}" if location.query else "")
        next_page = parse_qs(location.query).get("next", ["/"])[0]
        response = client.post_form(step, step, {"token": totp_code(totp_key), "next": next_page})
        assert response.status == 302, (email, "second factor", response.status)
        location = urlsplit(response.location)
    assert location.path != "/account/login/", response.location
    assert not location.path.startswith(SECOND_FACTOR_PATH), response.location
    return response
