"""The confidentiality canary: what is said in a set never reaches its sponsor or the admins
of its organisation.

A unique string is seeded into every kind of set content, through the same actions the app
uses (a whole live meeting through the dispatcher, then commitments, journal entries, momentum
calls, RSVPs and the set report with a member's concern), the report is released and the
sponsor's programme report built. Then every page, PDF and CSV that the sponsor or an admin
who is not the set's facilitator may open (every URL of the persona table they are allowed,
each meeting of the set, the released report and the programme report) and every email not
addressed to the content's author is searched for any of the strings.

Check-ins: a check-in is spoken in round 1 and not written down; the only text a member can
write during it is a private note, which is seeded here.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from revans.live import actions as live_actions
from revans.live.dispatch import dispatch, read
from revans.meetings.actions import why_it_cannot_change
from revans.testing import World
from tests.test_every_url_for_every_persona import MATRIX

OUTSIDERS = ("sponsor", "admin")


@dataclass(frozen=True)
class Canary:
    kind: str
    core: str  # ten random hex digits: what is searched for, case-insensitively
    author_email: str
    # Who must never see it: everyone outside the set, unless said otherwise below.
    hidden_from: tuple[str, ...] = ("sponsor", "admin")

    def text(self, shape: str = "{}") -> str:
        return shape.format(f"cnry{self.kind}{self.core}7")


class Canaries(list):
    def new(self, kind: str, author, hidden_from: tuple[str, ...] = OUTSIDERS) -> Canary:
        canary = Canary(kind.replace("_", ""), secrets.token_hex(5), author.email, hidden_from)
        self.append(canary)
        return canary

    def found_in(self, text: str, *, persona: str = "", recipient: str = "") -> list[str]:
        """The canaries in `text` that `persona` (or the email's `recipient`) must not see."""
        haystack = text.lower()
        return [
            c.kind
            for c in self
            if c.core in haystack
            and (not persona or persona in c.hidden_from)
            and recipient != c.author_email
        ]


def pdf_text(content: bytes) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) reads the PDFs here"
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def response_text(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        return pdf_text(response.content)
    text = response.content.decode()
    if response["Content-Type"].startswith("text/calendar"):
        # iCalendar folds long lines at 75 octets: unfold before searching.
        text = text.replace("\r\n ", "").replace("\n ", "")
    return text


# --- seeding -------------------------------------------------------------------------------


def run_meeting(w: World, canaries: Canaries, time_machine) -> None:
    """The first meeting of set A from check-in to the end, every kind of text written."""
    meeting = w.meetings_a[0]
    time_machine.move_to(meeting.starts_at - dt.timedelta(minutes=5), tick=False)
    fac, members = w.facilitator, w.members
    holder, asker = members[1], members[2]

    def send(user, action, **fields):
        answer = dispatch(user, meeting.pk, {"action": action, **fields})
        assert answer["ok"], (action, answer)
        return answer

    def advance(confirm=True):
        version = read(fac, meeting.pk, {"what": "snapshot"})["snapshot"]["version"]
        send(fac, "advance", expected_version=version, confirm=confirm)

    send(fac, "open")
    for user in [fac, *members]:
        live_actions.do_join(meeting, user)  # what each socket does as it connects
    advance()  # round 1: check-in
    text = canaries.new("checkin_note", members[0]).text("Feeling {} today")
    send(members[0], "private_note", text=text)
    for member in members:
        send(member, "mark_turn_done")
    advance()  # round 2: reflection on actions
    text = canaries.new("review_learning", members[0]).text("I learnt {} since")
    send(members[0], "review_commitments", outcome="partly", learning=text)
    advance()  # round 3: bidding
    for bidder in (holder, asker):
        title = canaries.new("bid_title", bidder).text("Restructure of {} team")
        detail = canaries.new("bid_detail", bidder).text("The {} service is merging")
        send(
            bidder,
            "submit_bid",
            title=title,
            detail=detail,
            urgency=4,
            importance=4,
            minutes_wanted=40,
        )
    version = read(fac, meeting.pk, {"what": "snapshot"})["snapshot"]["version"]
    send(fac, "choose_issue_holders", user_ids=[holder.pk], expected_version=version)
    advance()  # round 4: presenting
    send(members[0], "private_note", text=canaries.new("private_note", members[0]).text())
    advance()  # round 5: questioning
    text = canaries.new("question", asker).text("What would {} look like for you?")
    asked = send(asker, "post_question", text=text)
    text = canaries.new("answer", holder).text("Both teams trusting {} me")
    send(holder, "post_answer", text=text, in_reply_to=asked["contribution_id"])
    send(fac, "pause", question=canaries.new("pause_question", fac).text("What is {}?"))
    send(fac, "resume")
    advance()  # round 6: feedback and reflection
    send(asker, "give_feedback", text=canaries.new("feedback", asker).text("You were {} clear"))
    text = canaries.new("learning", members[0]).text("Listening {} matters")
    send(members[0], "record_learning", text=text)
    advance()  # round 7: the issue holder's actions
    send(holder, "add_action", text=canaries.new("action", holder).text("Meet {} leads"))
    advance()  # round 8: process review
    for user in [fac, *members]:
        send(
            user,
            "rate_process",
            score=8,
            went_well=canaries.new("went_well", user).text("We {} listened"),
            do_differently=canaries.new("do_differently", user).text("Fewer {} stories"),
        )
    version = read(fac, meeting.pk, {"what": "snapshot"})["snapshot"]["version"]
    send(fac, "end_meeting", expected_version=version)


def between_meetings(w: World, canaries: Canaries, time_machine) -> None:
    from revans.calls.actions import do_add_note, do_record_call
    from revans.commitments.actions import do_add_commitment, do_update_commitment
    from revans.commitments.models import Commitment
    from revans.journal.actions import do_create_entry, do_share_entry
    from revans.journal.models import KOLB_FIELDS
    from revans.meetings.actions import do_rsvp, do_update_meeting_details

    time_machine.move_to(w.meetings_a[0].starts_at + dt.timedelta(days=2), tick=False)
    member, holder = w.members[0], w.members[1]
    # Commitments: one added between meetings, progress notes on it and on the meeting's.
    own = do_add_commitment(
        w.set_a,
        owner=member,
        what=canaries.new("commitment", member).text("Speak to {} board"),
        who_could_help=canaries.new("who_could_help", member).text("{} mentor"),
    )
    do_update_commitment(
        own, actor=member, status="in_progress", note=canaries.new("progress", member).text()
    )
    from_meeting = Commitment.objects.get(owner=holder, meeting=w.meetings_a[0])
    do_update_commitment(
        from_meeting,
        actor=holder,
        status="done",
        note=canaries.new("progress_done", holder).text("Done {} well"),
    )
    # Journal entries: one private, one shared with the set.
    for shared in (False, True):
        kind = "journal_shared" if shared else "journal_private"
        values = {name: canaries.new(f"{kind}_{name}", member).text() for name in KOLB_FIELDS}
        values["title"] = canaries.new(f"{kind}_title", member).text()
        values["free_text"] = canaries.new(f"{kind}_free", member).text()
        entry = do_create_entry(author=member, values={**values, "learning_set": w.set_a})
        if shared:
            do_share_entry(entry, actor=member)
    # Momentum call notes: private to the facilitator, and shared with the member.
    call = do_record_call(
        w.set_a,
        actor=w.facilitator,
        membership=w.set_a.memberships.get(user=member),
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=30,
    )
    for shared in (False, True):
        kind = "call_note_shared" if shared else "call_note_private"
        text = canaries.new(kind, w.facilitator).text("Talked about {}")
        do_add_note(call, actor=w.facilitator, text=text, shared=shared)
    # The next meeting: a member's note to the facilitator, and an agreed topic.
    do_rsvp(
        w.meetings_a[1],
        user=member,
        response="apologies",
        note=canaries.new("rsvp_note", member).text("Away for {}"),
    )
    # The agreed topic of a planned meeting is agreed inside the set: an organisation admin
    # may move the meeting but never sees it, nor does the sponsor.
    do_update_meeting_details(
        w.meetings_a[2],
        actor=w.facilitator,
        format="planned",
        topic=canaries.new("meeting_topic", w.facilitator).text("Managing {} upwards"),
    )


def report_flow(w: World, canaries: Canaries):
    """Draft with suggested themes (one withheld by the facilitator), shared, a member's
    concern resolved with an answer, released."""
    from revans.reports import actions

    fac = w.facilitator
    report = actions.do_start_report(w.set_a, actor=fac)
    actions.do_suggest_themes(report, actor=fac)
    actions.do_update_report(report, min_support=2, introduction="", withheld_sections=[])
    themes = list(report.themes.all())
    assert themes, "the meeting's bids and learning should suggest at least one theme"
    # The facilitator names the first theme in their own words and keeps it for the sponsor...
    theme = themes[0]
    items = list(theme.items.all())
    assert len({item.member_id for item in items}) >= 2
    actions.do_edit_theme(
        theme,
        label="Leading through change",
        narrative="Members worked on change.",
        withheld=False,
    )
    # ...and splits one item off into a theme they withhold, with words of their own.
    held = actions.do_split_theme(
        theme, item_ids=[items[-1].pk], label=canaries.new("split_label", fac).text()
    )
    actions.do_edit_theme(
        held,
        label=canaries.new("withheld_label", fac).text(),
        narrative=canaries.new("withheld_narrative", fac).text("About {}"),
        withheld=True,
    )
    actions.do_share_draft(report)
    concern = actions.do_raise_concern(
        report,
        member=w.members[0],
        item="section:attendance",
        text=canaries.new("concern", w.members[0]).text("Please {} this"),
    )
    actions.do_resolve_concern(
        concern,
        actor=fac,
        resolution="answered",
        answer=canaries.new("concern_answer", fac).text("We {} it"),
    )
    return actions.do_release(report, actor=fac)


# --- searching -----------------------------------------------------------------------------


def reachable_urls(w: World, persona: str, version) -> list[str]:
    """Every GET page, PDF and CSV the persona may open that can show set A's content."""
    urls = []
    for name, row in sorted(MATRIX.items()):
        # Released-report rows make a release of their own: this one's are added below.
        if name.startswith("reports:") or persona not in row.allowed:
            continue
        if name == "meetings:edit":
            # Only a meeting that can still be changed has an edit page (a held one sends
            # its managers back to its own page): every such meeting of the set, among them
            # the one with the agreed topic.
            editable = [m for m in w.set_a.meetings.all() if why_it_cannot_change(m) is None]
            assert w.meetings_a[2] in editable
            urls += [reverse(name, args=[m.pk]) for m in editable]
            continue
        status = row.signed_in_status or row.allowed_status
        if status == 200:
            urls.append(reverse(name, args=row.args(w)))
    urls += [reverse("meetings:detail", args=[m.pk]) for m in w.set_a.meetings.all()]
    set_id, number = w.set_a.pk, version.number
    urls += [
        reverse("reports:versions", args=[set_id]),
        reverse("reports:version", args=[set_id, number]),
        reverse("reports:version_pdf", args=[set_id, number]),
        reverse("reports:version_csv", args=[set_id, number]),
    ]
    programme = [w.org.slug, w.sponsor_body.pk]
    urls += [reverse(f"programmes:{n}", args=programme) for n in ("report", "csv", "pdf")]
    # Their own calendar feed (opened by its token, as calendar apps do).
    from revans.notifications.actions import do_create_calendar_feed

    feed = do_create_calendar_feed(w.persona(persona))
    urls.append(reverse("notifications:feed", args=[feed.token]))
    return urls


@pytest.mark.django_db
def test_nothing_said_in_a_set_reaches_its_sponsor_or_admins(client, world, time_machine):
    w, canaries = world, Canaries()
    run_meeting(w, canaries, time_machine)
    between_meetings(w, canaries, time_machine)
    version = report_flow(w, canaries)
    assert len(canaries) >= 30
    # The sponsor does get a report with themes: the test is not passing on an empty one.
    assert version.snapshot["themes"], "at least one suggested theme should reach the sponsor"

    # The programme report shows the released theme (k = 2 here), so its themes are searched.
    w.sponsor_body.theme_threshold = 2
    w.sponsor_body.save()
    client.force_login(w.sponsor)
    programme = reverse("programmes:report", args=[w.org.slug, w.sponsor_body.pk])
    assert "Leading through change" in client.get(programme).content.decode()

    # The canaries are really in the database and reachable inside the set (the search works).
    client.force_login(w.members[0])
    inside = client.get(reverse("journal:set_shared", args=[w.set_a.pk])).content.decode()
    assert canaries.found_in(inside), "the member's shared journal should show their canaries"

    leaks: dict[str, list[str]] = {}
    opened = 0
    for persona in OUTSIDERS:
        client.force_login(w.persona(persona))
        for url in reachable_urls(w, persona, version):
            response = client.get(url)
            assert response.status_code == 200, (persona, url, response.status_code)
            opened += 1
            found = canaries.found_in(response_text(response), persona=persona)
            if found:
                leaks[f"{persona} {url}"] = found
    assert opened > 40
    assert not leaks, f"set content reached someone outside the set: {leaks}"


@pytest.mark.django_db
def test_no_email_carries_set_content_to_anyone_but_its_author(client, world, time_machine):
    from revans.core.mail import deliver_due_emails
    from revans.core.models import OutboundEmail

    w, canaries = world, Canaries()
    run_meeting(w, canaries, time_machine)
    between_meetings(w, canaries, time_machine)
    report_flow(w, canaries)
    deliver_due_emails(limit=1000)
    emails = list(OutboundEmail.objects.all())
    kinds = {email.kind for email in emails}
    assert "meeting_summary" in kinds, kinds
    leaks = {}
    for email in emails:
        found = canaries.found_in(f"{email.subject}\n{email.body_text}", recipient=email.to_email)
        if found:
            leaks[f"{email.kind} to {email.to_email}"] = found
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}" + "".join(
            str(content) for content, _type in getattr(message, "alternatives", [])
        )
        for recipient in message.to:
            found = canaries.found_in(text, recipient=recipient)
            if found:
                leaks[f"sent to {recipient}: {message.subject}"] = found
    assert not leaks, f"set content in emails to someone other than its author: {leaks}"
