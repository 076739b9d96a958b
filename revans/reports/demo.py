"""Demo data for the report: from the held meetings' live record (revans.live.demo), a draft
report with the facilitator's edits, one released version for the sponsor, and a later edit not
yet released (so the draft and the released version differ, as they do in real use)."""

from __future__ import annotations

from revans.reports import actions
from revans.reports.models import ReportConcern


def load_report_demo(learning_set, facilitator, absent_once) -> None:
    """Run after the held meetings' live record (revans.live.demo), which the themes come
    from. `absent_once`: a member who missed a meeting, and asks how the report shows it."""
    report = actions.do_start_report(learning_set, actor=facilitator)
    actions.do_update_report(
        report,
        min_support=3,
        introduction=(
            "The set met monthly at the Civic Centre. Members worked on live issues from their "
            "own services; this report gives the themes in my words and the set's figures."
        ),
        withheld_sections=[],
    )
    narratives = {
        "restructures and reorganisation": (
            "Leading teams through structural change was the most common thread: keeping "
            "people informed, and looking after those who stay as well as those who go."
        ),
        "difficult conversations and conflict": (
            "Members practised raising hard issues earlier and asking before telling; several "
            "reported conversations that went better than they feared."
        ),
    }
    for theme in report.themes.all():
        key = theme.suggested_label.lower()
        if key in narratives:
            actions.do_edit_theme(
                theme,
                label=theme.label,
                narrative=narratives[key],
                withheld=theme.withheld,
            )
    actions.do_share_draft(report)
    concern = actions.do_raise_concern(
        report,
        member=absent_once,
        item="section:attendance",
        text="Could attendance stay per meeting? I missed one for a family reason.",
    )
    actions.do_resolve_concern(
        concern,
        actor=facilitator,
        resolution=ReportConcern.Resolution.ANSWERED,
        answer="It does: the sponsor sees the rate per meeting, never who was absent.",
    )
    actions.do_release(report, actor=facilitator)
    # A later edit: the draft moves on; version 1 stays as the sponsor read it.
    actions.do_update_report(
        report,
        min_support=3,
        introduction=report.introduction + " Three meetings are still to come.",
        withheld_sections=[],
    )
