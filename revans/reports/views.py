"""The draft report: the facilitator's editor and the members' reading with concerns.

Every change posts to its own URL and comes back to the draft; a refused change re-renders the
draft with the person's input and the reason (status 400)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.core.forms import refusal_to_form
from revans.reports import actions, queries
from revans.reports.access import (
    access_concern_to_resolve,
    access_draft_for_user,
    access_report_to_edit,
    access_theme_for_user,
    existing_report,
)
from revans.reports.charts import charts_for
from revans.reports.figures import SECTIONS
from revans.reports.forms import (
    ConcernForm,
    MergeForm,
    ReportSettingsForm,
    ResolveForm,
    SplitForm,
    ThemeForm,
)
from revans.reports.rules import ReportRefused


def _back(role):
    return redirect("reports:draft", set_id=role.learning_set.pk)


def _concern_form(state, data=None):
    shown = [t for t in state.themes if t.status.reaches_sponsor]
    sections = [key for key in SECTIONS if key not in state.snapshot["withheld_sections"]]
    return ConcernForm(data, themes=shown, sections=sections)


def _render_draft(request, role, report, *, bound=None, status=200):
    """The facilitator's editor, or a member's reading. `bound` replaces one form by the
    refused one: {"settings": form} / {"merge": form} / {"theme": (id, name, form)} /
    {"concern": form} / {"resolve": (id, form)}."""
    bound = bound or {}
    context = {"learning_set": role.learning_set, "role": role, "tab": "report", "report": report}
    if report is None or (not role.is_facilitator and report.shared_at is None):
        return render(request, "reports/draft.html", context, status=status)
    if role.is_facilitator:
        state = queries.draft_state(role.learning_set, report, all_concerns=True)
        theme_bound = bound.get("theme", (None, None, None))
        for theme in state.themes:
            items = list(theme.items.all())
            theme.form = ThemeForm(
                initial={
                    "label": theme.label,
                    "narrative": theme.narrative,
                    "withheld": theme.withheld,
                },
                prefix=f"t{theme.pk}",
            )
            theme.split_form = SplitForm(items=items, prefix=f"s{theme.pk}")
            theme.split_checked = set()
            if theme_bound[0] == theme.pk:
                setattr(theme, theme_bound[1], theme_bound[2])
                if theme_bound[1] == "split_form":
                    picked = theme_bound[2].data.getlist(f"s{theme.pk}-items")
                    theme.split_checked = {int(v) for v in picked if v.isdigit()}
            theme.member_count = theme.status.support
        resolve_bound = bound.get("resolve", (None, None))
        for concern in state.concerns:
            concern.form = (
                resolve_bound[1]
                if resolve_bound[0] == concern.pk
                else ResolveForm(prefix=f"c{concern.pk}")
            )
        context.update(
            state=state,
            settings_form=bound.get("settings")
            or ReportSettingsForm(
                initial={
                    "min_support": report.min_support,
                    "introduction": report.introduction,
                    "withheld_sections": report.withheld_sections,
                }
            ),
            merge_form=bound.get("merge") or MergeForm(themes=state.themes),
            warnings=queries.name_warnings(role.learning_set, state),
            versions=queries.versions_of(role.learning_set),
        )
    else:
        state = queries.draft_state(role.learning_set, report, concerns_of=request.user)
        context.update(state=state, concern_form=bound.get("concern") or _concern_form(state))
    context["snapshot"] = state.snapshot
    context["charts"] = charts_for(state.snapshot["figures"], state.snapshot["withheld_sections"])
    return render(request, "reports/draft.html", context, status=status)


@login_required
def draft(request, set_id: int):
    role = access_draft_for_user(request.user, set_id)
    return _render_draft(request, role, queries.report_of(role.learning_set))


def _refused(request, role, report, refusal: ReportRefused, bound=None):
    if bound is None:
        messages.error(request, refusal.message)
        return _back(role)
    return _render_draft(request, role, report, bound=bound, status=400)


def _submit(request, role, report, form, bound, run):
    """A form on the draft page: `run(cleaned_data)` carries it out and returns what to tell
    the facilitator. Invalid input or a refusal re-renders the draft with the form (`bound`
    says where it goes), the person's text kept and the reason beside it."""
    if form.is_valid():
        try:
            said = run(form.cleaned_data)
        except ReportRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, said)
            return _back(role)
    return _render_draft(request, role, report, bound=bound, status=400)


