"""The set's round times page: one field per round."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from revans.live.agenda import MAX_ROUND_MINUTES, MIN_ROUND_MINUTES, standard_minutes
from revans.live.models import ROUND_NAMES


def _minutes_field(round_: int, standard: int) -> forms.IntegerField:
    message = _("Give this round between %(min)s and %(max)s minutes, e.g. %(standard)s.") % {
        "min": MIN_ROUND_MINUTES,
        "max": MAX_ROUND_MINUTES,
        "standard": standard,
    }
    return forms.IntegerField(
        label=ROUND_NAMES[round_],
        min_value=MIN_ROUND_MINUTES,
        max_value=MAX_ROUND_MINUTES,
        help_text=_("Minutes. Standard: %(standard)s.") % {"standard": standard},
        error_messages={
            "min_value": message,
            "max_value": message,
            "invalid": message,
            "required": message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "minutes-input"}),
    )


class RoundTimesForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for round_, standard in standard_minutes().items():
            self.fields[f"round_{round_}"] = _minutes_field(round_, standard)

    def minutes(self) -> dict[int, int]:
        return {r: self.cleaned_data[f"round_{r}"] for r in standard_minutes()}

    def total(self) -> int | None:
        """What the rounds add up to, as typed (None if any is not a number yet)."""
        total = 0
        for r in standard_minutes():
            name = f"round_{r}"
            value = self.data.get(name) if self.is_bound else self.initial.get(name)
            try:
                total += int(str(value))
            except ValueError:
                return None
        return total
