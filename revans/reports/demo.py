"""Demo data for the report: the held meetings of the demo's active set get what a live meeting
would have recorded (issues presented, learning shared, process ratings), then a draft report
with the facilitator's edits, one released version for the sponsor, and a later edit not yet
released (so the draft and the released version differ, as they do in real use)."""

from __future__ import annotations

from revans.live.models import AgendaItem, Bid, Contribution, LiveMeeting, ProcessRating, TurnOrder
from revans.reports import actions
from revans.reports.models import ReportConcern

# Two issues per meeting (slot 1 and 2), in the members' words.
ISSUES = [
    "Leading my team through the restructure of adult social care",
    "A difficult conversation with a long-serving manager about performance",
    "Redundancies in housing: how do I keep the team together",
    "Too much on my plate since the new structure",
    "Feedback from councillors that feels like conflict",
    "The service redesign consultation and staff morale",
]
# What members said they learned, by meeting.
LEARNING = [
    [
        "During a restructure people need to hear the why more than once",
        "I avoid difficult conversations until they become crises",
        "Naming the tension in the room early helped the conversation",
        "My team's anxiety about the reorganisation is mine too",
    ],
    [
        "Consultation is not the same as asking for ideas",
        "Giving feedback the same week is kinder than waiting",
        "I said no to two requests and the sky did not fall",
        "The new structure needs me to delegate, not do",
        "Questions helped more than advice about my conflict with finance",
    ],
    [
        "Restructures leave survivors who need attention too",
        "A hard conversation went better when I asked what they saw first",
        "Prioritising one thing a day made my workload manageable",
        "Conflict with a colleague eased once we met in person",
    ],
]


def load_report_demo(learning_set, facilitator, members, meetings, now) -> None:
    held = [m for m in meetings if m.ends_at <= now and not m.is_cancelled][:3]
    for number, meeting in enumerate(held):
        live, _created = LiveMeeting.objects.get_or_create(
            meeting=meeting,
            defaults={"status": LiveMeeting.Status.ENDED, "started_at": meeting.starts_at},
        )
        for slot in (1, 2):
            holder = members[(2 * number + slot - 1) % len(members)]
            Bid.objects.create(
                live_meeting=live,
                user=holder,
                title=ISSUES[(2 * number + slot - 1) % len(ISSUES)],
                urgency=4,
                importance=4,
                minutes_wanted=35,
                chosen_slot=slot,
                created_at=meeting.starts_at,
            )
            setattr(live, f"issue_holder_{slot}", holder)
        live.save()
        # The timed rounds, so the programme's airtime balance has something to show.
        checkin = AgendaItem.objects.create(live_meeting=live, position=0, round=1, minutes=15)
        for order, member in enumerate(members):
            TurnOrder.objects.create(
                live_meeting=live,
                agenda_item=checkin,
                round=1,
                user=member,
                order=order,
                started_at=meeting.starts_at,
                done_at=meeting.starts_at,
                spoken_seconds=90 + 40 * ((order + number) % 3),
            )
        for slot in (1, 2):
            AgendaItem.objects.create(
                live_meeting=live, position=slot, round=4, issue_slot=slot, minutes=35
            )
        for i, text in enumerate(LEARNING[number]):
            Contribution.objects.create(
                live_meeting=live,
                author=members[(i + number) % len(members)],
                kind=Contribution.Kind.LEARNING,
                visibility=Contribution.Visibility.SET,
                text=text,
                created_at=meeting.ends_at,
            )
        for i, member in enumerate(members):
            ProcessRating.objects.create(
                live_meeting=live, user=member, score=min(10, 6 + number + i % 2)
            )

    report = actions.do_start_report(learning_set, actor=facilitator)
    actions.do_update_report(
        report,
        min_support=3,
        introduction=(
            "The set met monthly at the Civic Centre. Members worked on live issues from their "
            "own services; this report gives the themes in my words and the set's figures."
        ),
        withheld_sections=[],
    )
    narratives = {
        "restructures and reorganisation": (
            "Leading teams through structural change was the most common thread: keeping "
            "people informed, and looking after those who stay as well as those who go."
        ),
        "difficult conversations and conflict": (
            "Members practised raising hard issues earlier and asking before telling; several "
            "reported conversations that went better than they feared."
        ),
    }
    for theme in report.themes.all():
        key = theme.suggested_label.lower()
        if key in narratives:
            actions.do_edit_theme(
                theme,
                label=theme.label,
                narrative=narratives[key],
                withheld=theme.withheld,
            )
    actions.do_share_draft(report)
    concern = actions.do_raise_concern(
        report,
        member=members[1],
        item="section:attendance",
        text="Could attendance stay per meeting? I missed one for a family reason.",
    )
    actions.do_resolve_concern(
        concern,
        actor=facilitator,
        resolution=ReportConcern.Resolution.ANSWERED,
        answer="It does: the sponsor sees the rate per meeting, never who was absent.",
    )
    actions.do_release(report, actor=facilitator)
    # A later edit: the draft moves on; version 1 stays as the sponsor read it.
    actions.do_update_report(
        report,
        min_support=3,
        introduction=report.introduction + " Three meetings are still to come.",
        withheld_sections=[],
    )
