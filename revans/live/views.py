"""The live meeting's pages: the room, the projector view and the summary afterwards.

The room and the projector are shells: room.js (and the modules it imports) draws everything
else from the socket (/ws/meetings/<id>/). Only the set (members and the facilitator) may open
any of them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from revans.live import actions
from revans.live.actions.core import load_live
from revans.live.models import LiveMeeting
from revans.live.refusals import MeetingRefused
from revans.live.summary import own_private_notes, summary_for
from revans.meetings.access import access_meeting_for_user
from revans.sets.access import Need


def _strings() -> dict:
    """Words room.js shows, translated here so the script carries none of its own."""
    return {
        "connecting": _("Connecting…"),
        "connected": _("Connected"),
        "reconnecting": _("Reconnecting… Your work is kept; the page catches up by itself."),
        "not_sent": _(
            "Not sent: the connection dropped. Try again when the page says it is connected."
        ),
        "not_available": _("This meeting is not open yet, or not available to you. Trying again…"),
        "not_started": _("The meeting has not started yet. The facilitator will start it."),
        "not_started_yours": _("The meeting has not started yet. Start it when the set is ready."),
        "ended": _("The meeting has ended. Thank you."),
        "read_summary": _("Read the summary"),
        "start": _("Start the meeting"),
        "next": _("Next round"),
        "back": _("Back one round"),
        "pause": _("Pause for learning"),
        "resume": _("Resume"),
        "extend": _("Add time"),
        "extend_minutes": _("Minutes to add"),
        "end": _("End the meeting"),
        "end_confirm": _("End the meeting for everyone? This cannot be undone."),
        "close_room": _("Close the room"),
        "back_to_meeting": _("Back to the meeting's page"),
        # When coming back is refused at the door (socket.js asks the room page why).
        "signed_out_left": _("You are signed out, so this page has left the meeting."),
        "sign_in_again": _("Sign in again to rejoin"),
        "cannot_see": _("You can no longer see this meeting, so this page has left it."),
        "go_home": _("Go to your home page"),
        "close_room_hint": _(
            "Not meeting now? Closing the room records nothing, and you can then move or "
            "cancel the meeting, or open the room again later today."
        ),
        "close_room_confirm": _(
            "Close the room for everyone? Nothing is recorded: the meeting has not started."
        ),
        "hand_over": _("Hand over facilitation"),
        "hand_over_to": _("Hand over to"),
        "move_on_anyway": _("Move on anyway"),
        "not_yet": _("Not yet"),
        "facilitation": _("Facilitation"),
        "coach_question": _("Question for the set"),
        "coach_questions": _("The coach's standard questions"),
        "coach_question_hint": _(
            "Write your own, or choose one of the coach's standard questions below."
        ),
        "paused": _("Paused for learning"),
        "paused_timer": _("Timer stopped while the set is paused."),
        "round_changed": _("Now: %(round)s."),
        "paused_announce": _("The set is paused for learning: %(question)s"),
        "resumed": _("The meeting has resumed."),
        "times_up": _("Time's up"),
        "one_minute": _("One minute left"),
        "time_left": _("Time left"),
        "chime": _("Play a soft chime when time is up"),
        "agenda": _("Agenda"),
        "minutes": _("%(n)s min"),
        # Durations as the summary writes them (live_tags.minutes_seconds); the room fills in
        # the seconds already padded ("05").
        "seconds_only": _("%(s)s s"),
        "minutes_and_seconds": _("%(m)s min %(s)s s"),
        "current": _("now"),
        "change_times": _("Change the round times"),
        "set_round_times": _("The times every meeting of this set starts with"),
        "keep_these_times": _("Start the set's next meetings with this meeting's times"),
        "minutes_for": _("Minutes for %(round)s"),
        "save": _("Save"),
        "people": _("People"),
        "here": _("here"),
        "away": _("not here"),
        "sent_apologies": _("sent apologies"),
        "facilitator": _("facilitator"),
        "facilitating": _("facilitating"),
        "airtime": _("Airtime (only you see this)"),
        "airtime_cols": [
            _("Member"),
            _("Turns (time spoken)"),
            _("Questions"),
            _("Programme airtime"),
        ],
        "airtime_note": _(
            "Programme airtime: time spoken in turns and time as issue holder, in all the "
            "set's meetings so far."
        ),
        "your_bid_chosen": _(
            "The set chose your issue: you present it. You can still change its words here."
        ),
        "ground_rules": _("The set's ground rules"),
        "our_ground_rules": _("Our ground rules"),
        "turn_order": _("Turn order"),
        "speaking": _("speaking now"),
        "done": _("done"),
        "waiting": _("waiting"),
        "turn_left": _("left in this turn"),
        "turn_up": _("This turn's time is up"),
        "start_next_turn": _("Start the next turn"),
        "shuffle": _("Shuffle the order"),
        "move_up": _("Move %(name)s up"),
        "move_down": _("Move %(name)s down"),
        "i_am_done": _("I have finished my turn"),
        "passed": _("passed"),
        "pass_my_turn": _("Pass my turn"),
        # Where a member stands in the order, before their turn (they may be first, with
        # nobody started yet: "not your turn yet" read as if something had gone wrong).
        "you_are_first": _("You are first: your turn starts when the facilitator starts it."),
        "you_are_next": _("You are next."),
        "not_your_turn_yet": _("It is not your turn yet."),
        "pass_hint": _("If you would rather not speak in this round, you can pass."),
        "pass_confirm": _("Pass your turn in this round? You cannot take this back."),
        "mark_done": _("Mark as done"),
        "drag_to_order": _("Drag to change the order"),
        "unsent": _("The meeting moved on before you sent this. Nothing was lost:"),
        "dismiss": _("Dismiss"),
        "mark_done_for": _("Mark %(name)s as done"),
        "your_commitments": _("Your actions since the last meeting"),
        "no_commitments_recorded": _(
            "You have no actions recorded in Revans to review. If you set yourself any, say "
            "how they went."
        ),
        "your_commitments_reviewed": _("Your commitments since the last meeting"),
        "save_my_review": _("Save my review"),
        "save_review_of": _("Save %(name)s's review"),
        "outcome": _("How did they go?"),
        "outcomes": {"done": _("Done"), "partly": _("Partly done"), "not_done": _("Not done")},
        "choose_outcome": _("Choose how it went"),
        "one_line_learning": _("One line of learning"),
        "reviews": _("Commitments reviewed"),
        "commitment_outcome": _("How did it go?"),
        "commitment_due": _("due %(date)s"),
        "commitment_heading": _("Your commitment: %(what)s"),
        "commitments_of": _("Commitments of %(name)s"),
        # For whoever facilitates, recording a member's review as they say it aloud.
        "record_review_for": _("Record how it went for %(name)s"),
        "their_commitment": _("%(name)s's commitment: %(what)s"),
        "their_commitment_outcome": _("How did %(name)s's commitment go?"),
        "their_actions": _("%(name)s's actions since the last meeting"),
        "their_outcome": _("How did %(name)s's actions go?"),
        "their_learning": _("%(name)s's one line of learning"),
        "reviewed": _("Reviewed"),
        "not_reviewed": _("not reviewed yet"),
        "statuses": {
            "open": _("open"),
            "in_progress": _("in progress"),
            "done": _("done"),
            "dropped": _("dropped"),
        },
        "bid_heading": _("Bid for time"),
        "bid_title": _("Your issue, in a few words"),
        "bid_detail": _("A line of detail"),
        "urgency": _("How urgent (1 to 5)"),
        "importance": _("How important (1 to 5)"),
        "minutes_wanted": _("Minutes you would like"),
        "bid_numbers": _(
            "Urgency %(urgency)s of 5 · importance %(importance)s of 5 · %(minutes)s minutes wanted"
        ),
        "submit_bid": _("Send my bid"),
        "withdraw_bid": _("Withdraw my bid"),
        "change_bid": _("Change my bid"),
        "agreed_slot": _(
            "%(name)s's issue was agreed before the meeting: %(topic)s. Bids are for the open slot."
        ),
        "agreed_slot_no_topic": _(
            "%(name)s's issue was agreed before the meeting. Bids are for the open slot."
        ),
        "agreed_slot_yours": _(
            "Your issue was agreed before the meeting, so the first slot is yours. "
            "The others bid for the open slot."
        ),
        "choose_open_slot": _("Choose who takes the open slot"),
        "bids": _("Bids"),
        "no_bids": _("No bids yet."),
        "suggested": _("Revans suggests this order (least airtime first)"),
        "choose_heading": _("Choose the issue holder (one or two)"),
        "choose": _("Choose"),
        "chosen": _("issue holder"),
        "is_presenting": _("%(name)s is presenting"),
        "you_are_presenting": _("You are presenting. The set listens without interrupting."),
        "presenting_help": _(
            "While the issue holder presents, the others listen. You can keep a private note."
        ),
        "your_note": _("Your note"),
        "keep_private": _("Keep as a private note"),
        "share_with_set": _("Share with the set"),
        "your_private_notes": _("Your private notes (only you see these)"),
        "ask_heading": _("Ask a question"),
        "your_question": _("Your question"),
        "ask_to": _("Ask"),
        "choose_person": _("Choose whom to ask"),
        "ask": _("Ask"),
        "questions": _("Questions"),
        "no_questions": _("No questions yet."),
        "asked": _("%(author)s asked %(to)s"),
        "answer": _("Write an answer"),
        "your_answer": _("Your answer"),
        "send_answer": _("Send the answer"),
        "mark_answered": _("Mark as answered"),
        "mark_later": _("To think about later"),
        "mark_open": _("Open again"),
        "states": {
            "open": _("open"),
            "answered": _("answered"),
            "later": _("to think about later"),
        },
        "new_question": _("New question from %(name)s."),
        "hints": _("A thought about your question"),
        "learning": _("Your learning"),
        "record_learning": _("Record my learning"),
        "feedback": _("Feedback to %(name)s"),
        "give_feedback": _("Give feedback"),
        "shared_learning": _("Learning and feedback"),
        "actions_heading": _("Actions before the next meeting"),
        "your_action": _("An action you will take"),
        "add_action": _("Add the action"),
        "action_help": _(
            "Each action becomes one of your commitments, due at the set's next meeting. "
            "You can change it later on your commitments page."
        ),
        "no_actions": _("No actions yet."),
        "kept_for_later": _("Questions you kept to think about later"),
        "feedback_to_you": _("Feedback to you"),
        "no_reviews": _("No one has reviewed their commitments yet."),
        "nothing_shared": _("Nothing recorded yet."),
        "actions_by": _("%(name)s is writing their actions."),
        "rating": _("How did the set work today (1 to 10)?"),
        "choose_score": _("Choose a score"),
        "went_well": _("What went well"),
        "do_differently": _("What to do differently"),
        "send_rating": _("Send my review"),
        # METHOD.md: the learning cycle is a reflection aid in process review, never a test
        # that labels anyone (the learning-styles questionnaire is not embedded).
        "cycle_aid": _("A reflection aid: the learning cycle"),
        "cycle_intro": _(
            "Kolb's cycle, which Honey and Mumford's learning styles follow. Which part did "
            "the set lean on today, and which did it skip?"
        ),
        "cycle_steps": [
            _("Experience: what happened in the set today?"),
            _("Reflect: what did you notice, in yourself and in the set?"),
            _("Conclude: what do you make of it?"),
            _("Plan: what will the set try next time?"),
        ],
        "rated": _("Reviews so far: %(count)s, average %(average)s out of 10."),
        "saved": _("Saved."),
        "issue": _("Issue"),
        "issue_of": _("%(name)s's issue"),
        "whose_turn": _("Whose turn"),
        "round_of": _("Round %(n)s"),
        "round_for": _("%(round)s: %(name)s"),
        "runs_over": _("Runs over"),
    }


def _context(request, access, mode: str) -> dict:
    meeting = access.meeting
    live = load_live(meeting.pk)
    return {
        "meeting": meeting,
        "learning_set": meeting.learning_set,
        "role": access.role,
        "zone": meeting.learning_set.time_zone,
        "live": live,
        "mode": mode,
        "socket_path": f"/ws/meetings/{meeting.pk}/",
        "strings": _strings(),
    }


@login_required
def room(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.INSIDE)
    if request.method == "POST":
        try:
            actions.do_open_meeting(access.meeting, request.user)
        except MeetingRefused as refusal:
            messages.error(request, refusal.message)
        return redirect("live:room", meeting_id=access.meeting.pk)
    context = _context(request, access, "room")
    live = context["live"]
    if live is not None and live.status == LiveMeeting.Status.ENDED:
        messages.info(request, _("This meeting has ended. Here is its summary."))
        return redirect("live:summary", meeting_id=access.meeting.pk)
    return render(request, "live/room.html", context)


@login_required
def projector(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.INSIDE)
    return render(request, "live/projector.html", _context(request, access, "projector"))


@login_required
def summary(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.INSIDE)
    meeting = access.meeting
    live = load_live(meeting.pk)
    ended = live if live is not None and live.status == LiveMeeting.Status.ENDED else None
    return render(
        request,
        "live/summary.html",
        {
            "meeting": meeting,
            "learning_set": meeting.learning_set,
            "role": access.role,
            "zone": meeting.learning_set.time_zone,
            "summary": summary_for(ended) if ended else None,
            "own_notes": own_private_notes(ended, request.user) if ended else [],
            "room_url": reverse("live:room", args=[meeting.pk]),
        },
    )
