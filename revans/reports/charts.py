"""The report's charts: server-side SVG from pygal, embedded as data: images so the page and
the PDF (WeasyPrint) show the same picture, with no script and nothing loaded from outside.

An <img> keeps the SVG's own stylesheet inside the image, so the page's Content Security
Policy (no inline styles) is kept. Each chart has a text alternative and the page shows the
same numbers in a table beside it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d2321",
    foreground_strong="#1d2321",
    foreground_subtle="#d5d9d4",
    colors=("#1f5f5b", "#c27c0e", "#4f5b57"),
    font_family="DejaVu Sans, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    tooltip_font_size=12,
    opacity="1",
    opacity_hover="1",
)
COMMON = {
    "style": STYLE,
    "js": [],  # pygal's default interactive script lives on another site: never load it
    "disable_xml_declaration": True,
    "width": 640,
    "height": 300,
    "margin": 12,
    "show_y_guides": True,
    "print_values": False,
}


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    data_uri: str


def _uri(chart) -> str:
    svg = chart.render(is_unicode=True).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _labels(meetings: list[dict]) -> list[str]:
    return [str(m["number"]) for m in meetings]


def attendance_chart(meetings: list[dict]) -> Chart | None:
    rows = [m for m in meetings if m["attendance_rate"] is not None]
    if not rows:
        return None
    chart = pygal.Bar(**COMMON, show_legend=False, range=(0, 100), x_title=_("Meeting"))
    chart.x_labels = _labels(rows)
    chart.add(_("Attendance (%)"), [m["attendance_rate"] for m in rows])
    alt = _("Attendance per meeting, in per cent: %(values)s.") % {
        "values": "; ".join(
            _("meeting %(n)s, %(v)s%%") % {"n": m["number"], "v": m["attendance_rate"]}
            for m in rows
        )
    }
    return Chart(_("Attendance per meeting"), alt, _uri(chart))


def commitments_chart(meetings: list[dict]) -> Chart | None:
    rows = [m for m in meetings if m["commitments_made"]]
    if not rows:
        return None
    chart = pygal.Bar(**COMMON, legend_at_bottom=True, x_title=_("Meeting"))
    chart.x_labels = _labels(rows)
    highest = max(m["commitments_made"] for m in rows)
    if highest <= 12:  # whole commitments: no 0.2 steps on the scale
        chart.y_labels = list(range(0, highest + 1))
    chart.add(_("Made"), [m["commitments_made"] for m in rows])
    chart.add(_("Completed"), [m["commitments_completed"] for m in rows])
    alt = _("Commitments made and completed, by the meeting they were made at: %(values)s.") % {
        "values": "; ".join(
            _("meeting %(n)s, %(made)s made, %(done)s completed")
            % {"n": m["number"], "made": m["commitments_made"], "done": m["commitments_completed"]}
            for m in rows
        )
    }
    return Chart(_("Commitments made and completed"), alt, _uri(chart))


def review_chart(meetings: list[dict]) -> Chart | None:
    rows = [m for m in meetings if m["review_average"] is not None]
    if len(rows) < 2:  # a trend needs two points
        return None
    chart = pygal.Line(**COMMON, show_legend=False, range=(1, 10), x_title=_("Meeting"))
    chart.x_labels = _labels(rows)
    chart.add(
        _("Average score (1 to 10)"),
        [m["review_average"] for m in rows],
        stroke_style={"width": 3},
        dots_size=5,
    )
    alt = _("Process review, the set's average score out of 10: %(values)s.") % {
        "values": "; ".join(
            _("meeting %(n)s, %(v)s") % {"n": m["number"], "v": m["review_average"]} for m in rows
        )
    }
    return Chart(_("Process review trend"), alt, _uri(chart))


def charts_for(figures: dict, withheld: list[str]) -> dict[str, Chart | None]:
    meetings = figures.get("meetings") or []
    return {
        "attendance": None if "attendance" in withheld else attendance_chart(meetings),
        "commitments": None if "commitments" in withheld else commitments_chart(meetings),
        "process_review": None if "process_review" in withheld else review_chart(meetings),
    }
