import pytest
from django.urls import reverse

from revans.organisations.models import Sponsor
from revans.organisations.tests.helpers import (
    ADMINS,
    STAFF,
    assert_refused,
    grow_sponsors,
    messages_of,
    sign_in_as,
)
from revans.testing import PERSONAS, count_queries

URL = reverse("organisations:sponsors", args=["northgate"])


def _error_next_to(response, field: str) -> str:
    body = response.content.decode()
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error shown next to {field}"
    return body.split(marker, 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_sponsors_page_for_each_persona(client, world, persona):
    Sponsor.objects.create(organisation=world.other_org, name="Their Secret Client")
    sign_in_as(client, world, persona)
    response = client.get(URL)
    if persona not in STAFF:
        assert_refused(response, world, persona)
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert "Client Council" in body and "Sam Sponsor" in body
    assert "Their Secret Client" not in body
    assert ("Add a sponsor" in body) == (persona == "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_creating_a_sponsor_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(URL, {"name": "Harbour Trust", "kind": "client"})
    created = Sponsor.objects.filter(name="Harbour Trust").first()
    if persona in ADMINS:
        assert response.status_code == 302
        assert created.organisation == world.org
        assert response.url == reverse(
            "organisations:sponsor_detail", args=["northgate", created.pk]
        )
    else:
        assert_refused(response, world, persona)
        assert created is None


def test_the_list_shows_kind_number_of_sets_and_contacts(client, world):
    Sponsor.objects.create(organisation=world.org, name="Finance Department", kind="department")
    client.force_login(world.facilitator)
    body = client.get(URL).content.decode()
    council_row = body.split("Client Council", 1)[1].split("</tr>", 1)[0]
    assert "Client organisation" in council_row
    assert '<td data-label="Sets">1</td>' in council_row
    assert "Sam Sponsor" in council_row
    finance_row = body.split("Finance Department", 1)[1].split("</tr>", 1)[0]
    assert "Department" in finance_row and '<td data-label="Sets">0</td>' in finance_row
    assert "None yet" in finance_row


def test_an_in_house_team_adds_departments_by_default(client, world):
    client.force_login(world.other_admin)
    body = client.get(reverse("organisations:sponsors", args=["elsewhere"])).content.decode()
    assert 'value="department" selected' in body


@pytest.mark.parametrize("name", ["Client Council", "client council", "  CLIENT COUNCIL "])
def test_a_duplicate_name_is_refused_next_to_the_field_with_input_kept(client, world, name):
    client.force_login(world.admin)
    response = client.post(URL, {"name": name, "kind": "department"})
    assert response.status_code == 200
    assert "already has a sponsor called" in _error_next_to(response, "name")
    body = response.content.decode()
    assert f'value="{name}"' in body
    assert 'value="department" selected' in body
    assert Sponsor.objects.filter(organisation=world.org).count() == 1


def test_the_same_name_in_another_organisation_is_fine(client, world):
    client.force_login(world.other_admin)
    client.post(
        reverse("organisations:sponsors", args=["elsewhere"]),
        {"name": "Client Council", "kind": "department"},
    )
    assert Sponsor.objects.filter(name="Client Council").count() == 2


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"name": "", "kind": "client"}, "name", "This field is required."),
        ({"name": "x" * 121, "kind": "client"}, "name", "at most 120 characters"),
        ({"name": "Kept Name", "kind": "partner"}, "kind", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client, world, data, field, message):
    client.force_login(world.admin)
    response = client.post(URL, data)
    assert message in _error_next_to(response, field)
    if data["name"] == "Kept Name":
        assert 'value="Kept Name"' in response.content.decode()
    assert Sponsor.objects.filter(organisation=world.org).count() == 1


def test_creating_a_sponsor_confirms_it(client, world):
    client.force_login(world.admin)
    response = client.post(URL, {"name": "Harbour Trust", "kind": "client"}, follow=True)
    assert any("Harbour Trust is added" in m for m in messages_of(response))


@pytest.mark.parametrize("persona", ["admin", "facilitator"])
def test_sponsors_query_count_is_constant(client, world, persona, django_assert_num_queries):
    client.force_login(world.persona(persona))
    grow_sponsors(world, 2)
    small, _ = count_queries(client, "get", URL)
    grow_sponsors(world, 20, contacts_each=3)
    large, response = count_queries(client, "get", URL)
    assert "Client 19" in response.content.decode()
    assert small == large
    with django_assert_num_queries(5):  # session, user, access, sponsors, their contacts
        client.get(URL)
