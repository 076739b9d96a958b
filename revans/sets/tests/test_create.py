import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from revans.organisations.models import Organisation, OrganisationMembership, Sponsor
from revans.sets import defaults
from revans.sets.models import LearningSet
from revans.sets.tests.helpers import assert_refused, sign_in_as
from revans.testing import PERSONAS, count_queries, make_set, make_user

URL = reverse("sets:create")
CREATORS = {"facilitator", "admin", "other_admin"}


def form_data(world, **overrides):
    data = {
        "organisation": str(world.org.pk),
        "name": "Finance Leaders",
        "cohort": "Autumn 2027",
        "facilitator": f"{world.org.pk}:{world.facilitator.pk}",
        "sponsor": str(world.sponsor_body.pk),
        "min_members": "4",
        "max_members": "8",
        "default_format": "open",
        "time_zone": "Europe/London",
        "location": "Civic Centre, Room 4",
        "online_link": "",
        "meeting_count": "6",
        "cadence": "monthly",
        "cadence_weeks": "4",
        "duration_minutes": "90",
        "hand_picked_dates": "",
        "first_date": "",
        "start_time": "",
        "ground_rules": "Statements only in response to questions.",
        "confidentiality_agreement": "What is said in the set stays in the set.",
    }
    data.update(overrides)
    return data


def future(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_organisation_admins_and_facilitators_may_create_sets(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(URL)
    if persona in CREATORS:
        assert response.status_code == 200
        assert 'name="name"' in response.content.decode()
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - CREATORS))
def test_others_cannot_create_by_posting(client, world, persona, schedule_calls):
    sign_in_as(client, world, persona)
    before = LearningSet.objects.count()
    response = client.post(URL, form_data(world))
    assert_refused(response, world, persona)
    assert LearningSet.objects.count() == before


def test_the_form_of_another_organisations_admin_shows_none_of_our_people(client, world):
    client.force_login(world.other_admin)
    body = client.get(URL).content.decode()
    assert world.facilitator.full_name not in body
    assert world.sponsor_body.name not in body
    # Their only organisation is chosen for them, not offered.
    assert f'type="hidden" name="organisation" value="{world.other_org.pk}"' in body


