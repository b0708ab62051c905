"""Letters to the family on the gemeente's letterhead, as PDF (issue 21 §6).

Three letters: the invitation to a conversation, the confirmation of the agreements made in one
(from the interview's next steps), and the family's invitation to write in their own words
(family/letters.py writes its words; :func:`letter_pdf` prints it). Each names who sends it —
name, role, phone and e-mail — under the gemeente's letterhead (``regions.Gemeente.letter_*``,
set in /beheer/). A letter for the young person speaks to them about themself ("je", "jou");
a letter for a parent speaks about their child by first name. Informal Dutch throughout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Jeugdige
from wel.models import Membership

PARENT = "parent"
YOUNG_PERSON = "young_person"


@dataclass(frozen=True)
class Letterhead:
    gemeente: str
    lines: list[str]


def letterhead_for(gemeente) -> Letterhead:
    """The gemeente's name with its address, phone, e-mail and website (what is filled in)."""
    place = " ".join(p for p in (gemeente.letter_postcode, gemeente.letter_city) if p)
    lines = [line for line in (gemeente.letter_address, place) if line]
    if gemeente.letter_phone:
        lines.append(_("Phone: %(phone)s") % {"phone": gemeente.letter_phone})
    if gemeente.letter_email:
        lines.append(_("E-mail: %(email)s") % {"email": gemeente.letter_email})
    if gemeente.letter_website:
        lines.append(gemeente.letter_website)
    return Letterhead(gemeente=_("Gemeente %(name)s") % {"name": gemeente.name}, lines=lines)


@dataclass(frozen=True)
class Sender:
    name: str
    role: str
    phone: str
    email: str

    def lines(self) -> list[str]:
        lines = [self.name, self.role]
        if self.phone:
            lines.append(_("Phone: %(phone)s") % {"phone": self.phone})
        if self.email:
            lines.append(_("E-mail: %(email)s") % {"email": self.email})
        return lines

    def contact(self) -> str:
        return _(" or ").join(c for c in (self.phone, self.email) if c)


def sender_for(user, jeugdige: Jeugdige) -> Sender:
    """The person who sends the letter: name, role in the case's region, phone, e-mail."""
    membership = (
        Membership.objects.filter(user=user, region_id=jeugdige.region_id).only("role").first()
    )
    return Sender(
        name=user.full_name or user.email,
        role=str(membership.get_role_display()) if membership else _("school attendance officer"),
        phone=user.phone,
        email=user.email,
    )


@dataclass(frozen=True)
class LetterText:
    subject: str
    greeting: str
    paragraphs: list[str]
    items: list[str] = field(default_factory=list)  # after the first paragraph
    closing: str = ""


def _questions(sender: Sender) -> str:
    return _("Questions? You can reach me at %(contact)s.") % {"contact": sender.contact()}


def conversation_letter(
    *,
    jeugdige: Jeugdige,
    audience: str,
    recipient_name: str,
    when: dt.datetime,
    place: str,
    sender: Sender,
) -> LetterText:
    """The invitation to a conversation, for a parent (about their child) or the young person
    (about themself)."""
    child = jeugdige.given_name
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    day = local.strftime("%d-%m-%Y")
    time = local.strftime("%H:%M")
    if audience == YOUNG_PERSON:
        subject = _("Invitation to a conversation with you")
        first = _(
            "I would like to talk with you about how things are going for you, what you "
            "already learn and do, and what would help you."
        )
        bring = _(
            "You may bring someone you trust. Does the time not suit you? Let me know, then we "
            "look for another moment."
        )
    else:
        subject = _("Invitation to a conversation about %(child)s") % {"child": child}
        first = _(
            "I would like to talk with you about %(child)s: how things are going, what "
            "%(child)s already learns and does, and what would help."
        ) % {"child": child}
        bring = _(
            "You decide who else joins the conversation. Does the time not suit you? Let me "
            "know, then we look for another moment."
        )
    return LetterText(
        subject=subject,
        greeting=_("Dear %(name)s,") % {"name": recipient_name},
        paragraphs=[first, bring, _questions(sender)],
        items=[
            _("When: %(day)s at %(time)s") % {"day": day, "time": time},
            _("Where: %(place)s") % {"place": place},
        ],
        closing=_("Kind regards,"),
    )


