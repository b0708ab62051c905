from django.urls import path

from . import views

app_name = "family"

urlpatterns = [
    path("jeugdigen/<str:reference>/uitnodigen/", views.invite, name="invite"),
    path(
        "jeugdigen/<str:reference>/uitnodigingen/<int:pk>/intrekken/",
        views.revoke,
        name="revoke",
    ),
    path(
        "jeugdigen/<str:reference>/uitnodigingen/<int:pk>/brief.pdf",
        views.invitation_letter,
        name="letter_pdf",
    ),
    path("uitnodiging/<str:token>/", views.open_invitation, name="open"),
    path("uitnodiging/<str:token>/vragen/", views.answer, name="answer"),
    path("uitnodiging/<str:token>/wie-heeft-gekeken/", views.who_looked, name="who_looked"),
]
