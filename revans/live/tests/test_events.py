import datetime as dt
import json

from revans.live import actions
from revans.live.actions.core import load_live
from revans.live.models import MeetingEvent
from revans.live.snapshot import events_since, snapshot_for
from revans.live.tests.helpers import go_to_round, live_of, version
from revans.meetings.models import Rsvp


def run_a_busy_meeting(world, meeting):
    holder = world.members[1]
    for member in world.members:
        actions.do_join(meeting, member)
    go_to_round(meeting, world.facilitator, 5, holders=[holder])
    actions.do_private_note(meeting, world.members[2], text="Secret thought")
    asked = actions.do_post_question(meeting, world.member, text="What matters most?")
    actions.do_post_answer(
        meeting, holder, text="Keeping the team", in_reply_to=asked["contribution_id"]
    )
    actions.do_private_note(meeting, world.member, text="My own note")
    return holder


def test_seq_is_strictly_increasing_without_gaps(world, opened):
    run_a_busy_meeting(world, opened)
    seqs = list(MeetingEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert live_of(opened).last_seq == seqs[-1]


def test_every_event_is_announced_after_commit_private_ones_to_their_author_only(
    world, opened, announced, django_capture_on_commit_callbacks
):
    announced.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_join(opened, world.member)
        actions.do_private_note(opened, world.member, text="Mine")
    seq = live_of(opened).last_seq
    assert announced == [(opened.pk, seq - 1, None), (opened.pk, seq, world.member.pk)]
    # Each hint carries its event, exactly as a catch-up read would return it.
    joined, note = announced.events[-2:]
    assert (joined["seq"], joined["type"]) == (seq - 1, "presence")
    assert (note["seq"], note["type"], note["payload"]["text"]) == (seq, "contribution", "Mine")


def test_nothing_is_announced_before_commit(world, opened, announced):
    announced.clear()
    actions.do_join(opened, world.member)
    # pytest-django's transaction never commits, so nothing went out.
    assert announced == []


def test_a_failing_channel_layer_does_not_undo_the_change(
    world, opened, monkeypatch, django_capture_on_commit_callbacks
):
    from revans.live import broadcast

    def boom(*args):
        raise ConnectionError("redis down")

    monkeypatch.setattr(broadcast, "send", boom)
    with django_capture_on_commit_callbacks(execute=True):
        out = actions.do_join(opened, world.member)
    assert out["seq"] == live_of(opened).last_seq


def test_the_real_broadcast_reaches_the_meeting_group(world, opened, monkeypatch):
    """Through the configured layer (in-memory, or Redis pub/sub under make test-services).
    One event loop throughout: the pub/sub layer keeps its channels per loop."""
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    from revans.live import broadcast

    layer = get_channel_layer()
    event = {"seq": 7, "type": "stage", "payload": {}, "created_at": None}
    member_id = world.member.pk

    async def scenario():
        channel = await layer.new_channel()
        await layer.group_add(broadcast.meeting_group(opened.pk), channel)
        personal = await layer.new_channel()
        await layer.group_add(broadcast.personal_group(opened.pk, member_id), personal)
        try:
            # As after a commit: from a thread, while the server's loop runs.
            await sync_to_async(broadcast.channel_layer_send)(opened.pk, 7, None, event)
            private = {"seq": 8, "type": "contribution", "payload": {"text": "Mine"}}
            await sync_to_async(broadcast.channel_layer_send)(opened.pk, 8, member_id, private)
            return (
                await asyncio.wait_for(layer.receive(channel), 5),
                await asyncio.wait_for(layer.receive(personal), 5),
                await asyncio.wait_for(layer.receive(channel), 5),
            )
        finally:
            await layer.flush()

    to_meeting, to_member, skip = async_to_sync(scenario)()
    # The event is encoded once, as the frame every up-to-date connection forwards.
    assert to_meeting == {
        "type": "meeting.event",
        "seq": 7,
        "event": event,
        "frame": json.dumps({"type": "events", "events": [event], "after": 6, "last_seq": 7}),
    }
    assert to_member["seq"] == 8 and to_member["event"]["payload"] == {"text": "Mine"}
    # The rest of the meeting learns only that number 8 is someone else's, to move past it.
    assert skip == {"type": "meeting.event", "seq": 8, "event": None, "audience": member_id}


def test_events_since_shows_only_what_the_user_may_see(world, opened):
    run_a_busy_meeting(world, opened)
    live = load_live(opened.pk)
    mine = events_since(world.member, live, 0)
    texts = [e["payload"].get("text") for e in mine["events"] if e["type"] == "contribution"]
    assert "My own note" in texts and "Secret thought" not in texts
    assert "What matters most?" in texts and "Keeping the team" in texts
    assert mine["last_seq"] == live.last_seq
    seqs = [e["seq"] for e in mine["events"]]
    assert seqs == sorted(seqs)
    facilitator = events_since(world.facilitator, live, 0)
    facilitator_texts = [e["payload"].get("text") for e in facilitator["events"]]
    assert "My own note" not in facilitator_texts and "Secret thought" not in facilitator_texts


def test_events_since_resumes_from_the_cursor(world, opened):
    live = load_live(opened.pk)
    cursor = events_since(world.member, live, 0)["last_seq"]
    actions.do_join(opened, world.members[2])
    live = load_live(opened.pk)
    later = events_since(world.member, live, cursor)
    assert [e["type"] for e in later["events"]] == ["presence"]
    assert later["events"][0]["seq"] == cursor + 1


def test_events_from_the_future_or_too_far_back_ask_for_a_snapshot(world, opened):
    live = load_live(opened.pk)
    assert events_since(world.member, live, live.last_seq + 5)["snapshot_needed"] is True
    assert events_since(world.member, live, -1)["snapshot_needed"] is True
    for n in range(201):
        actions.do_private_note(opened, world.member, text=f"note {n}")
    live = load_live(opened.pk)
    assert events_since(world.member, live, 0)["snapshot_needed"] is True
    # Another member's cursor skips past notes they may not see.
    other = events_since(world.members[2], live, 0)
    assert other["snapshot_needed"] is False and other["last_seq"] == live.last_seq


def test_snapshot_holds_everything_the_user_may_see_and_no_one_elses_notes(world, opened):
    holder = run_a_busy_meeting(world, opened)
    live = load_live(opened.pk)
    snap = snapshot_for(world.member, live)
    assert snap["stage"]["round"] == 5 and snap["stage"]["status"] == "running"
    assert snap["stage"]["deadline"] and snap["server_now"]
    assert snap["version"] == live.version and snap["last_seq"] == live.last_seq
    assert snap["stage"]["issue_holder_ids"]["1"] == holder.pk
    texts = [c["text"] for c in snap["contributions"]]
    assert "My own note" in texts and "Secret thought" not in texts
    question = next(c for c in snap["contributions"] if c["kind"] == "question")
    assert question["author"]["name"] == "Member 1"
    assert question["addressed_to"]["id"] == holder.pk
    assert len(snap["agenda"]) == 8 and snap["balance"]["over_by"] == 0
    assert {p["user"]["id"] for p in snap["presence"]} == {m.pk for m in world.members}
    assert [p["name"] for p in snap["people"]][:1] == ["Fran Facilitator"]
    assert "airtime" not in snap
    facilitator_view = snapshot_for(world.facilitator, live)
    assert facilitator_view["airtime"]["meeting"][str(world.member.pk)]["questions"] == 1
    assert "My own note" not in [c["text"] for c in facilitator_view["contributions"]]


def test_only_the_facilitators_snapshot_says_who_sent_apologies(world, opened):
    apologised, changed_mind = world.members[2], world.members[3]
    Rsvp.objects.create(meeting=opened, user=apologised, response=Rsvp.Response.APOLOGIES)
    # A reply given before the meeting moved no longer stands.
    Rsvp.objects.create(
        meeting=opened,
        user=changed_mind,
        response=Rsvp.Response.APOLOGIES,
        given_for=opened.starts_at - dt.timedelta(days=7),
    )
    live = load_live(opened.pk)
    assert snapshot_for(world.facilitator, live)["apologies"] == [apologised.pk]
    for member in world.members:
        assert "apologies" not in snapshot_for(member, live)


def test_stage_events_carry_the_version_to_send_back(world, opened):
    live = live_of(opened)
    actions.do_advance(opened, world.facilitator, expected_version=live.version)
    stage = MeetingEvent.objects.filter(type="stage").order_by("-seq").first()
    assert stage.payload["version"] == version(opened)
    assert stage.payload["round"] == 1
