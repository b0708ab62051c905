"""What each condition of :data:`cases.rules.CONDITIONS` says to the user: what is wrong, which
article says so, and what to do. One message per code, used by the form, the services, the
import and the review list alike."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _messages() -> dict[str, str]:
    return {
        "art15_kwalificatieplicht": _(
            "A vrijstelling artikel 15 exempts from the kwalificatieplicht (Leerplichtwet art. "
            "15 lid 1: “vrijstelling … van de in artikel 4a opgelegde verplichtingen”) only. On "
            "%(start)s this young person is not kwalificatieplichtig: that runs from %(from)s "
            "until %(until)s (art. 4b). Choose the grondslag that fits, or correct the start date."
        ),
        "art3a_age": _(
            "Vervangende leerplicht under art. 3a is for a young person of at least 14 "
            "(Leerplichtwet art. 3a lid 1). On %(start)s this young person is younger; 14 from "
            "%(from)s. Correct the start date or the grondslag."
        ),
        "vervangend_one_school_year": _(
            "Vervangende leerplicht is granted for one school year at a time (Leerplichtwet "
            "art. 3a lid 1 “gedurende een bepaald schooljaar”, art. 3b “voor het laatste "
            "schooljaar”). Let it end on or before %(end)s; a further year is a new request."
        ),
        "art3b_after_leerplicht": _(
            "Vervangende leerplicht under art. 3b replaces the enrolment in the last school "
            "year of the full leerplicht (Leerplichtwet art. 3b lid 1, art. 3 lid 1). By the date "
            "of birth the full leerplicht ends on %(last)s, before this school year. Correct the "
            "dates or the grondslag."
        ),
        "art3b_before_last_year": _(
            "Vervangende leerplicht under art. 3b is for the last school year of the full "
            "leerplicht. By the date of birth that is the school year ending %(last)s (art. 3 "
            "lid 1 onder b); an earlier year fits only when the young person will then have "
            "attended school for twelve full school years (onder a). Confirm that this is so."
        ),
        "vervangend_article": _(
            "This case says “vervangende leerplicht” without the article: art. 3a (a programme "
            "with practical work at the school, from 14) or art. 3b (the last school year at an "
            "MBO institution). Choose the one that was granted."
        ),
        "whole_period_5a_only": _(
            "“The whole leerplicht period” is for a vrijstelling 5 onder a whose expert's "
            "statement says the child will never be able to attend a school (Leerplichtwet art. "
            "6 lid 3, with the statement of art. 7). Choose “One school year” for this grondslag."
        ),
        "statement_too_old": _(
            "The expert's statement of %(statement)s was more than three months old at the "
            "notice of %(notice)s (Leerplichtwet art. 7: “Deze verklaring mag niet ouder zijn "
            "dan drie maanden.”). The notice needs a statement of %(latest)s or later: ask for "
            "a new one, or correct the dates."
        ),
        "artikel_5a_season": _(
            "The exemption of art. 5a (trekkend bestaan) holds while the parents travel as "
            "kermisexploitant or circusmedewerker during the months March to October and the "
            "child travels with them (Besluit vrijstelling leerplicht trekkende bevolking, "
            "art. 1). This period starts or runs outside those months. Confirm it, or end it on "
            "31 October at the latest."
        ),
        "renewal_date": _(
            "The renewal date %(given)s does not follow from the exemption: the yearly notice is "
            "due before 1 July (Leerplichtwet art. 6 lid 2 onder b), the first time on "
            "%(expected)s. Leave the date empty to have it worked out, or correct it."
        ),
        "exemption_5a_max": _(
            "A vrijstelling 5 onder a may run at most %(years)s school years. Let it end "
            "earlier, or choose “The whole leerplicht period” when the statement says so."
        ),
        "advice_missing": _(
            "From %(from)s a vrijstelling 5 onder a needs the educational advice (onderwijskundig "
            "perspectief) next to the expert's statement: record who gave it, when, and its "
            "conclusion."
        ),
    }


def message_for(code: str, values: dict) -> str:
    """The user's message of condition ``code`` with its values filled in."""
    text = _messages()[code]
    return text % values if values else text.replace("%%", "%")


# Short names of the conditions, for the review list and the migration report.
TITLES = {
    "art15_kwalificatieplicht": gettext_lazy("Artikel 15 outside the kwalificatieplicht"),
    "art3a_age": gettext_lazy("Art. 3a before the age of 14"),
    "vervangend_one_school_year": gettext_lazy("Vervangende leerplicht longer than a school year"),
    "art3b_after_leerplicht": gettext_lazy("Art. 3b after the full leerplicht"),
    "art3b_before_last_year": gettext_lazy("Art. 3b before the last school year"),
    "vervangend_article": gettext_lazy("Vervangende leerplicht: 3a or 3b?"),
    "whole_period_5a_only": gettext_lazy("“Whole period” on another ground than 5 onder a"),
    "statement_too_old": gettext_lazy("Statement older than three months"),
    "artikel_5a_season": gettext_lazy("Art. 5a outside March–October"),
    "renewal_date": gettext_lazy("Renewal date does not follow from the exemption"),
    "exemption_5a_max": gettext_lazy("5 onder a longer than the maximum"),
    "advice_missing": gettext_lazy("Educational advice missing"),
}
