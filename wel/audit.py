"""Writing the audit log. Every read, change, export, import and download of personal data
calls :func:`record`; login events come from Django's auth signals.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from .access import scope_for
from .models import AuditEvent

log = logging.getLogger(__name__)
Action = AuditEvent.Action
Outcome = AuditEvent.Outcome


def client_address(request: HttpRequest | None) -> str | None:
    """The network address, honouring X-Forwarded-For only from configured trusted proxies."""
    if request is None:
        return None
    proxies = settings.WEL_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    request: HttpRequest | None = None,
    user=None,
    obj: Any = None,
    jeugdige: Any = None,
    outcome: str = Outcome.SUCCESS,
    data: str = "",
    on_behalf_of: str = "",
    detail: dict | None = None,
    user_label: str = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one audit event. ``obj`` is what was touched; ``jeugdige`` whose data it was.

    Objects are labelled by ``audit_label`` (a pseudonymous reference) when they have one, so
    the log itself does not spread names.
    """
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    scope = scope_for(user)
    event = AuditEvent(
        action=action,
        outcome=outcome,
        user=user if user is not None and user.pk else None,
        user_label=user_label or (user.email if user is not None else ""),
        role=scope.label(),
        on_behalf_of=on_behalf_of,
        data=data[:255],
        ip_address=client_address(request),
        detail=detail or {},
        object_label=object_label[:200],
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_label = str(getattr(obj, "audit_label", obj))[:200]
    if jeugdige is not None:
        event.jeugdige_id = jeugdige.pk
        event.jeugdige_reference = jeugdige.reference
    event.save()
    state = _current.get()
    if state is not None and outcome == Outcome.SUCCESS:
        state.recorded.add(event.jeugdige_id)
    return event


# -- The view event a view cannot forget (NEN 7513: every access to a client's data is logged) ---
@dataclass
class _RequestAudit:
    """What one request showed and what it recorded, kept while the request runs."""

    shown: dict[int, tuple[Any, str]] = field(default_factory=dict)
    recorded: set[int | None] = field(default_factory=set)
    refused: Any = None


_current: ContextVar[_RequestAudit | None] = ContextVar("wel_audit_request", default=None)


def shown(*, jeugdige: Any, data: str) -> None:
    """Note that the running request hands ``jeugdige``'s personal data to a page or file.

    Called by the selectors that fetch a case (so a view cannot forget it): when the response is
    a success and the view recorded no event of its own for this jeugdige, :class:`AuditMiddleware`
    writes the view event. Outside a request (tasks, commands) it does nothing; those record
    their own events.
    """
    state = _current.get()
    if state is not None and jeugdige is not None and jeugdige.pk is not None:
        state.shown.setdefault(jeugdige.pk, (jeugdige, data))


def refused(*, jeugdige: Any) -> None:
    """Note that the running request asked for ``jeugdige`` outside the user's scope: the
    "denied" event then carries it, so the case's own access history shows the attempt."""
    state = _current.get()
    if state is not None and jeugdige is not None:
        state.refused = jeugdige


class AuditMiddleware:
    """Writes the events a view could forget: the view of every case the request fetched
    (see :func:`shown`) and every refusal (403, 404) with outcome "denied".

    A 404 for a URL of another region's case is the same answer as for a case that does not
    exist; the log keeps the reference that was tried, so an FG can see who probed which case.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        state = _RequestAudit()
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if response.status_code in (403, 404):
            _record_denied(request, response.status_code, state.refused)
        elif 200 <= response.status_code < 300:
            for pk, (jeugdige, data) in state.shown.items():
                if pk not in state.recorded:
                    record(
                        action=Action.VIEW,
                        request=request,
                        obj=jeugdige,
                        jeugdige=jeugdige,
                        data=data,
                    )
        return response


def _record_denied(request: HttpRequest, status: int, jeugdige: Any = None) -> None:
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    tried = str(kwargs.get("reference") or kwargs.get("pk") or kwargs.get("code") or "")[:200]
    record(
        action=Action.VIEW,
        request=request,
        outcome=Outcome.DENIED,
        data=request.path,
        object_label=tried,
        jeugdige=jeugdige,
        detail={
            "status": status,
            "method": request.method,
            "url_name": match.view_name if match is not None else "",
        },
    )


def _on_login(sender, request, user, **kwargs):
    record(action=Action.LOGIN, request=request, user=user)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(action=Action.LOGOUT, request=request, user=user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted e-mail is kept (it identifies the account under attack), never the password.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record(
        action=Action.LOGIN_FAILED,
        request=request,
        outcome=Outcome.FAILURE,
        user_label=attempted,
    )


def connect_auth_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="wel.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="wel.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="wel.audit.login_failed")
