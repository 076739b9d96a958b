"""The set's round times: the template every live agenda of the set starts from."""

import pytest
from django.urls import reverse

from revans.live import actions, agenda
from revans.live.models import AgendaItem, RoundTime
from revans.live.tests.helpers import go_to_round, live_of
from revans.sets.models import LearningSet
from revans.testing import count_queries, sign_in_as

OURS = {1: 15, 2: 15, 3: 5, 4: 10, 5: 30, 6: 5, 7: 5, 8: 5}  # 90 minutes


def url(world):
    return reverse("round_times:edit", args=[world.set_a.pk])


def form_data(minutes: dict, do: str = "save") -> dict:
    return {"do": do, **{f"round_{r}": str(m) for r, m in minutes.items()}}


def test_a_template_is_the_agenda_of_a_meeting_of_its_length():
    shape = agenda.shape_for("open", None)
    plan = agenda.default_plan(shape, 90, OURS)
    assert [(i.round, i.minutes) for i in plan] == list(OURS.items())
    # A longer meeting stretches it; questioning takes the rounding.
    longer = agenda.default_plan(shape, 120, OURS)
    assert sum(i.minutes for i in longer) == 120
    assert [i.minutes for i in longer if i.round == 1] == [20]
    # Two issue holders: rounds 4-7 once each, everything shortened to fit.
    two = agenda.default_plan(agenda.AgendaShape(2, True, None), 90, OURS)
    assert [(i.round, i.issue_slot) for i in two] == [
        (1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 1), (7, 1),
        (4, 2), (5, 2), (6, 2), (7, 2), (8, 0),
    ]  # fmt: skip
    assert sum(i.minutes for i in two) == 90
    assert agenda.default_plan(shape, 90, {}) == agenda.default_plan(shape, 90)


def test_the_facilitator_sees_the_standard_times_and_the_agenda_they_give(client, world):
    client.force_login(world.facilitator)
    response = client.get(url(world))
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        f"round_{r}": m for r, m in agenda.standard_minutes().items()
    }
    body = response.content.decode()
    assert "The rounds add up to 90 minutes; the set's meetings last 90." in body
    assert "Use the standard times" not in body  # nothing to go back to
    preview = response.context["preview"]
    assert [row.one_holder for row in preview] == [10, 10, 5, 8, 35, 10, 5, 7]
    assert [row.two_holders for row in preview] == [8, 8, 4, 5, 19, 5, 3, 6]


def test_saved_times_open_the_next_meeting(client, world, on_the_day, announced):
    client.force_login(world.facilitator)
    response = client.post(url(world), form_data(OURS), follow=True)
    assert "The round times are saved. The next meeting opened uses them." in (
        response.content.decode()
    )
    assert dict(RoundTime.objects.values_list("round", "minutes")) == OURS
    meeting = world.meetings_a[0]
    actions.do_open_meeting(meeting, world.facilitator)
    items = AgendaItem.objects.filter(live_meeting=live_of(meeting)).order_by("position")
    assert [(i.round, i.minutes) for i in items] == list(OURS.items())
    # Choosing two issue holders re-plans rounds 4-8 from the same template.
    go_to_round(meeting, world.facilitator, 4, holders=world.members[:2])
    items = list(AgendaItem.objects.filter(live_meeting=live_of(meeting)).order_by("position"))
    assert [i.issue_slot for i in items if i.round == 4] == [1, 2]
    assert [i.minutes for i in items[:3]] == [15, 15, 5]
    assert sum(i.minutes for i in items) == 90


def test_bad_minutes_are_refused_next_to_the_round_with_the_input_kept(client, world):
    client.force_login(world.facilitator)
    data = form_data(OURS) | {"round_1": "0", "round_5": "lots", "round_8": ""}
    response = client.post(url(world), data)
    assert response.status_code == 200
    form = response.context["form"]
    message = "Give this round between 1 and 240 minutes, e.g. {}."
    assert form.errors["round_1"] == [message.format(10)]
    assert form.errors["round_5"] == [message.format(35)]
    assert form.errors["round_8"] == [message.format(7)]
    assert form["round_5"].value() == "lots"
    assert form["round_2"].value() == "15"
    assert not RoundTime.objects.exists()


