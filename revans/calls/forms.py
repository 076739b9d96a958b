"""Parsing what the facilitator and member type about calls; actions enforce the rules."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revans.calls.models import DEFAULT_CALL_MINUTES
from revans.calls.rules import MAX_CALL_MINUTES, MAX_SLOTS, MIN_CALL_MINUTES, MIN_SLOTS
from revans.meetings.rules import describe_start, local_to_utc

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
WHEN_ERRORS = {"invalid": gettext_lazy("Enter a date and time, e.g. 2027-03-09 10:00.")}


def _when_field(label, required=True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
        error_messages=WHEN_ERRORS,
    )


def _minutes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=MIN_CALL_MINUTES,
        max_value=MAX_CALL_MINUTES,
        initial=DEFAULT_CALL_MINUTES,
        widget=forms.NumberInput(
            attrs={"min": MIN_CALL_MINUTES, "max": MAX_CALL_MINUTES, "inputmode": "numeric"}
        ),
    )


class _InZone(forms.Form):
    """Times are typed as the set's wall clock and kept in UTC."""

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        return local_to_utc(local.date(), local.time(), self.zone)


class OfferTimesForm(_InZone):
    slot_1 = _when_field(gettext_lazy("First time"))
    slot_2 = _when_field(gettext_lazy("Second time"))
    slot_3 = _when_field(gettext_lazy("Third time"), required=False)
    slot_4 = _when_field(gettext_lazy("Fourth time"), required=False)
    duration_minutes = _minutes_field()

    SLOT_NAMES = tuple(f"slot_{i}" for i in range(1, MAX_SLOTS + 1))

    def clean(self):
        data = super().clean()
        seen: dict[dt.datetime, str] = {}
        for name in self.SLOT_NAMES:
            local = data.get(name)
            if local is None:
                continue
            moment = self.to_utc(local.replace(tzinfo=None))
            if moment in seen:
                self.add_error(name, _("This time is offered twice."))
            seen[moment] = name
        if len(seen) < MIN_SLOTS and not self.errors:
            self.add_error(None, _("Offer at least %(n)s different times.") % {"n": MIN_SLOTS})
        data["times"] = list(seen)
        return data


class RecordCallForm(_InZone):
    when = _when_field(gettext_lazy("Date and time of the call"))
    duration_minutes = _minutes_field()

    def clean(self):
        data = super().clean()
        if data.get("when") is not None:
            data["starts_at"] = self.to_utc(data["when"].replace(tzinfo=None))
        return data


class PickTimeForm(forms.Form):
    slot = forms.TypedChoiceField(
        label=gettext_lazy("Which time suits you?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose one of the times.")},
    )

    def __init__(self, *args, slots, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Form.fields is typed as plain Fields; this one is the TypedChoiceField declared above.
        slot_field = cast(forms.TypedChoiceField, self.fields["slot"])
        slot_field.choices = [
            (str(slot.pk), describe_start(slot.starts_at, zone)) for slot in slots
        ]


class CallStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("held", "held"), ("missed", "missed"), ("cancelled", "")])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note from the call"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Only you (and whoever holds the facilitator role) can read it."),
        error_messages={"required": gettext_lazy("Write the note first.")},
    )
    shared = forms.BooleanField(
        label=gettext_lazy("Share this note with the member"),
        required=False,
    )


class NoteSharingForm(forms.Form):
    shared = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
