"""Parsing what people type about meetings; the rules themselves are enforced in actions."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revans.meetings.models import Rsvp
from revans.meetings.rules import MAX_DURATION_MINUTES, MAX_MEETINGS, MIN_DURATION_MINUTES
from revans.sets.forms import parse_hand_picked_dates
from revans.sets.models import LearningSet, MeetingFormat

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TIME_ERRORS = {"invalid": gettext_lazy("Enter a time written as HH:MM, e.g. 18:00.")}
DATE_ERRORS = {"invalid": gettext_lazy("Enter a date written as YYYY-MM-DD.")}


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )


def _time_field() -> forms.TimeField:
    return forms.TimeField(
        label=gettext_lazy("Start time"),
        widget=TIME_WIDGET,
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages=TIME_ERRORS,
    )


class MeetingForm(forms.Form):
    """Adding a meeting, or moving one and changing its details (one form)."""

    date = _date_field(gettext_lazy("Date"))
    start_time = _time_field()
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Length in minutes"),
        min_value=MIN_DURATION_MINUTES,
        max_value=MAX_DURATION_MINUTES,
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=MeetingFormat.choices, widget=forms.RadioSelect
    )
    topic = forms.CharField(
        label=gettext_lazy("Agreed topic"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For planned and combined meetings: the topic agreed in advance."),
    )
    issue_holder = forms.ChoiceField(
        label=gettext_lazy("Issue holder"),
        required=False,
        help_text=gettext_lazy("For planned and combined meetings, if agreed in advance."),
    )

    def __init__(self, *args, members, inside: bool = True, **kwargs):
        """`inside`: the person is in the set (its facilitator or a member). The topic and
        issue holder are agreed inside the set, so anyone else who may schedule (an
        organisation admin) neither sees nor sets them."""
        super().__init__(*args, **kwargs)
        if not inside:
            del self.fields["topic"], self.fields["issue_holder"]
            return
        self._members = {str(user.pk): user for user in members}
        # Form.fields is typed as plain Fields; this one is the ChoiceField declared above.
        issue_holder = cast(forms.ChoiceField, self.fields["issue_holder"])
        issue_holder.choices = [("", _("Not agreed in advance"))] + [
            (pk, user.display_name) for pk, user in self._members.items()
        ]

    def clean_issue_holder(self):
        value = self.cleaned_data.get("issue_holder")
        return self._members.get(value) if value else None

    @property
    def start_local(self) -> dt.datetime:
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"])


class GenerateScheduleForm(forms.Form):
    """The first date and start time; or, for hand-picked cadence, the dates themselves."""

    first_date = _date_field(gettext_lazy("Date of the first meeting"))
    start_time = _time_field()
    hand_picked_dates = forms.CharField(
        label=gettext_lazy("Dates of the meetings"),
        widget=forms.Textarea(attrs={"rows": 6, "placeholder": "2027-01-12\n2027-02-09"}),
        help_text=gettext_lazy("One date per line, written YYYY-MM-DD, all in the future."),
    )

    def __init__(self, *args, learning_set: LearningSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.custom = learning_set.cadence == LearningSet.Cadence.CUSTOM
        del self.fields["first_date" if self.custom else "hand_picked_dates"]

    def clean_hand_picked_dates(self):
        dates, errors = parse_hand_picked_dates(self.cleaned_data.get("hand_picked_dates", ""))
        if errors:
            raise forms.ValidationError(errors)
        if not dates:
            raise forms.ValidationError(_("Enter the dates, one per line."))
        if len(dates) > MAX_MEETINGS:
            raise forms.ValidationError(
                _("A programme has at most %(n)s meetings.") % {"n": MAX_MEETINGS}
            )
        return dates

    @property
    def first_start_local(self) -> dt.datetime:
        data = self.cleaned_data
        first = data["hand_picked_dates"][0] if self.custom else data["first_date"]
        return dt.datetime.combine(first, data["start_time"])

    @property
    def custom_dates(self) -> list[dt.date] | None:
        return self.cleaned_data["hand_picked_dates"] if self.custom else None


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=gettext_lazy("Will you be there?"),
        choices=Rsvp.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose attending or sending apologies.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the facilitator"),
        required=False,
        max_length=Rsvp._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional. Only the facilitator reads it."),
    )


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=gettext_lazy("Who attended?"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(str(user.pk), user.display_name) for user in members]

    def attended_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["attended"]]


def rsvp_form_for(meeting, rsvp=None, data=None) -> RsvpForm:
    """The RSVP form of one meeting; ids carry the meeting's id, so several fit on a page."""
    initial = {"response": rsvp.response, "note": rsvp.note} if rsvp else None
    return RsvpForm(data, initial=initial, auto_id=f"id_rsvp{meeting.pk}_%s")
