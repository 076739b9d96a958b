"""The outbox: every email Revans sends is first a row here, delivered by the worker.

Rows make sending survive restarts, let two workers share the work without sending twice
(a claim with a lease), and keep failures visible instead of lost in a log.

A row's life: pending -> (claimed with a lease) -> sending -> sent. A failed attempt goes
back to pending with a later send_after, or to failed after the last attempt. A row left
in "sending" when its lease runs out was handed to the SMTP server by a worker that died
before recording the answer: it becomes "interrupted" and is not sent again by itself
(at most once; see revans.core.mail), but shows up for the organisation admin to retry.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        INTERRUPTED = "interrupted", _("Interrupted: may not have arrived")

    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    # What the email is about (sign_in_link, invitation, ...): for preferences and admin views.
    kind = models.CharField(max_length=40)
    # The organisation whose admins should see a failure, if any.
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    # The person it is for, when it is for someone with an account (preferences, unsubscribe).
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Extra headers (List-Unsubscribe) and attachments ([{filename, content, mimetype}],
    # e.g. .ics files), stored so that a retry sends exactly what was queued.
    headers = models.JSONField(default=dict, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.status})"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a receiving server can drop a duplicate."""
        from django.conf import settings

        domain = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"<revans-outbox-{self.pk}-{int(self.created_at.timestamp())}@{domain}>"

    @property
    def is_retrying(self) -> bool:
        return self.status == self.Status.PENDING and self.attempts > 0
