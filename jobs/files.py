"""Uploaded files with one owner each (docs/architecture.md, "Files of jobs and previews").

A file is stored with its SHA-256 and belongs to a preview (until ``expires_at``, then the sweep
deletes it) or to a job (the job's end deletes it: done, failed or given up). Reading checks the
hash: a file changed in storage is refused (:class:`FileTampered`) and the refusal audited. The
files live in default storage under MEDIA_ROOT, which no URL serves (MEDIA_URL is
"/media-not-served/"; only views that check access hand out a file).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from wel import audit

from .models import StoredFile

log = logging.getLogger(__name__)


class FileProblem(Exception):
    """A stored file that cannot be used; the message says so in the user's words."""


class FileMissing(FileProblem):
    pass


class FileTampered(FileProblem):
    pass


def store(data: bytes, *, purpose: str, folder: str, expires_in: timedelta | None) -> StoredFile:
    """Save ``data`` under a random name in ``folder``; a preview passes ``expires_in``."""
    name = default_storage.save(f"{folder}/{secrets.token_urlsafe(24)}.upload", ContentFile(data))
    return StoredFile.objects.create(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        purpose=purpose,
        expires_at=timezone.now() + expires_in if expires_in is not None else None,
    )


def touch(stored: StoredFile, *, expires_in: timedelta) -> None:
    """A preview still in use: its file lives ``expires_in`` from now."""
    stored.expires_at = timezone.now() + expires_in
    StoredFile.objects.filter(pk=stored.pk).update(expires_at=stored.expires_at)


def adopt(stored: StoredFile) -> None:
    """A job takes the file over: no longer deleted by the preview's expiry, but at its end."""
    StoredFile.objects.filter(pk=stored.pk).update(expires_at=None)
    stored.expires_at = None


def read(stored: StoredFile, *, by=None, obj=None) -> bytes:
    """The file's bytes, checked against the hash stored with it."""
    try:
        with default_storage.open(stored.path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise FileMissing(_("The uploaded file is gone. Upload the file again.")) from None
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        log.error("stored file %s: its hash does not match", stored.pk)
        audit.record(
            audit.events.STORED_FILE_REFUSED,
            user=by,
            obj=obj,
            outcome=audit.Outcome.FAILURE,
            detail={"file": stored.pk, "purpose": stored.purpose},
            user_label="" if by is not None else "job",
        )
        raise FileTampered(
            _(
                "The uploaded file was changed after it was checked, so it was not used and "
                "has been deleted. Upload the file again; tell the administrator if this "
                "happens again."
            )
        )
    return data


def discard(stored: StoredFile | None) -> None:
    """Delete the file from storage and its row (a missing file is no error)."""
    if stored is None:
        return
    with contextlib.suppress(FileNotFoundError):
        default_storage.delete(stored.path)
    StoredFile.objects.filter(pk=stored.pk).delete()


def sweep_expired(*, now=None) -> int:
    """Delete the files of previews abandoned past their expiry. Returns how many."""
    now = now or timezone.now()
    expired = list(StoredFile.objects.filter(expires_at__lt=now))
    for stored in expired:
        discard(stored)
    return len(expired)
