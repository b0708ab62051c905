"""The API's representations: Dutch lowerCamelCase names, dates as ``date``, references by
their codes (a case by ``referentie``, a region by ``code``, a gemeente by its CBS code).
Input is read here and handed to the domain's services, which decide (the same rules as the
pages); ``FIELD_NAMES`` turns a service's field errors back into the API's names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import (
    GRONDSLAG_INPUT_CHOICES,
    ContactMoment,
    ExemptionDuration,
    Grondslag,
    StatementExpert,
    Status,
)
from wel import validation


class Text(serializers.CharField):
    """Text without control characters (a NUL never reaches the database)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if validation.has_control_characters(value):
            raise serializers.ValidationError(
                _("Remove the control characters (such as NUL) from this text.")
            )
        return value


# API field → model field of a jeugdige (for input and for the services' errors).
JEUGDIGE_FIELDS = {
    "gemeente": "gemeente",
    "voornaam": "given_name",
    "achternaam": "family_name",
    "geboortedatum": "date_of_birth",
    "bsn": "bsn",
    "grondslag": "grondslag",
    "meldingsdatum": "notice_date",
    "verklaringDatum": "doctor_statement_date",
    "verklaringDeskundige": "statement_expert",
    "vrijstellingDuur": "exemption_duration",
    "vrijstellingStart": "exemption_start",
    "vrijstellingEinde": "exemption_end",
    "herbeoordelingDatum": "renewal_due",
    "laatsteSchool": "last_school",
    "focus": "is_focus",
    "volgendContactDatum": "next_contact_due",
    "notities": "notes",
}
FIELD_NAMES = {model: api for api, model in JEUGDIGE_FIELDS.items()}
FIELD_NAMES.update({"region": "regio", "version": "versie", "date": "datum", "kind": "soort"})
FIELD_NAMES.update({"summary": "samenvatting", "assigned_lpa": "body"})


class JeugdigeSerializer(serializers.Serializer):
    referentie = serializers.CharField(source="reference", read_only=True)
    regio = serializers.CharField(source="region.code", read_only=True)
    gemeente = serializers.CharField(source="gemeente.cbs_code", read_only=True)
    voornaam = serializers.CharField(source="given_name", read_only=True)
    achternaam = serializers.CharField(source="family_name", read_only=True)
    geboortedatum = serializers.DateField(source="date_of_birth", read_only=True)
    bsn = serializers.CharField(read_only=True)
    grondslag = serializers.ChoiceField(choices=Grondslag.choices, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    meldingsdatum = serializers.DateField(source="notice_date", read_only=True, allow_null=True)
    verklaringDatum = serializers.DateField(
        source="doctor_statement_date", read_only=True, allow_null=True
    )
    verklaringDeskundige = serializers.CharField(source="statement_expert", read_only=True)
    vrijstellingDuur = serializers.CharField(source="exemption_duration", read_only=True)
    vrijstellingStart = serializers.DateField(
        source="exemption_start", read_only=True, allow_null=True
    )
    vrijstellingEinde = serializers.DateField(
        source="exemption_end", read_only=True, allow_null=True
    )
    herbeoordelingDatum = serializers.DateField(
        source="renewal_due", read_only=True, allow_null=True
    )
    laatsteSchool = serializers.CharField(source="last_school", read_only=True)
    focus = serializers.BooleanField(source="is_focus", read_only=True)
    volgendContactDatum = serializers.DateField(
        source="next_contact_due", read_only=True, allow_null=True
    )
    laatsteContactDatum = serializers.DateField(
        source="last_contact_on", read_only=True, allow_null=True
    )
    notities = serializers.CharField(source="notes", read_only=True)
    versie = serializers.IntegerField(source="version", read_only=True)
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)
    gewijzigd = serializers.DateTimeField(source="updated_at", read_only=True)


def _date(**kw):
    return serializers.DateField(required=False, allow_null=True, **kw)


class JeugdigeInputSerializer(serializers.Serializer):
    """Registering (POST: the starred fields required) or changing (PATCH: any subset, with
    ``versie``, the version read) a jeugdige."""

    regio = serializers.CharField(max_length=20, required=False)
    gemeente = serializers.CharField(max_length=10)
    voornaam = Text(max_length=100)
    achternaam = Text(max_length=150)
    geboortedatum = serializers.DateField()
    bsn = serializers.RegexField(r"^\d{9}$", required=False, allow_blank=True)
    grondslag = serializers.ChoiceField(choices=GRONDSLAG_INPUT_CHOICES)
    meldingsdatum = _date()
    verklaringDatum = _date()
    verklaringDeskundige = serializers.ChoiceField(
        choices=StatementExpert.choices, required=False, allow_blank=True
    )
    vrijstellingDuur = serializers.ChoiceField(
        choices=ExemptionDuration.choices, required=False, allow_blank=True
    )
    vrijstellingStart = _date()
    vrijstellingEinde = _date()
    herbeoordelingDatum = _date()
    laatsteSchool = Text(max_length=200, required=False, allow_blank=True)
    focus = serializers.BooleanField(required=False)
    volgendContactDatum = _date()
    notities = Text(max_length=validation.TEXT_MAX_LENGTH, required=False, allow_blank=True)
    versie = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)
    dubbelToestaan = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Registreer ook als er al een jeugdige met deze naam en geboortedatum is.",
    )
    bevestigdeWaarschuwingen = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        max_length=20,
        help_text="De codes van de waarschuwingen van de grondslag die je bevestigt.",
    )

    def model_data(self) -> dict:
        """The validated input as the services take it (model field names); gemeente as its
        CBS code, resolved by the view."""
        data = {}
        for name, value in self.validated_data.items():
            field = JEUGDIGE_FIELDS.get(name)
            if field is None or name == "gemeente":
                continue
            if value is None and field in ("statement_expert", "exemption_duration"):
                value = ""
            data[field] = value
        for field in ("bsn", "statement_expert", "exemption_duration", "last_school", "notes"):
            if field in data and data[field] is None:
                data[field] = ""
        return data