def test_other_admin_cannot_create_a_set_in_our_organisation(client, world, schedule_calls):
    client.force_login(world.other_admin)
    response = client.post(URL, form_data(world, facilitator="self_managed"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LearningSet.objects.filter(name="Finance Leaders").exists()


def test_the_form_starts_from_the_defaults(client, world):
    client.force_login(world.facilitator)
    form = client.get(URL).context["form"]
    assert form["min_members"].value() == 4
    assert form["max_members"].value() == 8
    assert form["meeting_count"].value() == 6
    assert form["duration_minutes"].value() == 90
    assert form["cadence"].value() == "monthly"
    assert form["time_zone"].value() == "Europe/London"
    assert str(form["ground_rules"].value()) == str(defaults.DEFAULT_GROUND_RULES)
    assert str(form["confidentiality_agreement"].value()) == str(defaults.DEFAULT_CONFIDENTIALITY)
    # The facilitator creating the set is proposed as its facilitator.
    assert form["facilitator"].value() == f"{world.org.pk}:{world.facilitator.pk}"


def test_the_time_zone_defaults_to_the_one_the_organisation_uses_most(client, world):
    for name in ("Paris 1", "Paris 2", "Paris 3"):
        make_set(world.org, world.facilitator, name, time_zone="Europe/Paris")
    client.force_login(world.facilitator)
    assert client.get(URL).context["form"]["time_zone"].value() == "Europe/Paris"


def test_a_facilitator_creates_a_set_and_lands_on_it(client, world, schedule_calls):
    client.force_login(world.facilitator)
    response = client.post(URL, form_data(world), follow=True)
    learning_set = LearningSet.objects.get(name="Finance Leaders")
    assert response.redirect_chain[-1][0] == reverse("sets:detail", args=[learning_set.pk])
    assert learning_set.organisation == world.org
    assert learning_set.facilitator == world.facilitator
    assert learning_set.sponsor == world.sponsor_body
    assert learning_set.cohort == "Autumn 2027"
    assert learning_set.status == LearningSet.Status.FORMING
    assert learning_set.agreement_version == 1
    assert learning_set.location == "Civic Centre, Room 4"
    assert "Finance Leaders" in response.content.decode()
    # No first meeting given: no schedule yet.
    assert schedule_calls == []


def test_the_schedule_is_generated_when_the_first_meeting_is_given(client, world, schedule_calls):
    client.force_login(world.admin)
    first = future(20)
    response = client.post(
        URL,
        form_data(
            world,
            cadence="weeks",
            cadence_weeks="3",
            first_date=first.isoformat(),
            start_time="18:00",
            time_zone="America/New_York",
        ),
    )
    assert response.status_code == 302
    learning_set = LearningSet.objects.get(name="Finance Leaders")
    assert learning_set.cadence == "weeks" and learning_set.cadence_weeks == 3
    assert len(schedule_calls) == 1
    call = schedule_calls[0]
    assert call["set"] == learning_set
    assert call["first_start_local"] == dt.datetime.combine(first, dt.time(18, 0))
    assert call["first_start_local"].tzinfo is None
    assert call["custom_dates"] is None
    assert call["actor"] == world.admin


def test_hand_picked_dates_set_the_number_of_meetings(client, world, schedule_calls):
    client.force_login(world.facilitator)
    days = [future(40), future(10), future(70)]
    text = "\r\n".join(d.isoformat() for d in days) + "\r\n"
    response = client.post(
        URL, form_data(world, cadence="custom", hand_picked_dates=text, start_time="09:30")
    )
    assert response.status_code == 302
    learning_set = LearningSet.objects.get(name="Finance Leaders")
    assert learning_set.meeting_count == 3
    assert learning_set.cadence == "custom"
    assert schedule_calls[0]["custom_dates"] == sorted(days)
    assert schedule_calls[0]["first_start_local"] == dt.datetime.combine(
        sorted(days)[0], dt.time(9, 30)
    )


def test_a_facilitator_creating_a_self_managed_set_keeps_the_duties_until_handed_on(
    client, world, schedule_calls
):
    client.force_login(world.facilitator)
    client.post(URL, form_data(world, facilitator="self_managed"))
    learning_set = LearningSet.objects.get(name="Finance Leaders")
    assert learning_set.self_managed
    assert learning_set.facilitator == world.facilitator
    body = client.get(reverse("sets:detail", args=[learning_set.pk])).content.decode()
    assert "Self-managed; duties held by Fran Facilitator" in body


def test_an_admin_creating_a_self_managed_set_leaves_the_duties_open(client, world, schedule_calls):
    client.force_login(world.admin)
    client.post(URL, form_data(world, facilitator="self_managed"))
    learning_set = LearningSet.objects.get(name="Finance Leaders")
    assert learning_set.self_managed and learning_set.facilitator is None
    body = client.get(reverse("sets:detail", args=[learning_set.pk])).content.decode()
    assert "Self-managed; no member holds the duties yet" in body


def test_limits_outside_the_recommended_range_are_accepted_with_a_warning(
    client, world, schedule_calls
):
    client.force_login(world.facilitator)
    response = client.post(URL, form_data(world, min_members="3", max_members="10"), follow=True)
    learning_set = LearningSet.objects.get(name="Finance Leaders")
    assert (learning_set.min_members, learning_set.max_members) == (3, 10)
    body = response.content.decode()
    assert "outside the recommended 4 to 8" in body
    assert "Warning:" in body


def test_an_admin_of_two_organisations_chooses_the_organisation(client, world, schedule_calls):
    second = Organisation.objects.create(name="Second Org", slug="second", kind="in_house")
    OrganisationMembership.objects.create(organisation=second, user=world.admin, is_admin=True)
    olga = make_user("olga2@second.example", "Second Facilitator")
    OrganisationMembership.objects.create(organisation=second, user=olga, is_facilitator=True)
    client.force_login(world.admin)
    body = client.get(URL).content.decode()
    assert '<select name="organisation"' in body
    assert "Second Facilitator" in body and "Fran Facilitator" in body
    # A facilitator of the other organisation does not fit.
    response = client.post(
        URL, form_data(world, organisation=str(second.pk), sponsor="")
    )  # facilitator is Fran, of Northgate
    assert response.status_code == 200
    assert "Choose a facilitator of Second Org." in response.content.decode()
    response = client.post(
        URL,
        form_data(
            world, organisation=str(second.pk), sponsor="", facilitator=f"{second.pk}:{olga.pk}"
        ),
    )
    assert response.status_code == 302
    assert LearningSet.objects.get(name="Finance Leaders").organisation == second


def _errors(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"time_zone": ""}, "time_zone", "Choose the time zone the set meets in."),
        (
            {"time_zone": "Mars/Olympus_Mons"},
            "time_zone",
            "'Mars/Olympus_Mons' is not a time zone Revans knows.",
        ),
        ({"min_members": "6", "max_members": "5"}, "max_members", "cannot be smaller than"),
        ({"min_members": "2"}, "min_members", "A set needs at least 3 members."),
        ({"max_members": "13"}, "max_members", "A set can have at most 12 members."),
        ({"ground_rules": "x" * 4001}, "ground_rules", "at most 4000 characters"),
        ({"name": "n" * 121}, "name", "at most 120 characters"),
        ({"name": ""}, "name", "This field is required."),
        ({"meeting_count": "25"}, "meeting_count", "at most 24"),
        ({"duration_minutes": "20"}, "duration_minutes", "at least 30"),
        ({"cadence_weeks": "13"}, "cadence_weeks", "at most 12"),
        ({"online_link": "not a link"}, "online_link", "Enter a valid URL."),
        ({"facilitator": ""}, "facilitator", "This field is required."),
        ({"first_date": "2020-01-07", "start_time": "18:00"}, "first_date", "is in the past"),
        ({"first_date": "tomorrow", "start_time": "18:00"}, "first_date", "YYYY-MM-DD"),
        ({"first_date": "", "start_time": "18:00"}, "first_date", "Enter the date"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_kept(
    client, world, schedule_calls, overrides, field, message
):
    client.force_login(world.facilitator)
    before = LearningSet.objects.count()
    response = client.post(URL, form_data(world, **overrides))
    assert response.status_code == 200
    assert any(message in e for e in _errors(response, field)), _errors(response, field)
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    # What the person typed is still there.
    assert 'value="Civic Centre, Room 4"' in body
    assert overrides.get("ground_rules", "Statements only in response to questions.") in body
    assert LearningSet.objects.count() == before
    assert schedule_calls == []


def test_hand_picked_dates_are_checked_one_by_one(client, world, schedule_calls):
    client.force_login(world.facilitator)
    good = future(30).isoformat()
    text = f"{good}\n2020-03-01\n31/12/2027\n{good}\n"
    response = client.post(
        URL, form_data(world, cadence="custom", hand_picked_dates=text, start_time="18:00")
    )
    errors = _errors(response, "hand_picked_dates")
    assert "'31/12/2027' is not a date written as YYYY-MM-DD." in errors
    assert f"{good} appears more than once." in errors
    # The text is kept as typed.
    assert "31/12/2027" in response.content.decode()
    response = client.post(
        URL,
        form_data(
            world, cadence="custom", hand_picked_dates=f"{good}\n2020-03-01", start_time="18:00"
        ),
    )
    assert _errors(response, "hand_picked_dates") == [
        "2020-03-01 is in the past: meetings are scheduled in the future."
    ]
    assert not LearningSet.objects.filter(name="Finance Leaders").exists()


def test_hand_picked_cadence_needs_dates_and_a_start_time(client, world, schedule_calls):
    client.force_login(world.facilitator)
    response = client.post(URL, form_data(world, cadence="custom"))
    assert _errors(response, "hand_picked_dates") == ["Enter the dates, one per line."]
    response = client.post(
        URL, form_data(world, cadence="custom", hand_picked_dates=future(9).isoformat())
    )
    assert _errors(response, "start_time") == ["Enter the time the meetings start."]


def test_create_page_queries_do_not_grow_with_the_organisation(
    client, world, django_assert_num_queries
):
    client.force_login(world.admin)
    small, _ = count_queries(client, "get", URL)
    for i in range(20):
        Sponsor.objects.create(organisation=world.org, name=f"Client {i}")
        person = make_user(f"fac{i}@northgate.example", f"Facilitator {i}")
        OrganisationMembership.objects.create(
            organisation=world.org, user=person, is_facilitator=True
        )
        make_set(world.org, person, f"Set {i}")
    large, response = count_queries(client, "get", URL)
    assert "Facilitator 19" in response.content.decode()
    assert small == large
    with django_assert_num_queries(6):
        client.get(URL)


def test_a_schedule_the_meetings_app_refuses_undoes_the_creation(client, world, monkeypatch):
    from revans.meetings import actions as meeting_actions

    def refuse(*args, **kwargs):
        raise ValueError("The set already has meetings.")

    monkeypatch.setattr(meeting_actions, "do_generate_schedule", refuse)
    client.force_login(world.facilitator)
    data = form_data(world, first_date=future(5).isoformat(), start_time="18:00")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "The set already has meetings." in _errors(response, "first_date")
    assert not LearningSet.objects.filter(name="Finance Leaders").exists()
