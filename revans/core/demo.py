"""A realistic demo organisation for `make run` / `revans demo`.

A provider (Northgate Learning Partners) runs sets for two client organisations:
one set active mid-programme with past meetings and attendance, one forming, one completed.
The loader writes rows directly rather than through actions because it records history
(meetings in the past, attendance) that the actions rightly refuse to create today.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from dateutil.relativedelta import TH, TU, WE, relativedelta
from django.db import transaction
from django.utils import timezone

from revans.accounts.models import User
from revans.commitments.models import Commitment, ProgressNote
from revans.core.demo_between import load_between_meetings
from revans.live.demo import load_live_record
from revans.meetings.models import Attendance, Meeting, Rsvp
from revans.organisations.models import (
    Organisation,
    OrganisationMembership,
    Sponsor,
    SponsorContact,
)
from revans.reports.demo import load_report_demo
from revans.sets import defaults
from revans.sets.models import FacilitatorChange, Invitation, LearningSet, SetMembership

DEMO_SLUG = "northgate"
DEMO_PASSWORD = "revans-demo-2026"
TZ = ZoneInfo("Europe/London")

PEOPLE = {
    "admin": ("alex.morgan@northgate.example", "Alex Morgan"),
    "facilitator": ("priya.shah@northgate.example", "Priya Shah"),
    "facilitator2": ("tom.okafor@northgate.example", "Tom Okafor"),
    "sponsor": ("helen.price@castlebridge.example", "Helen Price"),
    "sponsor2": ("david.chen@meridianhealth.example", "David Chen"),
}
HEADS_OF_SERVICE = [
    ("jo.bennett@castlebridge.example", "Jo Bennett", "Castlebridge Borough Council"),
    ("samir.haddad@castlebridge.example", "Samir Haddad", "Castlebridge Borough Council"),
    ("ruth.evans@castlebridge.example", "Ruth Evans", "Castlebridge Borough Council"),
    ("kwame.asante@castlebridge.example", "Kwame Asante", "Castlebridge Borough Council"),
    ("lucy.fraser@castlebridge.example", "Lucy Fraser", "Castlebridge Borough Council"),
    ("mark.doyle@castlebridge.example", "Mark Doyle", "Castlebridge Borough Council"),
]
NEW_WOMEN_LEADERS = [
    ("aisha.khan@meridianhealth.example", "Aisha Khan", "Meridian Health NHS Trust"),
    ("claire.wong@meridianhealth.example", "Claire Wong", "Meridian Health NHS Trust"),
    ("fiona.reid@harbourhousing.example", "Fiona Reid", "Harbour Housing Association"),
    ("nadia.petrova@castlebridge.example", "Nadia Petrova", "Castlebridge Borough Council"),
]
CLINICAL_LEADS = [
    ("ben.taylor@meridianhealth.example", "Ben Taylor", "Meridian Health NHS Trust"),
    ("grace.lee@meridianhealth.example", "Grace Lee", "Meridian Health NHS Trust"),
    ("omar.farouk@meridianhealth.example", "Omar Farouk", "Meridian Health NHS Trust"),
    ("sarah.hughes@meridianhealth.example", "Sarah Hughes", "Meridian Health NHS Trust"),
    ("ian.murray@meridianhealth.example", "Ian Murray", "Meridian Health NHS Trust"),
]


def _user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
    return user


def _local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)


def _monthly(first: dt.date, weekday, count: int) -> list[dt.date]:
    """The same nth weekday of each month as `first` (e.g. the 2nd Tuesday)."""
    nth = (first.day - 1) // 7 + 1
    return [
        (first.replace(day=1) + relativedelta(months=i, weekday=weekday(nth))) for i in range(count)
    ]


def _set(org, name, cohort, facilitator, sponsor, status, **extra) -> LearningSet:
    return LearningSet.objects.create(
        organisation=org,
        name=name,
        cohort=cohort,
        facilitator=facilitator,
        sponsor=sponsor,
        status=status,
        time_zone="Europe/London",
        ground_rules=str(defaults.DEFAULT_GROUND_RULES),
        confidentiality_agreement=str(defaults.DEFAULT_CONFIDENTIALITY),
        **extra,
    )


def _members(learning_set, people, joined, accepted=True, skip_accept=()):
    users = []
    for email, name, employer in people:
        user = _user(email, name)
        SetMembership.objects.create(
            learning_set=learning_set,
            user=user,
            employer=employer,
            joined_at=joined,
            agreement_accepted_at=None if (not accepted or email in skip_accept) else joined,
            agreement_version_accepted=None
            if (not accepted or email in skip_accept)
            else learning_set.agreement_version,
        )
        users.append(user)
    return users


def _meetings(learning_set, days, hour, facilitator, members, now, absent=None):
    """Meetings on the given days; those in the past get attendance (absent: {index: [users]})."""
    absent = absent or {}
    meetings = []
    for index, day in enumerate(days):
        meeting = Meeting.objects.create(
            learning_set=learning_set,
            starts_at=_local(day, hour),
            duration_minutes=learning_set.duration_minutes,
            format=learning_set.default_format,
        )
        meetings.append(meeting)
        if meeting.ends_at <= now:
            for user in members:
                Attendance.objects.create(
                    meeting=meeting,
                    user=user,
                    attended=user not in absent.get(index, []),
                    recorded_by=facilitator,
                    recorded_at=meeting.ends_at,
                )
            meeting.attendance_recorded_at = meeting.ends_at
            meeting.save(update_fields=["attendance_recorded_at"])
    return meetings


def _commitments(members, meetings, now) -> None:
    """What the Heads of Service committed to at their meetings, how each went at the next
    one (round 2), and one added between meetings: done, in progress, and one overdue."""
    held = [m for m in meetings if m.ends_at <= now]
    upcoming = [m for m in meetings if m.starts_at > now]
    if len(held) < 2:
        return
    jo, samir, ruth, kwame = members[0], members[1], members[2], members[3]
    next_date = (
        timezone.localtime(upcoming[0].starts_at, TZ).date()
        if upcoming
        else timezone.localdate(now, TZ) + dt.timedelta(days=28)
    )

    def made(owner, meeting, what, due, status="open", help_="", at=None) -> Commitment:
        created = at or meeting.ends_at - dt.timedelta(minutes=10)
        return Commitment.objects.create(
            learning_set=meetings[0].learning_set,
            owner=owner,
            meeting=meeting,
            what=what,
            due_on=due,
            who_could_help=help_,
            status=status,
            created_at=created,
            updated_at=created,
            closed_at=None,
        )

    def reviewed(commitment, meeting, outcome, learning, before, after) -> None:
        ProgressNote.objects.create(
            commitment=commitment,
            author=commitment.owner,
            created_at=meeting.starts_at + dt.timedelta(minutes=20),
            text=learning,
            status_before=before,
            status_after=after if after != before else "",
            meeting=meeting,
            review_outcome=outcome,
        )

    def local_date(meeting) -> dt.date:
        return timezone.localtime(meeting.starts_at, TZ).date()

    signoffs = made(
        samir,
        held[0],
        "Map who signs off agency spend, and ask each of them what slows it down",
        local_date(held[1]),
        status="done",
    )
    signoffs.closed_at = held[1].starts_at + dt.timedelta(minutes=20)
    signoffs.save(update_fields=["closed_at"])
    reviewed(
        signoffs, held[1], "done", "Two of the four sign-offs are habit, not policy", "open", "done"
    )
    picture = made(
        jo,
        held[0],
        "Ask my director what good looks like for the restructure",
        local_date(held[1]),
        status="in_progress",
    )
    reviewed(
        picture,
        held[1],
        "partly",
        "She has no clear picture either: we will draft one together",
        "open",
        "in_progress",
    )
    listening = made(
        ruth,
        held[1],
        "Run a listening session with the front-line team before changing the rota",
        local_date(held[-1]) if len(held) > 2 else local_date(held[1]) + dt.timedelta(days=7),
        help_="Kwame ran one in Housing last year",
    )
    if len(held) > 2:
        reviewed(
            listening,
            held[-1],
            "not_done",
            "I kept putting it off: the rota deadline scared me",
            "open",
            "open",
        )
    draft = made(
        jo,
        held[-1],
        "Draft a one-page picture of the new service with two team leaders",
        next_date,
        status="in_progress",
        help_="Kwame (he did this in Housing)",
    )
    ProgressNote.objects.create(
        commitment=draft,
        author=jo,
        created_at=held[-1].ends_at + dt.timedelta(days=6),
        text="Booked an hour with both team leaders",
        status_before="open",
        status_after="in_progress",
    )
    made(
        jo,
        None,
        "Shadow a duty manager for a morning",
        next_date,
        at=now - dt.timedelta(days=5),
    )
    made(kwame, held[-1], "Write down three things I will stop doing", next_date)
    if len(held) > 2:
        lucy = members[4]
        councillors = made(
            lucy,
            held[1],
            "Ask the two councillors for twenty minutes each before the next committee",
            local_date(held[-1]),
            status="done",
        )
        councillors.closed_at = held[-1].starts_at + dt.timedelta(minutes=20)
        councillors.save(update_fields=["closed_at"])
        reviewed(
            councillors,
            held[-1],
            "done",
            "Both said yes; the first conversation was easier than committee",
            "open",
            "done",
        )


@transaction.atomic
def load_demo() -> bool:
    """Create the demo organisation once. Returns False if it already exists."""
    if Organisation.objects.filter(slug=DEMO_SLUG).exists():
        return False
    now = timezone.now()
    today = timezone.localdate(now, TZ)
    org = Organisation.objects.create(
        name="Northgate Learning Partners", slug=DEMO_SLUG, kind=Organisation.Kind.PROVIDER
    )
    admin = _user(*PEOPLE["admin"])
    priya = _user(*PEOPLE["facilitator"])
    tom = _user(*PEOPLE["facilitator2"])
    OrganisationMembership.objects.create(organisation=org, user=admin, is_admin=True)
    OrganisationMembership.objects.create(organisation=org, user=priya, is_facilitator=True)
    OrganisationMembership.objects.create(organisation=org, user=tom, is_facilitator=True)
    # What each client pays per set: the programme report's cost per participant.
    castlebridge = Sponsor.objects.create(
        organisation=org,
        name="Castlebridge Borough Council",
        kind=Sponsor.Kind.CLIENT,
        cost_per_set=1800,
        currency="GBP",
    )
    meridian = Sponsor.objects.create(
        organisation=org,
        name="Meridian Health NHS Trust",
        kind=Sponsor.Kind.CLIENT,
        cost_per_set=2400,
        currency="GBP",
        theme_threshold=2,
    )
    SponsorContact.objects.create(sponsor=castlebridge, user=_user(*PEOPLE["sponsor"]))
    SponsorContact.objects.create(sponsor=meridian, user=_user(*PEOPLE["sponsor2"]))

    # Active, mid-programme: three meetings held (2nd Tuesday, 6 pm), three to come.
    heads = _set(
        org,
        "Heads of Service",
        "Castlebridge 2026",
        priya,
        castlebridge,
        "active",
        location="Castlebridge Civic Centre, Room 4",
    )
    first = (today.replace(day=1) - relativedelta(months=3)) + relativedelta(weekday=TU(2))
    joined = _local(first - dt.timedelta(days=21), 9)
    heads_members = _members(heads, HEADS_OF_SERVICE, joined)
    meetings = _meetings(
        heads,
        _monthly(first, TU, 6),
        18,
        priya,
        heads_members,
        now,
        absent={1: [heads_members[3]], 2: [heads_members[5]]},
    )
    load_between_meetings(heads, priya, heads_members, meetings, now)
    upcoming = [m for m in meetings if m.starts_at > now]
    if upcoming:
        Rsvp.objects.create(meeting=upcoming[0], user=heads_members[0], response="attending")
        Rsvp.objects.create(
            meeting=upcoming[0],
            user=heads_members[2],
            response="apologies",
            note="Budget scrutiny committee that evening; sorry.",
        )
    _commitments(heads_members, meetings, now)
    load_live_record(priya, heads_members, meetings, now)
    load_report_demo(heads, priya, absent_once=heads_members[3])

    # Forming: a public cohort mixing three employers; two have not accepted the agreement.
    nwl = _set(
        org,
        "New Women Leaders",
        "Spring cohort",
        tom,
        meridian,
        "forming",
        online_link="https://meet.example.org/new-women-leaders",
        default_format="combined",
    )
    nwl_members = _members(
        nwl,
        NEW_WOMEN_LEADERS,
        now - dt.timedelta(days=4),
        skip_accept={NEW_WOMEN_LEADERS[2][0], NEW_WOMEN_LEADERS[3][0]},
    )
    start = today + relativedelta(months=1, day=1, weekday=WE(1))
    _meetings(nwl, _monthly(start, WE, 6), 10, tom, nwl_members, now)
    Invitation.objects.create(
        learning_set=nwl,
        email="rebecca.owusu@harbourhousing.example",
        token_hash="demo-pending",
        invited_by=tom,
        expires_at=now + dt.timedelta(days=14),
    )

    # Completed last year: six meetings held, facilitation handed from Tom to Priya midway.
    clinical = _set(
        org,
        "Clinical Leads",
        "2025 programme",
        priya,
        meridian,
        "completed",
        location="Meridian Education Centre",
    )
    begun = (today.replace(day=1) - relativedelta(months=11)) + relativedelta(weekday=TH(2))
    clinical_members = _members(clinical, CLINICAL_LEADS, _local(begun - dt.timedelta(days=14), 9))
    _meetings(
        clinical,
        _monthly(begun, TH, 6),
        14,
        priya,
        clinical_members,
        now,
        absent={0: [clinical_members[4]], 3: [clinical_members[1], clinical_members[2]]},
    )
    FacilitatorChange.objects.create(
        learning_set=clinical,
        previous=tom,
        new=priya,
        changed_by=admin,
        changed_at=_local(begun + relativedelta(months=2), 9),
    )
    _notifications(org, [heads, nwl], heads_members[5], now)
    return True


def _notifications(org, sets, bounced, now) -> None:
    """Reminders scheduled for the meetings to come, and two emails the admin sees on the
    organisation's "Emails" page: one that failed for good, one being retried."""
    from revans.core.models import OutboundEmail
    from revans.notifications.scheduling import schedule_set

    for learning_set in sets:
        schedule_set(learning_set, now=now)
    body = "Hello,\n\nThis email is part of the demo data.\n"
    common = {"organisation": org, "body_text": body, "created_at": now - dt.timedelta(days=2)}
    OutboundEmail.objects.create(
        to_email=bounced.email,
        user=bounced,
        subject="Reminder: Heads of Service meets soon",
        kind="meeting_reminder",
        status=OutboundEmail.Status.FAILED,
        attempts=8,
        last_error="550 5.1.1 <mark.doyle@castlebridge.example>: mailbox unavailable",
        **common,
    )
    OutboundEmail.objects.create(
        to_email="fiona.reid@harbourhousing.example",
        subject="Meetings scheduled: New Women Leaders",
        kind="meeting_update",
        attempts=2,
        send_after=now + dt.timedelta(hours=6),
        last_error="421 4.7.0 harbourhousing.example: try again later",
        **common,
    )


def demo_logins() -> list[tuple[str, User]]:
    """The people to print sign-in links for, one per role."""
    emails = [
        ("Organisation admin", PEOPLE["admin"][0]),
        ("Facilitator", PEOPLE["facilitator"][0]),
        ("Set member", HEADS_OF_SERVICE[0][0]),
        ("Sponsor", PEOPLE["sponsor"][0]),
    ]
    users = {u.email: u for u in User.objects.filter(email__in=[e for _, e in emails])}
    return [(role, users[email]) for role, email in emails if email in users]
