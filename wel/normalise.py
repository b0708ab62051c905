"""One spelling of an e-mail address (no imports from the rest of wel: models use it too)."""

import unicodedata


def normalise_email(value: str | None) -> str:
    """The canonical spelling of an address: Unicode NFKC, surrounding spaces removed, lower
    case. An address is a login name here, so ``LPA.UTR@wel.example`` and
    ``lpa.utr@wel.example`` must be one account for the login, the lockout counter, the
    password reset, its rate limit and the database's uniqueness. (RFC 5321 lets a mail server
    treat the local part case-sensitively; no address in the programme relies on that.)"""
    return unicodedata.normalize("NFKC", value or "").strip().lower()
