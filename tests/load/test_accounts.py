"""``make load``'s accounts (tests/load/accounts.py): one demo account per simulated user, each
able to pass the second factor with the code the load test sends. The load run itself is not
part of the suite (docs/operations.md)."""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from regions import demo as regions_demo
from regions.models import Region
from tests.deploy.production import totp_code
from tests.load.accounts import AccountsExhausted, demo_accounts, next_account
from wel.models import Membership, Role, User

USERS, LPA_WEIGHT, KARTREKKER_WEIGHT = 25, 3, 2  # run.py's LOAD_USERS; the locustfile's weights


@pytest.fixture
def accounts(db):
    regions_demo.seed(stdout=io.StringIO())
    return demo_accounts()


def test_every_simulated_user_gets_an_account_of_its_own(accounts):
    taken: dict[str, int] = {}
    wanted = {
        Role.LPA: USERS * LPA_WEIGHT // (LPA_WEIGHT + KARTREKKER_WEIGHT),
        Role.KARTREKKER: USERS * KARTREKKER_WEIGHT // (LPA_WEIGHT + KARTREKKER_WEIGHT),
    }
    given = [next_account(accounts, role, taken) for role, n in wanted.items() for _ in range(n)]

    emails = [a["email"] for a in given]
    assert len(set(emails)) == len(emails) == USERS
    for account in given:
        role = Role.LPA if account["email"].startswith("lpa") else Role.KARTREKKER
        membership = Membership.objects.get(user__email=account["email"], role=role)
        region = membership.region
        assert region.code == account["region"]
        assert region.gemeenten.filter(cbs_code=account["gemeente"]).exists()
        assert region.joined_on is not None


def test_the_code_the_load_test_sends_is_accepted_once_by_each_account(accounts):
    """log_in answers the second factor with tests/deploy/production.py's totp_code for the
    accounts' key: it must be the demo authenticator's, and each device takes a code once."""
    first = accounts[Role.LPA][0]["email"]
    device = TOTPDevice.objects.get(user__email=first)
    code = totp_code(accounts["totp_key"])
    assert device.verify_token(code)
    assert not device.verify_token(code)  # why users cannot share an account
    other = TOTPDevice.objects.get(user__email=accounts[Role.KARTREKKER][0]["email"])
    assert other.verify_token(code)


def test_more_users_than_accounts_is_a_clear_error():
    accounts = {"lpa": [{"email": "a"}, {"email": "b"}], "kartrekker": []}
    taken: dict[str, int] = {}
    assert [next_account(accounts, "lpa", taken)["email"] for _ in range(2)] == ["a", "b"]
    with pytest.raises(AccountsExhausted, match="3 simulated lpa users but only 2"):
        next_account(accounts, "lpa", taken)
    with pytest.raises(AccountsExhausted, match="lower LOAD_USERS"):
        next_account(accounts, "kartrekker", taken)


def test_only_demo_accounts_of_regions_that_have_joined(db):
    regions_demo.seed(stdout=io.StringIO())
    joined = Region.objects.filter(joined_on__lte=timezone.localdate()).first()
    outsider = User.objects.create_user("lpa.outsider@wel.test", "x")
    Membership.objects.create(user=outsider, region=joined, role=Role.LPA)
    accounts = demo_accounts()

    emails = {a["email"] for role in (Role.LPA, Role.KARTREKKER) for a in accounts[role]}
    assert outsider.email not in emails
    assert f"kartrekker.{joined.reference_prefix.lower()}@wel.example" in emails
    regions = {a["region"] for a in accounts[Role.KARTREKKER]}
    waiting = Region.objects.exclude(joined_on__lte=timezone.localdate())
    assert waiting.exists()  # the demo has regions that join later: they have no cases
    assert not regions & set(waiting.values_list("code", flat=True))


def test_the_locustfile_parses():
    source = Path(__file__).with_name("locustfile.py").read_text()
    compile(source, "locustfile.py", "exec")
