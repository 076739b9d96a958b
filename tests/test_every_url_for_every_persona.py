"""Every URL of Revans, fetched by every persona.

The table below names, for each URL, who may open it. Anyone else must get a 404 (signed-in)
or be sent to sign in (signed-out), and the refusal must not contain set A's people or name.
A URL added without a row here fails `test_every_url_has_a_row`, so nothing is left untested.
POST-only URLs are listed too: a GET must not change anything and must not leak; their POST
behaviour per persona is tested in each app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from revans.testing import PERSONAS, World

SIGNED_IN = frozenset(p for p in PERSONAS if p != "anonymous")
EVERYONE = frozenset(PERSONAS)
SET_A_INSIDE = frozenset({"facilitator", "member", "admin"})
SET_A_MANAGERS = frozenset({"facilitator", "admin"})
ORG_STAFF = frozenset({"facilitator", "admin"})
ORG_ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Row:
    args: Callable[[World], list]
    allowed: frozenset
    # GET by an allowed persona: the page (200), a redirect (302) or "use POST" (405).
    allowed_status: int = 200
    public: bool = False  # reachable signed out (sign-in pages, invitation landing)
    # Pages for signed-out visitors send signed-in people on (302) instead.
    signed_in_status: int | None = None


def _membership_id(w: World) -> int:
    return w.set_a.memberships.get(user=w.members[1]).id


def _staff_id(w: World) -> int:
    return w.org.staff.get(user=w.facilitator).id


def _contact_id(w: World) -> int:
    return w.sponsor_body.contacts.get().id


def _invitation_id(w: World) -> int:
    from revans.sets.actions import do_invite_members

    do_invite_members(w.set_a, actor=w.facilitator, emails=["invitee@client.example"])
    return w.set_a.invitations.get().id


def _commitment_id(w: World) -> int:
    from revans.commitments.actions import do_add_commitment

    return do_add_commitment(w.set_a, owner=w.member, what="Speak to the board").id


def _call(w: World):
    """A planned momentum call between the facilitator and the member, with one note."""
    from revans.calls.actions import do_add_note, do_record_call
    from revans.calls.tests.conftest import held_meeting
    from revans.calls.tests.helpers import future

    held_meeting(w.set_a)
    call = do_record_call(
        w.set_a,
        actor=w.facilitator,
        membership=w.set_a.memberships.get(user=w.member),
        starts_at=future(3),
        duration_minutes=30,
    )
    do_add_note(call, actor=w.facilitator, text="A private note", shared=False)
    return call


def _entry_id(w: World) -> int:
    from revans.journal.models import JournalEntry

    return JournalEntry.objects.create(
        author=w.member, free_text="A private reflection", learning_set=w.set_a
    ).id


def _report_theme(w: World):
    from revans.reports.actions import do_start_report
    from revans.reports.models import ReportTheme

    report = do_start_report(w.set_a, actor=w.facilitator)
    return ReportTheme.objects.create(report=report, label="Leading through change")


def _report_concern_id(w: World) -> int:
    from revans.reports.actions import do_raise_concern, do_share_draft

    report = _report_theme(w).report
    do_share_draft(report)
    return do_raise_concern(report, member=w.member, item="section:airtime", text="Worried").id


def _released(w: World) -> list:
    from revans.reports.actions import do_release, do_share_draft

    report = _report_theme(w).report
    do_share_draft(report)
    return [w.set_a.id, do_release(report, actor=w.facilitator).number]


def _failed_email_id(w: World) -> int:
    from revans.core.models import OutboundEmail

    return OutboundEmail.objects.create(
        to_email=w.members[1].email,
        subject="Reminder",
        body_text="",
        kind="meeting_reminder",
        organisation=w.org,
        status=OutboundEmail.Status.FAILED,
    ).id


NO_ARGS: Callable[[World], list] = lambda w: []  # noqa: E731
SET_A: Callable[[World], list] = lambda w: [w.set_a.id]  # noqa: E731
ORG: Callable[[World], list] = lambda w: [w.org.slug]  # noqa: E731
SPONSOR: Callable[[World], list] = lambda w: [w.org.slug, w.sponsor_body.id]  # noqa: E731
MEETING_A: Callable[[World], list] = lambda w: [w.meetings_a[0].id]  # noqa: E731

MATRIX: dict[str, Row] = {
    "home:home": Row(NO_ARGS, SIGNED_IN),
    "core:healthz": Row(NO_ARGS, EVERYONE, public=True),
    "core:favicon": Row(NO_ARGS, EVERYONE, 302, public=True),
    # Off unless a local demo turns it on (it shows sign-in links): 404 for everyone.
    "core:outbox": Row(NO_ARGS, EVERYONE, 404, public=True),
    # Accounts
    "accounts:sign_in": Row(NO_ARGS, EVERYONE, public=True, signed_in_status=302),
    "accounts:sign_in_link_request": Row(NO_ARGS, EVERYONE, public=True, signed_in_status=302),
    # Opened directly (not after asking for a link) it sends you to ask for one.
    "accounts:sign_in_link_sent": Row(NO_ARGS, EVERYONE, 302, public=True),
    "accounts:sign_in_link": Row(lambda w: ["not-a-real-token"], EVERYONE, 404, public=True),
    "accounts:sign_out": Row(NO_ARGS, EVERYONE, 405, public=True),
    "accounts:account": Row(NO_ARGS, SIGNED_IN),
    "accounts:change_email": Row(NO_ARGS, SIGNED_IN),
    "accounts:confirm_email": Row(lambda w: ["not-a-real-token"], EVERYONE, 404, public=True),
    "accounts:password_change": Row(NO_ARGS, SIGNED_IN),
    "accounts:password_reset": Row(NO_ARGS, EVERYONE, public=True),
    "accounts:password_reset_done": Row(NO_ARGS, EVERYONE, public=True),
    "accounts:password_reset_confirm": Row(lambda w: ["MQ", "not-a-token"], EVERYONE, public=True),
    "accounts:password_reset_complete": Row(NO_ARGS, EVERYONE, public=True),
    # Sets
    # Staff of any organisation may start sets there (other_admin in their own).
    "sets:create": Row(NO_ARGS, ORG_STAFF | {"other_admin"}),
    "sets:detail": Row(SET_A, SET_A_INSIDE),
    "sets:edit": Row(SET_A, SET_A_MANAGERS),
    "sets:status": Row(SET_A, SET_A_MANAGERS, allowed_status=405),
    "sets:agreement": Row(SET_A, SET_A_INSIDE),
    "sets:invite": Row(SET_A, SET_A_MANAGERS),
    "sets:members": Row(SET_A, SET_A_INSIDE),
    "sets:remove_member": Row(
        lambda w: [w.set_a.id, _membership_id(w)], SET_A_MANAGERS, allowed_status=405
    ),
    "sets:resend_invitation": Row(
        lambda w: [w.set_a.id, _invitation_id(w)], SET_A_MANAGERS, allowed_status=405
    ),
    "sets:withdraw_invitation": Row(
        lambda w: [w.set_a.id, _invitation_id(w)], SET_A_MANAGERS, allowed_status=405
    ),
    "sets:facilitator": Row(SET_A, SET_A_MANAGERS),
    # An unknown invitation token: a 404 page that explains, whoever opens it.
    "sets:invitation": Row(lambda w: ["not-a-real-token"], EVERYONE, 404, public=True),
    # Meetings (set A already has meetings: generate shows a notice instead of the form)
    "meetings:generate": Row(SET_A, SET_A_MANAGERS),
    "meetings:add": Row(SET_A, SET_A_MANAGERS),
    "meetings:detail": Row(MEETING_A, SET_A_INSIDE | {"sponsor"}),
    "meetings:edit": Row(MEETING_A, SET_A_MANAGERS),
    "meetings:cancel": Row(MEETING_A, SET_A_MANAGERS),
    "meetings:rsvp": Row(MEETING_A, frozenset({"member"}), allowed_status=405),
    "meetings:attendance": Row(MEETING_A, SET_A_MANAGERS, allowed_status=405),
    # The live meeting: inside the set only (members and the facilitator), never admins or sponsors.
    "live:room": Row(MEETING_A, frozenset({"facilitator", "member"})),
    "live:projector": Row(MEETING_A, frozenset({"facilitator", "member"})),
    "live:summary": Row(MEETING_A, frozenset({"facilitator", "member"})),
    # Commitments: the set's own (members and facilitator), never admins or sponsors; only
    # the owner (the member persona) changes theirs. "My commitments" lists one's own only.
    "commitments:mine": Row(NO_ARGS, SIGNED_IN),
    "commitments:board": Row(SET_A, frozenset({"facilitator", "member"})),
    "commitments:detail": Row(lambda w: [_commitment_id(w)], frozenset({"facilitator", "member"})),
    "commitments:edit": Row(lambda w: [_commitment_id(w)], frozenset({"member"})),
    "commitments:update": Row(
        lambda w: [_commitment_id(w)], frozenset({"member"}), allowed_status=405
    ),
    # Momentum calls: the set's facilitator and the member the call is with; nobody else,
    # not even organisation admins.
    "calls:set_calls": Row(SET_A, frozenset({"facilitator"})),
    "calls:arrange": Row(lambda w: [w.set_a.id, _membership_id(w)], frozenset({"facilitator"})),
    "calls:detail": Row(lambda w: [_call(w).id], frozenset({"facilitator", "member"})),
    "calls:pick": Row(lambda w: [_call(w).id], frozenset({"member"}), allowed_status=405),
    "calls:status": Row(lambda w: [_call(w).id], frozenset({"facilitator"}), allowed_status=405),
    "calls:add_note": Row(lambda w: [_call(w).id], frozenset({"facilitator"}), allowed_status=405),
    "calls:note_sharing": Row(
        lambda w: (lambda c: [c.id, c.notes.get().id])(_call(w)),
        frozenset({"facilitator"}),
        allowed_status=405,
    ),
    # The learning journal: everyone signed in has their own; an entry is its author's alone.
    "journal:list": Row(NO_ARGS, SIGNED_IN),
    "journal:new": Row(NO_ARGS, SIGNED_IN),
    "journal:edit": Row(lambda w: [_entry_id(w)], frozenset({"member"})),
    "journal:delete": Row(lambda w: [_entry_id(w)], frozenset({"member"})),
    "journal:share": Row(lambda w: [_entry_id(w)], frozenset({"member"})),
    "journal:unshare": Row(lambda w: [_entry_id(w)], frozenset({"member"}), allowed_status=405),
    # Entries shared with the set: its members and facilitator, not admins or the sponsor.
    "journal:set_shared": Row(SET_A, frozenset({"facilitator", "member"})),
    # The facilitator's report: the draft is the facilitator's (members read it as the sponsor
    # would, once shared); released versions are also the sponsor's and the organisation admins'.
    "reports:draft": Row(SET_A, frozenset({"facilitator", "member"})),
    "reports:start": Row(SET_A, frozenset({"facilitator"}), allowed_status=405),
    "reports:suggest": Row(SET_A, frozenset({"facilitator"}), allowed_status=405),
    "reports:settings": Row(SET_A, frozenset({"facilitator"}), allowed_status=405),
    "reports:merge": Row(SET_A, frozenset({"facilitator"}), allowed_status=405),
    "reports:share": Row(SET_A, frozenset({"facilitator"}), allowed_status=405),
    "reports:release": Row(SET_A, frozenset({"facilitator"}), allowed_status=405),
    "reports:theme_edit": Row(
        lambda w: [w.set_a.id, _report_theme(w).id], frozenset({"facilitator"}), allowed_status=405
    ),
    "reports:theme_delete": Row(
        lambda w: [w.set_a.id, _report_theme(w).id], frozenset({"facilitator"}), allowed_status=405
    ),
    "reports:theme_split": Row(
        lambda w: [w.set_a.id, _report_theme(w).id], frozenset({"facilitator"}), allowed_status=405
    ),
    "reports:concern_raise": Row(SET_A, frozenset({"facilitator", "member"}), allowed_status=405),
    "reports:concern_resolve": Row(
        lambda w: [w.set_a.id, _report_concern_id(w)],
        frozenset({"facilitator"}),
        allowed_status=405,
    ),
    "reports:versions": Row(SET_A, frozenset({"facilitator", "member", "admin", "sponsor"})),
    "reports:version": Row(_released, frozenset({"facilitator", "member", "admin", "sponsor"})),
    "reports:version_pdf": Row(_released, frozenset({"facilitator", "member", "admin", "sponsor"})),
    "reports:version_csv": Row(_released, frozenset({"facilitator", "member", "admin", "sponsor"})),
    # Organisations
    "organisations:start": Row(NO_ARGS, EVERYONE, public=True),
    "organisations:detail": Row(ORG, ORG_STAFF),
    "organisations:people": Row(ORG, ORG_STAFF),
    "organisations:person_roles": Row(
        lambda w: [w.org.slug, _staff_id(w)], ORG_ADMIN, allowed_status=405
    ),
    "organisations:person_remove": Row(
        lambda w: [w.org.slug, _staff_id(w)], ORG_ADMIN, allowed_status=405
    ),
    "organisations:sponsors": Row(ORG, ORG_STAFF),
    "organisations:sponsor_detail": Row(lambda w: [w.org.slug, w.sponsor_body.id], ORG_STAFF),
    "organisations:contact_add": Row(
        lambda w: [w.org.slug, w.sponsor_body.id], ORG_ADMIN, allowed_status=405
    ),
    "organisations:contact_remove": Row(
        lambda w: [w.org.slug, w.sponsor_body.id, _contact_id(w)], ORG_ADMIN, allowed_status=405
    ),
    # The programme report: the sponsor's contacts and the organisation's admins, not its
    # facilitators (each reads their own set's report); only admins set its cost.
    "programmes:report": Row(SPONSOR, frozenset({"sponsor", "admin"})),
    "programmes:csv": Row(SPONSOR, frozenset({"sponsor", "admin"})),
    "programmes:pdf": Row(SPONSOR, frozenset({"sponsor", "admin"})),
    "programmes:terms": Row(SPONSOR, ORG_ADMIN),
    # Notifications: email choices and the calendar address are the person's own (POST only).
    "notifications:email_choices": Row(NO_ARGS, SIGNED_IN, 405),
    "notifications:calendar_create": Row(NO_ARGS, SIGNED_IN, 405),
    "notifications:calendar_revoke": Row(NO_ARGS, SIGNED_IN, 405),
    # Token URLs open without a session; an unknown token is a 404 for everyone.
    "notifications:feed": Row(lambda w: ["not-a-real-token"], EVERYONE, 404, public=True),
    "notifications:unsubscribe": Row(lambda w: ["not-a-real-token"], EVERYONE, 404, public=True),
    "notifications:org_emails": Row(ORG, ORG_ADMIN),
    "notifications:org_email_retry": Row(
        lambda w: [w.org.slug, _failed_email_id(w)], ORG_ADMIN, allowed_status=405
    ),
    "notifications:set_reminders": Row(SET_A, SET_A_MANAGERS),
    "round_times:edit": Row(SET_A, SET_A_MANAGERS),
}


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_has_a_row():
    missing = sorted(_all_url_names() - set(MATRIX))
    assert not missing, f"URLs without a persona row in this table: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_for_persona(client, world, name, persona):
    row = MATRIX[name]
    url = reverse(name, args=row.args(world))
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    if persona in row.allowed:
        expected = row.allowed_status
        if row.signed_in_status is not None and persona != "anonymous":
            expected = row.signed_in_status
        assert response.status_code == expected, (
            f"{persona} should reach {name}: got {response.status_code}"
        )
        return
    if row.allowed_status == 405:
        # POST-only: the refusal must come from the access check, not the method check.
        assert response.status_code in {302, 404, 405}
        response = client.post(url, {})
    body = response.content.decode()
    if persona == "anonymous":
        assert response.status_code == 302, f"{name}: signed-out visitors must be sent to sign in"
        assert response.url.startswith(reverse("accounts:sign_in"))
    else:
        assert response.status_code == 404, (
            f"{persona} must get 404 on {name}, got {response.status_code}"
        )
    for member in world.members:
        assert member.full_name not in body
        assert member.email not in body
    assert world.set_a.name not in body
