"""Transfer (verhuizing) of a case to another gemeente or region (issue 21 §2): the sending LPA
proposes, the receiving side accepts or declines; on acceptance the case moves with its
history, conversations and the family's answers, open invitations are revoked, and the sending
side loses access."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import counts, transfers
from cases.models import Jeugdige, TimelineEntry, Transfer
from cases.services import CaseError
from family import services as family
from interviews.models import BelemmerendeFactor, Interview, MoreelBeraad
from tests.cases.factories import make_jeugdige
from tests.factories import MembershipFactory, RegionFactory, UserFactory, gemeente
from tests.interviews.factories import BeraadFactory, InterviewFactory, ObstacleFactory
from wel.access import OutOfScope
from wel.models import AuditEvent, NationalRole, ProcessingRecord, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_jeugdige(
        world,
        by=world.user("lpa_a"),
        assigned_lpa=world.user("lpa_a"),
        bsn="111222333",
        is_focus=True,
    )


def propose(world, case, **kw):
    data = {
        "jeugdige": case,
        "to_region": world.region_b,
        "to_gemeente": world.assen,
        "note": "Gezin verhuist per 1 maart naar Assen.",
        "by": world.user("lpa_a"),
    } | kw
    return transfers.transfer_propose(**data)


def events(code):
    return AuditEvent.objects.filter(event_type=code)


# -- who decides ---------------------------------------------------------------------------
def test_deciders_are_the_people_who_would_work_on_it_at_the_receiving_side(world, case):
    kartrekker_b = UserFactory(full_name="Kim Kartrekker-B")
    MembershipFactory(user=kartrekker_b, region=world.region_b, role=Role.KARTREKKER)
    beheerder_b = UserFactory(national_role=NationalRole.BEHEERDER)
    MembershipFactory(user=beheerder_b, region=world.region_b, role=Role.LPA)
    transfer = propose(world, case)
    deciders = set(transfers.transfer_deciders(transfer))
    assert deciders == {world.user("lpa_b"), kartrekker_b}
    assert transfers.may_decide(world.user("lpa_b"), transfer)
    assert not transfers.may_decide(world.user("lpa_a"), transfer)
    assert not transfers.may_decide(world.user("kartrekker_a"), transfer)


# -- propose -------------------------------------------------------------------------------
def test_propose_is_audited_and_on_the_timeline(world, case):
    transfer = propose(world, case)
    assert transfer.status == Transfer.Status.PROPOSED
    assert (transfer.from_region, transfer.from_gemeente) == (world.region_a, world.emmen)
    entry = TimelineEntry.objects.filter(jeugdige=case).first()
    assert "Assen" in entry.text and "1 maart" in entry.text
    event = events("transfer.proposed").get()
    assert event.jeugdige_reference == case.reference
    assert event.object_type == "cases.transfer" and event.object_id == str(transfer.pk)
    assert "1 maart" not in str(event.changes)  # free text never in the log
    assert ProcessingRecord.objects.filter(jeugdige_id=case.pk).exists()


def test_propose_refusals_change_nothing(world, case):
    with pytest.raises(CaseError) as same:
        propose(world, case, to_region=world.region_a, to_gemeente=world.emmen)
    assert "already in Emmen" in str(same.value.messages)
    with pytest.raises(CaseError) as empty:
        propose(world, case, note="   ")
    assert "note" in empty.value.message_dict
    with pytest.raises(CaseError):  # Assen is not a gemeente of region A
        propose(world, case, to_region=world.region_a, to_gemeente=world.assen)
    with pytest.raises(OutOfScope):
        propose(world, case, by=world.user("lpa_b"))
    world.region_b.is_active = False
    world.region_b.save()
    with pytest.raises(CaseError) as inactive:
        propose(world, case)
    assert "takes part" in str(inactive.value.messages)
    assert not Transfer.objects.exists() and not events("transfer.proposed").exists()


def test_a_target_where_nobody_could_decide_is_refused(world, case):
    empty = RegionFactory(code="VO9001", name="Regio Zonder Mensen", gemeenten=[gemeente("0119")])
    with pytest.raises(CaseError) as nobody:
        propose(world, case, to_region=empty, to_gemeente=gemeente("0119"))
    assert "Nobody works on cases" in str(nobody.value.messages)


def test_one_open_transfer_per_case(world, case):
    propose(world, case)
    with pytest.raises(CaseError) as second:
        propose(world, case, to_region=world.region_a, to_gemeente=world.borger)
    assert "already has a transfer waiting" in str(second.value.messages)
    # the database holds the rule too (two proposals at once)
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            jeugdige=case,
            from_region=world.region_a,
            from_gemeente=world.emmen,
            to_region=world.region_a,
            to_gemeente=world.borger,
            note="x",
        )


def test_a_closed_case_is_not_transferred(world, case):
    from cases import services

    services.jeugdige_close(
        jeugdige=case, reason="verhuisd", version=case.version, by=world.user("lpa_a")
    )
    with pytest.raises(CaseError):
        propose(world, Jeugdige.objects.get(pk=case.pk))


# -- accept --------------------------------------------------------------------------------
def test_accept_moves_the_case_and_the_sending_side_loses_access(world, client_for, case):
    interview = InterviewFactory(jeugdige=case, interviewer=world.user("lpa_a"))
    open_invitation = family.invitation_create(
        jeugdige=case,
        audience="parent",
        purpose="before",
        delivery="letter",
        recipient_name="Familie de Vries",
        by=world.user("lpa_a"),
    ).invitation
    obstacle = ObstacleFactory(region=world.region_a, jeugdige=case, interview=interview)
    beraad = BeraadFactory(region=world.region_a)
    beraad.jeugdigen.add(case)
    transfer = propose(world, case)
    sender, receiver = client_for("lpa_a"), client_for("lpa_b")
    # before: the sending LPA sees the case, the receiving one does not
    assert sender.get(case.get_absolute_url()).status_code == 200
    assert receiver.get(case.get_absolute_url()).status_code == 404
    tokens_before = dict(counts.tokens([world.region_a.pk, world.region_b.pk]))

    transfers.transfer_accept(
        transfer=transfer, assignee=world.user("lpa_b"), by=world.user("lpa_b")
    )

    moved = Jeugdige.objects.get(pk=case.pk)
    assert (moved.region, moved.gemeente) == (world.region_b, world.assen)
    assert moved.assigned_lpa == world.user("lpa_b")
    assert moved.reference == case.reference  # kept: unique over all regions, stable
    assert moved.is_focus is False  # the sending region's choice
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.ACCEPTED
    assert (transfer.decided_by, transfer.new_assignee) == (world.user("lpa_b"),) * 2
    # the sending side: 404 on the case, its lists no longer hold it
    assert sender.get(case.get_absolute_url()).status_code == 404
    assert client_for("kartrekker_a").get(case.get_absolute_url()).status_code == 404
    assert not Jeugdige.objects.visible_to(world.user("lpa_a")).filter(pk=case.pk).exists()
    assert not Interview.objects.visible_to(world.user("lpa_a")).exists()
    # the receiving side: the case with its history and conversations
    assert receiver.get(case.get_absolute_url()).status_code == 200
    assert Interview.objects.visible_to(world.user("lpa_b")).get() == interview
    texts = " ".join(TimelineEntry.objects.filter(jeugdige=case).values_list("text", flat=True))
    assert "Transfer accepted" in texts or "Overdracht geaccepteerd" in texts
    assert TimelineEntry.objects.filter(jeugdige=case).count() >= 5
    # open invitations revoked, with a note; obstacles and beraad stay in region A, unlinked
    open_invitation.refresh_from_db()
    assert open_invitation.revoked_at is not None
    assert events("invitation.revoked").get().detail["transfer"] == transfer.pk
    obstacle.refresh_from_db()
    assert (obstacle.region, obstacle.jeugdige, obstacle.interview) == (world.region_a, None, None)
    assert not MoreelBeraad.objects.get(pk=beraad.pk).jeugdigen.exists()
    assert BelemmerendeFactor.objects.visible_to(world.user("kartrekker_a")).get() == obstacle
    # audited, in the processing log; both regions' cached counts are recomputed
    event = events("transfer.accepted").get()
    assert event.jeugdige_reference == case.reference
    assert event.detail["case"]["region"] == [world.region_a.name, world.region_b.name]
    tokens_after = dict(counts.tokens([world.region_a.pk, world.region_b.pk]))
    assert tokens_after[world.region_a.pk] != tokens_before.get(world.region_a.pk)
    assert tokens_after[world.region_b.pk] != tokens_before.get(world.region_b.pk)
    # the sending side still sees where it went (the transfer, not the case)
    page = sender.get(reverse("cases:transfer", args=[transfer.pk]))
    assert page.status_code == 200 and page.context["case_visible"] is False


def test_accept_refusals_change_nothing(world, case):
    transfer = propose(world, case)
    with pytest.raises(OutOfScope):
        transfers.transfer_accept(
            transfer=transfer, assignee=world.user("lpa_a"), by=world.user("lpa_a")
        )
    with pytest.raises(CaseError) as assignee:
        transfers.transfer_accept(
            transfer=transfer, assignee=world.user("lpa_a"), by=world.user("lpa_b")
        )
    assert "assignee" in assignee.value.message_dict
    case.refresh_from_db()
    assert case.region == world.region_a and not events("transfer.accepted").exists()


def test_accept_refused_when_the_receiving_region_has_the_bsn(world, case):
    make_jeugdige(
        world, region=world.region_b, gemeente=world.assen, by=world.user("lpa_b"), bsn="111222333"
    )
    transfer = propose(world, case)
    with pytest.raises(CaseError) as clash:
        transfers.transfer_accept(
            transfer=transfer, assignee=world.user("lpa_b"), by=world.user("lpa_b")
        )
    assert "already has a case with this BSN" in str(clash.value.messages)
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.region == world.region_a and transfer.status == Transfer.Status.PROPOSED


def test_a_decided_transfer_cannot_be_decided_again(world, case):
    transfer = propose(world, case)
    transfers.transfer_decline(transfer=transfer, reason="Woont in Emmen.", by=world.user("lpa_b"))
    with pytest.raises(CaseError):
        transfers.transfer_accept(
            transfer=transfer, assignee=world.user("lpa_b"), by=world.user("lpa_b")
        )
    with pytest.raises(CaseError):
        transfers.transfer_withdraw(transfer=transfer, by=world.user("lpa_a"))


# -- decline and withdraw ------------------------------------------------------------------
def test_decline_needs_a_reason_and_the_proposer_reads_it(world, client_for, case):
    transfer = propose(world, case)
    with pytest.raises(CaseError):
        transfers.transfer_decline(transfer=transfer, reason=" ", by=world.user("lpa_b"))
    with pytest.raises(OutOfScope):
        transfers.transfer_decline(transfer=transfer, reason="x", by=world.user("lpa_a"))
    transfers.transfer_decline(
        transfer=transfer, reason="Het gezin woont toch in Emmen.", by=world.user("lpa_b")
    )
    case.refresh_from_db()
    assert case.region == world.region_a and case.assigned_lpa == world.user("lpa_a")
    assert events("transfer.declined").get().jeugdige_reference == case.reference
    sender = client_for("lpa_a")
    listed = sender.get(reverse("cases:transfers"))
    assert "Het gezin woont toch in Emmen." in listed.content.decode()
    assert sender.get(case.get_absolute_url()).status_code == 200
    # the receiving side no longer has anything waiting
    assert list(transfers.transfers_waiting(user=world.user("lpa_b"))) == []


def test_withdraw_by_the_proposer_only(world, case):
    transfer = propose(world, case)
    with pytest.raises(OutOfScope):
        transfers.transfer_withdraw(transfer=transfer, by=world.user("lpa_b"))
    colleague = UserFactory()
    MembershipFactory(user=colleague, region=world.region_a, role=Role.LPA, gemeenten=[world.emmen])
    with pytest.raises(OutOfScope):
        transfers.transfer_withdraw(transfer=transfer, by=colleague)
    transfers.transfer_withdraw(transfer=transfer, by=world.user("lpa_a"))
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.WITHDRAWN
    assert events("transfer.withdrawn").get().jeugdige_reference == case.reference
    propose(world, case)  # a new one may follow


# -- pages ---------------------------------------------------------------------------------
def test_propose_page(world, client_for, case):
    client = client_for("lpa_a")
    url = reverse("cases:transfer_propose", args=[case.reference])
    page = client.get(url)
    choices = dict(page.context["form"].fields["target"].choices)
    key = f"{world.region_b.pk}-{world.assen.pk}"
    assert key in choices and f"{world.region_a.pk}-{world.emmen.pk}" not in choices
    assert client.post(url, {"target": "nope", "note": "x"}).status_code == 200
    assert client.post(url, {"target": key, "note": ""}).status_code == 200
    assert not Transfer.objects.exists()
    response = client.post(url, {"target": key, "note": "Verhuisd naar Assen."})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert "is waiting" in client.get(url).content.decode()  # no second form


def test_the_receiver_sees_only_what_is_needed_to_decide(world, client_for, case):
    transfer = propose(world, case)
    receiver = client_for("lpa_b")
    page = receiver.get(reverse("cases:transfer", args=[transfer.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert case.reference in html and "2014" in html and "1 maart" in html
    assert "Sanne" not in html and "de Vries" not in html and "111222333" not in html
    assert page.context["may_decide"] and not page.context["case_visible"]
    assert events("transfer.viewed").filter(user=world.user("lpa_b")).count() == 1
    waiting = receiver.get(reverse("cases:transfers"))
    assert [t.pk for t in waiting.context["waiting"]] == [transfer.pk]


def test_accept_and_decline_through_the_page(world, client_for, case):
    transfer = propose(world, case)
    url = reverse("cases:transfer", args=[transfer.pk])
    receiver = client_for("lpa_b")
    assert receiver.post(url, {"action": "decline", "decline-reason": ""}).status_code == 200
    assert receiver.post(url, {"action": "accept", "accept-assignee": "0"}).status_code == 200
    sender_accepts = {"action": "accept", "accept-assignee": world.user("lpa_b").pk}
    assert client_for("lpa_a").post(url, sender_accepts).status_code == 403
    response = receiver.post(url, {"action": "accept", "accept-assignee": world.user("lpa_b").pk})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert Jeugdige.objects.get(pk=case.pk).region == world.region_b


def test_outside_both_sides_is_404(world, client_for, case):
    transfer = propose(world, case)
    borger = UserFactory()
    MembershipFactory(user=borger, region=world.region_a, role=Role.LPA, gemeenten=[world.borger])
    client = client_for("lpa_a")
    client.force_login(borger)
    assert client.get(reverse("cases:transfer", args=[transfer.pk])).status_code == 404
    assert client.get(reverse("cases:transfers")).context["waiting"] == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [("lpa_a", 200), ("kartrekker_a", 200), ("lpa_b", 200), ("landelijk", 403), ("beheerder", 403)],
)
def test_transfer_page_personas(world, client_for, case, persona, status):
    transfer = propose(world, case)
    response = client_for(persona).get(reverse("cases:transfer", args=[transfer.pk]))
    assert response.status_code == status


def test_transfer_list_queries_are_pinned(world, client_for, case, django_assert_num_queries):
    for n in range(3):
        other = make_jeugdige(world, given_name=f"Kind{n}", by=world.user("lpa_a"))
        propose(world, other)
    propose(world, case)
    client = client_for("lpa_b")
    client.get(reverse("home"))
    with django_assert_num_queries(6):
        response = client.get(reverse("cases:transfers"))
    assert len(response.context["waiting"]) == 4
