"""The outbox: every email Revans sends is first a row here, delivered by the worker.

Rows make sending survive restarts, let two workers share the work without sending twice
(a claim with a lease), and keep failures visible instead of lost in a log.
"""

from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    # What the email is about (sign_in_link, invitation, ...): for preferences and admin views.
    kind = models.CharField(max_length=40)
    # The organisation whose admins should see a failure, if any.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"
