from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from revans.notifications import kinds
from revans.notifications.models import MAX_DAYS_BEFORE, SetReminderSettings


class EmailChoicesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label=_("Emails you get"),
        required=False,
        choices=[(kind.key, kind.label) for kind in kinds.OPTIONAL],
        widget=forms.CheckboxSelectMultiple,
    )


def _days_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_DAYS_BEFORE,
        help_text=_("Days before the meeting, at the meeting's time of day; 0 for none."),
        error_messages={
            "min_value": _("Choose a number of days from 0 to %(limit_value)s."),
            "max_value": _("Choose a number of days from 0 to %(limit_value)s."),
            "invalid": _("Enter a whole number of days, e.g. 2."),
            "required": _("Enter a number of days (0 for none)."),
        },
    )


class SetRemindersForm(forms.ModelForm):
    meeting_reminder_days = _days_field(_("Reminder before each meeting"))
    agreement_reminder_days = _days_field(_("Reminder to accept the agreement"))
    commitments_reminder_days = _days_field(_("Reminder of commitments due"))

    class Meta:
        model = SetReminderSettings
        fields = ["meeting_reminder_days", "agreement_reminder_days", "commitments_reminder_days"]