class VrijstellingSerializer(serializers.Serializer):
    """A jeugdige's vrijstelling (exemption): its ground, period and renewal date."""

    jeugdige = serializers.CharField(source="reference", read_only=True)
    gemeente = serializers.CharField(source="gemeente.cbs_code", read_only=True)
    grondslag = serializers.ChoiceField(choices=Grondslag.choices, read_only=True)
    vrijstellingDuur = serializers.CharField(source="exemption_duration", read_only=True)
    vrijstellingStart = serializers.DateField(
        source="exemption_start", read_only=True, allow_null=True
    )
    vrijstellingEinde = serializers.DateField(
        source="exemption_end", read_only=True, allow_null=True
    )
    herbeoordelingDatum = serializers.DateField(
        source="renewal_due", read_only=True, allow_null=True
    )
    verklaringDatum = serializers.DateField(
        source="doctor_statement_date", read_only=True, allow_null=True
    )
    verklaringDeskundige = serializers.CharField(source="statement_expert", read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)


class ContactmomentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    datum = serializers.DateField(source="date")
    soort = serializers.ChoiceField(source="kind", choices=ContactMoment.Kind.choices)
    samenvatting = Text(source="summary", max_length=validation.TEXT_MAX_LENGTH)
    volgendContactDatum = serializers.DateField(write_only=True, required=False, allow_null=True)
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)


class VervolgstapSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    gesprek = serializers.IntegerField(source="interview_id", read_only=True)
    jeugdige = serializers.CharField(source="interview.jeugdige.reference", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)
    eigenaar = serializers.CharField(source="owner", read_only=True)
    deadlineDatum = serializers.DateField(source="due_on", read_only=True)
    gedaan = serializers.BooleanField(source="done", read_only=True)


class VervolgstapInputSerializer(serializers.Serializer):
    gedaan = serializers.BooleanField()


class GesprekSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    jeugdige = serializers.CharField(source="jeugdige.reference", read_only=True)
    datum = serializers.DateField(source="held_on", read_only=True)
    respondentSoort = serializers.CharField(source="respondent_kind", read_only=True)
    respondentRol = serializers.CharField(source="respondent_role", read_only=True)
    beeldVanDeSituatie = serializers.CharField(source="view_on_situation", read_only=True)
    aanwezigeOntwikkeling = serializers.CharField(source="development_present", read_only=True)
    bijdragenAanOntwikkeling = serializers.CharField(
        source="development_contributors", read_only=True
    )
    mogelijkeOntwikkeling = serializers.CharField(source="development_possible", read_only=True)
    behoeftenKind = serializers.CharField(source="child_needs", read_only=True)
    behoeftenOuders = serializers.CharField(source="parent_needs", read_only=True)
    vervolgstappen = VervolgstapSerializer(source="next_steps.all", many=True, read_only=True)


class GemeenteSerializer(serializers.Serializer):
    cbsCode = serializers.CharField(source="cbs_code", read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    regios = serializers.SerializerMethodField()

    def get_regios(self, obj) -> list[str]:
        return sorted(r.code for r in obj.regions.all())


class RegioSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    gemeenten = serializers.SerializerMethodField()

    def get_gemeenten(self, obj) -> list[str]:
        return sorted(g.cbs_code for g in obj.gemeenten.all())


class TellingRijSerializer(serializers.Serializer):
    sleutel = serializers.CharField(source="key")
    omschrijving = serializers.CharField(source="label")
    bron = serializers.CharField(source="source")
    aantal = serializers.IntegerField(source="count")


class TellingSerializer(serializers.Serializer):
    gemeente = serializers.CharField(source="gemeente.cbs_code")
    schooljaar = serializers.CharField(source="year.label")
    rijen = TellingRijSerializer(source="rows", many=True)


class CijferTabelSerializer(serializers.Serializer):
    """A protected table of the national release: the cells as published, a number or a
    mark ("<3", "x") where the figure is hidden."""

    sleutel = serializers.CharField()
    titel = serializers.CharField()
    kolommen = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    rijen = serializers.ListField(child=serializers.DictField())
    totaal = serializers.DictField(allow_null=True)
