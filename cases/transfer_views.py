"""Pages of a transfer (verhuizing, issue 21 §2): propose from the case, the list of transfers
waiting for the receiving side and sent by the sending side, and one transfer to decide.

The receiving side sees only what it needs to decide — reference, year of birth, grondslag,
where from and the note — until it accepts; that view is audited (``transfer.viewed``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wel.access import require, scope_for
from wel.forms import add_service_errors

from . import selectors, transfers
from .forms import TransferAcceptForm, TransferDeclineForm, TransferProposeForm
from .models import Transfer

case_worker = require(lambda scope: scope.works_in_region)


@case_worker
def transfer_propose(request, reference):
    """ "Verhuizing doorgeven": the sending side proposes the transfer."""
    jeugdige = selectors.jeugdige_get(user=request.user, reference=reference)
    waiting = Transfer.objects.open().filter(jeugdige=jeugdige).select_related("to_region").first()
    form = TransferProposeForm(request.POST or None, jeugdige=jeugdige)
    if request.method == "POST" and waiting is None and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            transfer = transfers.transfer_propose(
                jeugdige=jeugdige,
                to_region=target.region,
                to_gemeente=target.gemeente,
                note=form.cleaned_data["note"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The transfer of %(ref)s to %(gemeente)s is waiting for the receiving side.")
                % {"ref": jeugdige.reference, "gemeente": target.gemeente.name},
            )
            return redirect(transfer)
    return render(
        request,
        "cases/transfer_propose.html",
        {"jeugdige": jeugdige, "form": form, "waiting": waiting},
    )


@case_worker
@require_GET
def transfer_list(request):
    """Transfers waiting for this user's decision, and those sent from their side."""
    return render(
        request,
        "cases/transfer_list.html",
        {
            "waiting": list(transfers.transfers_waiting(user=request.user)),
            "sent": list(transfers.transfers_sent(user=request.user)),
        },
    )


def _detail_context(request, transfer, **forms):
    scope = scope_for(request.user)
    case = transfer.jeugdige
    return {
        "transfer": transfer,
        "may_decide": transfer.status == Transfer.Status.PROPOSED
        and transfers.may_decide(request.user, transfer),
        "may_withdraw": transfer.status == Transfer.Status.PROPOSED
        and transfers.may_withdraw(request.user, transfer),
        # the case itself only for who works on it now (the receiving side after acceptance)
        "case_visible": scope.may_work_on_cases_in(case.region_id, case.gemeente_id),
        "accept_form": forms.get("accept")
        or TransferAcceptForm(transfer=transfer, user=request.user),
        "decline_form": forms.get("decline") or TransferDeclineForm(),
    }


@case_worker
def transfer_detail(request, pk):
    """One transfer: the data to decide on, and accept / decline / withdraw (POST ``action``)."""
    transfer = get_object_or_404(
        Transfer.objects.visible_to(request.user).select_related(
            "jeugdige",
            "from_region",
            "from_gemeente",
            "to_region",
            "to_gemeente",
            "proposed_by",
            "decided_by",
            "new_assignee",
        ),
        pk=pk,
    )
    forms = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                form = forms["accept"] = TransferAcceptForm(
                    request.POST, transfer=transfer, user=request.user
                )
                if form.is_valid():
                    transfers.transfer_accept(
                        transfer=transfer,
                        assignee=form.cleaned_data["assignee"],
                        by=request.user,
                        request=request,
                    )
                    messages.success(
                        request,
                        _("%(ref)s is now a case of %(gemeente)s.")
                        % {"ref": transfer.jeugdige.reference, "gemeente": transfer.to_gemeente},
                    )
                    return redirect("cases:detail", reference=transfer.jeugdige.reference)
            elif action == "decline":
                form = forms["decline"] = TransferDeclineForm(request.POST)
                if form.is_valid():
                    transfers.transfer_decline(
                        transfer=transfer,
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                        request=request,
                    )
                    messages.success(request, _("The transfer has been declined."))
                    return redirect(transfer)
            elif action == "withdraw":
                transfers.transfer_withdraw(transfer=transfer, by=request.user, request=request)
                messages.success(request, _("The transfer has been withdrawn."))
                return redirect(transfer)
            else:
                messages.error(request, _("Choose accept, decline or withdraw."))
        except ValidationError as exc:
            target = forms.get("accept") or forms.get("decline")
            if target is not None:
                add_service_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    transfers.transfer_viewed(transfer=transfer, request=request)
    context = _detail_context(request, transfer, **forms)
    return render(request, "cases/transfer_detail.html", context)
