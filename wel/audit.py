"""Writing the audit log. Every read, change, export, import and download of personal data
calls :func:`record` with a registered event type (:mod:`wel.audit_events`, reachable here as
``audit.events``); login events come from Django's auth signals.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.http import HttpRequest

from . import audit_events as events
from . import processing_log
from .access import scope_for
from .audit_events import EventType
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


# Who hears of every successful event (notifications: ``notifications.rules``), called with
# the saved :class:`AuditEvent` inside ``record``'s transaction. A listener must answer events
# it has no interest in without a query (every page records events).
_listeners: list = []


def listen(listener) -> None:
    """Call ``listener(entry)`` after every successful event ``record`` writes."""
    if listener not in _listeners:
        _listeners.append(listener)


class UnregisteredEventType(TypeError):
    """``record`` was given something that is not a type from :mod:`wel.audit_events`."""


def record(
    event: EventType,
    *,
    request: HttpRequest | None = None,
    user=None,
    obj: Any = None,
    jeugdige: Any = None,
    subjects: Iterable[Any] = (),
    outcome: str = Outcome.SUCCESS,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    fields_of: str = "",
    detail: dict | None = None,
    on_behalf_of: str = "",
    user_label: str = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one audit event of a registered type (:mod:`wel.audit_events`); the only writer.

    ``obj`` is what was touched (of the type's object kind, when it names one); ``jeugdige``
    whose data it was; ``user`` (or the request's user) who did it, ``user_label`` an actor
    without an account (a parent through an invitation, a scheduled task). Objects are labelled
    by ``audit_label`` (a pseudonymous reference) when they have one, so the log itself does
    not spread names.

    ``changes`` maps each changed field to ``(old, new)``; the fields are those of the type's
    ``changes_of`` model, of ``fields_of`` (an inline row in /beheer/) or of ``obj``.

    **The rule on values:** old and new values are kept only for fields that identify nobody —
    codes with a fixed list of choices (status, grondslag, role, report status), flags,
    numbers, references to other records (as their id, labelled with the record's pseudonymous
    ``audit_label``, a user's e-mail address or a region's name: the assigned LPA, a
    membership's region and gemeenten) and the text fields of reference data that
    :data:`wel.audit_events.NON_IDENTIFYING_TEXT` names (a region's name). Of every other field
    — names, BSN, dates (a date of birth), e-mail addresses, free text, a field the model does
    not have — only the name is kept, never the value: the field history with values is
    django-simple-history's, behind the case's own access rules.

    A type that is not registered is refused (:class:`UnregisteredEventType`): there is no
    free-text description.

    **The processing log.** When the event concerns children — ``jeugdige`` and/or
    ``subjects`` (jeugdigen or their ids, for an action on several: a list, an export, an
    import) — the same transaction writes the processing log's lines
    (:mod:`wel.processing_log`): one per child, under the request's trace, with the processing
    activity of the type's purpose. A line that is not written fails the whole call.
    """
    if not isinstance(event, EventType) or events.get(event.code) is not event:
        raise UnregisteredEventType(f"not a registered audit event type: {event!r}")
    if event.object_kind and obj is not None and obj._meta.label_lower != event.object_kind:
        raise ValueError(f"{event.code} is about {event.object_kind}, not {obj._meta.label_lower}")
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    scope = scope_for(user)
    entry = AuditEvent(
        event_type=event.code,
        action=event.action,
        outcome=outcome,
        user=user if user is not None and user.pk else None,
        user_label=user_label or (user.email if user is not None else ""),
        role=scope.label(),
        on_behalf_of=on_behalf_of,
        ip_address=client_address(request),
        detail=dict(detail or {}),
        object_label=object_label[:200],
    )
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_label = str(getattr(obj, "audit_label", obj))[:200]
    if fields_of and fields_of != entry.object_type and not event.changes_of:
        entry.detail["fields_of"] = fields_of  # so the viewer names the fields (wel.audit_labels)
    if changes:
        entry.changes = change_entries(changes_model_label(entry), changes)
    if jeugdige is not None:
        entry.jeugdige_id = jeugdige.pk
        entry.jeugdige_reference = jeugdige.reference
    children = processing_log.subject_ids(jeugdige, subjects)
    if children and len(children) < processing_log.COPY_FROM and connection.vendor == "postgresql":
        processing_log.save_with_lines(entry, event, children)  # one statement for all
    elif children:
        with transaction.atomic(savepoint=False):
            entry.save()
            processing_log.write(entry, event, children)
    else:
        entry.save()
    state = _current.get()
    if state is not None and outcome == Outcome.SUCCESS:
        state.recorded.add(entry.jeugdige_id)
    if outcome == Outcome.SUCCESS:
        for listener in _listeners:
            listener(entry)
    return entry


