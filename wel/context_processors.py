from .access import scope_for


def scope(request):
    """Expose the user's scope to templates, so navigation fits the role."""
    return {"scope": scope_for(getattr(request, "user", None))}


def session_timeout(request):
    """For the session warning (static/js/session-timeout.js): seconds left and when to warn."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.conf import settings

    from .middleware import seconds_left

    return {
        "session_timeout": {
            "seconds_left": seconds_left(request.session),
            "warn_seconds": settings.WEL_SESSION_WARNING_SECONDS,
            "idle_minutes": settings.WEL_SESSION_IDLE_MINUTES,
        }
    }
