"""Helpers for tests that compare HTML."""

from __future__ import annotations

import re


def normalise_html(html: str) -> str:
    """Whitespace between and inside tags does not matter to a browser; the rest must match."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()
