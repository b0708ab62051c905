"""The load test's accounts: one demo account per simulated user (``make load``).

django-otp accepts each 30-second TOTP code once per device, and every LPA and kartrekker must
pass the second factor (wel/second_factor.py), so simulated users cannot share an account the
way people never do either. tests/load/run.py runs this module against the load database after
``seed_demo`` (``python -m tests.load.accounts``, with the production settings) and hands the
JSON it prints to the locustfile, which gives every user the next unused account of its kind.

Shape: ``{"totp_key": hex, "lpa": [account, ...], "kartrekker": [account, ...]}`` with
``account = {"email", "region" (code), "gemeente" (CBS code of one of its gemeenten)}``, from the
regions that have joined (those with demo cases), ordered by phase and name; a region gives its
two LPA's (lpa.<prefix>, lpa2.<prefix>) and its kartrekker. Every demo account has the documented
demo authenticator (wel.second_factor.DEMO_TOTP_KEY), whose key goes along.
"""

from __future__ import annotations

import json
import sys


def demo_accounts() -> dict:
    """Read the demo accounts from the database (Django must be set up)."""
    from django.utils import timezone

    from regions.demo import DEMO_DOMAIN
    from regions.models import Region
    from wel.models import Membership, Role
    from wel.second_factor import DEMO_TOTP_KEY

    accounts: dict = {"totp_key": DEMO_TOTP_KEY, Role.LPA.value: [], Role.KARTREKKER.value: []}
    regions = (
        Region.objects.filter(joined_on__lte=timezone.localdate())
        .prefetch_related("gemeenten")
        .order_by("phase__number", "name")
    )
    for region in regions:
        gemeenten = sorted(g.cbs_code for g in region.gemeenten.all())
        if not gemeenten:
            continue
        memberships = (
            Membership.objects.filter(region=region, user__email__endswith=f"@{DEMO_DOMAIN}")
            .select_related("user")
            .order_by("role", "user__email")
        )
        for membership in memberships:
            accounts[membership.role].append(
                {"email": membership.user.email, "region": region.code, "gemeente": gemeenten[0]}
            )
    return accounts


class AccountsExhausted(LookupError):
    pass


def next_account(accounts: dict, role: str, taken: dict[str, int]) -> dict:
    """The next account of ``role`` no simulated user has had yet (``taken`` counts them per
    role). Raises AccountsExhausted when there are more users of that kind than accounts."""
    pool = accounts[role]
    index = taken.get(role, 0)
    if index >= len(pool):
        raise AccountsExhausted(
            f"{index + 1} simulated {role} users but only {len(pool)} demo {role} accounts: "
            "lower LOAD_USERS"
        )
    taken[role] = index + 1
    return pool[index]


if __name__ == "__main__":
    import django

    django.setup()
    json.dump(demo_accounts(), sys.stdout)
