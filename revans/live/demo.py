"""Demo data: what the demo's active set recorded in its held meetings, as a live meeting
would have recorded it. Only members who attended take part; the issue holders' round-7
actions are the commitments they made at that meeting, and round 2 reviews the commitments
reviewed there (both from revans.core.demo), so the meeting summaries, the commitments and
the report tell one story. Airtime is uneven on purpose, as it is in real sets: one member
has not yet held the floor, so the next bidding round suggests them first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from revans.commitments.models import Commitment, ProgressNote
from revans.live import agenda
from revans.live.models import (
    AgendaItem,
    Bid,
    CommitmentReview,
    Contribution,
    LiveMeeting,
    ProcessRating,
    TurnOrder,
)
from revans.meetings.models import Attendance

# Members by their place in the set (revans.core.demo.HEADS_OF_SERVICE).
JO, SAMIR, RUTH, KWAME, LUCY, MARK = range(6)
ANSWERED, LATER, NOT_MARKED = "answered", "later", "open"


@dataclass
class Held:
    """One held meeting. Questions: (asker, issue slot, text, state, the holder's answer)."""

    holders: list[tuple[int, str, str]]  # (member, issue, a line of detail)
    other_bids: list[tuple[int, str]]
    questions: list[tuple[int, int, str, str, str]]
    learning: list[tuple[int, str]]
    feedback: list[tuple[int, int, str]]  # (author, issue slot, text)
    # The process review's comments: (what went well, what to do differently), one pair per
    # member who wrote any; the others only gave a score.
    comments: list[tuple[str, str]]
    # Seconds each member spoke in the check-in and reflection turns.
    spoken: dict[int, tuple[int, int]]


HELD = [
    Held(
        holders=[
            (
                JO,
                "Leading my team through the restructure of adult social care",
                "Two teams become one in April and I do not yet know what I may tell them",
            ),
            (
                SAMIR,
                "A difficult conversation with finance about agency spend",
                "Agency costs are up a third and everyone thinks someone else signs them off",
            ),
        ],
        other_bids=[(MARK, "Getting my managers to own their budgets")],
        questions=[
            (
                RUTH,
                1,
                "What have you been told you can say to the team so far?",
                ANSWERED,
                "Only that there will be one service; the rest is still with HR.",
            ),
            (
                SAMIR,
                1,
                "What would a good April look like for you, not for the service?",
                ANSWERED,
                "Walking in without dreading the team meeting.",
            ),
            (MARK, 1, "What are you most afraid the team will ask you?", LATER, ""),
            (
                KWAME,
                1,
                "Who in the team already knows more than you think?",
                ANSWERED,
                "Probably the two team leaders. They sat on the design group.",
            ),
            (
                LUCY,
                1,
                "What did you do the last time your team went through a change like this?",
                NOT_MARKED,
                "",
            ),
            (
                JO,
                2,
                "Who signs off agency spend today?",
                ANSWERED,
                "Four people, and none of them thinks it is theirs.",
            ),
            (
                RUTH,
                2,
                "What do you want finance to understand that they do not?",
                ANSWERED,
                "That the agency staff are covering vacancies we were told not to fill.",
            ),
            (KWAME, 2, "What happens if you say nothing to finance?", LATER, ""),
            (
                LUCY,
                2,
                "When did you last talk to the finance lead face to face?",
                ANSWERED,
                "Not since the budget round in March.",
            ),
        ],
        learning=[
            (RUTH, "During a restructure people need to hear the why more than once"),
            (SAMIR, "I avoid difficult conversations until they become crises"),
            (LUCY, "Naming the tension in the room early helped the conversation"),
            (JO, "My team's anxiety about the reorganisation is mine too"),
        ],
        feedback=[
            (MARK, 1, "You sounded clearer about what you want by the end than at the start."),
            (RUTH, 2, "Naming the four people who sign off made the problem feel smaller."),
        ],
        comments=[
            ("Open questions, and nobody rushed Jo", "We drifted into advice for Samir once"),
            ("Good time keeping", ""),
        ],
        spoken={
            JO: (150, 60),
            SAMIR: (95, 45),
            RUTH: (120, 50),
            KWAME: (70, 40),
            LUCY: (110, 55),
            MARK: (60, 35),
        },
    ),
    Held(
        holders=[
            (
                RUTH,
                "Changing the rota without losing the front-line team",
                "The new rota has to start in January and the team already feels unheard",
            ),
            (
                LUCY,
                "Feedback from councillors that feels like conflict",
                "Two councillors criticise the service in committee rather than to me",
            ),
        ],
        other_bids=[
            (MARK, "Getting my managers to own their budgets"),
            (SAMIR, "Too many meetings"),
        ],
        questions=[
            (
                JO,
                1,
                "What would the front line say about the rota if you asked them?",
                ANSWERED,
                "That nights are the problem, not weekends. I think.",
            ),
            (
                SAMIR,
                1,
                "Who set the January deadline?",
                ANSWERED,
                "I did, to get it over with.",
            ),
            (MARK, 1, "What are you protecting by deciding alone?", LATER, ""),
            (
                SAMIR,
                1,
                "What would change if the rota started in March instead?",
                NOT_MARKED,
                "",
            ),
            (
                RUTH,
                2,
                "Which councillor's words stay with you most?",
                ANSWERED,
                "The one who said the service hides behind its processes.",
            ),
            (
                SAMIR,
                2,
                "What do you think they want from you?",
                ANSWERED,
                "To hear it from me before they hear it from residents.",
            ),
            (JO, 2, "How would you know the conflict had eased?", NOT_MARKED, ""),
            (SAMIR, 2, "What have you not yet said to them?", LATER, ""),
        ],
        learning=[
            (LUCY, "Consultation is not the same as asking for ideas"),
            (JO, "Giving feedback the same week is kinder than waiting"),
            (MARK, "I said no to two requests and the sky did not fall"),
            (RUTH, "The new structure needs me to delegate, not do"),
            (SAMIR, "Questions helped more than advice about my conflict with finance"),
        ],
        feedback=[
            (JO, 1, "You already know what the front line would say; it showed."),
            (MARK, 2, "You were calmer about the councillors than when you started."),
        ],
        comments=[
            ("Reviewing last month's actions first kept us honest", "Start on time"),
            ("", "More questions from the quieter members"),
        ],
        spoken={
            JO: (80, 150),
            SAMIR: (130, 170),
            RUTH: (100, 60),
            LUCY: (90, 75),
            MARK: (55, 50),
        },
    ),
    Held(
        holders=[
            (
                KWAME,
                "Too much on my plate since the new structure",
                "I took on two teams' work in the summer and never gave any of it back",
            ),
            (
                JO,
                "Redundancies in adult social care: how do I keep the team together",
                "Three posts go in the spring; the team knows something is coming",
            ),
        ],
        other_bids=[(LUCY, "The service redesign consultation and staff morale")],
        questions=[
            (
                LUCY,
                1,
                "What is on your plate that is not yours?",
                ANSWERED,
                "About a third of it, if I am honest.",
            ),
            (SAMIR, 1, "Who would notice if you stopped doing the weekly figures?", LATER, ""),
            (
                RUTH,
                1,
                "What do you say yes to that you would like to say no to?",
                ANSWERED,
                "Covering every meeting my director cannot make.",
            ),
            (
                KWAME,
                2,
                "What would keeping the team together look like in June?",
                ANSWERED,
                "Nobody leaving who did not have to, and the team leaders still talking to me.",
            ),
            (
                SAMIR,
                2,
                "Who could draft the picture of the new service with you?",
                ANSWERED,
                "The two team leaders who have been through this before.",
            ),
            (RUTH, 2, "What does the team need from you this month?", NOT_MARKED, ""),
            (SAMIR, 2, "What are you not telling the team that they already guess?", LATER, ""),
        ],
        learning=[
            (RUTH, "Restructures leave survivors who need attention too"),
            (JO, "A hard conversation went better when I asked what they saw first"),
            (KWAME, "Prioritising one thing a day made my workload manageable"),
            (LUCY, "Conflict with a colleague eased once we met in person"),
        ],
        feedback=[
            (LUCY, 1, "Saying 'a third of it' out loud was the turning point."),
            (RUTH, 2, "You asked for help with the draft, which you would not have done in June."),
        ],
        comments=[
            (
                "We stayed with questions even when it got hard",
                "Samir asked most of the questions again: leave room for others",
            )
        ],
        spoken={
            JO: (75, 90),
            SAMIR: (140, 110),
            RUTH: (85, 130),
            KWAME: (125, 70),
            LUCY: (65, 95),
        },
    ),
]
SCORES = [7, 8, 6, 7, 8, 7]


def load_live_record(facilitator, members, meetings, now) -> None:
    held = [m for m in meetings if m.ends_at <= now and not m.is_cancelled]
    for number, (meeting, script) in enumerate(zip(held, HELD, strict=False)):
        _check_attendance(meeting, script, members)
        live = LiveMeeting.objects.create(
            meeting=meeting,
            status=LiveMeeting.Status.ENDED,
            opened_at=meeting.starts_at - dt.timedelta(minutes=5),
            opened_by=facilitator,
            started_at=meeting.starts_at,
            ended_at=meeting.ends_at,
        )
        items, starts = _agenda(live, meeting)
        _bids(live, script, members, at=starts[3, 0])
        _turns(live, script, members, items, starts)
        _reviews(live, meeting, at=starts[2, 0])
        _contributions(live, meeting, script, members, items, starts)
        for n, who in enumerate(script.spoken):
            went_well, do_differently = script.comments[n] if n < len(script.comments) else ("", "")
            ProcessRating.objects.create(
                live_meeting=live,
                user=members[who],
                score=SCORES[(n + number) % len(SCORES)],
                went_well=went_well,
                do_differently=do_differently,
                rated_at=meeting.ends_at - dt.timedelta(minutes=2),
            )


def _check_attendance(meeting, script: Held, members) -> None:
    """Each script is written for the attendance the demo records (revans.core.demo): only
    those present take part, and loading fails loudly if the two drift apart."""
    present = set(
        Attendance.objects.filter(meeting=meeting, attended=True).values_list("user_id", flat=True)
    )
    if {members[who].pk for who in script.spoken} != present:
        raise ValueError(f"the demo's script for {meeting} does not match its attendance")


def _agenda(live, meeting):
    """METHOD.md's agenda for two issue holders; each item by (round, slot), and when it began."""
    plan = agenda.fit(
        [agenda.PlannedItem(r, s, m) for r, s, m in agenda.TWO_HOLDERS], meeting.duration_minutes
    )
    items, starts, at = {}, {}, meeting.starts_at
    for position, planned in enumerate(plan):
        key = (planned.round, planned.issue_slot)
        items[key] = AgendaItem.objects.create(
            live_meeting=live,
            position=position,
            round=planned.round,
            issue_slot=planned.issue_slot,
            minutes=planned.minutes,
            seconds_used=planned.minutes * 60,  # the demo's meetings kept to time
        )
        starts[key] = at
        at += dt.timedelta(minutes=planned.minutes)
    live.stage_position = len(plan) - 1
    live.save(update_fields=["stage_position"])
    return items, starts


def _bids(live, script: Held, members, at) -> None:
    for slot, (who, title, detail) in enumerate(script.holders, start=1):
        setattr(live, f"issue_holder_{slot}", members[who])
        Bid.objects.create(
            live_meeting=live,
            user=members[who],
            title=title,
            detail=detail,
            urgency=4,
            importance=4,
            minutes_wanted=30,
            chosen_slot=slot,
            created_at=at,
        )
    live.save(update_fields=["issue_holder_1", "issue_holder_2"])
    for who, title in script.other_bids:
        Bid.objects.create(
            live_meeting=live,
            user=members[who],
            title=title,
            urgency=2,
            importance=3,
            minutes_wanted=20,
            created_at=at,
        )


def _turns(live, script: Held, members, items, starts) -> None:
    """Check-in and reflection: each member present in turn, for as long as they spoke."""
    for round_ in (1, 2):
        spoke = starts[round_, 0]
        for order, (who, seconds) in enumerate(script.spoken.items()):
            done = spoke + dt.timedelta(seconds=seconds[round_ - 1])
            TurnOrder.objects.create(
                live_meeting=live,
                agenda_item=items[round_, 0],
                round=round_,
                user=members[who],
                order=order,
                started_at=spoke,
                done_at=done,
                spoken_seconds=seconds[round_ - 1],
            )
            spoke = done


def _reviews(live, meeting, at) -> None:
    """Round 2: each member's review of their commitments, as written on those commitments'
    histories at this meeting."""
    reviews = (
        ProgressNote.objects.filter(meeting=meeting)
        .exclude(review_outcome="")
        .select_related("commitment")
    )
    for note in reviews:
        CommitmentReview.objects.create(
            live_meeting=live,
            # The review is the commitment's owner's (the note's author is who recorded it).
            member_id=note.commitment.owner_id,
            outcome=note.review_outcome,
            learning=note.text,
            recorded_by=note.author,
            recorded_at=at,
        )


_ROUND_OF = {
    Contribution.Kind.QUESTION: 5,
    Contribution.Kind.ANSWER: 5,
    Contribution.Kind.FEEDBACK: 6,
    Contribution.Kind.LEARNING: 6,
    Contribution.Kind.ACTION: 7,
}


def _contributions(live, meeting, script: Held, members, items, starts) -> None:
    """Rounds 5-7: questions and answers, learning and feedback, and the issue holders'
    actions, which are the commitments they made at this meeting."""

    def said(kind, author, text, slot, minute, **extra) -> Contribution:
        return Contribution.objects.create(
            live_meeting=live,
            agenda_item=items[_ROUND_OF[kind], slot],
            author=author,
            kind=kind,
            visibility=Contribution.Visibility.SET,
            text=text,
            created_at=starts[_ROUND_OF[kind], slot] + dt.timedelta(minutes=minute),
            **extra,
        )

    def holder(slot):
        return members[script.holders[slot - 1][0]]

    Kind = Contribution.Kind
    asked = {1: 0, 2: 0}
    for who, slot, text, state, answer in script.questions:
        asked[slot] += 1
        minute = 2 * asked[slot]
        question = said(
            Kind.QUESTION, members[who], text, slot, minute, addressed_to=holder(slot), state=state
        )
        if answer:
            said(Kind.ANSWER, holder(slot), answer, slot, minute + 1, in_reply_to=question)
    for n, (who, text) in enumerate(script.learning):
        said(Kind.LEARNING, members[who], text, 1 + n % 2, 1 + n // 2)
    for who, slot, text in script.feedback:
        said(Kind.FEEDBACK, members[who], text, slot, 3, addressed_to=holder(slot))
    for slot in (1, 2):
        made_here = Commitment.objects.filter(meeting=meeting, owner=holder(slot))
        for n, commitment in enumerate(made_here.order_by("created_at")):
            said(Kind.ACTION, holder(slot), commitment.what, slot, 1 + n)
