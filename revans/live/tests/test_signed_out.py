"""Signing out ends the live meeting in that browser: a page left open on a shared computer
must not go on showing the set's meeting to whoever sits down next. The person's other
browsers (their phone, say) stay in the room."""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client

from revans.live import actions, broadcast
from revans.live.broadcast import personal_group
from revans.live.tests import sockets
from revans.live.tests.sockets import db, open_socket, quiet, receive, run
from revans.testing import PASSWORD

fresh_channel_layer = sockets.fresh_channel_layer
live_meeting = sockets.live_meeting


def _browser(user) -> tuple[Client, list[tuple[bytes, bytes]]]:
    """A signed-in browser: its client (to sign out with) and the socket's headers."""
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    return client, [(b"origin", sockets.ORIGIN), (b"cookie", cookie)]


def test_signing_out_closes_that_browsers_room_and_says_how_to_come_back(world, live_meeting):
    laptop, laptop_headers = _browser(world.member)
    _phone, phone_headers = _browser(world.member)
    _other, other_headers = _browser(world.members[1])
    room = f"/meetings/{live_meeting.pk}/live/"

    async def scenario():
        on_laptop, _ = await open_socket(live_meeting.pk, laptop_headers)
        on_phone, _ = await open_socket(live_meeting.pk, phone_headers)
        someone_else, _ = await open_socket(live_meeting.pk, other_headers)
        response = await db(laptop.post)("/sign-out/")
        assert response.status_code == 302
        message = await receive(on_laptop)
        while message["type"] == "events":  # presence, pushed before the sign-out
            message = await receive(on_laptop)
        assert message == {
            "type": "closed",
            "message": "You signed out, so this page has left the meeting.",
            "link": {
                "url": f"/sign-in/?next={room.replace('/', '%2F')}",
                "text": "Sign in again to rejoin",
            },
        }
        # Coming back with the signed-out cookie is refused, as for any visitor.
        await sockets.assert_shut_for_good(on_laptop, live_meeting.pk, laptop_headers)
        # The same person's phone, and everyone else, stay in the meeting and are told only
        # that a connection left.
        for socket in (on_phone, someone_else):
            while not await quiet(socket):
                message = await receive(socket)
                assert message["type"] == "events", message
            await socket.send_json_to({"type": "ping"})
            assert (await receive(socket))["type"] == "pong"
            await socket.disconnect()

    run(scenario)()


def test_a_new_password_takes_the_persons_other_browsers_out_and_keeps_this_one(
    world, live_meeting
):
    laptop, laptop_headers = _browser(world.member)
    _phone, phone_headers = _browser(world.member)
    new = "a quiet harbour at dawn"

    async def scenario():
        on_laptop, _ = await open_socket(live_meeting.pk, laptop_headers)
        on_phone, _ = await open_socket(live_meeting.pk, phone_headers)
        response = await db(laptop.post)(
            "/account/password/",
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 302
        message = await receive(on_phone)
        while message["type"] == "events":
            message = await receive(on_phone)
        assert message["message"] == (
            "Your password was changed, so this page has left the meeting."
        )
        assert message["link"]["text"] == "Sign in again to rejoin"
        await sockets.assert_shut_for_good(on_phone, live_meeting.pk, phone_headers)
        # The browser that changed it stays in the meeting...
        while not await quiet(on_laptop):
            assert (await receive(on_laptop))["type"] == "events"
        await on_laptop.send_json_to({"type": "ping"})
        assert (await receive(on_laptop))["type"] == "pong"
        # ... and signing out there later (its session renewed) still takes it out.
        await db(laptop.post)("/sign-out/")
        message = await receive(on_laptop)
        while message["type"] == "events":
            message = await receive(on_laptop)
        assert message["message"] == "You signed out, so this page has left the meeting."

    run(scenario)()


def test_only_rooms_open_in_that_browser_are_told_and_never_the_session_key(
    world, opened, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        broadcast, "group_send", lambda group, message: sent.append((group, message))
    )
    client, _ = _browser(world.member)
    key = client.session.session_key
    request = SimpleNamespace(session=SimpleNamespace(session_key=key))
    broadcast.signed_out(request=request, user=world.member)
    assert sent == []  # no room open for them anywhere: nothing to tell
    actions.do_join(opened, world.member)
    broadcast.signed_out(request=request, user=world.member)
    tag = broadcast.session_tag(key)
    assert sent == [
        (personal_group(opened.pk, world.member.pk), {"type": "meeting.signed_out", "session": tag})
    ]
    assert key not in tag
    # A visitor who was never signed in has no session to name.
    broadcast.signed_out(
        request=SimpleNamespace(session=SimpleNamespace(session_key=None)), user=world.member
    )
    assert len(sent) == 1
