"""What an uploaded file really is, by its content: a file's name and the browser's content
type are never trusted.

- **PDF**: starts with ``%PDF-`` and pypdf reads its structure (cross-reference table, page
  tree) with at least one page; an encrypted PDF is refused (nobody could read it later).
- **PNG / JPEG**: the signature, then Pillow opens the image and ``verify()`` checks it
  (Pillow's decompression-bomb guard refuses absurd pixel counts).

Everything else is refused with a message that says what to do.
"""

from __future__ import annotations

import io
import logging
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "This file is not a PDF, PNG or JPEG document, or it is damaged. Save or scan the "
            "document as PDF (or take a photo as JPEG) and upload that file."
        ),
        code="content",
    )


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise ValidationError(
                    _(
                        "This PDF is protected with a password. Save it without a password "
                        "and upload it again."
                    ),
                    code="encrypted",
                )
            pages = len(reader.pages)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:  # fmt: skip
        log.info("uploaded PDF refused: %s", type(exc).__name__)
        raise _refuse() from None
    if pages < 1:
        raise _refuse()


def _check_image(data: bytes, expected: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError) as exc:  # fmt: skip
        log.info("uploaded image refused: %s", type(exc).__name__)
        raise _refuse() from None
    if {"PNG": PNG, "JPEG": JPEG}.get(fmt or "") != expected:
        raise _refuse()


def content_type_of(data: bytes) -> str:
    """The content type of ``data`` (``application/pdf``, ``image/png`` or ``image/jpeg``)
    after checking its structure. Raises ``ValidationError`` (code ``content``, or
    ``encrypted`` for a PDF with a password) for anything else."""
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_image(data, PNG)
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        _check_image(data, JPEG)
        return JPEG
    raise _refuse()
