"""Writing the audit log. Every read, change, export, import and download of personal data
calls :func:`record`; login events come from Django's auth signals.
"""

from __future__ import annotations

import logging
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
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_label = str(getattr(obj, "audit_label", obj))[:200]
    if jeugdige is not None:
        event.jeugdige_id = jeugdige.pk
        event.jeugdige_reference = jeugdige.reference
    event.save()
    return event


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
