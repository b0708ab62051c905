"""Shared learnings: readable everywhere, written by members and the national team, published
only after the identifying-details check."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from regions.models import Learning, Theme
from regions.services import learning_save
from tests.interviews.factories import LearningFactory


def test_publishing_needs_the_identifying_details_check(world):
    with pytest.raises(ValidationError) as error:
        learning_save(
            by=world.user("lpa_a"), title="T", lesson="L", region=world.region_a, publish=True
        )
    assert "checked_identifying" in error.value.message_dict
    learning = learning_save(
        by=world.user("lpa_a"),
        title="T",
        lesson="L",
        region=world.region_a,
        themes=[Theme.PARENTS, Theme.TRANSPORT],
        checked_identifying=True,
        publish=True,
    )
    assert learning.status == Learning.Status.PUBLISHED and learning.published_at
    assert sorted(learning.theme_values) == ["parents", "transport"]


def test_the_database_refuses_an_unchecked_published_learning(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningFactory(author=world.user("lpa_a"), checked_identifying=False)


def test_region_of_origin_must_be_the_authors(world):
    with pytest.raises(ValidationError):
        learning_save(by=world.user("lpa_a"), title="T", lesson="L", region=world.region_b)


@pytest.mark.parametrize("persona", ["lpa_a", "kartrekker_a", "lpa_b", "landelijk", "beheerder"])
def test_published_learnings_are_read_everywhere_drafts_only_by_the_author(
    world, client_for, persona
):
    published = LearningFactory(author=world.user("lpa_a"), region=world.region_a)
    draft = LearningFactory(
        author=world.user("lpa_a"),
        region=world.region_a,
        title="Nog niet klaar",
        status=Learning.Status.DRAFT,
        published_at=None,
    )
    client = client_for(persona)
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == (200 if persona == "lpa_a" else 404)


def test_filter_by_theme_and_search(world, client_for):
    a = LearningFactory(author=world.user("lpa_a"), title="Over ouders")
    a.themes.create(theme=Theme.PARENTS)
    b = LearningFactory(author=world.user("lpa_b"), title="Over vervoer")
    b.themes.create(theme=Theme.TRANSPORT)
    client = client_for("landelijk")
    page = client.get(reverse("regions:learning_list"), {"theme": "parents"}).content.decode()
    assert "Over ouders" in page and "Over vervoer" not in page
    page = client.get(reverse("regions:learning_list"), {"q": "vervoer"}).content.decode()
    assert "Over vervoer" in page and "Over ouders" not in page


def test_write_and_publish_through_the_form(world, client_for):
    client = client_for("kartrekker_a")
    data = {
        "title": "Vraag naar wat er al is",
        "kind": "what_works",
        "lesson": "Begin het gesprek bij de ontwikkeling die er al is.",
        "themes": ["conversation"],
        "region": world.region_a.pk,
        "publish": "on",
    }
    response = client.post(reverse("regions:learning_create"), data)
    assert response.status_code == 200
    assert not Learning.objects.exists()
    response = client.post(
        reverse("regions:learning_create"), {**data, "checked_identifying": "on"}
    )
    assert response.status_code == 302
    learning = Learning.objects.get()
    assert learning.status == "published" and learning.region == world.region_a


def test_learning_list_query_count(world, client_for, django_assert_max_num_queries):
    for i in range(15):
        learning = LearningFactory(author=world.user("lpa_a"), title=f"Les {i}")
        learning.themes.create(theme=Theme.PARENTS)
    client = client_for("lpa_b")
    with django_assert_max_num_queries(10):
        client.get(reverse("regions:learning_list"))
