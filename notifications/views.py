"""The user's notifications (``/meldingen/``) and e-mail choice (``/meldingen/instellingen/``).
Every user sees only their own; a notification of someone else answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferenceForm
from .models import Notification

PAGE_SIZE = 50


def notification_list(request):
    page = Paginator(selectors.notifications_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "notifications/list.html", {"page": page, "notifications": page.object_list}
    )


@require_POST
def notification_read(request, pk: int):
    """Mark one notification read; then open what it is about (or, with ``stay``, back to
    the list)."""
    notice = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if notice is None:
        raise Http404
    services.mark_read(user=request.user, notification_id=notice.pk)
    if "stay" not in request.POST and url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.link)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request):
    services.mark_all_read(user=request.user)
    messages.success(request, _("All your notifications are marked read."))
    return redirect("notifications:list")


def notification_settings(request):
    form = PreferenceForm(
        request.POST or None, initial={"email": services.email_choice(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.set_preference(user=request.user, email=form.cleaned_data["email"])
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
