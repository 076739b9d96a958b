"""The live-meeting socket as its clients use it: snapshot on connect, acts and their results,
events pushed to everyone who may see them, catch-up, and answers to nonsense."""

import asyncio
import json

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.test.utils import CaptureQueriesContext

from revans.live import actions, broadcast, consumers
from revans.live.dispatch import read
from revans.live.models import Presence
from revans.live.tests import sockets
from revans.live.tests.helpers import go_to_round, version
from revans.live.tests.sockets import (
    db,
    events_until,
    open_socket,
    quiet,
    receive,
    run,
    session_headers,
)
from revans.testing import add_members, make_user

fresh_channel_layer = sockets.fresh_channel_layer
live_meeting = sockets.live_meeting


def questioning(world, meeting):
    """Round 5 with member 2 as the issue holder: members 1, 3 and 4 may ask."""
    go_to_round(meeting, world.facilitator, 5, holders=[world.members[1]])
    return world.members[1]


def test_connect_sends_the_snapshot_and_presence_follows(world, live_meeting):
    headers = session_headers(world.member)

    async def scenario():
        socket, snapshot = await open_socket(live_meeting.pk, headers)
        assert snapshot["meeting_id"] == live_meeting.pk
        assert snapshot["you"]["id"] == world.member.pk
        # Joining is itself an event: the member's own presence comes pushed after the snapshot.
        pushed = await events_until(socket, lambda e: e["type"] == "presence")
        assert pushed[-1]["payload"]["user"]["id"] == world.member.pk
        assert pushed[-1]["payload"]["connected"] is True
        assert pushed[0]["seq"] == snapshot["last_seq"] + 1
        assert await db(Presence.objects.filter(user=world.member, connected=True).exists)()
        await socket.disconnect()
        assert not await db(Presence.objects.filter(user=world.member, connected=True).exists)()

    run(scenario)()


def test_an_act_gets_its_result_and_everyone_gets_the_event(world, live_meeting):
    fran, member = session_headers(world.facilitator), session_headers(world.member)

    async def scenario():
        chair, snapshot = await open_socket(live_meeting.pk, fran)
        other, _ = await open_socket(live_meeting.pk, member)
        await chair.send_json_to(
            {
                "type": "act",
                "id": "r1",
                "message": {"action": "advance", "expected_version": snapshot["version"]},
            }
        )
        result = await wait_for_result(chair, "r1")
        assert result["ok"] is True
        assert result["version"] == snapshot["version"] + 1
        pushed = await events_until(other, lambda e: e["seq"] == result["seq"])
        stage = [e for e in pushed if e["type"] == "stage"][-1]
        assert stage["payload"]["status"] == "running"
        await chair.disconnect()
        await other.disconnect()

    run(scenario)()


async def wait_for_result(socket, request_id):
    """The result for `request_id`, skipping events pushed meanwhile."""
    while True:
        message = await receive(socket)
        if message["type"] == "result" and message["id"] == request_id:
            return message


def test_two_members_see_each_others_questions(world, live_meeting):
    questioning(world, live_meeting)
    asker, listener = world.members[0], world.members[2]
    a, b = session_headers(asker), session_headers(listener)

    async def scenario():
        one, _ = await open_socket(live_meeting.pk, a)
        two, _ = await open_socket(live_meeting.pk, b)
        for text, socket, request_id in (("What did you try?", one, "q1"), ("Why now?", two, "q2")):
            await socket.send_json_to(
                {
                    "type": "act",
                    "id": request_id,
                    "message": {"action": "post_question", "text": text},
                }
            )
            assert (await wait_for_result(socket, request_id))["ok"] is True
        for socket in (one, two):
            seen = await events_until(
                socket, lambda e: e["type"] == "contribution" and e["payload"]["text"] == "Why now?"
            )
            texts = [e["payload"]["text"] for e in seen if e["type"] == "contribution"]
            assert "What did you try?" in texts or socket is two
        await one.disconnect()
        await two.disconnect()

    run(scenario)()


