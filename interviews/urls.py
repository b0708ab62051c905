from django.urls import path

from . import views

app_name = "interviews"
urlpatterns = [
    path("", views.interview_list, name="list"),
    path("nieuw/<str:reference>/", views.interview_create, name="create"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/bewerken/", views.interview_update, name="update"),
    path("<int:pk>/delen/", views.interview_share, name="share"),
    path("stappen/<int:pk>/afgerond/", views.next_step_done, name="next_step_done"),
    path("beraad/", views.beraad_list, name="beraad_list"),
    path("beraad/nieuw/", views.beraad_create, name="beraad_create"),
    path("beraad/<int:pk>/", views.beraad_detail, name="beraad_detail"),
    path("beraad/<int:pk>/bewerken/", views.beraad_update, name="beraad_update"),
    path("beraad/<int:pk>/delen/", views.beraad_share, name="beraad_share"),
    path("belemmeringen/", views.obstacle_list, name="obstacle_list"),
    path("belemmeringen/nieuw/", views.obstacle_create, name="obstacle_create"),
    path("belemmeringen/<int:pk>/", views.obstacle_detail, name="obstacle_detail"),
    path("belemmeringen/<int:pk>/bewerken/", views.obstacle_update, name="obstacle_update"),
    path("belemmeringen/<int:pk>/status/", views.obstacle_status, name="obstacle_status"),
    path("belemmeringen/<int:pk>/escaleren/", views.obstacle_escalate, name="obstacle_escalate"),
    path("landelijke-agenda/", views.national_agenda, name="national_agenda"),
    path("landelijke-agenda/<int:pk>/status/", views.national_status, name="national_status"),
]
