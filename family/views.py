"""Two sides: the professional invites (staff views, login and second factor as everywhere);
the family opens the link (public views, ``login_not_required``).

The family's pages never log anyone in: they keep the verified invitation in their own
session key (``FAMILY_SESSION_KEY``), so LoginRequiredMiddleware and SecondFactorMiddleware
keep every staff page closed to that session. Each answers ``Cache-Control: no-store`` and
``Referrer-Policy: same-origin`` (the token is in the address).
"""

from __future__ import annotations

import hmac
import re
import time

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import selectors as case_selectors
from cases.services import CaseError
from documents.views import file_response
from wel import audit
from wel.access import require
from wel.forms import add_service_errors

from . import services
from .forms import (
    CodeForm,
    InvitationForm,
    ParentAnswersForm,
    StepsAnswerForm,
    YoungPersonAnswersForm,
)
from .letters import invitation_pdf, letter_for
from .models import Invitation, may_invite
from .who_looked import who_looked as who_looked_rows

FAMILY_SESSION_KEY = "wel_family"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,100}")
case_worker = require(lambda scope: scope.works_in_region)


def _family_headers(response):
    # "same-origin", not "no-referrer": with no referrer at all browsers send `Origin: null` on
    # the form POST and Django's CSRF check refuses it. No third party ever gets the token.
    response["Referrer-Policy"] = "same-origin"
    return response


# -- staff ------------------------------------------------------------------------------------
def _case_for_inviting(request, reference):
    jeugdige = case_selectors.jeugdige_get(user=request.user, reference=reference)
    if not may_invite(request.user, jeugdige):
        raise PermissionDenied
    return jeugdige


