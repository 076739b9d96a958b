import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from revans.organisations.actions import do_start_organisation, unique_slug
from revans.organisations.models import Organisation, OrganisationMembership
from revans.organisations.tests.helpers import sign_in_as
from revans.testing import PERSONAS

URL = reverse("organisations:start")
NEW_ACCOUNT = {
    "name": "Riverside Coaching",
    "kind": "provider",
    "facilitates": "on",
    "full_name": "Rita River",
    "email": "Rita@Riverside.example",
    "password": "a long enough passphrase 42",
    "password_confirm": "a long enough passphrase 42",
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_may_open_the_start_page(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Start an organisation" in body
    # Only signed-out visitors need an account; nobody's data shows on this page.
    assert ('name="password"' in body) == (persona == "anonymous")
    assert world.org.name not in body


def test_start_page_query_count(client, world, django_assert_num_queries):
    client.force_login(world.stranger)
    with django_assert_num_queries(2):  # session, user
        client.get(URL)


def test_a_visitor_starts_an_organisation_with_a_new_account(client, db):
    response = client.post(URL, NEW_ACCOUNT)
    org = Organisation.objects.get()
    assert (org.name, org.slug, org.kind) == (
        "Riverside Coaching",
        "riverside-coaching",
        "provider",
    )
    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=["riverside-coaching"])
    user = get_user_model().objects.get()
    assert (user.email, user.full_name) == ("rita@riverside.example", "Rita River")
    assert user.check_password(NEW_ACCOUNT["password"])
    row = OrganisationMembership.objects.get(organisation=org)
    assert (row.user, row.is_admin, row.is_facilitator) == (user, True, True)
    # Signed in: the organisation page opens straight away.
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Riverside Coaching" in page.content.decode()
    assert "Provider running sets for clients" in page.content.decode()


def test_a_signed_in_person_starts_an_organisation_without_facilitating(client, world):
    client.force_login(world.member)
    response = client.post(URL, {"name": "Council L&D", "kind": "in_house"})
    org = Organisation.objects.get(slug="council-ld")
    assert response.url == reverse("organisations:detail", args=["council-ld"])
    row = OrganisationMembership.objects.get(organisation=org)
    assert (row.user, row.is_admin, row.is_facilitator) == (world.member, True, False)
    assert get_user_model().objects.filter(email__iexact="rita@riverside.example").count() == 0


def test_an_independent_facilitator_always_facilitates(client, world):
    client.force_login(world.stranger)
    client.post(URL, {"name": "Stan Coaching", "kind": "independent"})  # box left unticked
    row = OrganisationMembership.objects.get(organisation__slug="stan-coaching")
    assert (row.user, row.is_admin, row.is_facilitator) == (world.stranger, True, True)


def test_the_independent_box_is_explained_and_enhanced(client, world):
    client.force_login(world.stranger)
    body = client.get(URL).content.decode()
    assert "Always on for an independent facilitator." in body
    assert "organisations/start.js" in body


def _error_next_to(response, field: str) -> str:
    body = response.content.decode()
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error shown next to {field}"
    return body.split(marker, 1)[1].split("</p>", 1)[0]


def test_an_existing_account_is_refused_with_a_sign_in_link_and_input_kept(client, world):
    data = {**NEW_ACCOUNT, "email": "FRAN@northgate.example"}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "An account with this email exists: sign in first" in _error_next_to(response, "email")
    body = response.content.decode()
    sign_in = reverse("accounts:sign_in") + "?next=" + URL.replace("/", "%2F")
    assert f'href="{sign_in}"' in body
    assert 'value="Riverside Coaching"' in body
    assert 'value="Rita River"' in body
    assert 'value="FRAN@northgate.example"' in body
    assert not Organisation.objects.filter(name="Riverside Coaching").exists()
    assert not world.facilitator.organisation_roles.filter(organisation__name="Riverside Coaching")


def test_the_action_also_refuses_an_existing_account(world):
    from revans.organisations.actions import OrganisationActionRefused

    with pytest.raises(OrganisationActionRefused) as refused:
        do_start_organisation(
            name="Takeover", kind="provider", facilitates=True, email="ada@northgate.example"
        )
    assert refused.value.field == "email"
    assert not Organisation.objects.filter(name="Takeover").exists()


def test_password_mismatch_is_shown_next_to_the_confirmation(client, db):
    response = client.post(URL, {**NEW_ACCOUNT, "password_confirm": "something else entirely"})
    assert response.status_code == 200
    assert "The two passwords do not match." in _error_next_to(response, "password_confirm")
    body = response.content.decode()
    assert 'value="Rita@Riverside.example"' in body or 'value="rita@riverside.example"' in body
    assert 'value="Riverside Coaching"' in body
    assert 'aria-invalid="true"' in body
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_weak_password_is_explained(client, db):
    response = client.post(URL, {**NEW_ACCOUNT, "password": "123", "password_confirm": "123"})
    assert "too short" in _error_next_to(response, "password")
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("name", "", "This field is required."),
        ("name", "x" * 121, "at most 120 characters"),
        ("kind", "franchise", "Select a valid choice."),
        ("full_name", "", "This field is required."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_kept(client, db, field, value, message):
    response = client.post(URL, {**NEW_ACCOUNT, field: value})
    assert response.status_code == 200
    assert message in _error_next_to(response, field)
    body = response.content.decode()
    for kept in ("Riverside Coaching", "Rita River"):
        if NEW_ACCOUNT[field] != kept:
            assert f'value="{kept}"' in body
    assert not Organisation.objects.exists()


def test_slug_clashes_take_the_next_number(client, world):
    client.force_login(world.stranger)
    for _ in range(3):
        client.post(URL, {"name": "Northgate", "kind": "provider"})
    assert sorted(Organisation.objects.filter(name="Northgate").values_list("slug", flat=True)) == [
        "northgate-2",
        "northgate-3",
        "northgate-4",
    ]  # "northgate" is the world's


def test_slugs_never_shadow_the_start_page_or_come_out_empty(world):
    assert unique_slug("Start") == "start-2"
    assert unique_slug("!!!") == "organisation"
    assert unique_slug("Café Ørsted Learning") == "cafe-rsted-learning"
    assert len(unique_slug("A" * 120)) <= 60
