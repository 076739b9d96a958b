"""The journal entry form: Kolb's four prompts or free text, and optional links."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revans.journal.models import TEXT_MAX_LENGTH
from revans.meetings.rules import describe_day


def _text(label, help_text="", rows=4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EntryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    what_happened = _text(
        gettext_lazy("What happened"), gettext_lazy("The experience: what you did, what followed.")
    )
    what_i_noticed = _text(
        gettext_lazy("What I noticed"),
        gettext_lazy("Looking back: what stood out, in you and in others."),
    )
    what_i_conclude = _text(
        gettext_lazy("What I conclude"), gettext_lazy("What you make of it: the learning.")
    )
    what_i_will_try = _text(
        gettext_lazy("What I will try"), gettext_lazy("The plan: what you will do differently.")
    )
    free_text = _text(gettext_lazy("Or write freely"), rows=8)
    learning_set = forms.ChoiceField(label=gettext_lazy("About the set"), required=False)
    meeting = forms.ChoiceField(label=gettext_lazy("About the meeting"), required=False)

    def __init__(self, *args, sets, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self._sets = {str(s.pk): s for s in sets}
        self._meetings = {str(m.pk): m for m in meetings}
        # Form.fields is typed as plain Fields; these two are the ChoiceFields declared above.
        set_field = cast(forms.ChoiceField, self.fields["learning_set"])
        meeting_field = cast(forms.ChoiceField, self.fields["meeting"])
        set_field.choices = [("", _("No set"))] + [(key, s.name) for key, s in self._sets.items()]
        groups: dict[str, list] = {}
        for key, meeting in self._meetings.items():
            groups.setdefault(meeting.learning_set.name, []).append(
                (key, describe_day(meeting.starts_at, meeting.learning_set.time_zone))
            )
        meeting_field.choices = [("", _("No meeting")), *groups.items()]

    def clean_learning_set(self):
        value = self.cleaned_data.get("learning_set")
        return self._sets.get(value) if value else None

    def clean_meeting(self):
        value = self.cleaned_data.get("meeting")
        return self._meetings.get(value) if value else None

    def entry_values(self) -> dict:
        return dict(self.cleaned_data)