def test_private_notes_travel_to_their_author_only(world, live_meeting):
    questioning(world, live_meeting)
    author, other = session_headers(world.members[0]), session_headers(world.members[2])

    async def scenario():
        mine, _ = await open_socket(live_meeting.pk, author)
        theirs, _ = await open_socket(live_meeting.pk, other)
        await events_until(theirs, lambda e: e["type"] == "presence")  # both joins seen
        await mine.send_json_to(
            {
                "type": "act",
                "id": "n1",
                "message": {"action": "private_note", "text": "SECRET note"},
            }
        )
        assert (await wait_for_result(mine, "n1"))["ok"] is True
        assert await quiet(theirs)
        # A later public event reaches the other member without the note, and asking for the
        # whole log from the start never shows it either.
        await mine.send_json_to(
            {"type": "act", "id": "q", "message": {"action": "post_question", "text": "Why?"}}
        )
        pushed = await events_until(theirs, lambda e: e["type"] == "contribution")
        await theirs.send_json_to({"type": "since", "seq": 0})
        everything = await receive(theirs)
        await theirs.send_json_to({"type": "snapshot"})
        snapshot = await receive(theirs)
        for message in (pushed, everything, snapshot):
            assert "SECRET" not in json.dumps(message)
        assert "SECRET" in json.dumps(await collect(mine))
        await mine.disconnect()
        await theirs.disconnect()

    run(scenario)()


async def collect(socket) -> list[dict]:
    """Everything already pushed to a socket."""
    messages = []
    while not await socket.receive_nothing(timeout=0.3):
        messages.append(await receive(socket))
    return messages


def test_a_client_catches_up_after_missing_events(world, live_meeting):
    questioning(world, live_meeting)
    headers = session_headers(world.members[2])

    async def scenario():
        socket, snapshot = await open_socket(live_meeting.pk, headers)
        await collect(socket)
        await socket.disconnect()
        for n in range(3):
            await db(actions.do_post_question)(live_meeting, world.members[0], text=f"Q{n}?")
        socket, _ = await open_socket(live_meeting.pk, headers)
        await socket.send_json_to({"type": "since", "seq": snapshot["last_seq"]})
        # The reconnection's own presence event may be pushed first; the answer to `since`
        # holds everything after the old cursor, in order, without holes.
        answer = [m for m in await collect(socket) if m["type"] == "events"][-1]
        seqs = [e["seq"] for e in answer["events"]]
        assert seqs == list(range(snapshot["last_seq"] + 1, answer["last_seq"] + 1))
        texts = [e["payload"]["text"] for e in answer["events"] if e["type"] == "contribution"]
        assert texts == ["Q0?", "Q1?", "Q2?"]
        await socket.disconnect()

    run(scenario)()


def test_a_lost_hint_leaves_no_gap(world, live_meeting, monkeypatch):
    questioning(world, live_meeting)
    headers = session_headers(world.members[2])

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        await collect(socket)
        real_send = broadcast.send
        monkeypatch.setattr(broadcast, "send", lambda *args: None)
        await db(actions.do_post_question)(live_meeting, world.members[0], text="Lost hint?")
        monkeypatch.setattr(broadcast, "send", real_send)
        assert await quiet(socket)
        await db(actions.do_post_question)(live_meeting, world.members[0], text="Next one?")
        message = await receive(socket)
        texts = [e["payload"]["text"] for e in message["events"]]
        assert texts == ["Lost hint?", "Next one?"]
        seqs = [e["seq"] for e in message["events"]]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        # A client ahead of the log (e.g. after a restore) is given a fresh snapshot.
        await socket.send_json_to({"type": "since", "seq": message["last_seq"] + 50})
        assert (await receive(socket))["type"] == "snapshot"
        await socket.disconnect()

    run(scenario)()


def counting_reads(monkeypatch) -> list:
    """Replace the socket's database reads by counted ones; the list grows by one a read."""
    reads = []

    def counted(*args):
        reads.append(args[2])
        return read(*args)

    monkeypatch.setattr(consumers, "read_async", db(counted))
    return reads


