"""Shared checks for the sets tests."""

from __future__ import annotations

from revans.sets.models import LearningSet, SetMembership
from revans.testing import assert_refused, make_user, sign_in_as  # noqa: F401 (re-exported for the tests)


def grow_set(learning_set: LearningSet, size: int, prefix: str = "extra") -> None:
    """Bring the set to `size` current members (raising its maximum if needed)."""
    current = SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True).count()
    if size > learning_set.max_members:
        LearningSet.objects.filter(pk=learning_set.pk).update(max_members=size)
        learning_set.max_members = size
    for i in range(current, size):
        user = make_user(f"{prefix}{learning_set.pk}-{i}@client.example", f"Extra Person {i}")
        SetMembership.objects.create(learning_set=learning_set, user=user, employer=f"Employer {i}")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
