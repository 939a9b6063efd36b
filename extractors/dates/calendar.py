"""Calendar arithmetic on datetime.date: ends of months and quarters, shifting by units, weeks from Monday."""

from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta


def month_end(y: int, m: int) -> date:
    return date(y, m, _cal.monthrange(y, m)[1])


def add_months(d: date, n: int) -> date:
    """The first day of the month n months after d's month."""
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def unit_bounds(unit: str, ref: date, offset: int = 0) -> tuple[date, date]:
    """The whole unit (day, week, month, quarter, year) that contains ref, shifted by offset units."""
    if unit == "day":
        d = ref + timedelta(days=offset)
        return d, d
    if unit == "week":
        start = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
        return start, start + timedelta(days=6)
    if unit == "month":
        start = add_months(ref, offset)
        return start, month_end(start.year, start.month)
    if unit == "quarter":
        first = date(ref.year, 3 * ((ref.month - 1) // 3) + 1, 1)
        start = add_months(first, 3 * offset)
        end = add_months(start, 3) - timedelta(days=1)
        return start, end
    if unit == "year":
        y = ref.year + offset
        return date(y, 1, 1), date(y, 12, 31)
    raise ValueError(unit)


def quarter_bounds(y: int, q: int) -> tuple[date, date]:
    start = date(y, 3 * (q - 1) + 1, 1)
    return start, add_months(start, 3) - timedelta(days=1)


def span_units(unit: str, ref: date, n: int, future: bool) -> tuple[date, date]:
    """n whole units after (future) or before the unit containing ref: "3 năm tới", "2 tháng qua"."""
    if future:
        return unit_bounds(unit, ref, 1)[0], unit_bounds(unit, ref, n)[1]
    return unit_bounds(unit, ref, -n)[0], unit_bounds(unit, ref, -1)[1]
