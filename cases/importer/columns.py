"""Which columns the import knows: the template's names, the names municipal systems and the
BRP use, and every header the product's own export writes (in each of the site's languages).

A header is compared after normalising: accents dropped, lower case, only letters and digits
("Geb. datum", "geb_datum" and "GEBDATUM" are one name). docs/cases.md lists every alias.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Grondslag, Status

# The template's columns (the names the import has always accepted), in the template's order.
COLUMNS = (
    "bsn",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "gemeente",
    "grondslag",
    "vrijstelling_ingang",
    "vrijstelling_einde",
    "laatste_school",
    "toelichting",
)
# Dates of the notice (kennisgeving) and the expert's statement, when the system exports them:
# the statement may be at most three months old at the notice (Leerplichtwet art. 7).
DATE_COLUMNS = ("datum_kennisgeving", "datum_verklaring")
REQUIRED = ("voornaam", "achternaam", "geboortedatum", "gemeente", "grondslag")
# Read as part of another column: the tussenvoegsel goes in front of the achternaam.
EXTRA_COLUMNS = ("tussenvoegsel",)
# Columns the product's export writes that a new case cannot take over: a new case starts
# "Registered", unassigned, without contacts; the renewal date follows from the exemption.
EXPORT_ONLY = (
    "referentie",
    "status",
    "reden_afsluiten",
    "verlenging_nodig",
    "verklaring_door",
    "leerplichtambtenaar",
    "focus",
    "volgend_contact",
    "laatste_contact",
)
KNOWN = COLUMNS + DATE_COLUMNS + EXTRA_COLUMNS + EXPORT_ONLY

# Aliases as people and systems write them (already normalised: see ``header_key``).
ALIASES = {
    "bsn": ("bsn", "burgerservicenummer", "bsnnummer", "bsnjeugdige"),
    "voornaam": ("voornaam", "voornamen", "roepnaam", "givenname", "firstname"),
    "tussenvoegsel": (
        "tussenvoegsel",
        "tussenvoegsels",
        "voorvoegsel",
        "voorvoegsels",
        "voorvoegselgeslachtsnaam",
    ),
    "achternaam": ("achternaam", "geslachtsnaam", "familienaam", "familyname", "lastname"),
    "geboortedatum": (
        "geboortedatum",
        "gebdatum",
        "gebdat",
        "geborenop",
        "geboortedag",
        "dateofbirth",
    ),
    "gemeente": (
        "gemeente",
        "gemeentecode",
        "gemeentenaam",
        "cbscode",
        "woongemeente",
        "municipality",
    ),
    "grondslag": ("grondslag", "vrijstellingsgrond", "wettelijkegrondslag", "soortvrijstelling"),
    "vrijstelling_ingang": (
        "vrijstellingingang",
        "ingangvrijstelling",
        "ingangsdatum",
        "ingangsdatumvrijstelling",
        "begindatumvrijstelling",
        "startvrijstelling",
    ),
    "vrijstelling_einde": (
        "vrijstellingeinde",
        "eindevrijstelling",
        "einddatum",
        "einddatumvrijstelling",
    ),
    "laatste_school": ("laatsteschool", "school"),
    "datum_kennisgeving": (
        "datumkennisgeving",
        "kennisgeving",
        "kennisgevingsdatum",
        "datumkennisgevingvrijstelling",
        "dateofnotice",
    ),
    "datum_verklaring": (
        "datumverklaring",
        "verklaringsdatum",
        "datumverklaringdeskundige",
        "datumverklaringarts",
        "datumvandeverklaring",
    ),
    "toelichting": ("toelichting", "opmerking", "opmerkingen"),
    "referentie": ("referentie",),
    "verlenging_nodig": ("verlengingnodig", "verlengingvoor"),
}

# The product's export headers (cases/exporter.py), by their English source text. Each one is
# accepted in every language of the site, because the export is written in the user's language.
EXPORT_HEADERS = {
    "Reference": "referentie",
    "Given name": "voornaam",
    "Family name": "achternaam",
    "Date of birth": "geboortedatum",
    "BSN": "bsn",
    "Municipality": "gemeente",
    "Grondslag": "grondslag",
    "Status": "status",
    "Closing reason": "reden_afsluiten",
    "Exemption starts": "vrijstelling_ingang",
    "Exemption ends": "vrijstelling_einde",
    "Renewal due": "verlenging_nodig",
    "Statement by": "verklaring_door",  # the 5a expert kind (cases.rules branch)
    "Last school": "laatste_school",
    "Assigned LPA": "leerplichtambtenaar",
    "Focus case": "focus",
    "Next contact due": "volgend_contact",
    "Last contact": "laatste_contact",
}


def header_key(name) -> str:
    """A header as compared: accents dropped, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@functools.cache
def _alias_map(languages: tuple[str, ...]) -> dict[str, str]:
    known: dict[str, str] = {}
    for column in KNOWN:
        known[header_key(column)] = column
    for column, aliases in ALIASES.items():
        for alias in aliases:
            known[alias] = column
    for language in languages:
        with translation.override(language):
            for source, column in EXPORT_HEADERS.items():
                known.setdefault(header_key(_(source)), column)
    return known


def column_for(header) -> str | None:
    """The import column a header names, or None when the import does not know it."""
    key = header_key(header)
    if not key:
        return None
    return _alias_map(tuple(_languages())).get(key)


