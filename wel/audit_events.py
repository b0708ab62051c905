"""The registry of audit event types: every line of the audit log is one of these.

A type has a stable ``code`` (stored on the event; never renamed, never reused), the NEN 7513
``action`` it is (view, create, change, delete, export, import, download, login, …), the
``object_kind`` it is about (a model label such as ``cases.jeugdige``; empty when the object
varies) and a ``label`` (an English message id, shown in the reader's language: the viewer, the
CSV and the case's access history show the Dutch label). ``changes_of`` names the model whose
fields the event's old/new values belong to when that is not the object itself (a membership
changed is logged on its user, so one filter on the account shows every change to it).

The outcome (success, failure, denied) is not part of the type: "case file viewed" can be
refused, a second-factor reset can be denied.

Only :func:`wel.audit.record` writes events, and it accepts only a type registered here: a free
text cannot become an event. Adding a type is one line below and its Dutch label in
``locale/nl``; the processing log (Logboek Dataverwerkingen) can give each type its processing
activity by code, or as a field of :class:`EventType`, without touching the call sites.

This module is part of the core: it names other apps' models by label and imports none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

Action = AuditEvent.Action


@dataclass(frozen=True)
class EventType:
    code: str
    action: str
    object_kind: str
    label: Promise
    changes_of: str = ""
    # The purpose (wel.purposes.PURPOSES) this processing serves: the processing log gives its
    # lines the processing activity configured for it (WEL_PROCESSING_ACTIVITIES).
    purpose: str = ""

    def __str__(self) -> str:
        return str(self.label)


REGISTRY: dict[str, EventType] = {}


# The purpose of each type, by the part of its code before the dot, unless the type names its
# own (``purpose=``). A type whose prefix is not here and that names none is refused: every
# processing has a purpose.
PURPOSE_BY_PREFIX: dict[str, str] = {
    **dict.fromkeys(
        [
            "login",
            "logout",
            "password",
            "second_factor",
            "user",
            "membership",
            "beheer",
            "region",
            "learning",
            "training_session",
            "training",
            "job",
            "stored_file",
        ],
        "beheer",
    ),
    **dict.fromkeys(
        ["audit_log", "region_access_log", "access", "retention", "processing_log"],
        "verantwoording",
    ),
    **dict.fromkeys(
        [
            "case_list",
            "cases",
            "agenda",
            "worklist",
            "year_overview",
            "jeugdige",
            "jeugdigen",
            "betrokkene",
            "betrokkenen",
            "activiteit",
            "contact",
            "interview",
            "next_step",
            "beraad",
            "belemmerende_factor",
            "invitation",
        ],
        "casusregie",
    ),
    **dict.fromkeys(["contribution", "shared_steps"], "eigen_inbreng"),
    **dict.fromkeys(["inzage", "who_looked"], "inzage"),
    **dict.fromkeys(["report", "report_table"], "rapportage"),
}


def _type(code: str, action: str, object_kind: str, label: Promise, **kw) -> EventType:
    if code in REGISTRY:
        raise ValueError(f"audit event type {code!r} is registered twice")
    if not kw.get("purpose"):
        prefix = code.split(".", 1)[0]
        if prefix not in PURPOSE_BY_PREFIX:
            raise ValueError(
                f"audit event type {code!r} has no purpose: pass purpose= or add {prefix!r} "
                "to PURPOSE_BY_PREFIX"
            )
        kw["purpose"] = PURPOSE_BY_PREFIX[prefix]
    event_type = EventType(code=code, action=action, object_kind=object_kind, label=label, **kw)
    REGISTRY[code] = event_type
    return event_type


def get(code: str) -> EventType | None:
    """The registered type with this code, or ``None`` (an old line has no type)."""
    return REGISTRY.get(code)


def choices() -> list[tuple[str, str]]:
    """(code, label) of every type, sorted by label in the active language (filters)."""
    return sorted(((t.code, str(t.label)) for t in REGISTRY.values()), key=lambda c: c[1])


# -- the rule on values (wel.audit.record) ------------------------------------------------------
# Reference data: a record of these kinds is named in the log by its name (a membership's region
# and gemeenten), never only by its id.
REFERENCE_DATA = frozenset(
    {
        "regions.region",
        "regions.gemeente",
        "regions.phase",
        "regions.training",
        "regions.trainingsession",
    }
)
# Text and date fields whose values identify nobody, so their old and new values are kept.
# Every other text or date field is logged by its name only.
NON_IDENTIFYING_TEXT: dict[str, frozenset[str]] = {
    "regions.region": frozenset({"name", "code", "reference_prefix", "joined_on"}),
    "regions.gemeente": frozenset({"name", "cbs_code", "province"}),
    "regions.phase": frozenset({"name", "start_date"}),
    "regions.training": frozenset({"title"}),
    "regions.trainingsession": frozenset({"starts_at", "ends_at", "place"}),
}


# -- logging in and the account ---------------------------------------------------------------
LOGIN_SUCCEEDED = _type("login.succeeded", Action.LOGIN, "", _("Logged in"))
LOGIN_FAILED = _type("login.failed", Action.LOGIN_FAILED, "", _("Login failed"))
LOGOUT_SUCCEEDED = _type("logout.succeeded", Action.LOGOUT, "", _("Logged out"))
PASSWORD_RESET_BY_LINK = _type(
    "password.reset_by_link",
    Action.UPDATE,
    "wel.user",
    _("Password reset by e-mail link; login lockout lifted"),
)
PASSWORD_SET_BY_BEHEERDER = _type(
    "password.set_by_beheerder",
    Action.PASSWORD_SET,
    "wel.user",
    _("Password set by an administrator"),
)
SECOND_FACTOR_ENROLLED = _type(
    "second_factor.enrolled",
    Action.CREATE,
    "otp_totp.totpdevice",
    _("Second factor set up (authenticator app)"),
)
SECOND_FACTOR_RECOVERY_CODES_RENEWED = _type(
    "second_factor.recovery_codes_renewed",
    Action.CREATE,
    "otp_static.staticdevice",
    _("New recovery codes made"),
)
SECOND_FACTOR_VERIFIED = _type(
    "second_factor.verified", Action.LOGIN, "", _("Second factor verified")
)
SECOND_FACTOR_FAILED = _type(
    "second_factor.failed", Action.LOGIN_FAILED, "", _("Second factor: wrong code")
)
SECOND_FACTOR_RESET = _type(
    "second_factor.reset",
    Action.DELETE,
    "wel.user",
    _("Second factor reset by an administrator"),
)

# -- management (/beheer/) --------------------------------------------------------------------
USER_CREATED = _type("user.created", Action.CREATE, "wel.user", _("Account created"))
USER_UPDATED = _type("user.updated", Action.UPDATE, "wel.user", _("Account changed"))
USER_DELETED = _type("user.deleted", Action.DELETE, "wel.user", _("Account deleted"))
MEMBERSHIP_CREATED = _type(
    "membership.created",
    Action.CREATE,
    "wel.user",
    _("Membership granted"),
    changes_of="wel.membership",
)
MEMBERSHIP_CHANGED = _type(
    "membership.changed",
    Action.UPDATE,
    "wel.user",
    _("Membership changed"),
    changes_of="wel.membership",
)
MEMBERSHIP_REMOVED = _type(
    "membership.removed",
    Action.DELETE,
    "wel.user",
    _("Membership removed"),
    changes_of="wel.membership",
)
BEHEER_CREATED = _type("beheer.created", Action.CREATE, "", _("Created in management"))
BEHEER_UPDATED = _type("beheer.updated", Action.UPDATE, "", _("Changed in management"))
BEHEER_DELETED = _type("beheer.deleted", Action.DELETE, "", _("Deleted in management"))

# -- the audit log itself ---------------------------------------------------------------------
AUDIT_LOG_EXPORTED = _type("audit_log.exported", Action.EXPORT, "", _("Audit log exported (CSV)"))
REGION_ACCESS_LOG_EXPORTED = _type(
    "region_access_log.exported", Action.EXPORT, "", _("Region access log exported (CSV)")
)
ACCESS_REFUSED = _type(
    "access.refused", Action.VIEW, "", _("Page refused (no access, or it does not exist)")
)

# -- cases ------------------------------------------------------------------------------------
CASE_LIST_VIEWED = _type(
    "case_list.viewed",
    Action.VIEW,
    "",
    _("Case list viewed (reference, name, date of birth)"),
)
CASE_LIST_EXPORTED = _type(
    "case_list.exported", Action.EXPORT, "", _("Case list exported, with BSN")
)
WORKLIST_VIEWED = _type("worklist.viewed", Action.VIEW, "", _("Worklist viewed (reference, name)"))
AGENDA_VIEWED = _type(
    "agenda.viewed", Action.VIEW, "", _("Deadline agenda viewed (reference, name)")
)
JEUGDIGE_HANDED_OVER = _type(
    "jeugdige.handed_over", Action.UPDATE, "cases.jeugdige", _("Case handed over to a colleague")
)
CASES_SEARCHED = _type(
    "cases.searched",
    Action.VIEW,
    "",
    _("Cases searched by reference, name or date of birth (reference, name)"),
)
CASES_SEARCHED_BY_BSN = _type(
    "cases.searched_by_bsn", Action.VIEW, "", _("Cases searched by BSN (reference, name)")
)
YEAR_OVERVIEW_VIEWED = _type(
    "year_overview.viewed", Action.VIEW, "", _("Year overview (Leerplichttelling) viewed")
)
YEAR_OVERVIEW_EXPORTED = _type(
    "year_overview.exported", Action.EXPORT, "", _("Year overview (Leerplichttelling) exported")
)
YEAR_OVERVIEW_CASES_VIEWED = _type(
    "year_overview.cases_viewed",
    Action.VIEW,
    "",
    _("Cases of a year overview figure viewed (reference, name)"),
)
JEUGDIGE_VIEWED = _type(
    "jeugdige.viewed",
    Action.VIEW,
    "cases.jeugdige",
    _("Case file viewed (name, BSN, date of birth, details)"),
)
JEUGDIGE_HISTORY_VIEWED = _type(
    "jeugdige.history_viewed",
    Action.VIEW,
    "cases.jeugdige",
    _("Case history and access log viewed"),
)
JEUGDIGE_CREATED = _type("jeugdige.created", Action.CREATE, "cases.jeugdige", _("Case registered"))
JEUGDIGE_UPDATED = _type(
    "jeugdige.updated", Action.UPDATE, "cases.jeugdige", _("Case details changed")
)
JEUGDIGE_STATUS_CHANGED = _type(
    "jeugdige.status_changed", Action.UPDATE, "cases.jeugdige", _("Case status changed")
)
JEUGDIGE_CLOSED = _type("jeugdige.closed", Action.UPDATE, "cases.jeugdige", _("Case closed"))
BETROKKENE_ADDED = _type(
    "betrokkene.added", Action.CREATE, "cases.betrokkene", _("Betrokkene added")
)
BETROKKENEN_INVITED_BY_PARENTS = _type(
    "betrokkenen.invited_by_parents",
    Action.UPDATE,
    "cases.jeugdige",
    _("Betrokkenen chosen by the parents to attend"),
    changes_of="cases.betrokkene",
)
ACTIVITEIT_ADDED = _type(
    "activiteit.added",
    Action.CREATE,
    "cases.ontwikkelactiviteit",
    _("Development activity added"),
)
CONTACT_ADDED = _type(
    "contact.added", Action.CREATE, "cases.contactmoment", _("Contact moment added")
)
INZAGE_VIEWED = _type("inzage.viewed", Action.VIEW, "cases.jeugdige", _("Inzage page viewed"))
INZAGE_EXPORTED = _type(
    "inzage.exported",
    Action.EXPORT,
    "cases.jeugdige",
    _("Inzage export (AVG art. 15): everything held"),
)
JEUGDIGEN_IMPORTED = _type(
    "jeugdigen.imported", Action.IMPORT, "regions.region", _("Jeugdigen imported")
)
RETENTION_APPLIED = _type(
    "retention.applied",
    Action.DELETE,
    "",
    _("Retention: closed cases destroyed, audit lines purged (counts only)"),
)
RETENTION_PREVIEWED = _type(
    "retention.previewed",
    Action.VIEW,
    "",
    _("Retention dry run: references past their term listed"),
)

# -- regions ----------------------------------------------------------------------------------
REGION_CREATED = _type("region.created", Action.CREATE, "regions.region", _("Region created"))
REGION_UPDATED = _type("region.updated", Action.UPDATE, "regions.region", _("Region changed"))
LEARNING_CREATED = _type(
    "learning.created", Action.CREATE, "regions.learning", _("Learning written")
)
LEARNING_UPDATED = _type(
    "learning.updated", Action.UPDATE, "regions.learning", _("Learning changed")
)
TRAINING_SESSION_CREATED = _type(
    "training_session.created",
    Action.CREATE,
    "regions.trainingsession",
    _("Training session created"),
)
TRAINING_SESSION_UPDATED = _type(
    "training_session.updated",
    Action.UPDATE,
    "regions.trainingsession",
    _("Training session changed"),
)
TRAINING_REGISTERED = _type(
    "training.registered",
    Action.CREATE,
    "regions.trainingsession",
    _("Signed up for a training session"),
)
TRAINING_CANCELLED = _type(
    "training.cancelled",
    Action.UPDATE,
    "regions.trainingsession",
    _("Training sign-up cancelled"),
)

# -- interviews, moreel beraad, belemmerende factoren -----------------------------------------
INTERVIEW_CREATED = _type(
    "interview.created", Action.CREATE, "interviews.interview", _("Interview recorded")
)
INTERVIEW_UPDATED = _type(
    "interview.updated", Action.UPDATE, "interviews.interview", _("Interview changed")
)
INTERVIEW_VIEWED = _type(
    "interview.viewed", Action.VIEW, "interviews.interview", _("Interview viewed")
)
INTERVIEW_EDIT_FORM_VIEWED = _type(
    "interview.edit_form_viewed",
    Action.VIEW,
    "interviews.interview",
    _("Interview opened for editing"),
)
INTERVIEW_SHARE_FORM_VIEWED = _type(
    "interview.share_form_viewed",
    Action.VIEW,
    "interviews.interview",
    _("Interview opened to share as a learning"),
)
NEXT_STEP_DONE = _type(
    "next_step.done",
    Action.UPDATE,
    "interviews.interview",
    _("Next step marked done"),
    changes_of="interviews.nextstep",
)
NEXT_STEP_REOPENED = _type(
    "next_step.reopened",
    Action.UPDATE,
    "interviews.interview",
    _("Next step reopened"),
    changes_of="interviews.nextstep",
)
BERAAD_CREATED = _type(
    "beraad.created", Action.CREATE, "interviews.moreelberaad", _("Moreel beraad recorded")
)
BERAAD_UPDATED = _type(
    "beraad.updated", Action.UPDATE, "interviews.moreelberaad", _("Moreel beraad changed")
)
BERAAD_VIEWED = _type(
    "beraad.viewed", Action.VIEW, "interviews.moreelberaad", _("Moreel beraad viewed")
)
FACTOR_RAISED = _type(
    "belemmerende_factor.raised",
    Action.CREATE,
    "interviews.belemmerendefactor",
    _("Belemmerende factor noticed"),
)
FACTOR_UPDATED = _type(
    "belemmerende_factor.updated",
    Action.UPDATE,
    "interviews.belemmerendefactor",
    _("Belemmerende factor changed"),
)
FACTOR_STATUS_CHANGED = _type(
    "belemmerende_factor.status_changed",
    Action.UPDATE,
    "interviews.belemmerendefactor",
    _("Belemmerende factor: agenda status changed"),
)
FACTOR_ESCALATED = _type(
    "belemmerende_factor.escalated",
    Action.UPDATE,
    "interviews.belemmerendefactor",
    _("Belemmerende factor escalated to the national agenda"),
)
FACTOR_VIEWED = _type(
    "belemmerende_factor.viewed",
    Action.VIEW,
    "interviews.belemmerendefactor",
    _("Belemmerende factor viewed"),
)

# -- the family's invitations -----------------------------------------------------------------
INVITATION_CREATED = _type(
    "invitation.created", Action.CREATE, "family.invitation", _("Invitation made")
)
INVITATION_REVOKED = _type(
    "invitation.revoked", Action.UPDATE, "family.invitation", _("Invitation revoked")
)
INVITATION_OPENED = _type(
    "invitation.opened",
    Action.VIEW,
    "family.invitation",
    _("Invitation link opened"),
    purpose="eigen_inbreng",
)
INVITATION_CODE_ACCEPTED = _type(
    "invitation.code_accepted",
    Action.LOGIN,
    "family.invitation",
    _("Invitation code right"),
    purpose="eigen_inbreng",
)
INVITATION_CODE_FAILED = _type(
    "invitation.code_failed",
    Action.LOGIN_FAILED,
    "family.invitation",
    _("Invitation code wrong, or the invitation can no longer be used"),
    purpose="eigen_inbreng",
)
CONTRIBUTION_SUBMITTED = _type(
    "contribution.submitted",
    Action.CREATE,
    "family.contribution",
    _("In their own words: questions answered"),
)
SHARED_STEPS_ANSWERED = _type(
    "shared_steps.answered",
    Action.UPDATE,
    "family.invitation",
    _("In their own words: agreements answered"),
)

# -- background jobs (jobs/services.py, jobs/files.py) -----------------------------------------
JOB_RETRIED = _type(
    "job.retried", Action.UPDATE, "", _("Background job queued again after its worker stopped")
)
JOB_GIVEN_UP = _type("job.given_up", Action.UPDATE, "", _("Background job given up"))
STORED_FILE_REFUSED = _type(
    "stored_file.refused", Action.VIEW, "", _("Uploaded file refused: changed after it was checked")
)

# -- reports ----------------------------------------------------------------------------------
REPORT_REQUESTED = _type("report.requested", Action.CREATE, "reports.report", _("Report requested"))
REPORT_RETRIED = _type("report.retried", Action.UPDATE, "reports.report", _("Report tried again"))
REPORT_DOWNLOADED = _type(
    "report.downloaded", Action.DOWNLOAD, "reports.report", _("Report downloaded (PDF)")
)
REPORT_BUILT = _type(
    "report.built", Action.EXPORT, "reports.report", _("Report built on the command line")
)
REPORT_TABLE_EXPORTED = _type(
    "report_table.exported", Action.EXPORT, "", _("Table of figures exported")
)

# -- the processing log (Logboek Dataverwerkingen) --------------------------------------------
PROCESSING_LOG_EXPORTED = _type(
    "processing_log.exported",
    Action.EXPORT,
    "",
    _("Processing log exported (Logboek Dataverwerkingen)"),
)
CASE_PROCESSING_LOG_EXPORTED = _type(
    "processing_log.case_exported",
    Action.EXPORT,
    "cases.jeugdige",
    _("Processing log of one case exported (Logboek Dataverwerkingen)"),
)
WHO_LOOKED_VIEWED = _type(
    "who_looked.viewed",
    Action.VIEW,
    "cases.jeugdige",
    _("Family looked at who viewed or changed the data"),
)

# -- documents and letters on a case (issue 21 §5–6; documents/) -------------------------------
DOCUMENT_UPLOADED = _type(
    "document.uploaded",
    Action.CREATE,
    "documents.document",
    _("Document added to the case"),
    purpose="casusregie",
)
DOCUMENT_DOWNLOADED = _type(
    "document.downloaded",
    Action.DOWNLOAD,
    "documents.document",
    _("Document of the case downloaded"),
    purpose="casusregie",
)
DOCUMENT_REFUSED = _type(
    "document.refused",
    Action.DOWNLOAD,
    "documents.document",
    _("Document not handed out: its file is gone or was changed in storage"),
    purpose="casusregie",
)
DOCUMENT_DELETED = _type(
    "document.deleted",
    Action.DELETE,
    "documents.document",
    _("Document of the case deleted"),
    purpose="casusregie",
)
LETTER_PRINTED = _type(
    "letter.printed",
    Action.EXPORT,
    "cases.jeugdige",
    _("Letter to the family made (PDF)"),
    purpose="casusregie",
)

# -- sign-in with the organisation's account (OpenID Connect; oidc/) --------------------------
OIDC_IDENTITY_LINKED = _type(
    "oidc.identity_linked",
    Action.CREATE,
    "wel.user",
    _("Organisation account linked at sign-in"),
    purpose="beheer",
)
# -- transfer (verhuizing) of a case to another gemeente or region (cases/transfers.py) --------
# helper "transfer"; obj is the transfer, jeugdige the case. The notifications (issue 21) react
# to proposed/accepted/declined/withdrawn; cases.transfers.transfer_deciders names who decides.
TRANSFER_PROPOSED = _type(
    "transfer.proposed",
    Action.CREATE,
    "cases.transfer",
    _("Transfer to another municipality or region proposed"),
    purpose="casusregie",
)
TRANSFER_ACCEPTED = _type(
    "transfer.accepted",
    Action.UPDATE,
    "cases.transfer",
    _("Transfer accepted: the case moved to the receiving side"),
    purpose="casusregie",
)
TRANSFER_DECLINED = _type(
    "transfer.declined",
    Action.UPDATE,
    "cases.transfer",
    _("Transfer declined by the receiving side"),
    purpose="casusregie",
)
TRANSFER_WITHDRAWN = _type(
    "transfer.withdrawn",
    Action.UPDATE,
    "cases.transfer",
    _("Transfer withdrawn by the sending side"),
    purpose="casusregie",
)
TRANSFER_VIEWED = _type(
    "transfer.viewed",
    Action.VIEW,
    "cases.transfer",
    _("Transfer viewed (reference, birth year, grondslag, note)"),
    purpose="casusregie",
)

# -- the API (issue 22 §2, api helper) ----------------------------------------------------------
# The conversation list page shows no personal data beyond references; the API's list hands
# out the conversations themselves, so it is logged, with each child in the processing log.
INTERVIEW_LIST_VIEWED = _type(
    "interview.list_viewed",
    Action.VIEW,
    "",
    _("Conversations listed (API)"),
    purpose="casusregie",
)

# -- notifications (issue 21 §3; notifications/rules.py turns some of these into notices) ------
JOB_FINISHED = _type(
    "job.finished", Action.UPDATE, "", _("Background job finished"), purpose="beheer"
)
JOB_FAILED = _type("job.failed", Action.UPDATE, "", _("Background job failed"), purpose="beheer")
NEXT_STEP_OWNER_SET = _type(
    "next_step.owner_set",
    Action.UPDATE,
    "interviews.nextstep",
    _("Owner of a next step set"),
    purpose="casusregie",
)
