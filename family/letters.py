"""The invitation as the family reads it, in the letter and in the e-mail: who sends it (the
gemeente, the person's name, role, phone and e-mail address) and wording for whom it is for.

A young person is addressed about themself ("we would like to hear from you before we talk
with you"), a parent about their child; an "after" invitation asks about the agreements.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wel.models import Membership

from .models import Invitation


@dataclass(frozen=True)
class Sender:
    name: str
    role: str
    gemeente: str
    phone: str
    email: str


@dataclass(frozen=True)
class Letter:
    subject: str
    greeting: str
    paragraphs: list[str]
    closing: str
    sender: Sender

    def sender_lines(self) -> list[str]:
        s = self.sender
        lines = [s.name, f"{s.role}, {_('gemeente %(name)s') % {'name': s.gemeente}}"]
        if s.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": s.phone})
        if s.email:
            lines.append(_("E-mail: %(email)s") % {"email": s.email})
        return lines

    def as_text(self, link: str) -> str:
        parts = [self.greeting, *self.paragraphs[:1], link, *self.paragraphs[1:], self.closing]
        return "\n\n".join(parts) + "\n" + "\n".join(self.sender_lines()) + "\n"


def sender_of(invitation: Invitation) -> Sender:
    user = invitation.created_by
    membership = (
        Membership.objects.filter(user=user, region_id=invitation.jeugdige.region_id)
        .only("role")
        .first()
    )
    return Sender(
        name=user.full_name or user.email,
        role=str(membership.get_role_display()) if membership else _("school attendance officer"),
        gemeente=invitation.jeugdige.gemeente.name,
        phone=user.phone,
        email=user.email,
    )


def letter_for(invitation: Invitation) -> Letter:
    sender = sender_of(invitation)
    young = invitation.audience == Invitation.Audience.YOUNG_PERSON
    child = invitation.jeugdige.given_name
    until = timezone.localtime(invitation.expires_at).strftime("%d-%m-%Y")
    if invitation.purpose == Invitation.Purpose.AFTER:
        first = (
            _("We talked together. Do you agree with what we agreed? Open the link and tell us.")
            if young
            else _(
                "We talked about %(child)s. Do you agree with what we agreed? Open the link "
                "and tell us."
            )
            % {"child": child}
        )
    elif young:
        first = _(
            "I would like to hear from you before we talk with you. Open the link and answer "
            "a few questions about yourself."
        )
    else:
        first = _(
            "I would like to hear from you before we talk about %(child)s. Open the link and "
            "answer a few questions."
        ) % {"child": child}
    code = _("You also need a code of six digits. I give it to you by phone or in person.")
    contact = _(" or ").join(c for c in (sender.phone, sender.email) if c)
    questions = _("Questions? You can reach me at %(contact)s.") % {"contact": contact}
    return Letter(
        subject=_("Invitation from the gemeente %(gemeente)s (WEL in Ontwikkeling)")
        % {"gemeente": sender.gemeente},
        greeting=_("Dear %(name)s,") % {"name": invitation.recipient_name},
        paragraphs=[
            first,
            code,
            _("The link works until %(until)s.") % {"until": until},
            questions,
        ],
        closing=_("Kind regards,"),
        sender=sender,
    )


def email_headers(invitation: Invitation) -> tuple[str, list[str]]:
    """(From, Reply-To) of the invitation e-mail: the region's own sender address when it has
    one (``Region.email_from``), else ``DEFAULT_FROM_EMAIL``; replies go to the region's reply
    address (``Region.email_reply_to``) when it has one, else to the person who invited."""
    region = invitation.jeugdige.region
    gemeente = invitation.jeugdige.gemeente.name
    address = region.email_from or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    from_ = formataddr((_("Gemeente %(name)s, WEL in Ontwikkeling") % {"name": gemeente}, address))
    # The region's reply address when it has one (a shared mailbox), else who invited.
    return from_, [region.email_reply_to or invitation.created_by.email]


def invitation_pdf(*, invitation: Invitation, link: str, by, request=None) -> bytes:
    """The invitation letter as PDF on the gemeente's letterhead, with the link and its QR code
    (never the code: that goes by phone or in person). Audited as a letter made.

    ``link`` exists only while the professional has the new invitation in front of them: the
    token is not stored, so the caller checks it against the invitation's hash first."""
    import segno
    from django.utils import translation
    from django.utils.html import format_html

    from documents.letters import LetterText, letter_pdf, letterhead_for

    jeugdige = invitation.jeugdige
    with translation.override("nl"):
        letter = letter_for(invitation)
        qr = segno.make(link, error="m").svg_data_uri(scale=4)
        extra = format_html(
            '<p><img src="{}" alt="{}"></p><p class="mono">{}</p>',
            qr,
            _("QR code with the link"),
            link,
        )
        scan = _("Scan the code below with your phone, or type the link.")
        text = LetterText(
            subject=letter.subject,
            greeting=letter.greeting,
            paragraphs=[f"{letter.paragraphs[0]} {scan}", *letter.paragraphs[1:]],
            closing=letter.closing,
        )
        pdf = letter_pdf(
            jeugdige=jeugdige,
            letterhead=letterhead_for(jeugdige.gemeente),
            sender_lines=letter.sender_lines(),
            recipient_name=invitation.recipient_name,
            text=text,
            extra_html=extra,
            date=timezone.localdate(invitation.created_at),
        )
    from wel import audit

    audit.record(
        audit.events.LETTER_PRINTED,
        request=request,
        user=by,
        obj=jeugdige,
        jeugdige=jeugdige,
        detail={"letter": "family_invitation", "audience": invitation.audience},
    )
    return pdf
