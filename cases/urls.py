from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.jeugdige_list, name="list"),
    path("werklijst/", views.worklist, name="worklist"),
    path("nieuw/", views.jeugdige_create, name="create"),
    path("export/", views.export, name="export"),
    path("importeren/", views.import_upload, name="import"),
    path("importeren/bevestigen/", views.import_confirm, name="import_confirm"),
    path("importeren/sjabloon.csv", views.import_template, name="import_template"),
    path("toegangslog/", views.region_audit, name="region_audit"),
    path("toegangslog/export.csv", views.region_audit_export, name="region_audit_export"),
    path("<str:reference>/", views.jeugdige_detail, name="detail"),
    path("<str:reference>/bewerken/", views.jeugdige_update, name="update"),
    path("<str:reference>/status/", views.jeugdige_transition, name="transition"),
    path("<str:reference>/afsluiten/", views.jeugdige_close, name="close"),
    path("<str:reference>/betrokkenen/nieuw/", views.betrokkene_add, name="betrokkene_add"),
    path("<str:reference>/activiteiten/nieuw/", views.activiteit_add, name="activiteit_add"),
    path("<str:reference>/contacten/nieuw/", views.contact_add, name="contact_add"),
    path("<str:reference>/geschiedenis/", views.jeugdige_history, name="history"),
]
