"""Error pages say what happened and where to go, in the site's layout."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_404_explains_and_links_home(client_for, world):
    response = client_for("lpa_b").get(reverse("regions:detail", args=[world.region_a.code]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert reverse("home") in html
    assert world.region_a.name not in html


@pytest.mark.django_db
def test_403_explains_the_role(client_for):
    response = client_for("lpa_a").get(reverse("regions:rollout"))
    assert response.status_code == 403
    assert "Your role does not give access to this page" in response.content.decode()


def test_500_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Nothing has been saved" in html


@pytest.mark.django_db
def test_an_unexpected_error_shows_the_500_page(world, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    client = Client(raise_request_exception=False)
    client.force_login(world.user("kartrekker_a"))
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom)]})
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
