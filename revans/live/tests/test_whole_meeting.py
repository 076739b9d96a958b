"""A whole meeting through the dispatcher, as the clients will drive it."""

from revans.live import actions
from revans.live.dispatch import dispatch, read


def test_a_meeting_from_check_in_to_the_end(world, meeting, on_the_day, announced):
    fac, members = world.facilitator, world.members
    holder = members[1]

    def send(user, action, **fields):
        answer = dispatch(user, meeting.pk, {"action": action, **fields})
        assert answer["ok"], answer
        return answer

    def stage_version(user=fac):
        return read(user, meeting.pk, {"what": "snapshot"})["snapshot"]["version"]

    send(fac, "open")
    for user in [fac, *members]:
        actions.do_join(meeting, user)  # what each socket does as it connects
    send(fac, "advance", expected_version=stage_version())
    for member in members:
        send(member, "mark_turn_done")
    send(fac, "advance", expected_version=stage_version())
    send(members[0], "review_commitments", outcome="partly", learning="Started")
    send(fac, "advance", expected_version=stage_version(), confirm=True)
    send(holder, "submit_bid", title="Two teams", urgency=4, importance=4, minutes_wanted=40)
    snap = read(fac, meeting.pk, {"what": "snapshot"})["snapshot"]
    assert snap["suggested_order"] == [holder.pk]
    send(fac, "choose_issue_holders", user_ids=[holder.pk], expected_version=snap["version"])
    send(fac, "advance", expected_version=stage_version())

    refused = dispatch(members[0], meeting.pk, {"action": "post_question", "text": "What?"})
    assert refused["code"] == "presenting"
    send(members[0], "private_note", text="Budget?")
    send(fac, "advance", expected_version=stage_version())

    refused = dispatch(
        members[2], meeting.pk, {"action": "post_question", "text": "Just fire him."}
    )
    assert refused["code"] == "not_a_question"
    asked = send(members[2], "post_question", text="What would success look like?")
    assert asked["hints"] == []
    send(holder, "post_answer", text="Both teams trusting me", in_reply_to=asked["contribution_id"])
    send(fac, "pause", question="What question are you answering?")
    paused = read(members[3], meeting.pk, {"what": "snapshot"})["snapshot"]["stage"]
    assert paused["paused"] and paused["pause_question"] == "What question are you answering?"
    send(fac, "resume")
    send(fac, "advance", expected_version=stage_version())
    send(members[0], "give_feedback", text="Clear and honest")
    send(fac, "advance", expected_version=stage_version(), confirm=True)
    send(holder, "add_action", text="Meet both leads")
    send(fac, "advance", expected_version=stage_version())
    for user in [fac, *members]:
        send(user, "rate_process", score=8)
    send(fac, "end_meeting", expected_version=stage_version())

    # A member catching up from the start sees the shared story but nobody else's notes.
    caught_up = read(members[3], meeting.pk, {"what": "since", "seq": 0})
    texts = [e["payload"].get("text") for e in caught_up["events"]]
    assert "Meet both leads" in texts and "Budget?" not in texts
    assert caught_up["events"][-1]["payload"]["status"] == "ended"