def test_someone_elses_private_note_costs_a_connection_no_read(world, live_meeting, monkeypatch):
    questioning(world, live_meeting)
    writer, listener = world.members[0], world.members[2]
    writer_headers, listener_headers = session_headers(writer), session_headers(listener)

    async def scenario():
        mine, _ = await open_socket(live_meeting.pk, writer_headers)
        theirs, _ = await open_socket(live_meeting.pk, listener_headers)
        await collect(mine)
        await collect(theirs)
        reads = counting_reads(monkeypatch)
        note = await db(actions.do_private_note)(live_meeting, writer, text="Only mine.")
        asked = await db(actions.do_post_question)(live_meeting, writer, text="Then what?")
        # The author gets the note and the question, each as it was committed.
        pushed = [e for m in [await receive(mine), await receive(mine)] for e in m["events"]]
        assert [e["seq"] for e in pushed] == [note["seq"], asked["seq"]]
        assert pushed[0]["payload"]["text"] == "Only mine."
        # Everyone else gets the question at once, moving past the note's number unread.
        message = await receive(theirs)
        assert [e["seq"] for e in message["events"]] == [asked["seq"]]
        # ...and tells their client nothing it may see came between, so it asks for nothing.
        assert message["after"] == note["seq"] - 1 and message["last_seq"] == asked["seq"]
        assert "Only mine." not in json.dumps(message)
        assert await quiet(theirs)
        assert reads == []
        await mine.disconnect()
        await theirs.disconnect()

    run(scenario)()


def test_events_that_arrive_out_of_order_go_out_in_order_without_a_read(
    world, live_meeting, monkeypatch
):
    questioning(world, live_meeting)
    listener = world.members[2]
    headers = session_headers(listener)

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        await collect(socket)
        # Two questions committed by "another server": their hints come later, swapped.
        monkeypatch.setattr(broadcast, "send", lambda *args: None)
        first = await db(actions.do_post_question)(live_meeting, world.members[0], text="A?")
        second = await db(actions.do_post_question)(live_meeting, world.members[3], text="B?")
        monkeypatch.undo()
        since = await db(read)(listener, live_meeting.pk, {"what": "since", "seq": 0})
        events = {e["seq"]: e for e in since["events"]}
        reads = counting_reads(monkeypatch)
        hint = sync_to_async(broadcast.channel_layer_send)
        await hint(live_meeting.pk, second["seq"], None, events[second["seq"]])
        assert await socket.receive_nothing(timeout=0.05)  # held: the one before is missing
        await hint(live_meeting.pk, first["seq"], None, events[first["seq"]])
        message = await receive(socket)
        assert [e["payload"]["text"] for e in message["events"]] == ["A?", "B?"]
        assert message["after"] == first["seq"] - 1 and message["last_seq"] == second["seq"]
        assert reads == []
        await socket.disconnect()

    run(scenario)()


def test_ping_answers_with_the_server_clock(world, live_meeting):
    headers = session_headers(world.member)

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        await collect(socket)
        await socket.send_json_to({"type": "ping"})
        pong = await receive(socket)
        assert pong["type"] == "pong" and pong["server_now"][:4].isdigit()
        await socket.disconnect()

    run(scenario)()


def test_malformed_messages_get_an_error_and_the_socket_stays(world, live_meeting):
    headers = session_headers(world.member)

    async def scenario():
        socket, _ = await open_socket(live_meeting.pk, headers)
        await collect(socket)
        for raw in (
            "not json",
            "[1, 2]",
            '{"type": 3}',
            '{"type": "dance"}',
            '{"type": "act"}',
            '{"type": "act", "id": ""}',
            '{"type": "since", "seq": "7"}',
            '{"type": "since", "seq": true}',
        ):
            await socket.send_to(text_data=raw)
            answer = await receive(socket)
            assert answer["type"] == "error" and answer["message"], raw
        await socket.send_to(bytes_data=b"\x00\x01")
        assert (await receive(socket))["type"] == "error"
        await socket.send_json_to({"type": "act", "id": "x", "message": {"action": "fly"}})
        result = await receive(socket)
        assert result == {
            "type": "result",
            "id": "x",
            "ok": False,
            "code": "bad_message",
            "message": result["message"],
            "details": {"field": "action"},
        }
        await socket.send_json_to({"type": "ping"})
        assert (await receive(socket))["type"] == "pong"
        await socket.disconnect()

    run(scenario)()


