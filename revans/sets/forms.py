"""Forms for creating and editing a set: they explain the rules; actions enforce them."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revans.sets import defaults, rules
from revans.sets.actions import CALL_FIELDS, EDITABLE_FIELDS
from revans.sets.models import LearningSet, MeetingFormat

SELF_MANAGED = "self_managed"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_MEETINGS = 24


def _max_length(name: str) -> int:
    field = LearningSet._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length
    return field.max_length


def set_choices(form: forms.Form, name: str, choices: list) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _count_field(label, low, high, initial, help_text="", low_msg=None, high_msg=None):
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        initial=initial,
        help_text=help_text,
        error_messages={
            "min_value": low_msg or gettext_lazy("Enter at least %(limit_value)s."),
            "max_value": high_msg or gettext_lazy("Enter at most %(limit_value)s."),
            "required": gettext_lazy("Enter a number."),
            "invalid": gettext_lazy("Enter a whole number."),
        },
        widget=forms.NumberInput(attrs={"min": low, "max": high, "inputmode": "numeric"}),
    )


def _agreement_field(label, initial):
    return forms.CharField(
        label=label,
        max_length=_max_length("ground_rules"),
        initial=initial,
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=True,
    )


def parse_hand_picked_dates(text: str) -> tuple[list[dt.date], list[str]]:
    """Dates written one per line as YYYY-MM-DD, in order, and a message per bad line."""
    dates: list[dt.date] = []
    errors: list[str] = []
    for line in (text or "").splitlines():
        value = line.strip()
        if not value:
            continue
        try:
            if not _ISO_DATE.match(value):
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            errors.append(_("'%(value)s' is not a date written as YYYY-MM-DD.") % {"value": value})
            continue
        if day in dates:
            errors.append(_("%(value)s appears more than once.") % {"value": value})
            continue
        dates.append(day)
    return sorted(dates), errors


class SetSettingsForm(forms.Form):
    """The fields the create and edit pages share."""

    name = forms.CharField(label=gettext_lazy("Name of the set"), max_length=_max_length("name"))
    cohort = forms.CharField(
        label=gettext_lazy("Cohort"),
        max_length=_max_length("cohort"),
        required=False,
        help_text=gettext_lazy('For public sets by cohort, e.g. "Heads of Service 2026".'),
    )
    sponsor = forms.ChoiceField(label=gettext_lazy("Sponsor"), required=False)
    min_members = _count_field(
        gettext_lazy("Minimum number of members"),
        defaults.ALLOWED_MIN_MEMBERS,
        defaults.ALLOWED_MAX_MEMBERS,
        defaults.RECOMMENDED_MIN_MEMBERS,
        low_msg=gettext_lazy("A set needs at least %(limit_value)s members."),
        high_msg=gettext_lazy("A set can have at most %(limit_value)s members."),
    )
    max_members = _count_field(
        gettext_lazy("Maximum number of members"),
        defaults.ALLOWED_MIN_MEMBERS,
        defaults.ALLOWED_MAX_MEMBERS,
        defaults.RECOMMENDED_MAX_MEMBERS,
        help_text=gettext_lazy(
            "Recommended: 4 to 8 members. Allowed: 3 to 12 (outside the recommended range "
            "you will see a warning)."
        ),
        low_msg=gettext_lazy("A set needs at least %(limit_value)s members."),
        high_msg=gettext_lazy("A set can have at most %(limit_value)s members."),
    )
    default_format = forms.ChoiceField(
        label=gettext_lazy("Usual meeting format"),
        choices=MeetingFormat.choices,
        initial=MeetingFormat.OPEN,
        widget=forms.RadioSelect,
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        help_text=gettext_lazy("Meetings are shown and kept at local time in this zone."),
        error_messages={
            "required": gettext_lazy("Choose the time zone the set meets in."),
            "invalid_choice": gettext_lazy(
                "'%(value)s' is not a time zone Revans knows. Choose one from the list, "
                "e.g. Europe/London."
            ),
        },
    )
    location = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=_max_length("location"),
        required=False,
        help_text=gettext_lazy("Where the set meets in person, if it does."),
    )
    online_link = forms.URLField(
        label=gettext_lazy("Online meeting link"),
        max_length=_max_length("online_link"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("The video call link, if the set meets online."),
    )
    meeting_count = _count_field(
        gettext_lazy("Number of meetings"),
        1,
        MAX_MEETINGS,
        defaults.DEFAULT_MEETING_COUNT,
        help_text=gettext_lazy("With hand-picked dates, the number of dates sets it."),
    )
    cadence = forms.ChoiceField(
        label=gettext_lazy("How often the set meets"),
        choices=LearningSet.Cadence.choices,
        initial=LearningSet.Cadence.MONTHLY,
        widget=forms.RadioSelect,
    )
    cadence_weeks = _count_field(
        gettext_lazy("Weeks between meetings"),
        1,
        12,
        4,
        help_text=gettext_lazy('Used when the set meets "every few weeks".'),
    )
    duration_minutes = _count_field(
        gettext_lazy("Length of each meeting (minutes)"),
        30,
        480,
        defaults.DEFAULT_DURATION_MINUTES,
        help_text=gettext_lazy("Usually 90 minutes; some sets meet for 3 hours (180)."),
    )
    # Not required: a radio group always sends one value from a browser; values left out
    # (older clients) keep what the set has.
    momentum_calls = forms.TypedChoiceField(
        label=gettext_lazy("Momentum calls"),
        choices=[
            ("on", gettext_lazy("Yes: the facilitator calls each member between meetings")),
            ("off", gettext_lazy("No momentum calls")),
        ],
        coerce=lambda value: value == "on",
        empty_value=None,
        required=False,
        initial="on",
        widget=forms.RadioSelect,
    )
    momentum_call_percent = _count_field(
        gettext_lazy("When the call falls (per cent of the way to the next meeting)"),
        defaults.MIN_MOMENTUM_CALL_PERCENT,
        defaults.MAX_MOMENTUM_CALL_PERCENT,
        defaults.DEFAULT_MOMENTUM_CALL_PERCENT,
        help_text=gettext_lazy(
            "50 is the midpoint between two meetings; 25 is a quarter of the way, soon after "
            "a meeting."
        ),
    )
    report_attendance_per_person = forms.TypedChoiceField(
        label=gettext_lazy("Attendance in the sponsor's report"),
        choices=[
            ("off", gettext_lazy("Per meeting only (who attended stays in the set)")),
            ("on", gettext_lazy("Per meeting and per person: the set has agreed to this")),
        ],
        coerce=lambda value: value == "on",
        empty_value=None,
        required=False,
        initial="off",
        widget=forms.RadioSelect,
    )
    ground_rules = _agreement_field(gettext_lazy("Ground rules"), defaults.DEFAULT_GROUND_RULES)
    confidentiality_agreement = _agreement_field(
        gettext_lazy("Confidentiality agreement"), defaults.DEFAULT_CONFIDENTIALITY
    )

    def __init__(self, *args, sponsors=(), time_zone_default: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty (or left out), the set keeps its current timing.
        self.fields["momentum_call_percent"].required = False
        self._sponsors = {str(s.pk): s for s in sponsors}
        set_choices(
            self,
            "sponsor",
            [("", _("No sponsor"))] + [(key, s.name) for key, s in self._sponsors.items()],
        )
        zones = list(rules.time_zone_names())
        current = self.initial.get("time_zone")
        if current and current not in zones and rules.is_valid_time_zone(current):
            zones.append(current)
        set_choices(
            self,
            "time_zone",
            [("", _("Choose a time zone"))] + [(z, z.replace("_", " ")) for z in zones],
        )
        if time_zone_default and "time_zone" not in self.initial:
            self.initial["time_zone"] = time_zone_default
        self.limits_warning: str | None = None

    def clean_sponsor(self):
        value = self.cleaned_data.get("sponsor")
        return self._sponsors.get(value) if value else None

    def clean_ground_rules(self):
        return self.cleaned_data["ground_rules"].replace("\r\n", "\n")

    def clean_confidentiality_agreement(self):
        return self.cleaned_data["confidentiality_agreement"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_members"), data.get("max_members")
        if low is not None and high is not None:
            for field_name, message in rules.member_limit_errors(low, high).items():
                self.add_error(field_name, message)
            self.limits_warning = rules.recommended_range_warning(low, high)
        return data

    def set_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
        values.update({name: self.cleaned_data.get(name) for name in CALL_FIELDS})
        return values


class CreateSetForm(SetSettingsForm):
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"))
    facilitator = forms.ChoiceField(
        label=gettext_lazy("Facilitator"),
        help_text=gettext_lazy(
            "Or self-managed: no external facilitator; a member will hold the facilitator's "
            "duties (until then they stay with you, or with the organisation's admins)."
        ),
    )
    hand_picked_dates = forms.CharField(
        label=gettext_lazy("Hand-picked dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-01-12\n2027-02-09"}),
        help_text=gettext_lazy(
            'For "hand-picked dates": one date per line, written YYYY-MM-DD, all in the future.'
        ),
    )
    first_date = forms.DateField(
        label=gettext_lazy("Date of the first meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy(
            "If you give the first date and the start time, the whole schedule is created now."
        ),
        error_messages={"invalid": gettext_lazy("Enter a date written as YYYY-MM-DD.")},
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={"invalid": gettext_lazy("Enter a time written as HH:MM, e.g. 18:00.")},
    )

    field_order = ["organisation", "name", "cohort", "facilitator", "sponsor"]

    def __init__(self, *args, organisations, facilitators, sponsors, creator, **kwargs):
        """organisations: the ones the creator may use; facilitators: (organisation, user)
        pairs; sponsors: every sponsor of those organisations."""
        self._organisations = {str(o.pk): o for o in organisations}
        super().__init__(*args, sponsors=sponsors, **kwargs)
        several = len(self._organisations) > 1
        set_choices(self, "organisation", [(k, o.name) for k, o in self._organisations.items()])
        if not several:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.initial.setdefault("organisation", next(iter(self._organisations), ""))
        self._facilitators = {f"{org.pk}:{user.pk}": (org, user) for org, user in facilitators}
        people = [(key, user.display_name) for key, (org, user) in self._facilitators.items()]
        if several:
            people = [
                (o.name, [(k, n) for k, n in people if k.split(":")[0] == key])
                for key, o in self._organisations.items()
            ]
        set_choices(
            self,
            "facilitator",
            [
                ("", _("Choose a facilitator")),
                (SELF_MANAGED, _("Self-managed: no external facilitator")),
                *people,
            ],
        )
        mine = [key for key, (org, user) in self._facilitators.items() if user.pk == creator.pk]
        if mine:
            self.initial.setdefault("facilitator", mine[0])
        if several:
            set_choices(
                self,
                "sponsor",
                [("", _("No sponsor"))]
                + [(key, f"{s.name} ({s.organisation.name})") for key, s in self._sponsors.items()],
            )

    def clean_organisation(self):
        return self._organisations[self.cleaned_data["organisation"]]

    def clean_hand_picked_dates(self):
        dates, errors = parse_hand_picked_dates(self.cleaned_data.get("hand_picked_dates", ""))
        if errors:
            raise forms.ValidationError(errors)
        return dates

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        choice = data.get("facilitator")
        data["self_managed"] = choice == SELF_MANAGED
        data["facilitator_user"] = None
        if choice and choice != SELF_MANAGED:
            org, user = self._facilitators[choice]
            if organisation is not None and org.pk != organisation.pk:
                self.add_error(
                    "facilitator", _("Choose a facilitator of %(org)s.") % {"org": organisation}
                )
            data["facilitator_user"] = user
        sponsor = data.get("sponsor")
        if sponsor and organisation is not None and sponsor.organisation_id != organisation.pk:
            self.add_error("sponsor", _("Choose a sponsor of %(org)s.") % {"org": organisation})
        self._clean_schedule(data)
        return data

    def _clean_schedule(self, data):
        zone = data.get("time_zone")
        start_time = data.get("start_time")
        first_date = data.get("first_date")
        dates = data.get("hand_picked_dates") or []
        data["first_start_local"] = None
        data["custom_dates"] = None
        if data.get("cadence") != LearningSet.Cadence.CUSTOM and dates:
            self.add_error(
                "hand_picked_dates",
                _('To use these dates, choose "Hand-picked dates" under how often the set meets.'),
            )
            return
        if data.get("cadence") == LearningSet.Cadence.CUSTOM:
            if "hand_picked_dates" in self.errors:
                return
            if not dates:
                self.add_error("hand_picked_dates", _("Enter the dates, one per line."))
                return
            if len(dates) > MAX_MEETINGS:
                self.add_error(
                    "hand_picked_dates",
                    _("A programme has at most %(n)s meetings.") % {"n": MAX_MEETINGS},
                )
                return
            if start_time is None:
                if "start_time" not in self.errors:
                    self.add_error("start_time", _("Enter the time the meetings start."))
                return
            if first_date is not None and first_date != dates[0]:
                self.add_error(
                    "first_date",
                    _("With hand-picked dates the first meeting is the earliest date (%(d)s).")
                    % {"d": dates[0].isoformat()},
                )
                return
            first_date = dates[0]
        elif first_date is None and start_time is None:
            return
        elif first_date is None:
            self.add_error("first_date", _("Enter the date of the first meeting too."))
            return
        elif start_time is None:
            self.add_error("start_time", _("Enter the start time too."))
            return
        if not zone:
            return
        now = timezone.now()
        past = [
            d
            for d in (dates or [first_date])
            if dt.datetime.combine(d, start_time, tzinfo=ZoneInfo(zone)) <= now
        ]
        if past:
            field_name = "hand_picked_dates" if dates else "first_date"
            for day in past:
                self.add_error(
                    field_name,
                    _("%(d)s is in the past: meetings are scheduled in the future.")
                    % {"d": day.isoformat()},
                )
            return
        data["first_start_local"] = dt.datetime.combine(first_date, start_time)
        data["custom_dates"] = dates or None


class EditSetForm(SetSettingsForm):
    """The same settings as at creation; the facilitator moves on its own page."""
