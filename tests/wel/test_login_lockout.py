"""Logins that hold: one spelling of an address for login, lockout, reset and uniqueness; the
lockout counts per account and per real client address; a password reset lifts the lockout;
the reset form is rate-limited; common Dutch passwords are refused."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory
from wel.models import AuditEvent, Role, User
from wel.passwords import DutchCommonPasswordValidator

PASSWORD = "correct-horse-battery"
WRONG = "not-the-password-1"


@pytest.fixture
def lpa_utr(world):
    user = User.objects.create_user("lpa.utr@wel.example", PASSWORD, full_name="LPA Utrecht")
    MembershipFactory(user=user, region=world.region_a, role=Role.LPA)
    return user


def login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_found_upper_case_address_does_not_bypass_the_lockout(lpa_utr):
    """Issue 10, found: while lpa.utr@ was locked, LPA.UTR@ with the right password got in."""
    attacker = Client()
    for _ in range(5):
        login(attacker, "lpa.utr@wel.example", WRONG)
    response = login(Client(), "LPA.UTR@wel.example", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


def test_every_spelling_counts_against_one_account(lpa_utr):
    client = Client()
    for spelling in (
        "lpa.utr@wel.example",
        "LPA.UTR@wel.example",
        " Lpa.Utr@Wel.Example ",
        "lpa.UTR@WEL.example",
        "LPA.utr@wel.EXAMPLE",
    ):
        login(client, spelling, WRONG)
    response = login(client, "lpa.utr@wel.example", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"lpa.utr@wel.example"}


def test_any_spelling_logs_in_when_not_locked(lpa_utr):
    client = Client()
    assert login(client, "  LPA.Utr@WEL.example", PASSWORD).status_code == 302
    assert logged_in(client)
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert event.user == lpa_utr


def test_lockout_counts_per_client_address_behind_the_proxy(settings, world):
    """Behind one trusted proxy every request comes from the proxy's address; the lockout
    counts the forwarded client, so one client guessing many accounts is stopped, and another
    client behind the same proxy is not."""
    settings.WEL_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    colleague = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    for n in range(5):
        login(Client(), f"nobody{n}@wel.test", WRONG, **attacker)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # The attacker's address is locked, even for an account it never tried...
    response = login(Client(), "kartrekker.a@wel.test", PASSWORD, **attacker)
    assert response.status_code == 429
    # ...while a colleague behind the same proxy logs in.
    client = Client()
    assert login(client, "kartrekker.a@wel.test", PASSWORD, **colleague).status_code == 302
    assert logged_in(client)


def test_a_forged_forwarded_header_without_a_trusted_proxy_is_ignored(settings, world):
    settings.WEL_TRUSTED_PROXY_COUNT = 0
    for n in range(5):
        login(Client(), f"nobody{n}@wel.test", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def reset_password(client, email: str, new_password: str):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302, response.content[:400]
    link = re.search(r"https?://[^/]+(/account/reset/\S+/)", mail.outbox[-1].body).group(1)
    response = client.get(link)  # Django swaps the token for a session-bound URL
    response = client.post(
        response.url, {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302, response.content[:400]
    return response


def test_a_password_reset_lifts_the_lockout(lpa_utr):
    """The lockout page says "reset your password"; afterwards logging in works."""
    for _ in range(5):
        login(Client(), "lpa.utr@wel.example", WRONG)
    assert login(Client(), "lpa.utr@wel.example", PASSWORD).status_code == 429
    page = login(Client(), "lpa.utr@wel.example", PASSWORD).content.decode()
    assert reverse("password_reset") in page

    reset_password(Client(), "LPA.UTR@wel.example", "een nieuwe zin om te onthouden")
    client = Client()
    assert login(client, "lpa.utr@wel.example", "een nieuwe zin om te onthouden").status_code == 302
    assert logged_in(client)
    assert AuditEvent.objects.filter(user=lpa_utr, event_type="password.reset_by_link").exists()


def test_password_reset_is_rate_limited_per_address(lpa_utr, settings):
    settings.WEL_PASSWORD_RESET_PER_ADDRESS = 3
    client = Client()
    for spelling in ("lpa.utr@wel.example", "LPA.UTR@wel.example", "Lpa.Utr@wel.example"):
        assert client.post(reverse("password_reset"), {"email": spelling}).status_code == 302
    assert len(mail.outbox) == 3
    response = Client(REMOTE_ADDR="192.0.2.55").post(
        reverse("password_reset"), {"email": "lpa.utr@WEL.example"}
    )
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == 3


def test_password_reset_is_rate_limited_per_client(world, settings):
    settings.WEL_PASSWORD_RESET_PER_CLIENT = 4
    client = Client(REMOTE_ADDR="192.0.2.80")
    for n in range(4):
        response = client.post(reverse("password_reset"), {"email": f"someone{n}@wel.test"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "lpa.a@wel.test"})
    assert response.status_code == 429
    assert mail.outbox == []
    # Another client is not affected.
    other = Client(REMOTE_ADDR="192.0.2.81")
    assert other.post(reverse("password_reset"), {"email": "lpa.a@wel.test"}).status_code == 302
    assert len(mail.outbox) == 1


def test_addresses_are_unique_whatever_their_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="LPA.A@wel.test", full_name="Copy")
    # Created through the manager or a form, an address is stored in its normal spelling.
    user = User.objects.create_user(" New.Person@WEL.test ", "x", full_name="New")
    assert user.email == "new.person@wel.test"


def test_admin_refuses_an_address_that_differs_only_in_case(world, client_for):
    client = client_for("beheerder")
    response = client.post(
        reverse("admin:wel_user_add"),
        {
            "email": "LPA.A@Wel.Test",
            "full_name": "Copy",
            "password1": "een lange zin als wachtwoord",
            "password2": "een lange zin als wachtwoord",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="lpa.a@wel.test").count() == 1


@pytest.mark.parametrize(
    "password",
    ["wachtwoord123", "Welkom01", "welkom2026!", "Feyenoord1908", "WACHTWOORD!!", "zonnebloem12"],
)
def test_common_dutch_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "most used Dutch passwords" in " ".join(refused.value.messages)


def test_django_list_alone_lets_wachtwoord123_through():
    """Why the Dutch list exists: Django's English list accepts it."""
    CommonPasswordValidator().validate("wachtwoord123")
    with pytest.raises(ValidationError):
        DutchCommonPasswordValidator().validate("wachtwoord123")


