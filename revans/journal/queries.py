"""Read-side helpers for the journal: a fixed number of queries, whatever the size.

Every query here filters by author or by visibility=set: the rule lives in the query.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from revans.journal.models import JournalEntry
from revans.meetings.models import Meeting
from revans.sets.models import LearningSet, SetMembership


def own_entries(user) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.filter(author=user)
        .select_related("learning_set", "meeting")
        .order_by("-created_at", "-id")
    )


def shared_entries(learning_set: LearningSet) -> list[JournalEntry]:
    """Entries shared with the set by people who are still its members."""
    still_member = SetMembership.objects.filter(
        learning_set=learning_set, user=OuterRef("author"), left_at__isnull=True
    )
    return list(
        JournalEntry.objects.filter(
            learning_set=learning_set, visibility=JournalEntry.Visibility.SET
        )
        .filter(Exists(still_member))
        .select_related("author", "meeting")
        .order_by("-shared_at", "-id")
    )


def sets_for_journal(user) -> QuerySet[LearningSet]:
    """The sets a person may link an entry to: those they are a current member of."""
    return LearningSet.objects.filter(
        memberships__user=user, memberships__left_at__isnull=True
    ).order_by("name", "id")


def meetings_for_journal(sets: list[LearningSet]) -> list[Meeting]:
    return list(
        Meeting.objects.filter(learning_set__in=sets, status=Meeting.Status.SCHEDULED)
        .select_related("learning_set")
        .order_by("learning_set__name", "starts_at", "id")
    )


def who_would_see(learning_set: LearningSet, author) -> list:
    """The people a shared entry reaches: the set's current members and its facilitator."""
    people = {
        m.user_id: m.user
        for m in SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True)
        .exclude(user=author)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    }
    facilitator = learning_set.facilitator
    if facilitator is not None and facilitator.pk != author.pk:
        people.setdefault(facilitator.pk, facilitator)
    return list(people.values())
