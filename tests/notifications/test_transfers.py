"""Transfers tell the people concerned (issue 21 §2–3): a proposal those who may decide at the
receiving side, an acceptance or a refusal the proposer; nobody hears of their own step, and
the notice names the case by its reference and links to the transfer, which both sides see."""

from __future__ import annotations

import pytest

from cases import transfers
from notifications.models import Kind, Notification
from tests.cases.factories import make_jeugdige
from tests.factories import MembershipFactory, UserFactory
from wel.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def transfer(world):
    case = make_jeugdige(world, by=world.user("lpa_a"), assigned_lpa=world.user("lpa_a"))
    return transfers.transfer_propose(
        jeugdige=case,
        to_region=world.region_b,
        to_gemeente=world.assen,
        note="Gezin verhuist naar Assen.",
        by=world.user("lpa_a"),
    )


def notices(user) -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", "reference", "link")
    )


def test_a_proposal_tells_everyone_who_may_decide_and_not_the_proposer(world):
    kartrekker_b = UserFactory(full_name="Kim Kartrekker-B")
    MembershipFactory(user=kartrekker_b, region=world.region_b, role=Role.KARTREKKER)
    case = make_jeugdige(world, by=world.user("lpa_a"), assigned_lpa=world.user("lpa_a"))
    transfer = transfers.transfer_propose(
        jeugdige=case,
        to_region=world.region_b,
        to_gemeente=world.assen,
        note="Gezin verhuist naar Assen.",
        by=world.user("lpa_a"),
    )
    link = f"/jeugdigen/overdrachten/{transfer.pk}/"
    for decider in (world.user("lpa_b"), kartrekker_b):
        assert notices(decider) == [(Kind.TRANSFER_PROPOSED, case.reference, link)]
    for bystander in ("lpa_a", "kartrekker_a", "landelijk", "beheerder"):
        assert notices(world.user(bystander)) == []


def test_acceptance_tells_the_proposer_who_no_longer_sees_the_case(world, transfer):
    transfers.transfer_accept(
        transfer=transfer, assignee=world.user("lpa_b"), by=world.user("lpa_b")
    )
    proposer = notices(world.user("lpa_a"))
    assert proposer == [
        (
            Kind.TRANSFER_ACCEPTED,
            transfer.jeugdige.reference,
            f"/jeugdigen/overdrachten/{transfer.pk}/",
        )
    ]
    assert Kind.TRANSFER_ACCEPTED not in [k for k, _r, _l in notices(world.user("lpa_b"))]


def test_a_refusal_tells_the_proposer(world, transfer):
    transfers.transfer_decline(
        transfer=transfer, reason="Niet in onze gemeente.", by=world.user("lpa_b")
    )
    assert [k for k, _r, _l in notices(world.user("lpa_a"))] == [Kind.TRANSFER_DECLINED]
