from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.jeugdige_list, name="list"),
    path("werklijst/", views.worklist, name="worklist"),
    path("agenda/", views.agenda, name="agenda"),
    path("zoeken/", views.search, name="search"),
    path("team/", views.team, name="team"),
    path("nieuw/", views.jeugdige_create, name="create"),
    path("export/", views.export, name="export"),
    path("importeren/", views.import_upload, name="import"),
    path("importeren/bevestigen/", views.import_confirm, name="import_confirm"),
    path("importeren/sjabloon.csv", views.import_template, name="import_template"),
    path("importeren/kolommen/", views.import_ignore_columns, name="import_ignore_columns"),
    path("importeren/taak/<int:pk>/", views.import_job_detail, name="import_job"),
    path(
        "importeren/taak/<int:pk>/voortgang/",
        views.import_job_progress,
        name="import_job_progress",
    ),
    path("leerplichttelling/", views.leerplichttelling, name="leerplichttelling"),
    path(
        "leerplichttelling/leerplichttelling.csv",
        views.leerplichttelling_download,
        {"fmt": "csv"},
        name="leerplichttelling_csv",
    ),
    path(
        "leerplichttelling/leerplichttelling.xlsx",
        views.leerplichttelling_download,
        {"fmt": "xlsx"},
        name="leerplichttelling_xlsx",
    ),
    path(
        "leerplichttelling/leerplichttelling.pdf",
        views.leerplichttelling_download,
        {"fmt": "pdf"},
        name="leerplichttelling_pdf",
    ),
    path(
        "leerplichttelling/<str:key>/",
        views.leerplichttelling_cases,
        name="leerplichttelling_cases",
    ),
    path("toegangslog/", views.region_audit, name="region_audit"),
    path("toegangslog/export.csv", views.region_audit_export, name="region_audit_export"),
    path("<str:reference>/", views.jeugdige_detail, name="detail"),
    path("<str:reference>/bewerken/", views.jeugdige_update, name="update"),
    path("<str:reference>/status/", views.jeugdige_transition, name="transition"),
    path("<str:reference>/afsluiten/", views.jeugdige_close, name="close"),
    path("<str:reference>/overdragen/", views.jeugdige_handover, name="handover"),
    path("<str:reference>/betrokkenen/nieuw/", views.betrokkene_add, name="betrokkene_add"),
    path("<str:reference>/activiteiten/nieuw/", views.activiteit_add, name="activiteit_add"),
    path("<str:reference>/contacten/nieuw/", views.contact_add, name="contact_add"),
    path("<str:reference>/geschiedenis/", views.jeugdige_history, name="history"),
    path(
        "<str:reference>/verwerkingslog.jsonl",
        views.jeugdige_processing_log,
        name="processing_log",
    ),
    path("<str:reference>/inzage/", views.inzage, name="inzage"),
    path("<str:reference>/inzage.pdf", views.inzage_download, {"fmt": "pdf"}, name="inzage_pdf"),
    path("<str:reference>/inzage.json", views.inzage_download, {"fmt": "json"}, name="inzage_json"),
]
