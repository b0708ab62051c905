"""The site speaks Dutch: every source string has a Dutch translation, and pages render in it."""

from pathlib import Path

import pytest
from django.urls import reverse

PO = Path(__file__).resolve().parents[2] / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: msgid, msgstr (all plural forms) and flags per entry."""
    entries, current, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current is not None:
                entries.append(current)
            current, field = None, None
            continue
        if current is None:
            current = {"flags": "", "msgctxt": None, "msgid": "", "msgstr": []}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            current["msgctxt"] = line[9:-1]
            field = "msgctxt"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgid "):
            current["msgid"] = line[7:-1]
            field = "msgid"
        elif line.startswith("msgstr"):
            current["msgstr"].append(line.split(" ", 1)[1][1:-1])
            field = "msgstr"
        elif line.startswith('"'):
            if field == "msgid":
                current["msgid"] += line[1:-1]
            elif field == "msgstr":
                current["msgstr"][-1] += line[1:-1]
    return [e for e in entries if e["msgid"]]


def test_every_string_has_a_dutch_translation():
    entries = po_entries(PO)
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy (not compiled): {fuzzy[:10]}"


def unescape(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_the_compiled_catalogue_matches_its_source():
    """django.mo is committed; it must say what django.po says (run `make messages`)."""
    import gettext

    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run `make messages` to compile locale/nl"
    with mo.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for entry in po_entries(PO):
        if len(entry["msgstr"]) != 1:
            continue
        msgid, msgstr = unescape(entry["msgid"]), unescape(entry["msgstr"][0])
        if entry["msgctxt"] is not None:
            found = catalogue.pgettext(unescape(entry["msgctxt"]), msgid)
        else:
            found = catalogue.gettext(msgid)
        if found != msgstr:
            stale.append(msgid)
    assert not stale, f"django.mo is out of date for: {stale[:5]}"


@pytest.mark.django_db
def test_the_login_page_is_dutch(client, settings):
    settings.LANGUAGE_CODE = "nl"
    html = client.get(reverse("login")).content.decode()
    assert 'lang="nl"' in html
    assert "Inloggen" in html
    assert "Log in" not in html


def test_dates_are_shown_as_dd_mm_jjjj(settings):
    import datetime

    from django.utils import formats, translation

    with translation.override("nl"):
        assert formats.date_format(datetime.date(2026, 7, 1), "SHORT_DATE_FORMAT") == "01-07-2026"