@login_required
@require_POST
def start(request, set_id: int):
    role = access_report_to_edit(request.user, set_id)
    try:
        actions.do_start_report(role.learning_set, actor=request.user)
    except ReportRefused as refusal:
        return _refused(request, role, None, refusal)
    messages.success(request, _("Revans drafted the report: check the suggested themes."))
    return _back(role)


@login_required
@require_POST
def suggest(request, set_id: int):
    role = access_report_to_edit(request.user, set_id)
    report = existing_report(role)
    try:
        actions.do_suggest_themes(report, actor=request.user)
    except ReportRefused as refusal:
        return _refused(request, role, report, refusal)
    messages.success(request, _("The themes were suggested again from everything recorded."))
    return _back(role)


@login_required
@require_POST
def update_settings(request, set_id: int):
    role = access_report_to_edit(request.user, set_id)
    report = existing_report(role)
    form = ReportSettingsForm(request.POST)

    def run(data):
        actions.do_update_report(report, **data)
        return _("Saved.")

    return _submit(request, role, report, form, {"settings": form}, run)


@login_required
@require_POST
def edit_theme(request, set_id: int, theme_id: int):
    role, theme = access_theme_for_user(request.user, set_id, theme_id)
    form = ThemeForm(request.POST, prefix=f"t{theme.pk}")

    def run(data):
        actions.do_edit_theme(theme, **data)
        return _("Theme saved: %(label)s.") % {"label": theme.label}

    return _submit(request, role, theme.report, form, {"theme": (theme.pk, "form", form)}, run)


@login_required
@require_POST
def delete_theme(request, set_id: int, theme_id: int):
    role, theme = access_theme_for_user(request.user, set_id, theme_id)
    try:
        actions.do_delete_theme(theme)
    except ReportRefused as refusal:
        return _refused(request, role, theme.report, refusal)
    messages.success(request, _("Theme deleted: %(label)s.") % {"label": theme.label})
    return _back(role)


@login_required
@require_POST
def split_theme(request, set_id: int, theme_id: int):
    role, theme = access_theme_for_user(request.user, set_id, theme_id)
    form = SplitForm(request.POST, items=list(theme.items.all()), prefix=f"s{theme.pk}")

    def run(data):
        new = actions.do_split_theme(theme, item_ids=data["items"], label=data["label"])
        return _("New theme: %(label)s.") % {"label": new.label}

    bound = {"theme": (theme.pk, "split_form", form)}
    return _submit(request, role, theme.report, form, bound, run)


@login_required
@require_POST
def merge_themes(request, set_id: int):
    role = access_report_to_edit(request.user, set_id)
    report = existing_report(role)
    form = MergeForm(request.POST, themes=list(report.themes.all()))

    def run(data):
        kept = actions.do_merge_themes(report, theme_ids=data["themes"], label=data["label"])
        return _("Themes merged into: %(label)s.") % {"label": kept.label}

    return _submit(request, role, report, form, {"merge": form}, run)


@login_required
@require_POST
def share(request, set_id: int):
    role = access_report_to_edit(request.user, set_id)
    report = existing_report(role)
    try:
        actions.do_share_draft(report)
    except ReportRefused as refusal:
        return _refused(request, role, report, refusal)
    messages.success(request, _("The members can now read the draft and raise concerns."))
    return _back(role)


@login_required
@require_POST
def release(request, set_id: int):
    role = access_report_to_edit(request.user, set_id)
    report = existing_report(role)
    try:
        version = actions.do_release(report, actor=request.user)
    except ReportRefused as refusal:
        return _refused(request, role, report, refusal)
    messages.success(
        request,
        _("Version %(number)s is released: the sponsor can read it now.")
        % {"number": version.number},
    )
    return redirect("reports:version", set_id=role.learning_set.pk, number=version.number)


@login_required
@require_POST
def raise_concern(request, set_id: int):
    role = access_draft_for_user(request.user, set_id)
    if not role.is_member:
        return _back(role)
    report = existing_report(role)
    state = queries.draft_state(role.learning_set, report)
    form = _concern_form(state, request.POST)

    def run(data):
        actions.do_raise_concern(report, member=request.user, **data)
        return _("Your concern is with the facilitator.")

    return _submit(request, role, report, form, {"concern": form}, run)


@login_required
@require_POST
def resolve_concern(request, set_id: int, concern_id: int):
    role, concern = access_concern_to_resolve(request.user, set_id, concern_id)
    form = ResolveForm(request.POST, prefix=f"c{concern.pk}")

    def run(data):
        actions.do_resolve_concern(concern, actor=request.user, **data)
        return _("Concern resolved.")

    return _submit(request, role, concern.report, form, {"resolve": (concern.pk, form)}, run)