def agreements_letter(
    *, jeugdige: Jeugdige, audience: str, recipient_name: str, interview, steps, sender: Sender
) -> LetterText:
    """The confirmation of the agreements (``steps``: next steps of ``interview``)."""
    child = jeugdige.given_name
    held = interview.held_on.strftime("%d-%m-%Y")
    if audience == YOUNG_PERSON:
        subject = _("Our agreements")
        first = _("On %(date)s we talked together. These are the agreements we made:") % {
            "date": held
        }
    else:
        subject = _("The agreements about %(child)s") % {"child": child}
        first = _("On %(date)s we talked about %(child)s. These are the agreements we made:") % {
            "date": held,
            "child": child,
        }
    items = []
    for step in steps:
        parts = [step.description]
        if step.owner:
            parts.append(_("who: %(who)s") % {"who": step.owner})
        parts.append(_("by %(date)s") % {"date": step.due_on.strftime("%d-%m-%Y")})
        items.append(" — ".join(parts))
    check = _("Is something not right, or would you like to change something? Let me know.")
    return LetterText(
        subject=subject,
        greeting=_("Dear %(name)s,") % {"name": recipient_name},
        paragraphs=[first, check, _questions(sender)],
        items=items,
        closing=_("Kind regards,"),
    )


def letter_pdf(
    *,
    jeugdige: Jeugdige,
    letterhead: Letterhead,
    sender_lines: list[str],
    recipient_name: str,
    text: LetterText,
    extra_html: str = "",
    date: dt.date | None = None,
) -> bytes:
    """The letter as PDF (WeasyPrint, tagged PDF/UA-1, Dutch): letterhead, the recipient, date
    and reference, the subject, the text, the sender. ``extra_html`` (trusted markup, e.g. the
    family invitation's QR code and link) goes after the first paragraph."""
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string(
            "documents/letter_pdf.html",
            {
                "jeugdige": jeugdige,
                "letterhead": letterhead,
                "sender_lines": sender_lines,
                "recipient_name": recipient_name,
                "text": text,
                "extra_html": extra_html,
                "date": date or timezone.localdate(),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")


def _audit(*, jeugdige: Jeugdige, letter: str, audience: str, by, request) -> None:
    from wel import audit

    audit.record(
        audit.events.LETTER_PRINTED,
        request=request,
        user=by,
        obj=jeugdige,
        jeugdige=jeugdige,
        detail={"letter": letter, "audience": audience},
    )


def conversation_pdf(
    *,
    jeugdige: Jeugdige,
    audience: str,
    recipient_name: str,
    when: dt.datetime,
    place: str,
    by,
    request=None,
) -> bytes:
    """The invitation to a conversation as PDF, in Dutch; audited as an export of the case's
    data. Raises ``OutOfScope`` when ``by`` does not work on the case."""
    from wel.access import require_case

    require_case(by, jeugdige)
    return _printed(
        jeugdige=jeugdige,
        letter="conversation",
        audience=audience,
        recipient_name=recipient_name,
        by=by,
        request=request,
        text_of=lambda sender: conversation_letter(
            jeugdige=jeugdige,
            audience=audience,
            recipient_name=recipient_name,
            when=when,
            place=place,
            sender=sender,
        ),
    )


def agreements_pdf(
    *, jeugdige: Jeugdige, audience: str, recipient_name: str, interview, by, request=None
) -> bytes:
    """The confirmation of the agreements of ``interview`` (a conversation of this case) as
    PDF; audited. Raises ``OutOfScope``; ``ValueError`` for a conversation of another case."""
    from wel.access import require_case

    require_case(by, jeugdige)
    if interview.jeugdige_id != jeugdige.pk:
        raise ValueError("interview of another case")
    steps = list(interview.next_steps.order_by("due_on", "pk"))
    return _printed(
        jeugdige=jeugdige,
        letter="agreements",
        audience=audience,
        recipient_name=recipient_name,
        by=by,
        request=request,
        text_of=lambda sender: agreements_letter(
            jeugdige=jeugdige,
            audience=audience,
            recipient_name=recipient_name,
            interview=interview,
            steps=steps,
            sender=sender,
        ),
    )


def _printed(
    *, jeugdige, letter: str, audience: str, recipient_name: str, by, request, text_of
) -> bytes:
    """One letter as PDF, in Dutch, on the gemeente's letterhead and signed by ``by``
    (``text_of(sender)`` writes its body); audited as printed."""
    with translation.override("nl"):
        sender = sender_for(by, jeugdige)
        pdf = letter_pdf(
            jeugdige=jeugdige,
            letterhead=letterhead_for(jeugdige.gemeente),
            sender_lines=sender.lines(),
            recipient_name=recipient_name,
            text=text_of(sender),
        )
    _audit(jeugdige=jeugdige, letter=letter, audience=audience, by=by, request=request)
    return pdf
