"""The one entry point for clients, whatever the transport (WebSocket consumer, HTTP, tests).

    dispatch(user, meeting_id, {"action": "advance", "expected_version": 7})
      -> {"ok": True, "version": 8, "seq": 42}
      or {"ok": False, "code": "stale", "message": "...", "details": {...}}
    read(user, meeting_id, {"what": "snapshot"}) -> {"ok": True, "snapshot": {...}}
    read(user, meeting_id, {"what": "since", "seq": 41})
      -> {"ok": True, "events": [...], "last_seq": 42, "snapshot_needed": False}

Access is checked first, through the meetings' access policy (Need.INSIDE: members and the
facilitator). Everyone else, whatever they send, gets the same refusal, which reveals nothing.
`expected_version` is the `version` the client last saw (snapshot or stage event); actions
that move the meeting require it, so two presses of "next" from one view move it once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from revans.live import actions, refusals
from revans.live.actions.core import inside, load_live
from revans.live.refusals import MeetingRefused
from revans.live.snapshot import events_since, snapshot_for
from revans.meetings.access import MeetingAccess, holds_same_inside_role

STR, INT, BOOL, INT_LIST, REVIEWS = "str", "int", "bool", "int_list", "reviews"


@dataclass(frozen=True)
class MessageType:
    handler: Callable[..., dict]
    # name -> (type, required)
    fields: dict[str, tuple[str, bool]] = field(default_factory=dict)
    needs_version: bool = False


def _fields(**spec: str) -> dict[str, tuple[str, bool]]:
    """name="int" for a required field, name="int?" for an optional one."""
    return {name: (kind.rstrip("?"), not kind.endswith("?")) for name, kind in spec.items()}


REGISTRY: dict[str, MessageType] = {
    "open": MessageType(actions.do_open_meeting),
    "advance": MessageType(actions.do_advance, _fields(confirm="bool?"), needs_version=True),
    "go_back": MessageType(actions.do_go_back, needs_version=True),
    "set_round_minutes": MessageType(
        actions.do_set_round_minutes, _fields(position=INT, minutes=INT)
    ),
    "extend_timer": MessageType(actions.do_extend_timer, _fields(minutes=INT)),
    "shuffle_turns": MessageType(actions.do_shuffle_turns, _fields(position="int?")),
    "reorder_turns": MessageType(
        actions.do_reorder_turns, _fields(user_ids=INT_LIST, position="int?")
    ),
    "start_next_turn": MessageType(actions.do_start_next_turn, needs_version=True),
    "mark_turn_done": MessageType(actions.do_mark_turn_done, _fields(user_id="int?")),
    "submit_bid": MessageType(
        actions.do_submit_bid,
        _fields(title=STR, detail="str?", urgency=INT, importance=INT, minutes_wanted=INT),
    ),
    "withdraw_bid": MessageType(actions.do_withdraw_bid),
    "choose_issue_holders": MessageType(
        actions.do_choose_issue_holders, _fields(user_ids=INT_LIST), needs_version=True
    ),
    "post_question": MessageType(
        actions.do_post_question, _fields(text=STR, addressed_to="int?", in_reply_to="int?")
    ),
    "post_answer": MessageType(actions.do_post_answer, _fields(text=STR, in_reply_to=INT)),
    "mark_question": MessageType(actions.do_mark_question, _fields(question_id=INT, state=STR)),
    "private_note": MessageType(actions.do_private_note, _fields(text=STR)),
    "record_learning": MessageType(actions.do_record_learning, _fields(text=STR)),
    "give_feedback": MessageType(actions.do_give_feedback, _fields(text=STR)),
    "add_action": MessageType(actions.do_add_action, _fields(text=STR)),
    "review_commitments": MessageType(
        actions.do_review_commitments,
        _fields(outcome=STR, learning="str?", member_id="int?", commitment_id="int?"),
    ),
    "save_commitment_reviews": MessageType(
        actions.do_save_commitment_reviews, _fields(reviews=REVIEWS, member_id="int?")
    ),
    "rate_process": MessageType(
        # No score is the member's slip, not a broken client: the action explains it.
        actions.do_rate_process,
        _fields(score="int?", went_well="str?", do_differently="str?"),
    ),
    "pause": MessageType(actions.do_pause, _fields(question=STR)),
    "resume": MessageType(actions.do_resume),
    "hand_over_facilitation": MessageType(actions.do_hand_over_facilitation, _fields(user_id=INT)),
    "end_meeting": MessageType(actions.do_end_meeting, needs_version=True),
    "close_room": MessageType(actions.do_close_room, needs_version=True),
}

READS = ("snapshot", "since")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_review(entry) -> bool:
    """One commitment's verdict in save_commitment_reviews."""
    return (
        isinstance(entry, dict)
        and set(entry) <= {"commitment_id", "outcome", "learning"}
        and _is_int(entry.get("commitment_id"))
        and isinstance(entry.get("outcome", ""), str)
        and isinstance(entry.get("learning", ""), str)
    )


