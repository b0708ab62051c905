"""Property-based tests (hypothesis, bounded): the encoding is never wrong, only refused; what
the product exports it reads back as already registered."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cases import exporter, importer
from cases.models import Grondslag, Jeugdige
from tests.cases.factories import JeugdigeFactory

LETTERS = "abcdefghijklmnopqrstuvwxyzéèëêïöüçñáóàäÉÖÜÇ"
name = st.text(alphabet=LETTERS, min_size=1, max_size=12).map(str.capitalize)
HEADER = "voornaam;achternaam;geboortedatum;gemeente;grondslag;toelichting"


@settings(max_examples=60, deadline=None)
@example(names=[("A", "A", "Àç")], encoding="mac_roman")  # Mac Roman bytes that are UTF-8 "ˍ"
@given(
    names=st.lists(st.tuples(name, name, name), min_size=1, max_size=5),
    encoding=st.sampled_from(["cp1252", "mac_roman", "utf-8", "utf-16"]),
)
def test_decoding_gives_the_exact_text_or_refuses(names, encoding):
    rows = [f"{a};{b};14-03-2014;0114;5a;{c}" for a, b, c in names]
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    data = text.encode(encoding)
    try:
        decoded, used = importer.decode(data)
    except importer.ImportRefused as exc:
        assert encoding in ("cp1252", "mac_roman")  # only a code page may be undecidable
        assert "CSV UTF-8" in str(exc)
    else:
        # Bytes that decode as strict UTF-8 are UTF-8, also the rare code-page bytes that
        # happen to be valid UTF-8 too (Mac Roman "Àç" is UTF-8 "ˍ").
        if used == "utf-8" and encoding != "utf-8":
            assert decoded == data.decode("utf-8")
        else:
            assert decoded == text


def _bsn(digits: list[int]) -> str | None:
    """Nine digits that pass the 11-test (9*d1 + 8*d2 + ... + 2*d8 - d9 = 0 mod 11)."""
    check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
    return "".join(map(str, digits)) + str(check) if check < 10 and any(digits) else None


bsn = st.one_of(
    st.just(""),
    st.lists(st.integers(0, 9), min_size=8, max_size=8).map(_bsn).filter(bool),
)
person = st.tuples(
    name,
    st.sampled_from(["", "van", "van der", "de", "van 't"]),
    name,
    st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.sampled_from(Grondslag.values),
    bsn,
)


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(
        person,
        min_size=1,
        max_size=8,
        unique_by=(lambda p: (p[0].lower(), p[1], p[2].lower(), p[3]), lambda p: p[5] or object()),
    ),
    kind=st.sampled_from(["csv", "xlsx"]),
    language=st.sampled_from(["en", "nl"]),
)
def test_an_export_reads_back_as_already_registered(world, people, kind, language):
    from django.utils import translation

    Jeugdige.objects.all().delete()
    for given_name, tussenvoegsel, family, dob, grondslag, number in people:
        JeugdigeFactory(
            region=world.region_a,
            gemeente=world.emmen,
            given_name=given_name,
            family_name=f"{tussenvoegsel} {family}".strip(),
            date_of_birth=dob,
            grondslag=grondslag,
            bsn=number,
        )
    with translation.override(language):
        rows = exporter.export_rows(Jeugdige.objects.filter(region=world.region_a))
        data = exporter.export_csv(rows) if kind == "csv" else exporter.export_xlsx(rows)
    result = importer.run_import(data, filename=f"e.{kind}", region=world.region_a)
    bad = [(r.number, r.errors) for r in result.bad_rows]
    assert (len(result.new_rows), len(result.duplicate_rows), bad) == (0, len(people), [])
    assert result.ok and result.created == 0
