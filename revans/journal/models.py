"""The learning journal: each member's own reflections, private to their author.

Visibility is data: an entry is the author's alone (`author`) until they deliberately share it
with one set (`set`). There is no admin site for it, and no page shows a private entry to
anyone but its author: not the facilitator, not the organisation's admins, not superusers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX_LENGTH = 8000

# Kolb's cycle: experience, reflect, conclude, plan (METHOD.md).
KOLB_FIELDS = ("what_happened", "what_i_noticed", "what_i_conclude", "what_i_will_try")


class JournalEntry(models.Model):
    class Visibility(models.TextChoices):
        AUTHOR = "author", _("Only me")
        SET = "set", _("Shared with the set")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_entries"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    what_happened = models.TextField(_("What happened"), max_length=TEXT_MAX_LENGTH, blank=True)
    what_i_noticed = models.TextField(_("What I noticed"), max_length=TEXT_MAX_LENGTH, blank=True)
    what_i_conclude = models.TextField(_("What I conclude"), max_length=TEXT_MAX_LENGTH, blank=True)
    what_i_will_try = models.TextField(_("What I will try"), max_length=TEXT_MAX_LENGTH, blank=True)
    free_text = models.TextField(_("Entry"), max_length=TEXT_MAX_LENGTH, blank=True)
    learning_set = models.ForeignKey(
        "sets.LearningSet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="journal_entries",
    )
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.AUTHOR
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "created_at"])]
        constraints = [
            # Shared with a set means with one particular set.
            models.CheckConstraint(
                condition=~models.Q(visibility="set") | models.Q(learning_set__isnull=False),
                name="shared_entry_has_a_set",
            )
        ]

    def __str__(self) -> str:
        return f"journal entry {self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SET

    @property
    def uses_prompts(self) -> bool:
        return any(getattr(self, name) for name in KOLB_FIELDS)

    @property
    def prompts(self) -> list[tuple[str, str]]:
        """(label, text) for each Kolb prompt answered, in the cycle's order."""
        return [
            (str(getattr(self._meta.get_field(name), "verbose_name", name)), getattr(self, name))
            for name in KOLB_FIELDS
            if getattr(self, name)
        ]