# -- values ---------------------------------------------------------------------------------
# The grondslag as people and decisions write it, normalised to letters and digits only
# ("art. 5 sub a" -> "art5suba"). The product's own labels, in each language, are added below.
#
# Artikel 5 onder a (physical or psychological grounds) and artikel 5a (trekkend bestaan) are
# different grounds. A citation of the article — "artikel 5a", "Art. 5a Lpw", "5a
# Leerplichtwet" — is artikel 5a; the shorthand "5a" / "vrijstelling 5a" that municipal systems
# and the programme use for 5 onder a stays 5 onder a (it never names the article). The Lpw has
# no article 5b or 5c, so "artikel 5b" can only mean 5 onder b.
_GRONDSLAG_SPELLINGS = {
    Grondslag.VRIJSTELLING_5A: ("5a", "vrijstelling5a"),
    Grondslag.ARTIKEL_5A: ("trekkendbestaan", "vrijstellingtrekkendbestaan"),
    Grondslag.ABSOLUUT_VERZUIM: ("absoluutverzuim", "av", "absoluutverzuimer", "thuiszitter"),
    Grondslag.NOG_NIET_LEERPLICHTIG: (
        "nognietleerplichtig",
        "4jarige",
        "vierjarige",
        "4jarig",
        "nietleerplichtig",
    ),
    Grondslag.VRIJSTELLING_5B: ("5b", "vrijstelling5b"),
    Grondslag.VRIJSTELLING_5C: ("5c", "vrijstelling5c"),
    Grondslag.ARTIKEL_15: ("15", "artikel15", "art15", "vrijstelling15", "vrijstellingartikel15"),
    Grondslag.VERVANGENDE_LEERPLICHT: ("vervangendeleerplicht",),
    Grondslag.VERVANGENDE_LEERPLICHT_3A: (
        "3a",
        "artikel3a",
        "art3a",
        "vervangendeleerplicht3a",
        "vervangendeleerplichtart3a",
        "vervangendeleerplichtartikel3a",
    ),
    Grondslag.VERVANGENDE_LEERPLICHT_3B: (
        "3b",
        "artikel3b",
        "art3b",
        "vervangendeleerplicht3b",
        "vervangendeleerplichtart3b",
        "vervangendeleerplichtartikel3b",
    ),
}
_LAW = r"(?:leerplichtwet(?:1969)?|lpw(?:1969)?)"
# "Vrijstelling artikel 5 onder a Leerplichtwet 1969": the article, "onder"/"sub"/"lid", the
# letter, and optionally the name of the law. Without "onder" (etc.) only b and c: "art. 5a"
# is article 5a.
_ARTICLE_5 = re.compile(
    r"^(?:vrijstelling)?(?:opgrondvan)?(?:art(?:ikel)?)?5(?:onder|sub|lid)([abc])" + _LAW + r"?$"
    r"|^(?:vrijstelling)?(?:opgrondvan)?(?:art(?:ikel)?)?5([bc])" + _LAW + r"?$"
)
# Artikel 5a: the article named ("art. 5a", "artikel 5a", "5a Lpw"), optionally with the law
# and "trekkend bestaan".
_ARTICLE_5A = re.compile(
    r"^(?:vrijstelling)?(?:opgrondvan)?(?:art(?:ikel)?5a" + _LAW + r"?|5a" + _LAW + r")"
    r"(?:trekkendbestaan)?$"
)


def grondslag_key(value: str) -> str:
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


@functools.cache
def _grondslag_map(languages: tuple[str, ...]) -> dict[str, str]:
    mapping = {s: value for value, spellings in _GRONDSLAG_SPELLINGS.items() for s in spellings}
    mapping.update({grondslag_key(v): v for v in Grondslag.values})
    for language in languages:
        with translation.override(language):
            for value, label in Grondslag.choices:
                mapping.setdefault(grondslag_key(str(label)), value)
    return mapping


def normalise_grondslag(value: str) -> str | None:
    """The Grondslag for a spelling ("5a", "art. 5 sub a", "artikel 5 onder a Leerplichtwet",
    "Art. 5a Lpw" = artikel 5a, the product's own labels in each language), or None when it
    is not known."""
    return _normalised_grondslag(str(value), tuple(_languages()))


@functools.lru_cache(maxsize=1024)
def _normalised_grondslag(value: str, languages: tuple[str, ...]) -> str | None:
    # Per spelling and languages: a list writes one or two spellings on every row (issue 23:
    # 20,000 rows' normalising was a tenth of the check).
    key = grondslag_key(value)
    found = _grondslag_map(languages).get(key)
    if found:
        return found
    if _ARTICLE_5A.match(key):
        return Grondslag.ARTIKEL_5A
    match = _ARTICLE_5.match(key)
    if match:
        letter = match.group(1) or match.group(2)
        return {
            "a": Grondslag.VRIJSTELLING_5A,
            "b": Grondslag.VRIJSTELLING_5B,
            "c": Grondslag.VRIJSTELLING_5C,
        }[letter]
    return None


@functools.cache
def _labels(choices_cls, languages: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for language in languages:
        with translation.override(language):
            for value, label in choices_cls.choices:
                found.setdefault(grondslag_key(str(label)), value)
    return found


def status_value(text: str) -> str | None:
    """The Status a label names (in any language of the site), or None."""
    return _labels(Status, tuple(_languages())).get(grondslag_key(text))


def yes_no(text: str) -> bool | None:
    """True/False for the export's "yes"/"no" in any language of the site, else None."""
    key = grondslag_key(text)
    for language in _languages():
        with translation.override(language):
            if key == grondslag_key(_("yes")):
                return True
            if key == grondslag_key(_("no")):
                return False
    return None
