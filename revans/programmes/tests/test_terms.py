from decimal import Decimal

import pytest
from django.urls import reverse

from revans.testing import PERSONAS, assert_refused, count_queries, sign_in_as

GOOD = {"cost_per_set": "1,800", "currency": "gbp", "theme_threshold": "3"}


def _url(world):
    return reverse("programmes:terms", args=[world.org.slug, world.sponsor_body.pk])


def _error_next_to(response, field: str) -> str:
    body = response.content.decode()
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error shown next to {field}"
    return body.split(marker, 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_an_admin_sets_the_cost(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(_url(world), GOOD)
    world.sponsor_body.refresh_from_db()
    if persona == "admin":
        assert response.status_code == 302
        assert world.sponsor_body.cost_per_set == Decimal("1800")
        assert world.sponsor_body.currency == "GBP"
    else:
        assert_refused(response, world, persona, also_hidden=(world.sponsor_body.name,))
        assert world.sponsor_body.cost_per_set is None


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("cost_per_set", "lots", "Enter the cost as a number, e.g. 1800 or 1800.50."),
        ("cost_per_set", "-5", "The cost cannot be negative."),
        ("cost_per_set", "10.555", "Give the cost to at most 2 decimal places, e.g. 1800.50."),
        ("cost_per_set", "12345678901", "That cost is too large: at most 10 digits"),
        ("currency", "pounds", "A currency code has three letters, e.g. GBP."),
        ("currency", "XYZ", "XYZ is not the code of a currency in use today; try GBP (pounds)"),
        # Deutschmarks: a real code, long out of use.
        ("currency", "DEM", "DEM is not the code of a currency in use today"),
        ("currency", "", "Enter a currency code, e.g. GBP."),
        ("theme_threshold", "1", "At least 2 members: a theme supported by one member"),
        ("theme_threshold", "three", "Enter a whole number of members, e.g. 3."),
    ],
)
def test_bad_input_is_explained_and_kept(client, world, field, value, error):
    client.force_login(world.admin)
    response = client.post(_url(world), {**GOOD, field: value})
    assert response.status_code == 200
    assert error in _error_next_to(response, field)
    if value:
        assert f'value="{value}"' in response.content.decode()
    world.sponsor_body.refresh_from_db()
    assert world.sponsor_body.cost_per_set is None


def test_cost_can_be_cleared(client, world):
    world.sponsor_body.cost_per_set = Decimal("900")
    world.sponsor_body.save()
    client.force_login(world.admin)
    response = client.post(_url(world), {**GOOD, "cost_per_set": ""})
    assert response.status_code == 302
    world.sponsor_body.refresh_from_db()
    assert world.sponsor_body.cost_per_set is None


def test_form_page_queries(client, world):
    client.force_login(world.admin)
    n, response = count_queries(client, "get", _url(world))
    assert response.status_code == 200
    assert n <= 6
