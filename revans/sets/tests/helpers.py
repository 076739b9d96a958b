"""Shared checks for the sets tests."""

from __future__ import annotations

from django.urls import reverse

from revans.sets.models import LearningSet, SetMembership
from revans.testing import make_user


def sign_in_as(client, world, persona: str):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    return user


def assert_refused(response, world, persona: str) -> None:
    """Anonymous visitors are sent to sign in; everyone else without the role gets a 404
    that says nothing about set A's people."""
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign_in"))
    else:
        assert response.status_code == 404
    body = response.content.decode()
    for member in world.members:
        assert member.full_name not in body
    assert world.set_a.name not in body


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
