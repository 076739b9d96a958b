"""Shared checks for the accounts tests."""

from __future__ import annotations

import re

from django.core import mail

from revans.accounts.models import EmailLink

SIGN_IN_LINK = re.compile(r"http://testserver(/sign-in/link/[A-Za-z0-9_-]{20,}/)")
CONFIRM_LINK = re.compile(r"http://testserver(/account/email/[A-Za-z0-9_-]{20,}/)")
RESET_LINK = re.compile(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)")


def error_next_to(response, field_id: str) -> str:
    """The error shown right after the field's input (core/field.html), or a failed assert."""
    body = response.content.decode()
    marker = f'id="{field_id}_error">'
    assert marker in body, f"no error shown next to {field_id}"
    return body.split(marker, 1)[1].split("</p>", 1)[0]


def value_of(response, field_id: str) -> str:
    """What the input shows (the user's text kept after an error)."""
    body = response.content.decode()
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', body)
    assert tag, f"no input {field_id}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def path_in_email(pattern: re.Pattern, to: str) -> str:
    """The link path in the one email sent to `to`."""
    sent = [m for m in mail.outbox if m.to == [to]]
    assert len(sent) == 1, f"expected one email to {to}, got {len(sent)}"
    found = pattern.search(sent[0].body)
    assert found, sent[0].body
    return found.group(1)


def waiting_links(user, purpose=EmailLink.Purpose.SIGN_IN) -> int:
    return EmailLink.objects.filter(user=user, purpose=purpose, used_at__isnull=True).count()
