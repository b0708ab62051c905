"""/api/v1/…: Dutch plural resource names, no trailing slash (a path with one answers 404, as
every unknown path under /api/ does, as problem+json)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularJSONAPIView
from oauth2_provider.views import TokenView

from . import views

app_name = "api"


def _open(view):
    """Views of the API authenticate their own way (a bearer token), never with the site's
    login: the site's LoginRequiredMiddleware must let them through."""
    return login_not_required(view)


@csrf_exempt  # any method: a PATCH to an unknown path is a 404 too, not a CSRF refusal
def _not_found(request, rest=""):
    from .middleware import _DETAIL
    from .problems import django_response

    return django_response(404, _(_DETAIL[404]), instance=request.path[:255])


urlpatterns = [
    path("openapi.json", _open(SpectacularJSONAPIView.as_view()), name="openapi"),
    path("oauth/token", _open(TokenView.as_view()), name="token"),
    path("jeugdigen", _open(views.JeugdigenView.as_view()), name="jeugdigen"),
    path("jeugdigen/<str:referentie>", _open(views.JeugdigeView.as_view()), name="jeugdige"),
    path(
        "jeugdigen/<str:referentie>/contactmomenten",
        _open(views.ContactmomentenView.as_view()),
        name="contactmomenten",
    ),
    path("vrijstellingen", _open(views.VrijstellingenView.as_view()), name="vrijstellingen"),
    path("gesprekken", _open(views.GesprekkenView.as_view()), name="gesprekken"),
    path("gesprekken/<int:id>", _open(views.GesprekView.as_view()), name="gesprek"),
    path("vervolgstappen", _open(views.VervolgstappenView.as_view()), name="vervolgstappen"),
    path("vervolgstappen/<int:id>", _open(views.VervolgstapView.as_view()), name="vervolgstap"),
    path("regios", _open(views.RegiosView.as_view()), name="regios"),
    path("regios/<str:code>", _open(views.RegioView.as_view()), name="regio"),
    path("gemeenten", _open(views.GemeentenView.as_view()), name="gemeenten"),
    path(
        "leerplichttelling",
        _open(views.LeerplichttellingView.as_view()),
        name="leerplichttelling",
    ),
    path("cijfers", _open(views.CijfersView.as_view()), name="cijfers"),
    re_path(r"^(?P<rest>.*)$", _open(_not_found)),
]
