"""The page that generates a set's schedule from its contract, with a preview first."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from revans.meetings.models import Meeting
from revans.sets.models import LearningSet
from revans.testing import count_queries, make_meetings

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def empty_set(world):
    Meeting.objects.filter(learning_set=world.set_a).delete()
    return world.set_a


def url(learning_set):
    return reverse("meetings:generate", args=[learning_set.pk])


def test_preview_lists_the_dates_without_creating_them(client, world, empty_set):
    client.force_login(world.facilitator)
    response = client.post(
        url(empty_set), {"first_date": "2027-01-12", "start_time": "18:00", "step": "preview"}
    )
    body = response.content.decode()
    assert "This creates 6 meetings" in body
    for day in [
        "12 January 2027",
        "9 February 2027",
        "9 March 2027",
        "13 April 2027",
        "8 June 2027",
    ]:
        assert f"{day}, 18:00" in body
    assert 'value="2027-01-12"' in body and 'value="18:00"' in body
    assert not Meeting.objects.filter(learning_set=empty_set).exists()


def test_create_makes_the_meetings_and_returns_to_the_set(client, world, empty_set):
    client.force_login(world.facilitator)
    response = client.post(
        url(empty_set), {"first_date": "2027-01-12", "start_time": "18:00", "step": "create"}
    )
    assert response.status_code == 302
    assert response.url == reverse("sets:detail", args=[empty_set.pk])
    assert Meeting.objects.filter(learning_set=empty_set).count() == 6
    body = client.get(response.url).content.decode()
    assert "The schedule is ready: 6 meetings." in body
    assert "Tuesday 13 April 2027, 18:00" in body


def test_hand_picked_cadence_asks_for_the_dates(client, world, empty_set):
    LearningSet.objects.filter(pk=empty_set.pk).update(cadence="custom")
    client.force_login(world.facilitator)
    body = client.get(url(empty_set)).content.decode()
    assert 'name="hand_picked_dates"' in body and 'name="first_date"' not in body
    response = client.post(
        url(empty_set),
        {"hand_picked_dates": "2027-02-03\n2027-01-20\n", "start_time": "09:30", "step": "create"},
    )
    assert response.status_code == 302
    starts = [
        m.local_start().replace(tzinfo=None) for m in Meeting.objects.filter(learning_set=empty_set)
    ]
    assert starts == [dt.datetime(2027, 1, 20, 9, 30), dt.datetime(2027, 2, 3, 9, 30)]


def test_a_first_date_in_the_past_is_refused_next_to_the_field_with_input_kept(
    client, world, empty_set
):
    client.force_login(world.facilitator)
    response = client.post(
        url(empty_set), {"first_date": "2026-11-10", "start_time": "17:45", "step": "preview"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["first_date"]
    assert errors == ["2026-11-10: in the past. Meetings are scheduled in the future."]
    body = response.content.decode()
    assert 'value="2026-11-10"' in body and 'value="17:45"' in body
    assert 'id="id_first_date_error"' in body


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"first_date": "", "start_time": "18:00"}, "first_date", "This field is required."),
        (
            {"first_date": "2027-01-12", "start_time": "6pm"},
            "start_time",
            "Enter a time written as HH:MM, e.g. 18:00.",
        ),
    ],
)
def test_missing_or_bad_input_is_explained(client, world, empty_set, data, field, message):
    client.force_login(world.facilitator)
    response = client.post(url(empty_set), {**data, "step": "create"})
    assert response.context["form"].errors[field] == [message]
    assert not Meeting.objects.filter(learning_set=empty_set).exists()


def test_bad_hand_picked_dates_are_listed(client, world, empty_set):
    LearningSet.objects.filter(pk=empty_set.pk).update(cadence="custom")
    client.force_login(world.facilitator)
    response = client.post(
        url(empty_set),
        {"hand_picked_dates": "2027-02-03\n3rd March\n2027-02-03", "start_time": "09:30"},
    )
    errors = response.context["form"].errors["hand_picked_dates"]
    assert "'3rd March' is not a date written as YYYY-MM-DD." in errors
    assert "2027-02-03 appears more than once." in errors
    assert "3rd March" in response.content.decode()


def test_a_set_with_meetings_cannot_generate_again(client, world):
    client.force_login(world.facilitator)
    body = client.get(url(world.set_a)).content.decode()
    assert "This set already has its meetings" in body
    assert 'name="first_date"' not in body
    response = client.post(
        url(world.set_a), {"first_date": "2027-01-12", "start_time": "18:00", "step": "create"}
    )
    assert response.status_code == 200
    assert Meeting.objects.filter(learning_set=world.set_a).count() == 6


def test_generate_page_queries_stay_constant(client, world, empty_set, django_assert_num_queries):
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", url(empty_set))
    with django_assert_num_queries(4):
        client.get(url(empty_set))
    # With meetings the page only says so: still the same queries.
    make_meetings(empty_set, 20)
    large, _ = count_queries(client, "get", url(empty_set))
    assert small == large
