from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("uitrol/", views.rollout, name="rollout"),
    path("nieuw/", views.region_create, name="create"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/bewerken/", views.region_update, name="update"),
]
