"""Cross-cutting HTTP behaviour of the site."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


def no_store_when_signed_in(get_response):
    """Every answer to a signed-in user says ``Cache-Control: no-store`` (and ``private``).

    Case pages, lists, exports and PDFs carry special-category personal data about minors (AVG
    art. 9); no browser, shared proxy or back-button cache may keep a copy. The rule is the
    simplest sound one: every response to an authenticated request, whatever its type, so a new
    page cannot forget it. Static files never get here (whitenoise answers them earlier, with
    their long immutable cache), nor do anonymous pages such as the login form.
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
