"""Every change to a set's report. Each do_* is one transaction and raises ReportRefused with a
sentence for the person when the change cannot be made.

Revans writes only two things on its own: the suggested themes (labels from the engine's
lexicon, never a member's line; evidence kept for the facilitator) and released versions (a
snapshot of what the members could read). Everything else is the facilitator's edit.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.core.db import one_writer_at_a_time
from revans.reports import queries
from revans.reports.figures import SECTIONS
from revans.reports.models import (
    ANSWER_MAX_LENGTH,
    CONCERN_MAX_LENGTH,
    HIGHEST_MIN_SUPPORT,
    LABEL_MAX_LENGTH,
    NARRATIVE_MAX_LENGTH,
    ReleasedVersion,
    ReportConcern,
    ReportTheme,
    SetReport,
    ThemeItem,
)
from revans.reports.rules import ReportRefused, check_min_support, safe_suggested_label
from revans.reports.sources import items_for
from revans.reports.themes import group_into_themes
from revans.sets.models import SetMembership


def _clean(text, *, max_length: int, field: str, required: bool = False) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ReportRefused(_("Please write something here."), field)
    if len(text) > max_length:
        raise ReportRefused(
            _("Keep it to %(max)s characters (it has %(count)s).")
            % {"max": max_length, "count": len(text)},
            field,
        )
    return text


def _touch(report: SetReport) -> None:
    """Something the sponsor would read changed: a new revision of the draft."""
    SetReport.objects.filter(pk=report.pk).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    report.refresh_from_db(fields=["revision", "updated_at"])


def _refuse_if_archived(learning_set) -> None:
    if learning_set.is_archived:
        raise ReportRefused(_("This set is archived: unarchive it to change its report."))


def do_start_report(learning_set, *, actor) -> SetReport:
    """The facilitator opens the report: Revans drafts it (figures are always live; themes are
    suggested now)."""
    _refuse_if_archived(learning_set)
    with one_writer_at_a_time(), transaction.atomic():
        report, created = SetReport.objects.get_or_create(learning_set=learning_set)
        if created:
            _suggest(report, learning_set)
        return report


def do_suggest_themes(report: SetReport, *, actor) -> SetReport:
    """Replace every theme with fresh suggestions from what the set has recorded so far."""
    _refuse_if_archived(report.learning_set)
    with one_writer_at_a_time(), transaction.atomic():
        report.themes.all().delete()
        _suggest(report, report.learning_set)
        _touch(report)
    return report


def _suggest(report: SetReport, learning_set) -> None:
    items = items_for(learning_set)
    themes = group_into_themes([item.text for item in items])
    unnamed = 0
    for position, suggestion in enumerate(themes):
        texts = [items[i].text for i in suggestion.indexes]
        if suggestion.is_other:
            label = _("Other items, not grouped")
        elif safe_suggested_label(suggestion.label, suggestion.label_from_lexicon, texts):
            label = suggestion.label[:1].upper() + suggestion.label[1:]
        else:
            # The engine's words came from members' lines: a hint for the facilitator only.
            unnamed += 1
            label = _("Unnamed theme %(number)s") % {"number": unnamed}
        theme = ReportTheme.objects.create(
            report=report,
            label=label[:LABEL_MAX_LENGTH],
            suggested_label=suggestion.label[:LABEL_MAX_LENGTH],
            # What the engine could not group is the facilitator's to place, not the sponsor's.
            withheld=suggestion.is_other,
            position=position,
        )
        ThemeItem.objects.bulk_create(
            ThemeItem(
                theme=theme,
                source=items[i].source,
                source_model=items[i].source_model,
                source_id=items[i].source_id,
                member_id=items[i].member_id,
                meeting_id=items[i].meeting_id,
                text=items[i].text[:1000],
            )
            for i in suggestion.indexes
        )
    report.suggested_at = timezone.now()
    report.save(update_fields=["suggested_at"])


def do_update_report(
    report: SetReport, *, min_support: int, introduction: str, withheld_sections: list[str]
) -> None:
    _refuse_if_archived(report.learning_set)
    check_min_support(min_support)
    if min_support > HIGHEST_MIN_SUPPORT:
        raise ReportRefused(
            _("At most %(highest)s.") % {"highest": HIGHEST_MIN_SUPPORT}, "min_support"
        )
    introduction = _clean(introduction, max_length=NARRATIVE_MAX_LENGTH, field="introduction")
    withheld = sorted(key for key in set(withheld_sections) if key in SECTIONS)
    with one_writer_at_a_time(), transaction.atomic():
        report.min_support = min_support
        report.introduction = introduction
        report.withheld_sections = withheld
        report.save(update_fields=["min_support", "introduction", "withheld_sections"])
        _touch(report)


def do_edit_theme(theme: ReportTheme, *, label: str, narrative: str, withheld: bool) -> None:
    _refuse_if_archived(theme.report.learning_set)
    label = _clean(label, max_length=LABEL_MAX_LENGTH, field="label", required=True)
    narrative = _clean(narrative, max_length=NARRATIVE_MAX_LENGTH, field="narrative")
    with one_writer_at_a_time(), transaction.atomic():
        theme.label, theme.narrative, theme.withheld = label, narrative, withheld
        theme.save(update_fields=["label", "narrative", "withheld"])
        _touch(theme.report)


def do_delete_theme(theme: ReportTheme) -> None:
    _refuse_if_archived(theme.report.learning_set)
    with one_writer_at_a_time(), transaction.atomic():
        report = theme.report
        theme.delete()
        _touch(report)


def do_merge_themes(report: SetReport, *, theme_ids: list[int], label: str) -> ReportTheme:
    """The chosen themes become one (the first in the report's order), with its evidence."""
    _refuse_if_archived(report.learning_set)
    label = _clean(label, max_length=LABEL_MAX_LENGTH, field="label", required=True)
    with one_writer_at_a_time(), transaction.atomic():
        themes = list(report.themes.filter(pk__in=theme_ids))
        if len(themes) < 2:
            raise ReportRefused(_("Choose at least two themes to merge."), "themes")
        kept, others = themes[0], themes[1:]
        ThemeItem.objects.filter(theme__in=others).update(theme=kept)
        narratives = [t.narrative for t in themes if t.narrative]
        ReportConcern.objects.filter(theme__in=others).update(theme=kept)
        ReportTheme.objects.filter(pk__in=[t.pk for t in others]).delete()
        kept.label = label
        kept.narrative = "\n\n".join(narratives)[:NARRATIVE_MAX_LENGTH]
        kept.save(update_fields=["label", "narrative"])
        _touch(report)
        return kept


def do_split_theme(theme: ReportTheme, *, item_ids: list[int], label: str) -> ReportTheme:
    """The chosen items leave the theme for a new one, placed just after it."""
    _refuse_if_archived(theme.report.learning_set)
    label = _clean(label, max_length=LABEL_MAX_LENGTH, field="label", required=True)
    with one_writer_at_a_time(), transaction.atomic():
        moving = list(theme.items.filter(pk__in=item_ids).values_list("pk", flat=True))
        total = theme.items.count()
        if not moving:
            raise ReportRefused(_("Choose the items that go to the new theme."), "items")
        if len(moving) == total:
            raise ReportRefused(
                _("Leave at least one item in this theme (or rename it instead)."), "items"
            )
        ReportTheme.objects.filter(report=theme.report, position__gt=theme.position).update(
            position=F("position") + 1
        )
        new = ReportTheme.objects.create(
            report=theme.report, label=label, position=theme.position + 1
        )
        ThemeItem.objects.filter(pk__in=moving).update(theme=new)
        _touch(theme.report)
        return new


def do_share_draft(report: SetReport) -> None:
    """Members may now read the draft (what the sponsor would see) and raise concerns."""
    _refuse_if_archived(report.learning_set)
    with one_writer_at_a_time(), transaction.atomic():
        if report.shared_at is None:
            report.shared_at = timezone.now()
            report.save(update_fields=["shared_at"])


def do_raise_concern(report: SetReport, *, member, item: str, text: str) -> ReportConcern:
    """A member's concern about a theme ("theme:<id>") or a figures section ("section:<key>")."""
    text = _clean(text, max_length=CONCERN_MAX_LENGTH, field="text", required=True)
    with one_writer_at_a_time(), transaction.atomic():
        if report.shared_at is None:
            raise ReportRefused(_("The facilitator has not shared the draft yet."))
        if not SetMembership.objects.filter(
            learning_set_id=report.learning_set_id, user=member, left_at__isnull=True
        ).exists():
            raise ReportRefused(_("Only the set's members raise concerns about its report."))
        kind, _sep, key = item.partition(":")
        theme = None
        if kind == "theme" and key.isdigit():
            theme = report.themes.filter(pk=int(key)).first()
            if theme is None:
                raise ReportRefused(_("That theme is no longer in the draft."), "item")
            label, section = theme.label, ""
        elif kind == "section" and key in SECTIONS:
            label, section = str(SECTIONS[key]), key
        else:
            raise ReportRefused(_("Choose what your concern is about."), "item")
        return ReportConcern.objects.create(
            report=report,
            theme=theme,
            section=section,
            item_label=label,
            raised_by=member,
            text=text,
        )


def do_resolve_concern(concern: ReportConcern, *, actor, resolution: str, answer: str) -> None:
    if resolution not in ReportConcern.Resolution.values:
        raise ReportRefused(_("Choose how you resolved it."), "resolution")
    answer = _clean(
        answer,
        max_length=ANSWER_MAX_LENGTH,
        field="answer",
        required=resolution == ReportConcern.Resolution.ANSWERED,
    )
    with one_writer_at_a_time(), transaction.atomic():
        report = concern.report
        if resolution == ReportConcern.Resolution.WITHHELD:
            if concern.theme_id is not None:
                ReportTheme.objects.filter(pk=concern.theme_id).update(withheld=True)
            elif concern.section:
                report.withheld_sections = sorted({*report.withheld_sections, concern.section})
                report.save(update_fields=["withheld_sections"])
            _touch(report)
        concern.resolution, concern.answer = resolution, answer
        concern.resolved_by, concern.resolved_at = actor, timezone.now()
        concern.save(update_fields=["resolution", "answer", "resolved_by", "resolved_at"])


def do_release(report: SetReport, *, actor) -> ReleasedVersion:
    """Freeze what the sponsor reads as the next version. Refused while concerns are open."""
    learning_set = report.learning_set
    _refuse_if_archived(learning_set)
    with one_writer_at_a_time(), transaction.atomic():
        report = SetReport.objects.select_for_update().get(pk=report.pk)
        if report.shared_at is None:
            raise ReportRefused(
                _(
                    "Share the draft with the members first, so they can read it before the sponsor does."
                )
            )
        open_count = report.concerns.filter(resolved_at__isnull=True).count()
        if open_count:
            raise ReportRefused(
                ngettext(
                    "%(count)s concern from a member is still open: resolve it before releasing.",
                    "%(count)s concerns from members are still open: resolve them before releasing.",
                    open_count,
                )
                % {"count": open_count}
            )
        state = queries.draft_state(learning_set, report)
        latest = report.versions.order_by("-number").first()
        if latest is not None and latest.snapshot == state.snapshot:
            raise ReportRefused(
                _("Nothing has changed since version %(number)s.") % {"number": latest.number}
            )
        number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return ReleasedVersion.objects.create(
            report=report,
            learning_set=learning_set,
            number=number,
            snapshot=state.snapshot,
            report_revision=report.revision,
            released_by=actor,
        )