def test_a_refusal_goes_to_the_sender_only(world, live_meeting):
    go_to_round(live_meeting, world.facilitator, 4, holders=[world.members[1]])
    a, b = session_headers(world.members[0]), session_headers(world.members[2])

    async def scenario():
        one, _ = await open_socket(live_meeting.pk, a)
        two, _ = await open_socket(live_meeting.pk, b)
        await collect(one)
        await collect(two)
        await one.send_json_to(
            {"type": "act", "id": "s", "message": {"action": "post_question", "text": "Why?"}}
        )
        refused = await receive(one)
        assert refused["ok"] is False and refused["code"] == "presenting"
        assert "private note" in refused["message"]
        assert await quiet(two)
        await one.disconnect()
        await two.disconnect()

    run(scenario)()


def test_two_facilitator_tabs_pressing_next_move_the_meeting_once(world, live_meeting):
    go_to_round(live_meeting, world.facilitator, 2)
    expected = version(live_meeting)
    fran = session_headers(world.facilitator)

    async def scenario():
        tabs = [(await open_socket(live_meeting.pk, fran))[0] for _ in range(2)]
        press = {"action": "advance", "expected_version": expected, "confirm": True}
        for n, tab in enumerate(tabs):
            await tab.send_json_to({"type": "act", "id": f"next{n}", "message": press})
        results = await asyncio.gather(
            *(wait_for_result(t, f"next{n}") for n, t in enumerate(tabs))
        )
        assert sorted(r["ok"] for r in results) == [False, True], results
        assert [r["code"] for r in results if not r["ok"]] == ["stale"]
        for tab in tabs:
            await tab.disconnect()

    run(scenario)()
    assert version(live_meeting) == expected + 1


def grow(world, meeting, members: int, questions: int) -> None:
    extra = [make_user(f"extra{i}@client.example") for i in range(members)]
    add_members(world.set_a, extra)
    for n in range(questions):
        actions.do_post_question(meeting, world.members[n % 2 * 2], text=f"What about {n}?")
        actions.do_private_note(meeting, world.members[0], text=f"note {n}")


def queries_per_pushed_event(world, meeting, monkeypatch) -> int:
    """Queries the consumer runs to push one event to one client. Counted inside its read, in
    the thread and context of the consumer's own database connection."""
    headers = session_headers(world.members[2])
    counts = []

    def counted_read(*args):
        with CaptureQueriesContext(connection) as captured:
            answer = read(*args)
        counts.append(len(captured.captured_queries))
        return answer

    async def scenario():
        socket, _ = await open_socket(meeting.pk, headers)
        await collect(socket)
        monkeypatch.setattr(broadcast, "send", lambda *args: None)
        done = await db(actions.do_post_question)(meeting, world.members[0], text="And?")
        monkeypatch.undo()
        monkeypatch.setattr(consumers, "read_async", db(counted_read))
        await get_channel_layer().group_send(
            broadcast.meeting_group(meeting.pk), {"type": "meeting.event", "seq": done["seq"]}
        )
        pushed = await receive(socket)
        assert [e["payload"]["text"] for e in pushed["events"]] == ["And?"]
        monkeypatch.undo()
        await socket.disconnect()

    run(scenario)()
    assert len(counts) == 1
    return counts[0]


def test_pushing_an_event_costs_the_same_queries_in_a_busy_meeting(
    world, live_meeting, monkeypatch
):
    questioning(world, live_meeting)
    small = queries_per_pushed_event(world, live_meeting, monkeypatch)
    grow(world, live_meeting, members=8, questions=30)
    assert queries_per_pushed_event(world, live_meeting, monkeypatch) == small
    # The live meeting and the events: the read is made on the access the connection holds.
    assert small == 2


