import pytest
from django.core.exceptions import ValidationError

from revans.reports import actions, queries
from revans.reports.models import ReleasedVersion, ReportTheme, ThemeItem
from revans.reports.rules import ReportRefused
from revans.reports.tests.conftest import PRIVATE_CANARY


def _theme_with_members(report, members, label="Leading through change"):
    theme = ReportTheme.objects.create(report=report, label=label, narrative="Our words.")
    for i, member in enumerate(members):
        ThemeItem.objects.create(
            theme=theme,
            source="learning",
            source_model="test",
            source_id=i,
            member=member,
            text=f"line {i}",
        )
    return theme


@pytest.mark.django_db
def test_theme_of_two_members_withheld_at_three_shown_at_two(world):
    report = actions.do_start_report(world.set_a, actor=world.facilitator)
    report.themes.all().delete()
    # Three items but only two distinct members.
    theme = _theme_with_members(report, [world.members[0], world.members[1], world.members[0]])
    state = queries.draft_state(world.set_a, report)
    assert report.min_support == 3
    assert not state.statuses[theme.pk].reaches_sponsor
    assert state.statuses[theme.pk].reason == ("Supported by 2 members; at least 3 are needed.")
    assert state.snapshot["themes"] == []
    actions.do_update_report(report, min_support=2, introduction="", withheld_sections=[])
    state = queries.draft_state(world.set_a, report)
    assert state.statuses[theme.pk].reaches_sponsor
    assert state.snapshot["themes"] == [
        {"label": "Leading through change", "narrative": "Our words."}
    ]


@pytest.mark.django_db
def test_threshold_of_one_refused(world):
    report = actions.do_start_report(world.set_a, actor=world.facilitator)
    with pytest.raises(ReportRefused, match="At least 2 members must support a theme"):
        actions.do_update_report(report, min_support=1, introduction="", withheld_sections=[])


@pytest.mark.django_db
def test_suggested_themes_use_no_members_words(report_world):
    w = report_world
    report = actions.do_start_report(w.set_a, actor=w.facilitator)
    themes = list(report.themes.all())
    assert themes, "the engine grouped something"
    texts = set(ThemeItem.objects.filter(theme__report=report).values_list("text", flat=True))
    assert PRIVATE_CANARY not in texts  # private notes are never read
    for theme in themes:
        assert theme.label not in texts
        assert theme.narrative == ""
    state = queries.draft_state(w.set_a, report)
    blob = str(state.snapshot)
    for text in texts:
        assert text not in blob
    for member in w.members:
        assert member.full_name not in blob


@pytest.mark.django_db
def test_release_refused_while_concerns_open_then_immutable(report_world):
    w = report_world
    report = actions.do_start_report(w.set_a, actor=w.facilitator)
    with pytest.raises(ReportRefused, match="Share the draft"):
        actions.do_release(report, actor=w.facilitator)
    actions.do_share_draft(report)
    concern = actions.do_raise_concern(
        report, member=w.member, item="section:attendance", text="Too revealing"
    )
    with pytest.raises(ReportRefused, match="1 concern from a member is still open"):
        actions.do_release(report, actor=w.facilitator)
    actions.do_resolve_concern(concern, actor=w.facilitator, resolution="withheld", answer="")
    report.refresh_from_db()
    assert report.withheld_sections == ["attendance"]
    v1 = actions.do_release(report, actor=w.facilitator)
    assert v1.number == 1 and "attendance" in v1.snapshot["withheld_sections"]
    with pytest.raises(ReportRefused, match="Nothing has changed since version 1"):
        actions.do_release(report, actor=w.facilitator)
    # A later edit is a new draft; the old version keeps what it said.
    actions.do_update_report(report, min_support=3, introduction="New words", withheld_sections=[])
    v2 = actions.do_release(report, actor=w.facilitator)
    v1.refresh_from_db()
    assert v2.number == 2 and v2.snapshot["introduction"] == "New words"
    assert v1.snapshot["introduction"] == ""
    v1.snapshot["introduction"] = "tampered"
    with pytest.raises(ValidationError):
        v1.save()
    with pytest.raises(ValidationError):
        v1.delete()
    assert ReleasedVersion.objects.get(pk=v1.pk).snapshot["introduction"] == ""


@pytest.mark.django_db
def test_only_members_raise_concerns_and_answers_need_text(report_world):
    w = report_world
    report = actions.do_start_report(w.set_a, actor=w.facilitator)
    actions.do_share_draft(report)
    with pytest.raises(ReportRefused):
        actions.do_raise_concern(report, member=w.other_member, item="section:airtime", text="x")
    concern = actions.do_raise_concern(report, member=w.member, item="section:airtime", text="x")
    with pytest.raises(ReportRefused):
        actions.do_resolve_concern(concern, actor=w.facilitator, resolution="answered", answer="")


@pytest.mark.django_db
def test_merge_and_split(world):
    report = actions.do_start_report(world.set_a, actor=world.facilitator)
    a = _theme_with_members(report, world.members[:2], "A")
    b = _theme_with_members(report, world.members[2:], "B")
    merged = actions.do_merge_themes(report, theme_ids=[a.pk, b.pk], label="A and B")
    assert merged.items.count() == 4 and not ReportTheme.objects.filter(pk=b.pk).exists()
    moving = list(merged.items.values_list("pk", flat=True)[:1])
    new = actions.do_split_theme(merged, item_ids=moving, label="Split off")
    assert new.items.count() == 1 and merged.items.count() == 3
    with pytest.raises(ReportRefused):
        actions.do_split_theme(
            merged, item_ids=list(merged.items.values_list("pk", flat=True)), label="All"
        )
