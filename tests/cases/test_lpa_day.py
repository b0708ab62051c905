"""Issue 21 ("The LPA's day"): the smaller faults found, each a test."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.cases.factories import make_jeugdige

pytestmark = pytest.mark.django_db


def test_no_number_sticks_to_its_unit(world, client_for, settings):
    """ "60dagen": a figure and its unit always have a space between them."""
    settings.LANGUAGE_CODE = "nl"
    make_jeugdige(world)
    client = client_for("lpa_a")
    pages = [
        reverse("home"),
        reverse("cases:worklist"),
        reverse("cases:list"),
        reverse("reports:region_dashboard", args=[world.region_a.code]),
    ]
    for url in pages:
        # the text as a screen reader or copy-paste reads it: tags are not spaces
        glued = re.sub(r"<[^>]+>", "", client.get(url).content.decode())
        found = re.search(r".{0,30}\d(dagen|days|maanden|jaar)", glued)
        assert found is None, (url, found and found.group(0))


def test_a_chart_label_keeps_a_number_with_its_unit():
    from reports.charts import text_width, wrap

    label = "Verlenging nodig binnen 60 dagen"
    width = text_width("Verlenging nodig binnen 60", 12) + 1
    lines = wrap(label, width, 12)
    assert not any(line.endswith("60") for line in lines)
    assert " ".join(lines) == label


def test_a_new_case_is_assigned_to_the_lpa_who_registers_it(world, client_for):
    html = client_for("lpa_a").get(reverse("cases:create")).content.decode()
    lpa = world.user("lpa_a")
    assert re.search(rf'<option value="{lpa.pk}" selected>', html)
    # the kartrekker registers for someone else: nobody is chosen for them
    html = client_for("kartrekker_a").get(reverse("cases:create")).content.decode()
    assert not re.search(r'name="assigned_lpa"[^>]*>\s*<option value="[^"]+" selected', html)


def test_an_exemption_without_dates_says_so(world, client_for):
    case = make_jeugdige(world)
    html = client_for("lpa_a").get(reverse("cases:detail", args=[case.reference])).content
    assert "? – ?" not in html.decode() and "no dates recorded" in html.decode()


def test_links_in_warnings_are_readable():
    """The duplicate-BSN warning's link was the default blue on the warning's yellow (3.9:1):
    every link in an alert uses Bootstrap's alert-link (the alert's own dark colour)."""
    from pathlib import Path

    from django.conf import settings

    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        text = path.read_text()
        for alert in re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', text, re.S):
            for link in re.findall(r"<a [^>]*>", alert):
                assert "alert-link" in link or "btn" in link, (path.name, link)


def test_the_familys_tick_list_is_in_plain_words(world):
    from django.utils import translation

    from family.forms import ParentAnswersForm

    case = make_jeugdige(world)
    with translation.override("nl"):
        labels = [
            str(label)
            for _k, label in ParentAnswersForm(jeugdige=case).fields["other_kinds"].choices
        ]
    assert labels and not any("OZJ" in label or "Gedragswerk" in label for label in labels)
    assert not any("Samenwerkingsverband" in label for label in labels)


def test_a_parent_is_called_the_same_everywhere():
    from django.utils import translation

    from family.models import Invitation
    from interviews.models import Interview

    with translation.override("nl"):
        interview = str(Interview.RespondentKind.PARENT.label)
        family = str(Invitation.Audience.PARENT.label)
    assert interview.lower() == family.lower() == "ouder / verzorger"


def test_the_timeline_follows_the_readers_language(world, client_for):
    """Issue 21: in English the timeline stayed Dutch (each line was stored translated once)."""
    from cases import services
    from cases.models import Status

    case = make_jeugdige(world)
    services.jeugdige_transition(
        jeugdige=case, to=Status.IN_BEELD, by=world.user("kartrekker_a"), note="Zie mail."
    )
    services.contact_add(
        jeugdige=case,
        date=case.created_at.date(),
        kind="telefoon",
        summary="Moeder gebeld.",
        by=world.user("kartrekker_a"),
    )
    client = client_for("lpa_a")
    client.cookies.load({"wel_language": "en"})
    english = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    client.cookies.load({"wel_language": "nl"})
    dutch = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Status: Registered → In view. Zie mail." in english
    assert "Contact (Phone call): Moeder gebeld." in english
    assert "Registered (Vrijstelling 5 onder a)." in english
    assert "Status: Registered → In view." not in dutch
    assert "Zie mail." in dutch and "Moeder gebeld." in dutch


def test_a_timeline_message_renders_in_each_language():
    from django.utils.translation import gettext_noop

    from cases.models import Status
    from cases.timeline import Msg

    msg = (
        "» "
        + Msg(
            gettext_noop("Status: %(from)s → %(to)s."),
            **{"from": Status.AANGEMELD.label, "to": Status.IN_BEELD.label},
        )
        + " "
        + Msg(
            gettext_noop("%(count)d betrokkene chosen by the parents to attend."),
            plural=gettext_noop("%(count)d betrokkenen chosen by the parents to attend."),
            count=2,
        )
    )
    texts = msg.texts()
    assert texts["en"] == (
        "» Status: Registered → In view. 2 betrokkenen chosen by the parents to attend."
    )
    assert texts["nl"].startswith("» Status: Aangemeld → In beeld.")
    assert "2 betrokkenen door de ouders gekozen" in texts["nl"]
