from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="list"),
    path("uitrol/", views.rollout, name="rollout"),
    path("nieuw/", views.region_create, name="create"),
    # Learnings and the training are not about one region: before the <code> patterns.
    path("lessen/", views.learning_list, name="learning_list"),
    path("lessen/nieuw/", views.learning_create, name="learning_create"),
    path("lessen/<int:pk>/", views.learning_detail, name="learning_detail"),
    path("lessen/<int:pk>/bewerken/", views.learning_update, name="learning_update"),
    path("training/", views.training_list, name="training_list"),
    path("training/nieuw/", views.training_session_create, name="training_session_create"),
    path("training/aanwezigheid/", views.training_attendance_view, name="training_attendance"),
    path("training/<int:pk>/", views.training_session_detail, name="training_session_detail"),
    path(
        "training/<int:pk>/bewerken/",
        views.training_session_update,
        name="training_session_update",
    ),
    path("training/<int:pk>/aanmelden/", views.training_sign_up_view, name="training_sign_up"),
    path("training/<int:pk>/afmelden/", views.training_cancel_view, name="training_cancel"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/bewerken/", views.region_update, name="update"),
]
