"""Charts drawn on the server as inline SVG (nothing to download, readable without JavaScript)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from search_api.backends.base import parse_iso
from search_api.web.render import fmt_date, fmt_number

W, H = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 20, 48


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1) if v >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return v


def _y_axis(ymax: float, unit: str) -> list[str]:
    out = []
    for i in range(5):
        v = ymax * i / 4
        y = TOP + (H - TOP - BOTTOM) * (1 - i / 4)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_esc(fmt_number(v))}</text>')
    if unit:
        out.append(f'<text class="axis-unit" x="{LEFT - 6}" y="{TOP - 6}" text-anchor="end">{_esc(unit)}</text>')
    return out


@dataclass
class Bar:
    group: str
    series: str  # "target" or "reported"
    value: float
    label: str  # shown on hover
    href: str | None = None


def bar_chart(bars: list[Bar], unit: str = "", title: str = "") -> Markup:
    """Grouped bars (one group per province: its target beside its latest reported figure)."""
    if not bars:
        return Markup("")
    groups = list(dict.fromkeys(b.group for b in bars))
    ymax = _nice_max(max(b.value for b in bars) * 1.05)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    gw = plot_w / len(groups)
    bw = min(48.0, gw / 3)
    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{_esc(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(title)}</title>', *_y_axis(ymax, unit)]
    for gi, g in enumerate(groups):
        cx = LEFT + gw * (gi + 0.5)
        for si, series in enumerate(("target", "reported")):
            for b in (b for b in bars if b.group == g and b.series == series):
                h = plot_h * b.value / ymax
                x = cx - bw + si * bw
                y = TOP + plot_h - h
                rect = (f'<rect class="bar bar-{series}" x="{x:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" '
                        f'height="{h:.1f}"><title>{_esc(b.label)}</title></rect>')
                if b.href:
                    rect = f'<a href="{_esc(b.href)}">{rect}</a>'
                parts.append(rect)
                parts.append(f'<text class="val" x="{x + bw / 2 - 1:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
                             f'{_esc(fmt_number(b.value))}</text>')
        parts.append(f'<text class="tick" x="{cx:.1f}" y="{H - BOTTOM + 18}" text-anchor="middle">{_esc(g)}</text>')
    parts.append(_legend([("legend-target", "Mục tiêu"), ("legend-reported", "Kết quả mới nhất")]))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(items: list[tuple[str, str]]) -> str:
    out, x = [], LEFT
    for cls, text in items:
        out.append(f'<rect class="{cls}" x="{x}" y="{H - 16}" width="12" height="12"/>'
                   f'<text class="tick" x="{x + 16}" y="{H - 6}">{_esc(text)}</text>')
        x += 30 + 11 * len(text)  # room for the larger text of narrow screens
    return "".join(out)


@dataclass
class Point:
    when: date
    value: float
    label: str
    href: str | None = None


@dataclass
class Goal:
    value: float
    deadline: date | None
    set_on: date | None
    label: str
    href: str | None = None


def progress_chart(points: list[Point], goals: list[Goal], unit: str = "", title: str = "") -> Markup:
    """Reported values over time (a line with dots) against each target (a dashed level up to its deadline)."""
    dates = [p.when for p in points] + [d for g in goals for d in (g.deadline, g.set_on) if d]
    values = [p.value for p in points] + [g.value for g in goals]
    if not values or not dates:
        return Markup("")
    d0, d1 = date(min(dates).year, 1, 1), date(max(dates).year, 12, 31)  # whole years: labels sit mid-year
    span = (d1 - d0).days
    ymax = _nice_max(max(values) * 1.1)
    plot_w, plot_h = W - LEFT - RIGHT - 10, H - TOP - BOTTOM

    def x(d: date) -> float:
        return LEFT + 5 + plot_w * (d - d0).days / span

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / ymax)

    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{_esc(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(title)}</title>', *_y_axis(ymax, unit)]
    for year in range(d0.year, d1.year + 1):
        jan, mid = date(year, 1, 1), date(year, 7, 1)
        parts.append(f'<line class="grid" x1="{x(jan):.1f}" x2="{x(jan):.1f}" y1="{TOP}" y2="{TOP + plot_h}"/>'
                     f'<text class="tick" x="{x(mid):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{year}</text>')
    for g in goals:
        gx0 = x(g.set_on) if g.set_on else LEFT
        gx1 = x(g.deadline) if g.deadline else W - RIGHT
        line = (f'<line class="goal" x1="{gx0:.1f}" x2="{gx1:.1f}" y1="{y(g.value):.1f}" y2="{y(g.value):.1f}">'
                f'<title>{_esc(g.label)}</title></line>')
        parts.append(line)
        if g.deadline:
            parts.append(f'<line class="deadline" x1="{gx1:.1f}" x2="{gx1:.1f}" y1="{TOP}" y2="{TOP + plot_h}"/>')
            mark = (f'<circle class="goal-dot" cx="{gx1:.1f}" cy="{y(g.value):.1f}" r="6">'
                    f'<title>{_esc(g.label)}</title></circle>')
            parts.append(f'<a href="{_esc(g.href)}">{mark}</a>' if g.href else mark)
            parts.append(f'<text class="tick deadline-label" x="{gx1 - 4:.1f}" y="{TOP + 10}" text-anchor="end">'
                         f'Hạn {_esc(fmt_date(g.deadline.isoformat()))}</text>')
    pts = sorted(points, key=lambda p: p.when)
    if len(pts) > 1:
        coords = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in pts)
        parts.append(f'<polyline class="reported-line" points="{coords}"/>')
    for p in pts:
        dot = (f'<circle class="reported-dot" cx="{x(p.when):.1f}" cy="{y(p.value):.1f}" r="5">'
               f'<title>{_esc(p.label)}</title></circle>')
        parts.append(f'<a href="{_esc(p.href)}">{dot}</a>' if p.href else dot)
        parts.append(f'<text class="val" x="{x(p.when):.1f}" y="{y(p.value) - 9:.1f}" text-anchor="middle">'
                     f'{_esc(fmt_number(p.value))}</text>')
    parts.append(_legend([("legend-reported", "Kết quả báo cáo"), ("legend-goal", "Mục tiêu đến hạn")]))
    parts.append("</svg>")
    return Markup("".join(parts))


def as_date(iso: str | None) -> date | None:
    return parse_iso(iso)
