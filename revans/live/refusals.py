"""Why a live-meeting action was refused: a code clients can act on and a kind sentence."""

from __future__ import annotations

from django.utils.translation import gettext as _


class MeetingRefused(Exception):
    """An action that cannot be done now. Nothing was written; the message is for the person
    who tried (never broadcast), the code for the client (e.g. keep the text, refresh)."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details


def not_available() -> MeetingRefused:
    # The same answer for a meeting that does not exist and one the person may not see.
    return MeetingRefused("not_found", _("This meeting is not available to you."))


def stale() -> MeetingRefused:
    return MeetingRefused(
        "stale",
        _("The meeting has moved on since your screen last updated. Please check and try again."),
    )


def not_running() -> MeetingRefused:
    return MeetingRefused("not_running", _("The meeting is not running at the moment."))


def paused() -> MeetingRefused:
    return MeetingRefused(
        "paused",
        _("The set is paused for learning. This can wait until the facilitator resumes."),
    )


def wrong_person(message: str) -> MeetingRefused:
    return MeetingRefused("wrong_person", message)


def wrong_round(message: str) -> MeetingRefused:
    return MeetingRefused("wrong_round", message)


def presenting() -> MeetingRefused:
    return MeetingRefused(
        "presenting",
        _("The issue holder is presenting without interruption; you can write a private note."),
    )


def only_facilitation_holder() -> MeetingRefused:
    return wrong_person(_("Only the person facilitating can do this."))


def clean_text(
    value, *, max_length: int, field: str = "text", required: bool = True, empty: str = ""
) -> str:
    """`empty`: what to say when nothing was written, where the box alone does not say what
    it wants (a pause's question)."""
    text = (value or "").strip()
    if required and not text:
        raise MeetingRefused("empty", empty or _("Please write something first."), field=field)
    if len(text) > max_length:
        raise MeetingRefused(
            "too_long",
            _("Please keep this to %(max)d characters (it is %(n)d).")
            % {"max": max_length, "n": len(text)},
            field=field,
        )
    return text
