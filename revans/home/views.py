"""Home pages by role: one page, a section for each role the person holds."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from revans.calls import queries as call_queries
from revans.commitments.forms import update_form_for
from revans.commitments.queries import open_commitments_for_home
from revans.home import queries
from revans.meetings.forms import rsvp_form_for


@login_required
def home(request):
    user = request.user
    now = timezone.now()
    roles = queries.staff_roles(user)
    facilitated = queries.facilitator_sets(user, now)
    memberships = queries.member_sets(user, now)
    administered = queries.admin_organisations(user, roles, now)
    sponsored = queries.sponsored_sets(user)
    for row in memberships:
        meeting = row.next_meeting
        row.rsvp_open = (
            meeting is not None and meeting.phase == "upcoming" and not row.learning_set.is_archived
        )
        row.rsvp_form = rsvp_form_for(meeting, row.rsvp) if meeting is not None else None
    # Only a member has commitments: others pay no query for them.
    commitments = open_commitments_for_home(user, now) if memberships else []
    for commitment in commitments:
        commitment.update_form = update_form_for(commitment)
    is_org_facilitator = any(role.is_facilitator for role in roles)
    calls_ahead, calls_done = call_queries.member_calls(user, now) if memberships else ([], [])
    return render(
        request,
        "home/home.html",
        {
            "facilitated": facilitated,
            "show_facilitator": bool(facilitated) or is_org_facilitator,
            "can_create_sets": any(role.is_admin or role.is_facilitator for role in roles),
            # Facilitators who are not admins reach their organisation's pages from here.
            "facilitator_organisations": [
                role.organisation for role in roles if role.is_facilitator and not role.is_admin
            ],
            "memberships": memberships,
            "commitments": commitments,
            # Momentum calls: due ones for the facilitator, offers and shared notes for members.
            "calls_due": call_queries.facilitator_calls(user, now) if facilitated else [],
            "my_calls_ahead": calls_ahead,
            "my_calls_done": calls_done,
            "administered": administered,
            "sponsored": sponsored,
            "sponsor_programmes": _programmes(sponsored),
            "no_role": not (roles or facilitated or memberships or sponsored),
            "home_url": reverse("home:home"),
        },
    )


def _programmes(sponsored) -> list:
    """Each sponsor the person is a contact of (from the sets already loaded: no query)."""
    seen: dict[int, object] = {}
    for learning_set in sponsored:
        seen.setdefault(learning_set.sponsor_id, learning_set.sponsor)
    return sorted(seen.values(), key=lambda sponsor: (sponsor.name.casefold(), sponsor.pk))
