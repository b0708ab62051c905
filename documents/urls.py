from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("jeugdigen/<str:reference>/documenten/", views.upload, name="upload"),
    path("jeugdigen/<str:reference>/documenten/<int:pk>/", views.download, name="download"),
    path(
        "jeugdigen/<str:reference>/documenten/<int:pk>/verwijderen/",
        views.delete,
        name="delete",
    ),
    path(
        "jeugdigen/<str:reference>/brieven/uitnodiging-gesprek/",
        views.letter_conversation,
        name="letter_conversation",
    ),
    path(
        "jeugdigen/<str:reference>/brieven/afspraken/",
        views.letter_agreements,
        name="letter_agreements",
    ),
]
