from django.urls import path

from . import views

urlpatterns = [
    path("terug/", views.callback, name="oidc_callback"),
    path("geen-rol/", views.no_role, name="oidc_no_role"),
    path("<slug:slug>/inloggen/", views.start, name="oidc_start"),
]
