"""Demo regions and people: the 74 VO samenwerkingsverband areas plus Hoeksche Waard as the
75th region, spread over the four phases, each with a kartrekker and two LPAs.

Everything is found by natural key, so running it again changes nothing.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from datetime import date
from pathlib import Path

from django.contrib.auth.hashers import make_password

from wel.models import Membership, NationalRole, Role, User
from wel.second_factor import enrol_demo_device

from .models import Gemeente, Phase, Region

DATA = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "wel-demo-2026"  # noqa: S105 - demo logins, printed by `make run`
DEMO_DOMAIN = "wel.example"

# Known names (regions/data/README.md); others are named after their largest municipality.
KNOWN_NAMES = {
    "VO2202": "Emmen/Borger-Odoorn",
    "VO2507": "Nijmegen e.o.",
    "VO2702": "West-Friesland",
    "VO2605": "Zuid-Utrecht",
    "VO2810": "Koers VO (Dordrecht e.o.)",
    "VO2806": "Zuid-Holland West (Den Haag e.o.)",
    "VO2809": "Delflanden",
    "VO2604": "RUW (Woerden e.o.)",
    "VO2601": "Utrecht/Stichtse Vecht",
    "VO2603": "Zuidoost Utrecht",
    "VO2707": "Waterland",
    "VO2708": "Amsterdam-Diemen",
}
PILOTS = ["VO2202", "VO2507", "VO2601"]
LARGEST = [
    "Amsterdam",
    "Rotterdam",
    "'s-Gravenhage",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Arnhem",
    "Haarlem",
    "Haarlemmermeer",
    "Amersfoort",
    "Zaanstad",
    "Enschede",
    "'s-Hertogenbosch",
    "Zwolle",
    "Zoetermeer",
    "Leiden",
    "Leeuwarden",
    "Maastricht",
    "Dordrecht",
    "Ede",
    "Alphen",
    "Westland",
    "Alkmaar",
    "Emmen",
    "Delft",
    "Venlo",
    "Deventer",
    "Sittard-Geleen",
    "Helmond",
    "Oss",
    "Amstelveen",
    "Hilversum",
    "Súdwest-Fryslân",
    "Heerlen",
    "Hengelo",
    "Purmerend",
    "Roosendaal",
    "Schiedam",
    "Lelystad",
    "Leidschendam-Voorburg",
    "Almelo",
    "Hoorn",
    "Gouda",
    "Vlaardingen",
    "Assen",
    "Bergen",
    "Capelle",
    "Veenendaal",
    "Katwijk",
    "Zeist",
    "Nieuwegein",
    "Roermond",
    "Doetinchem",
    "Den",
    "Helder",
    "Oosterhout",
    "Hoogeveen",
    "Terneuzen",
    "Middelburg",
    "Harderwijk",
    "Kampen",
    "Weert",
    "Meppel",
    "Goes",
    "Heerenveen",
    "Drachten",
    "Smallingerland",
    "Stadskanaal",
    "Veendam",
    "Tiel",
    "Winterswijk",
    "Barneveld",
    "Wageningen",
    "Gorinchem",
    "Culemborg",
    "Zutphen",
    "Vlissingen",
    "Coevorden",
    "Steenwijkerland",
    "Noordoostpolder",
    "Texel",
    "Midden-Groningen",
    "Hardenberg",
    "Heerde",
    "Oldambt",
    "Eemsdelta",
    "Westerwolde",
]
GIVEN = [
    "Anouk",
    "Bram",
    "Carmen",
    "Daan",
    "Eline",
    "Femke",
    "Gijs",
    "Hanna",
    "Ilse",
    "Joost",
    "Karin",
    "Lars",
    "Maud",
    "Niels",
    "Olga",
    "Pieter",
    "Roos",
    "Sanne",
    "Thijs",
    "Vera",
    "Wouter",
    "Yara",
    "Ahmed",
    "Fatima",
    "Mehmet",
    "Noor",
    "Priya",
    "Sven",
    "Tessa",
    "Jeroen",
]
FAMILY = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "Yilmaz",
    "El Amrani",
    "Veenstra",
    "Koster",
    "Postma",
    "Hoekstra",
    "Wolters",
]
PHASE_STARTS = {1: date(2025, 9, 1), 2: date(2026, 2, 2), 3: date(2026, 9, 7), 4: date(2027, 3, 1)}


def _ascii(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalpha()
    ).upper()


def _prefix(name: str, taken: set[str]) -> str:
    letters = _ascii(name.replace("'s-", "").replace("Regio ", ""))
    candidates = [letters[:3], letters[0] + letters[2:4], letters[:2] + letters[3:4], letters[:4]]
    candidates += [letters[:2] + chr(c) for c in range(ord("A"), ord("Z") + 1)]
    for candidate in candidates:
        if len(candidate) >= 3 and candidate not in taken:
            taken.add(candidate)
            return candidate
    raise ValueError(f"No free reference prefix for {name}")


def _areas() -> list[tuple[str, str, list[str]]]:
    """(code, name, gemeente codes) for 75 demo regions."""
    names = {g.cbs_code: g.name for g in Gemeente.objects.all()}
    rank = {name: i for i, name in enumerate(LARGEST)}
    rows = []
    with (DATA / "samenwerkingsverbanden_vo.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            codes = row["gemeente_codes"].split("|")
            rows.append([row["code"], codes])
    # Hoeksche Waard (1963) as the 75th region: Koers VO's own site no longer lists it.
    for entry in rows:
        if entry[0] == "VO2810" and "1963" in entry[1]:
            entry[1] = [c for c in entry[1] if c != "1963"]
    rows.append(["HW1963", ["1963"]])

    used, result = set(), []
    for code, codes in rows:
        name = KNOWN_NAMES.get(code)
        if name is None:
            ranked = sorted(
                (names[c] for c in codes), key=lambda n: (rank.get(n.split(" (")[0], 999), n)
            )
            anchor = next((n for n in ranked if n not in used), ranked[0])
            used.add(anchor)
            name = f"Regio {anchor}" if len(codes) > 1 else anchor
        result.append((code, name, codes))
    return result


def _phase_plan(codes: list[str]) -> dict[str, tuple[int, date | None]]:
    """Pilots in phase 1, then 11 + 28 + 33 regions; phase 3 is half-way, phase 4 is planned."""
    rest = [c for c in codes if c not in PILOTS]
    random.Random(2026).shuffle(rest)
    plan: dict[str, tuple[int, date | None]] = dict.fromkeys(PILOTS, (1, PHASE_STARTS[1]))
    for i, code in enumerate(rest):
        if i < 11:
            plan[code] = (2, PHASE_STARTS[2])
        elif i < 39:
            plan[code] = (3, PHASE_STARTS[3] if i < 31 else None)
        else:
            plan[code] = (4, None)
    return plan


_password_hash: list[str] = []


def _user(email: str, full_name: str, national_role: str = "") -> User:
    # Hashing is slow on purpose; all demo users share one password, so hash it once.
    if not _password_hash:
        _password_hash.append(make_password(DEMO_PASSWORD))
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "national_role": national_role,
            "password": _password_hash[0],
        },
    )
    enrol_demo_device(user)  # the documented demo second factor (`manage.py demo_logins`)
    return user


def seed(*, stdout, scale: int = 0) -> None:
    rnd = random.Random(75)
    phases = {p.number: p for p in Phase.objects.all()}
    for number, start in PHASE_STARTS.items():
        Phase.objects.filter(number=number, start_date__isnull=True).update(start_date=start)

    areas = _areas()
    plan = _phase_plan([code for code, _, _ in areas])
    taken = set(Region.objects.values_list("reference_prefix", flat=True))
    gemeenten = {g.cbs_code: g for g in Gemeente.objects.all()}
    for code, name, codes in areas:
        phase_number, joined_on = plan[code]
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = Region.objects.create(
                code=code,
                name=name,
                reference_prefix=_prefix(name, taken),
                kind=Region.Kind.SWV_VO,
                phase=phases[phase_number],
                joined_on=joined_on,
            )
            region.gemeenten.set([gemeenten[c] for c in codes])
        prefix = region.reference_prefix.lower()
        kartrekker = _user(
            f"kartrekker.{prefix}@{DEMO_DOMAIN}", f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
        )
        Membership.objects.get_or_create(user=kartrekker, region=region, role=Role.KARTREKKER)
        region_gemeenten = sorted(region.gemeenten.all(), key=lambda g: g.name)
        half = max(1, len(region_gemeenten) // 2)
        for n, share in ((1, region_gemeenten[:half]), (2, region_gemeenten[half:])):
            suffix = "" if n == 1 else "2"
            lpa = _user(
                f"lpa{suffix}.{prefix}@{DEMO_DOMAIN}", f"{rnd.choice(GIVEN)} {rnd.choice(FAMILY)}"
            )
            membership, created = Membership.objects.get_or_create(
                user=lpa, region=region, role=Role.LPA
            )
            if created and len(region_gemeenten) > 1 and share:
                membership.gemeenten.set(share)

    _user(f"landelijk@{DEMO_DOMAIN}", "Landelijk Team", NationalRole.LANDELIJK_TEAM)
    _user(f"beheerder@{DEMO_DOMAIN}", "Beheer WEL", NationalRole.BEHEERDER)
    stdout.write(f"Regions: {Region.objects.count()}, users: {User.objects.count()}")
