"""The check on every text that leaves a region (shared learnings, the national agenda's
summaries): no names, BSNs, dates or case references.

AVG art. 5(1)(c) (data minimisation) and art. 9 (special categories: a child's health ground for
a 5a exemption): free text read by the national team and every region must not identify a child
or family. Services call :func:`check_shareable` on save, so the form, the admin and any future
API get the same check.

Names come from the apps (the core never imports them): each app registers a *name source*
that answers, for one author and the words of one text, which of those words are names of the
people the author can see — one indexed query on the text's words, not a loop over every name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Dutch name particles are not names on their own ("de", "van der"): they only count inside
# a longer name ("de vries").
PARTICLES = frozenset(
    {"de", "den", "der", "van", "het", "ter", "ten", "te", "op", "in", "'t", "la", "le", "du", "da"}
)
MAX_NGRAM = 4  # "van der berg", "anne van der berg"
MAX_WORDS = 5000  # a learning is a few hundred words; beyond this the text is cut for the check

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
REFERENCE = re.compile(r"\b[A-Z]{2,4}-\d{4}-\d{3,5}\b", re.IGNORECASE)
# 9 digits, optionally grouped as 1234.56.789 or 1234 56 789; 8 digits are BSNs with a leading 0.
NUMBER = re.compile(r"(?<![\d.])(\d{4}[ .]?\d{2}[ .]?\d{2,3})(?![\d])")
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DATES = (
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b"),
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\.?\s+\d{{4}}\b", re.IGNORECASE),
)


def is_bsn(digits: str) -> bool:
    """The 11-proef of the burgerservicenummer (Wet algemene bepalingen BSN; 8 digits get a
    leading zero): sum of digit × (9…2) minus the last digit is divisible by 11, and not 0."""
    digits = re.sub(r"\D", "", digits).zfill(9)
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def words_of(text: str) -> frozenset[str]:
    """The text's words and runs of up to MAX_NGRAM words, lower-cased, as the name sources
    compare them with lower-cased names; lone particles and one-letter words are left out."""
    words = [w.lower() for w in WORD.findall(text or "")][:MAX_WORDS]
    grams: set[str] = set()
    for size in range(1, MAX_NGRAM + 1):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if size == 1 and (len(gram[0]) < 2 or gram[0] in PARTICLES):
                continue
            if gram[-1] in PARTICLES:
                continue
            grams.add(" ".join(gram))
    return frozenset(grams)


@dataclass(frozen=True)
class Finding:
    kind: str  # "name", "bsn", "date", "reference"
    text: str

    def describe(self) -> str:
        labels = {
            "name": _("name “%(text)s”"),
            "bsn": _("BSN %(text)s"),
            "date": _("date %(text)s"),
            "reference": _("case reference %(text)s"),
        }
        return labels[self.kind] % {"text": self.text}


NameSource = Callable[..., Iterable[str]]
_name_sources: list[NameSource] = []


def register_name_source(source: NameSource) -> None:
    """``source(author=user, words=frozenset[str]) -> iterable of the words that are names``
    of people the author can see. Apps register theirs in ``AppConfig.ready``."""
    if source not in _name_sources:
        _name_sources.append(source)


def _original_spelling(text: str, lowered: str) -> str:
    match = re.search(rf"(?<!\w){re.escape(lowered)}(?!\w)", text, re.IGNORECASE)
    return match.group(0) if match else lowered


def find_identifying(text: str, *, author, known_names: Iterable[str] = ()) -> list[Finding]:
    """What in ``text`` could identify a child or family, in order of appearance kind:
    names of people ``author`` can see (plus ``known_names``), BSNs (11-proef), dates and case
    references. One query per registered name source."""
    text = text or ""
    findings: list[Finding] = []
    words = words_of(text)
    names: set[str] = set()
    if words:
        for source in _name_sources:
            names |= {n.lower() for n in source(author=author, words=words)}
        for name in known_names:
            name = (name or "").strip().lower()
            parts = [name] + [p for p in name.split() if len(p) > 1 and p not in PARTICLES]
            names |= {p for p in parts if p in words}
    # A given name next to a family name is reported as one full name.
    names |= {f"{a} {b}" for a in names for b in names if a != b and f"{a} {b}" in words}
    # A longer name covers its parts ("anna emmen" makes "anna" redundant).
    for name in sorted(names, key=lambda n: (-len(n), n)):
        if not any(name != other and f" {name} " in f" {other} " for other in names):
            findings.append(Finding("name", _original_spelling(text, name)))
    for match in REFERENCE.findall(text):
        findings.append(Finding("reference", match))
    for match in NUMBER.findall(text):
        if is_bsn(match):
            findings.append(Finding("bsn", match))
    for pattern in DATES:
        findings += [Finding("date", m) for m in pattern.findall(text)]
    return list(dict.fromkeys(findings))


def check_shareable(*, author, texts: dict[str, str], known_names: Iterable[str] = ()) -> None:
    """Raise ``ValidationError`` keyed by field when a text that leaves the region contains
    identifying details; the message names each one found so the author can take it out."""
    known = list(known_names)
    errors = {}
    for field, text in texts.items():
        found = find_identifying(text, author=author, known_names=known)
        if found:
            errors[field] = _(
                "This text leaves the region and contains details that could identify a child "
                "or family: %(found)s. Take them out (write “a young person”, “the mother”, "
                "“last spring”) and save again."
            ) % {"found": ", ".join(f.describe() for f in found)}
    if errors:
        raise ValidationError(errors)
