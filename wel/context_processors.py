from .access import scope_for


def scope(request):
    """Expose the user's scope to templates, so navigation fits the role."""
    return {"scope": scope_for(getattr(request, "user", None))}