@case_worker
@never_cache
@require_http_methods(["GET", "POST"])
def invite(request, reference):
    """New invitation. The link and code exist only in this POST's answer (no-store)."""
    jeugdige = _case_for_inviting(request, reference)
    form = InvitationForm(request.POST or None, jeugdige=jeugdige)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.invitation_create(
                jeugdige=jeugdige,
                audience=data["audience"],
                purpose=data["purpose"],
                delivery=data["delivery"],
                recipient_name=data["recipient_name"],
                email=data["email"] or "",
                interview=data["interview"],
                steps=list(data["steps"]),
                link_url=lambda token: request.build_absolute_uri(
                    reverse("family:open", args=[token])
                ),
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            link = request.build_absolute_uri(reverse("family:open", args=[new.token]))
            qr = segno.make(link, error="m").svg_data_uri(scale=4)
            return render(
                request,
                "family/invitation_created.html",
                {
                    "jeugdige": jeugdige,
                    "new": new,
                    "link": link,
                    "qr": qr,
                    "letter": letter_for(new.invitation),
                },
            )
    return render(request, "family/invite.html", {"jeugdige": jeugdige, "form": form})


@case_worker
@never_cache
@require_POST
def invitation_letter(request, reference, pk):
    """The new invitation's letter as PDF. The token is known only to the page that created
    the invitation (it is not stored), so that page posts it back; it must match the
    invitation's hash, else 404."""
    jeugdige = _case_for_inviting(request, reference)
    invitation = get_object_or_404(
        Invitation.objects.filter(jeugdige=jeugdige).select_related("created_by"), pk=pk
    )
    token = request.POST.get("token", "")
    if not TOKEN_SHAPE.fullmatch(token) or not hmac.compare_digest(
        services.token_hash(token), invitation.token_hash
    ):
        raise Http404
    invitation.jeugdige = jeugdige
    link = request.build_absolute_uri(reverse("family:open", args=[token]))
    pdf = invitation_pdf(invitation=invitation, link=link, by=request.user, request=request)
    return file_response(
        pdf,
        content_type="application/pdf",
        filename=f"{jeugdige.reference}-uitnodiging-{invitation.pk}.pdf",
    )


@case_worker
@require_POST
def revoke(request, reference, pk):
    jeugdige = _case_for_inviting(request, reference)
    invitation = get_object_or_404(Invitation.objects.filter(jeugdige=jeugdige), pk=pk)
    services.invitation_revoke(invitation=invitation, by=request.user, request=request)
    return redirect(reverse("cases:detail", args=[jeugdige.reference]) + "#h-family")


# -- family -----------------------------------------------------------------------------------
def _not_usable(request):
    response = render(request, "family/not_usable.html", status=404)
    return _family_headers(response)


def _verified(request, invitation: Invitation) -> bool:
    entry = request.session.get(FAMILY_SESSION_KEY) or {}
    fresh = time.time() - entry.get("at", 0) < settings.WEL_FAMILY_SESSION_MINUTES * 60
    return (
        entry.get("id") == invitation.pk
        and entry.get("token_hash") == invitation.token_hash
        and fresh
    )


def _usable_invitation(token: str) -> Invitation | None:
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    invitation = services.invitation_for_token(token)
    return invitation if invitation is not None and invitation.state() == "open" else None


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def open_invitation(request, token):
    """The link: asks for the code. Unknown, expired, revoked, locked or used: one 404 page."""
    if not TOKEN_SHAPE.fullmatch(token):
        return _not_usable(request)
    if request.method == "GET":
        invitation = services.invitation_open(token=token, request=request)
        if invitation is None:
            return _not_usable(request)
        if _verified(request, invitation):
            return redirect("family:answer", token=token)
        form = CodeForm()
    else:
        invitation = _usable_invitation(token)
        if invitation is None:
            return _not_usable(request)
        form = CodeForm(request.POST)
        if form.is_valid():
            if services.code_check(
                invitation=invitation, code=form.cleaned_data["code"], request=request
            ):
                request.session.cycle_key()
                request.session[FAMILY_SESSION_KEY] = {
                    "id": invitation.pk,
                    "token_hash": invitation.token_hash,
                    "at": int(time.time()),
                }
                return _family_headers(redirect("family:answer", token=token))
            invitation.refresh_from_db()
            if invitation.state() != "open":
                return _not_usable(request)
            form.add_error(
                "code",
                _("This code is not right. Check the six digits and try again."),
            )
    response = render(
        request,
        "family/open.html",
        {"invitation": invitation, "form": form, "first_name": invitation.jeugdige.given_name},
    )
    return _family_headers(response)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The invitation's own questions (before) or the shared agreements (after)."""
    invitation = _usable_invitation(token)
    if invitation is None:
        return _not_usable(request)
    if not _verified(request, invitation):
        return _family_headers(redirect("family:open", token=token))
    jeugdige = invitation.jeugdige
    if invitation.purpose == Invitation.Purpose.AFTER:
        steps = list(invitation.shared_steps.select_related("next_step"))
        form = StepsAnswerForm(request.POST or None, steps=steps)
        if request.method == "POST" and form.is_valid():
            try:
                services.shared_steps_answer(
                    invitation=invitation, answers=form.answers(), request=request
                )
            except PermissionDenied:
                return _not_usable(request)
            return _done(request, invitation)
    else:
        form_class = (
            ParentAnswersForm
            if invitation.audience == Invitation.Audience.PARENT
            else YoungPersonAnswersForm
        )
        form = form_class(request.POST or None, jeugdige=jeugdige)
        if request.method == "POST" and form.is_valid():
            try:
                services.contribution_submit(
                    invitation=invitation, data=form.cleaned_data, request=request
                )
            except PermissionDenied:
                return _not_usable(request)
            except ValidationError as exc:
                _family_errors(form, exc)
            else:
                return _done(request, invitation)
    response = render(
        request,
        "family/answer.html",
        {
            "invitation": invitation,
            "form": form,
            "first_name": jeugdige.given_name,
            "young": invitation.audience == Invitation.Audience.YOUNG_PERSON,
            "token": token,
        },
    )
    return _family_headers(response)


@login_not_required
@never_cache
@require_GET
def who_looked(request, token):
    """ "Wie heeft de gegevens bekeken": organisation, role and time of every view and change of
    the child's data by staff, for a family with a usable invitation and the right code."""
    invitation = _usable_invitation(token)
    if invitation is None:
        return _not_usable(request)
    if not _verified(request, invitation):
        return _family_headers(redirect("family:open", token=token))
    jeugdige = invitation.jeugdige
    rows = who_looked_rows(jeugdige)
    audit.record(
        audit.events.WHO_LOOKED_VIEWED,
        request=request,
        obj=jeugdige,
        jeugdige=jeugdige,
        user_label=services.family_label(invitation),
        detail={"invitation": invitation.pk, "rows": len(rows)},
    )
    response = render(
        request,
        "family/who_looked.html",
        {
            "invitation": invitation,
            "rows": rows,
            "first_name": jeugdige.given_name,
            "young": invitation.audience == Invitation.Audience.YOUNG_PERSON,
            "names_shown": settings.WEL_FAMILY_SHOW_STAFF_NAMES,
            "token": token,
        },
    )
    return _family_headers(response)


def _family_errors(form, exc: ValidationError) -> None:
    """A refusal the family can act on goes to its field (or, a plain message of the family's
    own service, to the form); a case's staff-side refusal (``CaseError``, or a field the
    family's form does not have) is never shown to the family: one plain sentence instead. The
    typed answers stay in the form either way."""
    fields = getattr(exc, "error_dict", None)
    staff_side = isinstance(exc, CaseError) or (
        fields is not None and not set(fields) <= set(form.fields)
    )
    if not staff_side:
        add_service_errors(form, exc)
    else:
        form.add_error(
            None,
            _(
                "Your answers could not be sent just now. They are still here: please try "
                "again, or call the person who invited you."
            ),
        )


def _done(request, invitation):
    request.session.pop(FAMILY_SESSION_KEY, None)
    response = render(
        request,
        "family/done.html",
        {
            "first_name": invitation.jeugdige.given_name,
            "young": invitation.audience == Invitation.Audience.YOUNG_PERSON,
        },
    )
    return _family_headers(response)
