"""Bar charts drawn by the server as inline SVG: no script, no library, nothing fetched.

Each chart is an `<svg role="img">` with a title naming what it shows; each bar carries its own
`<title>` (a tooltip, and what a screen reader reads), and the pages put the same figures in a
table beside the chart as its text alternative. Surge weeks are drawn in the warning colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Bar:
    week: date
    value: int
    highlight: bool = False


def _bar_title(bar: Bar) -> str:
    text = ngettext("Week of %(week)s: %(count)s RFQ", "Week of %(week)s: %(count)s RFQs", bar.value) % {
        "week": date_format(bar.week, "SHORT_DATE_FORMAT"),
        "count": bar.value,
    }
    return f"{text} — {_('surge')}" if bar.highlight else text


def weekly_bars(bars: Sequence[Bar], *, label: str, width: int = 640, height: int = 180) -> SafeString:
    """A bar per week, oldest on the left, with the largest value and every fourth week labelled."""
    if not bars:
        return SafeString("")
    top, bottom, left = 16, 22, 4
    plot_height = height - top - bottom
    peak = max(max(bar.value for bar in bars), 1)
    step = (width - left) / len(bars)
    gap = max(step * 0.2, 1)
    rects = []
    for index, bar in enumerate(bars):
        bar_height = round(plot_height * bar.value / peak, 1)
        rects.append(
            (
                round(left + index * step + gap / 2, 1),
                round(top + plot_height - bar_height, 1),
                round(step - gap, 1),
                max(bar_height, 0.5 if bar.value else 0),
                "chart-bar chart-surge" if bar.highlight else "chart-bar",
                _bar_title(bar),
            )
        )
    labels = [
        (round(left + index * step + step / 2, 1), height - 6, date_format(bar.week, "m/d"))
        for index, bar in enumerate(bars)
        if (len(bars) - 1 - index) % 4 == 0
    ]
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{label}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        '<line class="chart-axis" x1="0" y1="{base}" x2="{w}" y2="{base}"/>'
        '<text class="chart-label" x="2" y="11">{peak_text}</text>{rects}{labels}</svg>',
        w=width,
        h=height,
        label=label,
        base=top + plot_height,
        peak_text=_("max %(count)s") % {"count": peak},
        rects=format_html_join(
            "",
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            ((cls, x, y, w, h, title) for x, y, w, h, cls, title in rects),
        ),
        labels=format_html_join("", '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )


def sparkline(bars: Sequence[Bar], *, label: str, width: int = 140, height: int = 28) -> SafeString:
    """A small bar chart without labels, for a table cell."""
    if not bars:
        return SafeString("")
    peak = max(max(bar.value for bar in bars), 1)
    step = width / len(bars)
    rects = [
        (
            "chart-bar chart-surge" if bar.highlight else "chart-bar",
            round(index * step, 1),
            round(height - height * bar.value / peak, 1),
            round(max(step - 1, 0.5), 1),
            round(height * bar.value / peak, 1),
            _bar_title(bar),
        )
        for index, bar in enumerate(bars)
    ]
    return format_html(
        '<svg class="chart chart-spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-label="{label}" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>{rects}</svg>',
        w=width,
        h=height,
        label=label,
        rects=format_html_join(
            "", '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>', rects
        ),
    )
