"""Saved filters: a person saves the current filter under a name, sees it beside the queues, opens
and deletes it; nobody else can. Only the query string is kept, and checked again when opened."""

import pytest
from django.urls import reverse

from avvik.cases.models.saved_filters import SavedFilter
from avvik.cases.services.saved_filters import MAX_SAVED_FILTERS
from avvik.catalogue.models import Category
from tests.builders import file_case

pytestmark = pytest.mark.django_db


def save(client, name="Alvorlige", list_name="triage", query="consequence=significant&ordering=created"):
    return client.post(reverse("cases:saved_filter_create"), {"name": name, "list_name": list_name, "query": query})


def test_a_person_saves_the_filter_and_finds_it_beside_the_queues(client, coordinator):
    client.force_login(coordinator)
    response = save(client, query="consequence=significant&ordering=created&page=4&format=csv&evil=1")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('cases:triage')}?consequence=significant&ordering=created"
    saved = SavedFilter.objects.get(owner=coordinator)
    assert (saved.name, saved.list_name, saved.query) == (
        "Alvorlige",
        "triage",
        "consequence=significant&ordering=created",
    )
    body = client.get(reverse("cases:answered")).content.decode()
    assert f'href="{reverse("cases:saved_filter", args=[saved.pk])}">Alvorlige</a>' in body


def test_opening_a_saved_filter_leads_to_its_list_with_its_query(client, world, reporter, coordinator):
    serious = file_case(reporter, world.municipality, consequence="significant", title="Alvorlig hendelse")
    minor = file_case(reporter, world.municipality, title="Liten hendelse")
    client.force_login(coordinator)
    save(client)
    saved = SavedFilter.objects.get(owner=coordinator)
    response = client.get(reverse("cases:saved_filter", args=[saved.pk]), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('cases:triage')}?consequence=significant&ordering=created"
    body = response.content.decode()
    assert serious.reference in body and minor.reference not in body


def test_saving_under_the_same_name_replaces_the_filter(client, coordinator):
    client.force_login(coordinator)
    save(client)
    save(client, list_name="answered", query="q=epikrise")
    assert list(SavedFilter.objects.filter(owner=coordinator).values_list("list_name", "query")) == [
        ("answered", "q=epikrise")
    ]


def test_another_person_gets_404_on_opening_or_deleting_a_saved_filter(client, coordinator, world):
    from tests.conftest import make_persona

    client.force_login(coordinator)
    save(client)
    saved = SavedFilter.objects.get(owner=coordinator)
    for other in ("foreigner", "handler", "reporter"):
        client.force_login(make_persona(other, world))
        assert client.get(reverse("cases:saved_filter", args=[saved.pk])).status_code == 404
        assert client.post(reverse("cases:saved_filter_delete", args=[saved.pk])).status_code == 404
        assert "Alvorlige" not in client.get(reverse("cases:all")).content.decode()
    assert SavedFilter.objects.filter(pk=saved.pk).exists()


def test_the_owner_deletes_a_saved_filter(client, coordinator):
    client.force_login(coordinator)
    save(client)
    saved = SavedFilter.objects.get(owner=coordinator)
    response = client.post(reverse("cases:saved_filter_delete", args=[saved.pk]), {"back": "answered"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:answered")
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()


def test_a_filter_with_errors_is_not_saved(client, coordinator):
    client.force_login(coordinator)
    response = save(client, query="created_after=2026-13-45")
    assert response.status_code == 302
    assert not SavedFilter.objects.exists()
    # Back on the list, which says why and shows the filter's own errors.
    page = client.get(response["Location"]).content.decode()
    assert "Filteret ble ikke lagret fordi det har feil" in page
    assert 'id="error-summary"' in page
    assert save(client, name="", query="q=epikrise").status_code == 302
    assert not SavedFilter.objects.exists()


def test_a_filter_is_not_saved_for_a_list_the_person_may_not_open(client, reporter):
    client.force_login(reporter)
    assert save(client, list_name="triage").status_code == 403
    assert save(client, list_name="nowhere").status_code == 403
    assert not SavedFilter.objects.exists()


def test_a_saved_query_is_checked_again_when_opened(client, world, coordinator):
    """A filter saved while valid, whose category is another partnership's now (or was written into
    the row): the list refuses it with its message, and lists nothing."""
    client.force_login(coordinator)
    foreign = Category.objects.filter(partnership=world.other_partnership).first()
    saved = SavedFilter.objects.create(
        owner=coordinator, name="Gammelt", list_name="all", query=f"category={foreign.pk}"
    )
    response = client.get(reverse("cases:saved_filter", args=[saved.pk]), follow=True)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()


def test_a_person_keeps_a_limited_number_of_saved_filters(client, coordinator):
    SavedFilter.objects.bulk_create(
        SavedFilter(owner=coordinator, name=f"Filter {i}", list_name="triage", query="q=x")
        for i in range(MAX_SAVED_FILTERS)
    )
    client.force_login(coordinator)
    response = save(client, name="Ett til")
    assert response.status_code == 302
    assert not SavedFilter.objects.filter(name="Ett til").exists()
    assert "høyst 50 lagrede filtre" in client.get(response["Location"]).content.decode()


def test_the_save_form_is_labelled_and_offered_only_for_a_chosen_filter(client, coordinator):
    client.force_login(coordinator)
    assert 'action="/avvik/filtre/"' not in client.get(reverse("cases:triage")).content.decode()
    body = client.get(reverse("cases:triage"), {"q": "epikrise"}).content.decode()
    assert 'action="/avvik/filtre/"' in body
    assert '<label class="form-label" for="id_name">Navn på filteret</label>' in body