# -- old and new values, by the rule in record()'s docstring ----------------------------------
def changes_model_label(event: AuditEvent) -> str:
    """The model whose fields an event's ``changes`` name: the type's ``changes_of``, the
    ``fields_of`` given to :func:`record`, the type's object kind, or the object's model."""
    registered = event.type
    return (
        (registered.changes_of if registered else "")
        or event.detail.get("fields_of", "")
        or (registered.object_kind if registered else "")
        or event.object_type
    )


def _model(label: str):
    try:
        return apps.get_model(label) if "." in label else None
    except (LookupError, ValueError):
        return None


def keeps_values(model_label: str, name: str) -> bool:
    """Whether ``record`` keeps the old and new values of this field (see its docstring)."""
    model = _model(model_label)
    if model is None:
        return False
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    if name in events.NON_IDENTIFYING_TEXT.get(model._meta.label_lower, ()):
        return True
    if field.auto_created and not field.concrete:
        return False  # the other side of a relation (an interview's next steps): rows, not a value
    if field.is_relation or getattr(field, "choices", None):
        return True
    return isinstance(
        field, models.BooleanField | models.IntegerField | models.DecimalField | models.FloatField
    )


def _reference_label(obj: models.Model) -> str | None:
    """How a referenced record is named in the log: its pseudonymous ``audit_label``, a user's
    e-mail address (as the log names actors), reference data by name; anything else by id only."""
    if hasattr(obj, "audit_label"):
        return str(obj.audit_label)
    if isinstance(obj, get_user_model()):
        return obj.email
    if obj._meta.label_lower in events.REFERENCE_DATA:
        return str(obj)
    return None


