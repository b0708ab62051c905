"""Gemeente names as people write them: the official (CBS) name, its common alternatives
("Den Haag" for 's-Gravenhage, "Den Bosch" for 's-Hertogenbosch), without accents
("Sudwest-Fryslan"), with either apostrophe ("’s-Hertogenbosch"), without the CBS suffix that
tells same-named places apart ("Bergen" when the region has one Bergen), and the nearest name
of the region as a suggestion when nothing matches."""

from __future__ import annotations

import difflib
import re
import unicodedata

# Common names of gemeenten whose official (CBS) name differs, by CBS code.
ALTERNATIVE_NAMES = {
    "0518": ("Den Haag", "The Hague"),
    "0796": ("Den Bosch",),
    "0820": ("Nuenen",),
    "1940": ("De Friese Meren",),
    "1900": ("Zuidwest-Friesland",),
    "1970": ("Noordoost-Friesland",),
}


def name_key(text: str) -> str:
    """A name as compared: accents dropped, lower case, letters and digits only (so "’s-",
    "'s-" and "s-" are one)."""
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _without_suffix(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", name)


class GemeenteNames:
    """Looks up the gemeenten of one region by the names people write."""

    def __init__(self, gemeenten):
        self.gemeenten = list(gemeenten)
        self.by_key: dict[str, object] = {}
        bare: dict[str, list] = {}
        for g in self.gemeenten:
            self.by_key[name_key(g.name)] = g
            for alternative in ALTERNATIVE_NAMES.get(g.cbs_code, ()):
                self.by_key.setdefault(name_key(alternative), g)
            bare.setdefault(name_key(_without_suffix(g.name)), []).append(g)
        for key, found in bare.items():
            if len(found) == 1:  # "Bergen" only when the region has one Bergen
                self.by_key.setdefault(key, found[0])

    def find(self, value: str):
        """The gemeente ``value`` names, or None."""
        return self.by_key.get(name_key(value))

    def nearest(self, value: str):
        """The gemeente of the region whose name is nearest to ``value`` (a suggestion), or
        None when none is near."""
        key = name_key(value)
        if not key:
            return None
        match = difflib.get_close_matches(key, list(self.by_key), n=1, cutoff=0.6)
        return self.by_key[match[0]] if match else None
