"""Session limits and the second factor, enforced for every view in one place.

Why our own small middleware for the session limits rather than django-session-security:
that library needs jQuery, bootstraps itself with an inline ``<script>`` (our CSP allows none),
hides its logout form with an inline style, and knows no absolute limit. The limits here are
a few lines on two timestamps in the session; the warning is ``static/js/session-timeout.js``.

The site's language per request (UserLanguageMiddleware): the user's own choice, else the
cookie, else Dutch. Django's LocaleMiddleware would follow the browser's Accept-Language, which
turns the site English for every colleague whose browser is set to English; Dutch is the
default here and English only on request (the switch in the navigation, or "My settings").

Query strings (and the path) are checked once, here, before any view reads them.

A value with NUL or another control character, or longer than
:data:`~wel.validation.QUERY_VALUE_MAX_LENGTH`, is never a search or a filter a person typed: the
request is answered "400 Bad Request" with a page that says what to do, and no view runs (so
nothing is read, written or audited). Form fields are checked by the forms themselves
(:class:`wel.forms.WelFormMixin`), where the message can stand next to the field.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import validation
from .second_factor import has_second_factor, requires_second_factor

AUTH_AT = "wel_auth_at"  # when the password was checked (epoch seconds)
SEEN_AT = "wel_seen_at"  # the last request that counted as activity (epoch seconds)
# Activity is written to the session at most once a minute, so a burst of requests costs no
# session write each; the idle limit is therefore exact to within this many seconds.
ACTIVITY_GRANULARITY = 60


def idle_seconds() -> int:
    return settings.WEL_SESSION_IDLE_MINUTES * 60


def max_age_seconds() -> int:
    return settings.WEL_SESSION_MAX_HOURS * 60 * 60


def start_session_clock(session, now: int | None = None) -> None:
    """Called at every login (signal ``user_logged_in``): both clocks start now."""
    now = int(time.time()) if now is None else now
    session[AUTH_AT] = now
    session[SEEN_AT] = now


def touch(session, now: int | None = None) -> None:
    session[SEEN_AT] = int(time.time()) if now is None else now


def seconds_left(session, now: int | None = None) -> int:
    """Seconds until this session ends: the sooner of the idle and the absolute limit."""
    now = int(time.time()) if now is None else now
    seen_at = session.get(SEEN_AT, now)
    auth_at = session.get(AUTH_AT, now)
    return max(0, min(seen_at + idle_seconds(), auth_at + max_age_seconds()) - now)


def _on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)


class SessionTimeoutMiddleware:
    """Log a user out after WEL_SESSION_IDLE_MINUTES without activity, and always
    WEL_SESSION_MAX_HOURS after the login. The login page then says why.

    The status poll of the warning script (``session_status``) is not activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            if AUTH_AT not in session or SEEN_AT not in session:
                start_session_clock(session, now)  # a session from before this rule
            elif now - session[AUTH_AT] >= max_age_seconds():
                logout(request)
                messages.info(
                    request,
                    _("You were logged out: a session lasts at most %(hours)d hours. Log in again.")
                    % {"hours": settings.WEL_SESSION_MAX_HOURS},
                )
            elif now - session[SEEN_AT] >= idle_seconds():
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were logged out after %(minutes)d minutes without activity. "
                        "Log in again to continue."
                    )
                    % {"minutes": settings.WEL_SESSION_IDLE_MINUTES},
                )
            elif now - session[SEEN_AT] >= ACTIVITY_GRANULARITY and request.path != reverse(
                "session_status"
            ):
                touch(session, now)
        return self.get_response(request)


class SecondFactorMiddleware:
    """A logged-in user who needs a second factor (see
    :func:`wel.second_factor.requires_second_factor`) reaches no view before verifying it:
    with a device they go to the verify page, without one to enrolment.

    Exempt: views open to anonymous visitors (``login_not_required``: login, password reset,
    health), views marked :func:`second_factor_not_required` (the enrolment and verify pages,
    logout, the session poll) and django-otp-webauthn's endpoints, which check for themselves
    that a verified user registers a new passkey only after verifying.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        match = request.resolver_match
        if match is not None and match.namespace == "otp_webauthn":
            return None
        if user.is_verified() or not requires_second_factor(user):
            return None
        target = "second_factor_verify" if has_second_factor(user) else "second_factor"
        return redirect_to_login(request.get_full_path(), reverse(target), "next")


def second_factor_not_required(view):
    """Mark a view reachable by a logged-in user who has not verified a second factor yet."""
    view.second_factor_exempt = True
    return view


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
        if not language:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def _refusal(request):
    if validation.has_control_characters(request.path):
        return "control"  # /jeugdigen/%00/: a reference, a region code never has one
    for key, values in request.GET.lists():
        for value in [key, *values]:
            if validation.has_control_characters(value):
                return "control"
            if len(value) > validation.QUERY_VALUE_MAX_LENGTH:
                return "length"
    return None


class QueryStringGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reason = _refusal(request)
        if reason is not None:
            return render(
                request,
                "400.html",
                {"reason": reason, "max_length": validation.QUERY_VALUE_MAX_LENGTH},
                status=400,
            )
        return self.get_response(request)
