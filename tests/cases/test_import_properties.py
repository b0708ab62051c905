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
    try:
        decoded, _used = importer.decode(text.encode(encoding))
    except importer.ImportRefused as exc:
        assert encoding in ("cp1252", "mac_roman")  # only a code page may be undecidable
        assert "CSV UTF-8" in str(exc)
    else:
        assert decoded == text


person = st.tuples(
    name,
    st.sampled_from(["", "van", "van der", "de", "van 't"]),
    name,
    st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2020, 12, 31)),
    st.sampled_from(Grondslag.values),
)


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(person, min_size=1, max_size=8, unique_by=lambda p: (p[0], p[1], p[2], p[3])),
    kind=st.sampled_from(["csv", "xlsx"]),
    language=st.sampled_from(["en", "nl"]),
)
def test_an_export_reads_back_as_already_registered(world, people, kind, language):
    from django.utils import translation

    Jeugdige.objects.all().delete()
    for given_name, tussenvoegsel, family, dob, grondslag in people:
        JeugdigeFactory(
            region=world.region_a,
            gemeente=world.emmen,
            given_name=given_name,
            family_name=f"{tussenvoegsel} {family}".strip(),
            date_of_birth=dob,
            grondslag=grondslag,
            bsn="",
        )
    with translation.override(language):
        rows = exporter.export_rows(Jeugdige.objects.filter(region=world.region_a))
        data = exporter.export_csv(rows) if kind == "csv" else exporter.export_xlsx(rows)
    result = importer.run_import(data, filename=f"e.{kind}", region=world.region_a)
    bad = [(r.number, r.errors) for r in result.bad_rows]
    assert (len(result.new_rows), len(result.duplicate_rows), bad) == (0, len(people), [])
    assert result.ok and result.created == 0
