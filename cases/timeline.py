"""Timeline text in every language of the site (issue 21: in English the timeline stayed
Dutch, because a line was translated once, in the writer's language, and stored).

A service writes ``timeline_add(text=Msg("Status: %(from)s → %(to)s.", **params))``: the
message id (English, marked for translation by the caller's ``gettext_noop``) and its values.
:func:`cases.services.timeline_add` stores the text in the site's language (``text``, for
exports and older readers) and in each language of ``settings.LANGUAGES`` (``texts``); the
page shows the reader's. A value may be plain text (a name, a date: the same in every
language), a lazy label (a choice's ``.label``: translated per language) or another
:class:`Msg`. Parts are joined with ``+`` exactly as written (add the spaces yourself). With
``plural=`` and ``count=`` the form is chosen by ``count`` (``%(count)d`` in the text).
Entries written before this, and plain strings, keep their one text.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext


class Msg:
    def __init__(self, msgid: str = "", /, *, plural: str = "", count: int | None = None, **params):
        self.parts: list = [(msgid, plural, count, params)] if msgid else []

    def __add__(self, other) -> Msg:
        joined = Msg()
        joined.parts = [*self.parts, *(other.parts if isinstance(other, Msg) else [str(other)])]
        return joined

    def __radd__(self, other) -> Msg:
        joined = Msg()
        joined.parts = [str(other), *self.parts]
        return joined

    def render(self) -> str:
        """The text in the active language."""
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            msgid, plural, count, params = part
            values = {
                k: v.render() if isinstance(v, Msg) else (v if isinstance(v, int) else str(v))
                for k, v in params.items()
            }
            if plural:
                values.setdefault("count", count)  # the number the plural is chosen by
            template = ngettext(msgid, plural, count) if plural else gettext(msgid)
            out.append(template % values if values else template)
        return "".join(out)

    def texts(self) -> dict[str, str]:
        """The text in each of the site's languages."""
        rendered = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                rendered[code] = self.render()
        return rendered

    def __str__(self) -> str:
        return self.render()
