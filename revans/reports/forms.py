"""Forms for the report pages. The rules themselves (threshold, lengths) live in rules.py and
actions.py; the forms parse input and keep what the person typed when it is refused."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from revans.reports.figures import SECTIONS
from revans.reports.models import (
    ANSWER_MAX_LENGTH,
    CONCERN_MAX_LENGTH,
    HIGHEST_MIN_SUPPORT,
    LABEL_MAX_LENGTH,
    NARRATIVE_MAX_LENGTH,
    ReportConcern,
)
from revans.reports.rules import ReportRefused, check_min_support


class ReportSettingsForm(forms.Form):
    min_support = forms.IntegerField(
        label=gettext_lazy("Members needed to support a theme"),
        help_text=gettext_lazy(
            "A theme reaches the sponsor only when at least this many different members "
            "contributed to it. 3 is the default; never fewer than 2."
        ),
        max_value=HIGHEST_MIN_SUPPORT,
    )
    introduction = forms.CharField(
        label=gettext_lazy("Introduction for the sponsor"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    withheld_sections = forms.MultipleChoiceField(
        label=gettext_lazy("Figures to keep from the sponsor"),
        choices=[(key, label) for key, label in SECTIONS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_min_support(self):
        value = self.cleaned_data["min_support"]
        try:
            check_min_support(value)
        except ReportRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return value


class ThemeForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Theme"), max_length=LABEL_MAX_LENGTH)
    narrative = forms.CharField(
        label=gettext_lazy("Narrative for the sponsor (in your words)"),
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    withheld = forms.BooleanField(
        label=gettext_lazy("Keep this theme from the sponsor"), required=False
    )


class MergeForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Themes to merge"), widget=forms.CheckboxSelectMultiple
    )
    label = forms.CharField(
        label=gettext_lazy("Name of the merged theme"), max_length=LABEL_MAX_LENGTH
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [(str(t.pk), t.label) for t in themes]

    def clean_themes(self):
        chosen = [int(pk) for pk in self.cleaned_data["themes"]]
        if len(chosen) < 2:
            raise forms.ValidationError(_("Choose at least two themes to merge."))
        return chosen


class SplitForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=gettext_lazy("Items that go to the new theme"), widget=forms.CheckboxSelectMultiple
    )
    label = forms.CharField(
        label=gettext_lazy("Name of the new theme"), max_length=LABEL_MAX_LENGTH
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(i.pk), i.text) for i in items]

    def clean_items(self):
        return [int(pk) for pk in self.cleaned_data["items"]]


class ConcernForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("What is your concern about?"))
    text = forms.CharField(
        label=gettext_lazy("Your concern (the facilitator reads it; the sponsor never does)"),
        max_length=CONCERN_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, themes=(), sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose an item"))]
        choices += [(f"theme:{t.pk}", _("Theme: %(label)s") % {"label": t.label}) for t in themes]
        choices += [(f"section:{key}", str(SECTIONS[key])) for key in sections]
        self.fields["item"].choices = choices


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=gettext_lazy("How did you resolve it?"),
        choices=ReportConcern.Resolution.choices,
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=gettext_lazy("Answer to the member"),
        help_text=gettext_lazy("Needed when you answer rather than edit or withhold."),
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("resolution") == ReportConcern.Resolution.ANSWERED
            and not (data.get("answer") or "").strip()
        ):
            self.add_error("answer", _("Write your answer to the member."))
        return data
