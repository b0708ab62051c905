"""Helpers that keep names out of what leaves a case: the national summary and learning drafts.

They catch the known names (the jeugdige's, a respondent's) and anything shaped like a case
reference, a BSN or a date. They cannot catch everything in free text, which is why the author
is always asked to check.
"""

from __future__ import annotations

import re

# Dutch name particles ("de", "van der") are not names on their own: matching them would
# flag or blank out ordinary words.
PARTICLES = frozenset(
    {"de", "den", "der", "van", "het", "ter", "ten", "te", "op", "in", "'t", "la", "le", "du", "da"}
)
REFERENCE = re.compile(r"\b[A-Z]{3,4}-\d{4}-\d{3,5}\b", re.IGNORECASE)
BSN_LIKE = re.compile(r"\b\d{8,9}\b")
DATE_LIKE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b")


def name_tokens(*names: str) -> list[str]:
    """Each name whole, plus its parts that are not particles (longest first)."""
    tokens: set[str] = set()
    for name in names:
        name = (name or "").strip()
        if len(name) < 2:
            continue
        tokens.add(name)
        for part in name.split():
            if len(part) >= 2 and part.lower() not in PARTICLES:
                tokens.add(part)
    return sorted(tokens, key=lambda t: (-len(t), t))


def _pattern(token: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(token)}(?!\w)", re.IGNORECASE)


def find_identifying(text: str, names: list[str]) -> list[str]:
    """What in ``text`` looks identifying: known names, references, BSN-like numbers, dates."""
    found = [t for t in name_tokens(*names) if _pattern(t).search(text)]
    for pattern in (REFERENCE, BSN_LIKE, DATE_LIKE):
        found += pattern.findall(text)
    return list(dict.fromkeys(found))


def scrub(text: str, names: list[str]) -> str:
    """Replace known names and references with […]."""
    for token in name_tokens(*names):
        text = _pattern(token).sub("[…]", text)
    return REFERENCE.sub("[…]", text).strip()