@pytest.mark.parametrize("password", ["fiets langs de vaart om zeven", "Oranje-kikker-lamp-93"])
def test_long_own_passwords_pass(password):
    validate_password(password)


def test_password_change_form_shows_the_dutch_rule(client_for):
    response = client_for("lpa_a").post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "wachtwoord123",
            "new_password2": "wachtwoord123",
        },
    )
    assert response.status_code == 200
    assert "most used Dutch passwords" in response.content.decode()


def test_factory_users_keep_working(world):
    user = UserFactory(email="plain@wel.test")
    assert User.objects.get_by_natural_key("PLAIN@wel.test") == user


@pytest.mark.django_db(transaction=True)
def test_migration_lower_cases_addresses_and_refuses_clashes():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("wel", "0002_audit_append_only")]
    after = [("wel", "0003_auth_email_case_insensitive")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_user = executor.loader.project_state(before).apps.get_model("wel", "User")
    old_user.objects.create(email="Mixed.Case@WEL.test", full_name="Mixed", password="!")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_user = executor.loader.project_state(after).apps.get_model("wel", "User")
        assert new_user.objects.get(email="mixed.case@wel.test").full_name == "Mixed"

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        old_user = executor.loader.project_state(before).apps.get_model("wel", "User")
        old_user.objects.create(email="MIXED.case@wel.test", full_name="Clash", password="!")
        executor = MigrationExecutor(connection)
        with pytest.raises(RuntimeError, match="Two accounts share the address"):
            executor.migrate(after)
        old_user.objects.filter(full_name="Clash").delete()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_found_a_login_of_someone_else_does_not_reset_the_lockout(lpa_utr, world):
    """Issue 18 §6, found: four wrong passwords on one account, one successful password step
    on the attacker's own account from the same address, four more wrong, and so on: twelve
    wrong passwords and the account never locked (axes' reset on success cleared every failure
    of the address). A success clears only the failures of the account that logged in."""
    attacker_account = User.objects.create_user(
        "attacker@wel.example", "the-attackers-own-pass", full_name="Own account"
    )
    MembershipFactory(user=attacker_account, region=world.region_b, role=Role.LPA)
    statuses = []
    for _ in range(3):
        for _ in range(4):
            statuses.append(login(Client(), "lpa.utr@wel.example", WRONG).status_code)
        statuses.append(
            login(Client(), "attacker@wel.example", "the-attackers-own-pass").status_code
        )
    # The fifth wrong password locks the account and the address; nothing resets it after.
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 302  # the attacker's own login still works before the fifth failure
    assert statuses[5] == 429
    assert set(statuses[6:]) == {429}
    victim = Client(REMOTE_ADDR="192.0.2.200")
    assert login(victim, "lpa.utr@wel.example", PASSWORD).status_code == 429


def test_a_success_clears_only_that_accounts_own_failures(lpa_utr, world):
    """The owner's own wrong passwords are forgiven by their successful login; another
    account's failures from the same address are not."""
    other = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(2):
        login(other, "kartrekker.a@wel.test", WRONG)
    for _ in range(2):
        login(other, "lpa.utr@wel.example", WRONG)
    assert login(other, "lpa.utr@wel.example", PASSWORD).status_code == 302
    left = dict(AccessAttempt.objects.values_list("username", "failures_since_start"))
    assert left == {"kartrekker.a@wel.test": 2}