def test_an_up_to_date_connection_forwards_pushed_events_without_reading(
    world, live_meeting, monkeypatch
):
    questioning(world, live_meeting)
    asker, listener = world.members[0], world.members[2]
    reads = []
    counted = consumers.read_async

    async def counting_read(user, meeting_id, request, vouched=None):
        reads.append((user.pk, request["what"]))
        return await counted(user, meeting_id, request, vouched)

    monkeypatch.setattr(consumers, "read_async", counting_read)
    headers_asker, headers_listener = session_headers(asker), session_headers(listener)

    async def scenario():
        sender, _ = await open_socket(live_meeting.pk, headers_asker)
        receiver, _ = await open_socket(live_meeting.pk, headers_listener)
        await events_until(receiver, lambda e: e["type"] == "presence")
        await events_until(sender, lambda e: e["type"] == "presence")
        await quiet(receiver)
        reads.clear()
        await db(actions.do_post_question)(live_meeting, asker, text="What would help?")
        pushed = await events_until(receiver, lambda e: e["type"] == "contribution")
        assert pushed[-1]["payload"]["text"] == "What would help?"
        await events_until(sender, lambda e: e["type"] == "contribution")
        # Both connections were up to date: the pushed event was forwarded, nothing re-read.
        assert reads == []
        await sender.disconnect()
        await receiver.disconnect()

    run(scenario)()


def test_someone_removed_from_the_set_stops_receiving(world, live_meeting, monkeypatch):
    from revans.sets.models import SetMembership

    questioning(world, live_meeting)
    asker, leaver = world.members[0], world.members[2]
    # Removed behind the app's back (no signal): the periodic check must catch it. Make every
    # push re-check so the test need not wait for the usual interval.
    monkeypatch.setattr(consumers, "ACCESS_RECHECK_SECONDS", 0)
    monkeypatch.setattr(consumers, "RECHECK_GRACE_SECONDS", 0)
    set_id = live_meeting.learning_set_id
    headers_asker, headers_leaver = session_headers(asker), session_headers(leaver)

    async def scenario():
        sender, _ = await open_socket(live_meeting.pk, headers_asker)
        watcher, _ = await open_socket(live_meeting.pk, headers_leaver)
        await events_until(watcher, lambda e: e["type"] == "presence")
        await db(SetMembership.objects.filter(user=leaver, learning_set_id=set_id).update)(
            left_at=live_meeting.starts_at
        )
        await db(actions.do_post_question)(live_meeting, asker, text="Who else knows?")
        output = await watcher.receive_output(timeout=sockets.TIMEOUT)
        while output["type"] != "websocket.close":
            # Anything still delivered must not be the question asked after the removal.
            assert "Who else knows?" not in json.dumps(output)
            output = await watcher.receive_output(timeout=sockets.TIMEOUT)
        assert output["code"] == consumers.CLOSE_NOT_AVAILABLE
        await sender.disconnect()

    run(scenario)()


def test_removing_a_member_shuts_their_live_connection_at_once(world, live_meeting):
    """Through the app, removal is pushed: no waiting for the periodic check (60 s)."""
    from revans.sets.actions import do_remove_member
    from revans.sets.models import SetMembership

    questioning(world, live_meeting)
    leaver = world.members[2]
    membership = SetMembership.objects.get(user=leaver, learning_set=live_meeting.learning_set)
    headers_leaver, headers_stayer = session_headers(leaver), session_headers(world.members[0])

    async def scenario():
        watcher, _ = await open_socket(live_meeting.pk, headers_leaver)
        stayer, _ = await open_socket(live_meeting.pk, headers_stayer)
        await events_until(watcher, lambda e: e["type"] == "presence")
        await db(do_remove_member)(live_meeting.learning_set, membership, actor=world.facilitator)
        output = await watcher.receive_output(timeout=sockets.TIMEOUT)
        last_words = []
        while output["type"] != "websocket.close":
            last_words.append(json.loads(output["text"]))
            output = await watcher.receive_output(timeout=sockets.TIMEOUT)
        assert output["code"] == consumers.CLOSE_NOT_AVAILABLE
        # Told why, and where to go, so the page does not try to come back for ever.
        assert last_words[-1] == {
            "type": "closed",
            "message": "You can no longer see this meeting, so this page has left it.",
            "link": {"url": "/", "text": "Go to your home page"},
        }
        # Everyone still in the set stays connected and can go on.
        await stayer.send_json_to({"type": "ping"})
        assert (await stayer.receive_json_from(timeout=sockets.TIMEOUT))["type"] in (
            "pong",
            "events",
        )
        await stayer.disconnect()

    run(scenario)()
