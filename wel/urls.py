from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", include("django.contrib.auth.urls")),
    path("account/instellingen/", views.account_settings, name="account_settings"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("health/", views.health, name="health"),
    path("regio/", include("regions.urls")),
    path("jeugdigen/", include("cases.urls")),
    path("gesprekken/", include("interviews.urls")),
    path("rapportages/", include("reports.urls")),
    path("beheer/", admin.site.urls),
]