CHECKS = {
    STR: lambda v: isinstance(v, str),
    INT: _is_int,
    BOOL: lambda v: isinstance(v, bool),
    INT_LIST: lambda v: isinstance(v, list) and len(v) <= 50 and all(_is_int(x) for x in v),
    REVIEWS: lambda v: isinstance(v, list) and len(v) <= 50 and all(map(_is_review, v)),
}


def bad_message(field_name: str | None = None) -> MeetingRefused:
    return MeetingRefused(
        "bad_message",
        _("Something went wrong with this request. Please reload the page."),
        **({"field": field_name} if field_name else {}),
    )


def parse(message) -> tuple[MessageType, dict]:
    if not isinstance(message, dict) or not isinstance(message.get("action"), str):
        raise bad_message()
    spec = REGISTRY.get(message["action"])
    if spec is None:
        raise bad_message("action")
    allowed = set(spec.fields) | {"action", "expected_version"}
    if set(message) - allowed:
        raise bad_message(sorted(set(message) - allowed)[0])
    fields = {}
    for name, (kind, required) in spec.fields.items():
        if name not in message or message[name] is None:
            if required:
                raise bad_message(name)
            continue
        if kind == INT and isinstance(message[name], float):
            # A person typed 2.5 into a number box: their slip, said plainly.
            raise MeetingRefused("bad_value", _("Please enter a whole number."), field=name)
        if not CHECKS[kind](message[name]):
            raise bad_message(name)
        fields[name] = message[name]
    if spec.needs_version:
        if not _is_int(message.get("expected_version")):
            raise bad_message("expected_version")
        fields["expected_version"] = message["expected_version"]
    return spec, fields


def refusal(exc: MeetingRefused) -> dict:
    return {"ok": False, "code": exc.code, "message": exc.message, "details": exc.details}


def _access(user, meeting_id) -> MeetingAccess:
    if user is None or not getattr(user, "is_authenticated", False) or not _is_int(meeting_id):
        raise refusals.not_available()
    return inside(user, meeting_id)


def dispatch(user, meeting_id, message, vouched: MeetingAccess | None = None) -> dict:
    """Carry out one act. The action checks the actor is inside the set (live_action), so
    it is not checked twice here; a live connection passes the access it holds for its
    user (`vouched`) instead. A message that cannot be parsed is refused as unavailable to
    an outsider, so its shape tells them nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not _is_int(meeting_id):
        return refusal(refusals.not_available())
    if vouched is not None and vouched.meeting.pk != meeting_id:
        raise ValueError("vouched access is for another meeting")
    try:
        try:
            spec, fields = parse(message)
        except MeetingRefused:
            if vouched is None:
                _access(user, meeting_id)
            raise
        outcome = spec.handler(vouched or meeting_id, user, **fields)
    except MeetingRefused as exc:
        return refusal(exc)
    return {"ok": True, **outcome}


def check_access(user, meeting_id) -> MeetingAccess | None:
    """For a live connection re-checking its user: their access, or None if they may no
    longer see the meeting."""
    try:
        return _access(user, meeting_id)
    except MeetingRefused:
        return None


def recheck_access(user, meeting_id, held: MeetingAccess) -> MeetingAccess | None:
    """A live connection's periodic re-check: the access it holds if its user's place in the
    set is unchanged (one small query), otherwise the full check."""
    if _is_int(meeting_id) and held.meeting.pk == meeting_id and holds_same_inside_role(user, held):
        return held
    return check_access(user, meeting_id)


def read(user, meeting_id, request, vouched: MeetingAccess | None = None) -> dict:
    """A snapshot, or the events since a number. A live connection passes the access it
    holds (`vouched`, kept fresh as for its acts): a connection that falls behind reads
    often (every event meant for someone else puts it one behind), and the access check was
    most of the cost of such a read. The answer's `access` is the check made here, if one
    was, for the connection to keep; it is never sent to the client."""
    if vouched is not None and vouched.meeting.pk != meeting_id:
        raise ValueError("vouched access is for another meeting")
    try:
        access = vouched if vouched is not None else _access(user, meeting_id)
        if not isinstance(request, dict) or request.get("what") not in READS:
            raise bad_message("what")
        if request["what"] == "since" and not _is_int(request.get("seq")):
            raise bad_message("seq")
        live = load_live(meeting_id)
        if live is None:
            raise MeetingRefused("not_open", _("The facilitator has not opened this meeting yet."))
    except MeetingRefused as exc:
        return refusal(exc)
    checked = None if vouched is not None else access
    if request["what"] == "snapshot":
        return {"ok": True, "access": checked, "snapshot": snapshot_for(user, live)}
    return {"ok": True, "access": checked, **events_since(user, live, request["seq"])}