def test_going_back_to_the_standard_times(client, world):
    client.force_login(world.facilitator)
    client.post(url(world), form_data(OURS))
    body = client.get(url(world)).content.decode()
    assert "Use the standard times" in body
    response = client.post(url(world), {"do": "reset"}, follow=True)
    assert "The set uses the standard round times again." in response.content.decode()
    assert not RoundTime.objects.exists()
    # Saving the standard times themselves is the same as going back to them.
    client.post(url(world), form_data(OURS))
    client.post(url(world), form_data(agenda.standard_minutes()))
    assert not RoundTime.objects.exists()


def test_an_archived_sets_round_times_cannot_change(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(archived_at=world.set_a.created_at)
    client.force_login(world.facilitator)
    response = client.post(url(world), form_data(OURS))
    assert "This set is archived, so its round times cannot be changed." in (
        response.content.decode()
    )
    assert not RoundTime.objects.exists()


@pytest.mark.parametrize("persona", ["member", "other_member", "sponsor", "anonymous"])
def test_only_those_who_manage_the_set_change_its_round_times(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(url(world), form_data(OURS))
    assert response.status_code in (302, 404)
    assert not RoundTime.objects.exists()


def test_the_page_costs_a_fixed_number_of_queries(client, world):
    client.force_login(world.facilitator)
    client.post(url(world), form_data(OURS))
    queries, response = count_queries(client, "get", url(world))
    assert response.status_code == 200
    assert queries <= 8, queries


def test_a_meetings_times_from_the_room_are_offered_for_the_set_to_keep(
    client, world, on_the_day, announced
):
    meeting = world.meetings_a[0]
    actions.do_open_meeting(meeting, world.facilitator)
    live = live_of(meeting)
    questioning = AgendaItem.objects.get(live_meeting=live, round=5)
    actions.do_set_round_minutes(
        meeting, world.facilitator, position=questioning.position, minutes=40
    )
    client.force_login(world.facilitator)

    response = client.get(f"{url(world)}?from={meeting.pk}")

    form = response.context["form"]
    assert form["round_5"].value() == 40
    assert form["round_1"].value() == agenda.standard_minutes()[1]
    body = response.content.decode()
    assert "These are the times the meeting on" in body
    assert "Save them to start every meeting of the set with them." in body
    # Two more queries than the page alone: the meeting, and its agenda.
    plain, _ = count_queries(client, "get", url(world))
    taken, _ = count_queries(client, "get", f"{url(world)}?from={meeting.pk}")
    assert taken == plain + 2
    # Nothing is kept until they press Save; then the next meetings start with them.
    assert not RoundTime.objects.exists()
    client.post(url(world), form_data({r: form[f"round_{r}"].value() for r in range(1, 9)}))
    assert dict(RoundTime.objects.values_list("round", "minutes"))[5] == 40


def test_a_meeting_with_two_issue_holders_or_of_another_set_gives_no_times(
    client, world, on_the_day, announced
):
    meeting = world.meetings_a[0]
    actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, 4, holders=world.members[:2])
    client.force_login(world.facilitator)
    standard = {f"round_{r}": m for r, m in agenda.standard_minutes().items()}

    response = client.get(f"{url(world)}?from={meeting.pk}")
    form = response.context["form"]
    assert {name: form[name].value() for name in form.fields} == standard
    assert "had two issue holders" in response.content.decode()

    for other in (world.meetings_b[0].pk, "999999", "x"):
        response = client.get(f"{url(world)}?from={other}")
        assert response.status_code == 200
        form = response.context["form"]
        assert {name: form[name].value() for name in form.fields} == standard
        assert "These are the times" not in response.content.decode()
