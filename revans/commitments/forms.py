"""Parsing what people type about commitments; the rules themselves are enforced in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from revans.commitments.models import HELP_MAX_LENGTH, NOTE_MAX_LENGTH, WHAT_MAX_LENGTH, Commitment

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {
    "invalid": gettext_lazy("Enter a date written as YYYY-MM-DD."),
    "required": gettext_lazy("Choose the date you will have done it by."),
}


class CommitmentForm(forms.Form):
    """Adding a commitment (then the set is chosen and the date may be left to the default),
    or changing one."""

    learning_set = forms.TypedChoiceField(
        label=gettext_lazy("Set"),
        coerce=int,
        error_messages={"required": gettext_lazy("Choose the set this commitment is for.")},
    )
    what = forms.CharField(
        label=gettext_lazy("What will you do?"),
        max_length=WHAT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Please write what you will do.")},
    )
    due_on = forms.DateField(
        label=gettext_lazy("By when"),
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
    )
    who_could_help = forms.CharField(
        label=gettext_lazy("Who could help"),
        required=False,
        max_length=HELP_MAX_LENGTH,
        help_text=gettext_lazy("Optional: people or teams you could ask."),
    )

    def __init__(self, *args, sets=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sets is None:  # editing: the set stays as it is
            del self.fields["learning_set"]
            return
        self.fields["learning_set"].choices = [(s.pk, s.name) for s in sets]
        if len(sets) == 1:
            self.fields["learning_set"].initial = sets[0].pk
            self.fields["learning_set"].widget = forms.HiddenInput()
        self.fields["due_on"].required = False
        self.fields["due_on"].help_text = gettext_lazy(
            "Optional: left empty, it is the date of the set's next meeting."
        )


class UpdateForm(forms.Form):
    """Changing a commitment's status, with an optional dated progress note."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=Commitment.Status.choices,
        error_messages={
            "invalid_choice": gettext_lazy("Choose open, in progress, done or dropped.")
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Progress note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Optional: what happened, dated today. The set can read it."),
    )


def update_form_for(commitment: Commitment, data=None) -> UpdateForm:
    """The form for one commitment; the prefix keeps its fields' ids apart on a page of many."""
    return UpdateForm(data, prefix=f"c{commitment.pk}", initial={"status": commitment.status})
