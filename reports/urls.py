from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("landelijk/", views.national_dashboard, name="national_dashboard"),
    path("landelijk/export/<slug:key>.<str:fmt>", views.national_export, name="national_export"),
    path("fase/aanvragen/", views.request_phase_report, name="request_phase"),
    path("regio/<str:code>/", views.region_dashboard, name="region_dashboard"),
    path("regio/<str:code>/export/<slug:key>.<str:fmt>", views.region_export, name="region_export"),
    path("regio/<str:code>/aanvragen/", views.request_region_report, name="request_region"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/voortgang/", views.report_progress, name="progress"),
    path("<int:pk>/opnieuw/", views.report_retry, name="retry"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
