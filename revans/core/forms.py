"""What every app's views share about forms."""

from __future__ import annotations

from django import forms


def refusal_to_form(form: forms.Form, refusal) -> None:
    """Show an action's refusal (any app's: it has `message` and maybe `field`) beside the
    field it is about, or above the form when the form has no such field."""
    form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