def _plain(value: Any) -> tuple[Any, Any]:
    """A value as JSON, and the label of what it refers to (records only)."""
    if isinstance(value, models.Model):
        return value.pk, _reference_label(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        items = sorted(value, key=lambda v: str(getattr(v, "pk", v)))
        pairs = [_plain(v) for v in items]
        labels = [label for _pk, label in pairs]
        return [pk for pk, _label in pairs], labels if any(labels) else None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat(), None
    if value is None or isinstance(value, bool | int | float | str):
        return value, None
    return str(value), None


def change_entries(model_label: str, changes: Mapping[str, tuple[Any, Any]]) -> list[dict]:
    """``[{"field", "old", "new"}]`` (with ``old_label``/``new_label`` for references) for the
    fields whose values are kept, ``[{"field"}]`` for the others; in the order given."""
    entries = []
    for name, (old, new) in changes.items():
        if not keeps_values(model_label, name):
            entries.append({"field": name})
            continue
        entry: dict[str, Any] = {"field": name}
        for key, value in (("old", old), ("new", new)):
            plain, label = _plain(value)
            entry[key] = plain
            if label is not None:
                entry[f"{key}_label"] = label
        entries.append(entry)
    return entries


def form_changes(form) -> dict[str, tuple[Any, Any]]:
    """``{field: (old, new)}`` for each changed field of a bound, valid form, as ``record``
    takes them (references as records, so the log can name them)."""
    changes = {}
    for name in form.changed_data:
        field = form.fields.get(name)
        old = form.initial.get(name, field.initial if field is not None else None)
        if callable(old):
            old = old()
        new = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        queryset = getattr(field, "queryset", None)
        if queryset is not None and old not in (None, "", []):
            wanted = old if isinstance(old, list | tuple) else [old]
            pks = [getattr(v, "pk", v) for v in wanted]
            found = {o.pk: o for o in queryset.model._default_manager.filter(pk__in=pks)}
            records = [found.get(pk, pk) for pk in pks]
            old = records if isinstance(old, list | tuple) else records[0]
        changes[name] = (old, new)
    return changes


# -- The view event a view cannot forget (NEN 7513: every access to a client's data is logged) ---
@dataclass
class _RequestAudit:
    """What one request showed and what it recorded, kept while the request runs."""

    shown: dict[int, tuple[Any, EventType, Any]] = field(default_factory=dict)
    recorded: set[int | None] = field(default_factory=set)
    refused: Any = None


_current: ContextVar[_RequestAudit | None] = ContextVar("wel_audit_request", default=None)


def shown(*, jeugdige: Any, event: EventType, obj: Any = None) -> None:
    """Note that the running request hands ``jeugdige``'s personal data to a page or file.

    Called by the selectors that fetch a case (so a view cannot forget it): when the response is
    a success and the view recorded no event of its own for this jeugdige, :class:`AuditMiddleware`
    writes ``event`` (a view type) about ``obj`` (the jeugdige itself when not given). Outside a
    request (tasks, commands) it does nothing; those record their own events.
    """
    state = _current.get()
    if state is not None and jeugdige is not None and jeugdige.pk is not None:
        state.shown.setdefault(jeugdige.pk, (jeugdige, event, obj if obj is not None else jeugdige))


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
        # One trace per request (W3C Trace Context): the caller's when its traceparent is
        # valid, a new one otherwise; every processing log line of the request shares it.
        request_trace = processing_log.trace_from_headers(
            request.headers.get("traceparent"), request.headers.get("tracestate")
        )
        with processing_log.trace(request_trace):
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
                for pk, (jeugdige, event, obj) in state.shown.items():
                    if pk not in state.recorded:
                        record(event, request=request, obj=obj, jeugdige=jeugdige)
            elif response.status_code >= 500:
                # The case was read but the page failed: a failure in the audit log, status
                # Error in the processing log (the standard: record whether an action failed).
                for pk, (jeugdige, event, obj) in state.shown.items():
                    if pk not in state.recorded:
                        record(
                            event,
                            request=request,
                            obj=obj,
                            jeugdige=jeugdige,
                            outcome=Outcome.FAILURE,
                            detail={"status": response.status_code},
                        )
            return response


def _record_denied(request: HttpRequest, status: int, jeugdige: Any = None) -> None:
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    tried = str(kwargs.get("reference") or kwargs.get("pk") or kwargs.get("code") or "")[:200]
    record(
        events.ACCESS_REFUSED,
        request=request,
        outcome=Outcome.DENIED,
        object_label=tried,
        jeugdige=jeugdige,
        detail={
            "status": status,
            "method": request.method,
            "url_name": match.view_name if match is not None else "",
            "path": request.path[:255],
        },
    )


def _on_login(sender, request, user, **kwargs):
    # A sign-in through an organisation's provider (oidc/) names it: {"method", "provider"}.
    detail = getattr(request, "wel_login_detail", None)
    record(events.LOGIN_SUCCEEDED, request=request, user=user, detail=detail)


def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(events.LOGOUT_SUCCEEDED, request=request, user=user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted e-mail is kept (it identifies the account under attack), never the password.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record(
        events.LOGIN_FAILED,
        request=request,
        outcome=Outcome.FAILURE,
        user_label=attempted,
    )


def connect_auth_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="wel.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="wel.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="wel.audit.login_failed")
