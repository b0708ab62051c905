"""Shared fixtures: the personas every view is tested with, and the real-service harness."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.factories import MembershipFactory, RegionFactory, UserFactory, gemeente
from wel.models import NationalRole, Role

PERSONAS = ("anonymous", "lpa_a", "kartrekker_a", "lpa_b", "landelijk", "beheerder")
REQUIRE_SERVICES = os.environ.get("WEL_REQUIRE_SERVICES") == "1"


def need_services(*, postgres: bool = False, redis: bool = False) -> None:
    """Skip (locally) or fail (in CI, WEL_REQUIRE_SERVICES=1) when a real service is missing."""
    missing = []
    if postgres and connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL)")
    if redis and not os.environ.get("CELERY_BROKER_URL"):
        missing.append("Redis (set CELERY_BROKER_URL)")
    if missing:
        message = "needs " + " and ".join(missing)
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class World:
    """Two regions and the six personas. Region A has Emmen and Borger-Odoorn; the LPA of A
    works for Emmen only. Apps hang their own objects on ``extra``."""

    region_a: object
    region_b: object
    emmen: object
    borger: object
    assen: object
    users: dict
    extra: SimpleNamespace = field(default_factory=SimpleNamespace)

    def user(self, persona: str):
        return self.users.get(persona)

    def __getattr__(self, name):
        # world.jeugdige_a etc., set by the apps' builders
        extra = self.__dict__.get("extra")
        if extra is not None and hasattr(extra, name):
            return getattr(extra, name)
        raise AttributeError(name)


def ensure_reference_data() -> None:
    """Transactional tests flush the tables, including the migration's reference data."""
    from regions.models import Gemeente, Phase
    from regions.reference import load_reference_data

    if not Phase.objects.exists():
        load_reference_data(Phase, Gemeente)


@pytest.fixture
def world(db) -> World:
    ensure_reference_data()
    emmen, borger, assen = gemeente("0114"), gemeente("1681"), gemeente("0106")
    region_a = RegionFactory(
        code="VO2202", name="Emmen/Borger-Odoorn", reference_prefix="EMM", gemeenten=[emmen, borger]
    )
    region_b = RegionFactory(
        code="VO2201", name="Regio Assen", reference_prefix="ASS", gemeenten=[assen]
    )
    lpa_a = UserFactory(email="lpa.a@wel.test", full_name="Lotte LPA-A")
    MembershipFactory(user=lpa_a, region=region_a, role=Role.LPA, gemeenten=[emmen])
    kartrekker_a = UserFactory(email="kartrekker.a@wel.test", full_name="Karel Kartrekker-A")
    MembershipFactory(user=kartrekker_a, region=region_a, role=Role.KARTREKKER)
    lpa_b = UserFactory(email="lpa.b@wel.test", full_name="Bert LPA-B")
    MembershipFactory(user=lpa_b, region=region_b, role=Role.LPA)
    landelijk = UserFactory(
        email="landelijk@wel.test",
        full_name="Lana Landelijk",
        national_role=NationalRole.LANDELIJK_TEAM,
    )
    beheerder = UserFactory(
        email="beheerder@wel.test", full_name="Bea Beheerder", national_role=NationalRole.BEHEERDER
    )
    return World(
        region_a=region_a,
        region_b=region_b,
        emmen=emmen,
        borger=borger,
        assen=assen,
        users={
            "anonymous": None,
            "lpa_a": lpa_a,
            "kartrekker_a": kartrekker_a,
            "lpa_b": lpa_b,
            "landelijk": landelijk,
            "beheerder": beheerder,
        },
    )


@pytest.fixture
def client_for(client, world):
    """``client_for("lpa_a")`` gives a test client logged in as that persona."""
    from django.test import Client

    def make(persona: str) -> Client:
        c = Client()
        user = world.user(persona)
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# -- Second factor ------------------------------------------------------------------------------
# The suite logs users in with Client.force_login. Production requires a verified second factor
# (wel.middleware.SecondFactorMiddleware); this one helper makes every force-logged-in session
# verified with a TOTP device of known key, unless a test opts out with
# @pytest.mark.second_factor_real (tests/wel/test_second_factor.py proves the enforcement).
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret


def enrol_test_totp(user):
    """Give ``user`` a confirmed TOTP device with TEST_TOTP_KEY (idempotent); codes for it come
    from ``wel.second_factor.totp_code(TEST_TOTP_KEY)``."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"key": TEST_TOTP_KEY, "confirmed": True}
    )
    return device


def fresh_totp_code(device) -> str:
    """A code ``device`` accepts now. django-otp accepts each 30-second step once per device
    (and one step of clock drift), so a second login within the same step uses the next
    step's code, and a third waits for the clock."""
    import time

    from wel.second_factor import totp_code

    device.refresh_from_db()
    offset = max(0, device.last_t + 1 - int(time.time()) // 30)
    if offset > 1:
        time.sleep((offset - 1) * 30 - time.time() % 30 + 0.5)
        offset = max(0, device.last_t + 1 - int(time.time()) // 30)
    return totp_code(device.key, offset_steps=offset)


def verify_second_factor(client, user) -> None:
    """Mark ``client``'s logged-in session as verified with the user's test device."""
    from wel.second_factor import mark_session_verified

    session = client.session
    mark_session_verified(session, enrol_test_totp(user))
    session.save()


@pytest.fixture(autouse=True)
def _force_login_completes_second_factor(request, monkeypatch):
    if request.node.get_closest_marker("second_factor_real"):
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# -- Browser tests (Playwright on Debian's Chromium) -------------------------------------------
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        if REQUIRE_SERVICES:
            pytest.fail(f"browser tests need {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"browser tests need {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def login_page(page, live_server):
    """``login_page(user)`` logs a persona in through the real login form; returns the page."""

    def login(user, password: str = "correct-horse-battery"):
        device = enrol_test_totp(user)
        page.goto(f"{live_server.url}/account/login/")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if "/account/tweede-factor/controle/" in page.url:  # the second step of the login
            page.get_by_label("Code").fill(fresh_totp_code(device))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
        return page

    return login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache: rate-limit counters (wel/ratelimit.py)
    and counts cached under per-region tokens (cases/counts.py) live there, and every test's
    writes are rolled back together with its tokens, so no test inherits another's."""
    from django.core.cache import cache

    from reports import release, snapshot

    def forget():
        cache.clear()
        # what this process keeps of the shared cache and of counts read from it
        snapshot._READ.clear()
        release._J_BLOCKS.clear()

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def _case_tokens_per_statement(request):
    """On PostgreSQL the case-token trigger runs at COMMIT (cases/db_triggers.py); a test's
    writes are never committed but rolled back. So inside a test's own transaction the trigger
    is set IMMEDIATE: tokens change after every statement, as they would after every commit.
    tests/cases/test_counts.py checks the deferred behaviour with real commits."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue(
        "db" if "transactional_db" not in request.fixturenames else "transactional_db"
    )
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS cases_jeugdige_token IMMEDIATE")
    yield
