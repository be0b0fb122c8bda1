"""Year-only 和暦 and month/day-first dates: read only as far as the text (and caller) says."""

from __future__ import annotations

import pytest

from portal.normalize.dates import needs_order, parse_date, parse_year_only


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("令和5年", "2023-01-01", "2023-12-31"),
        ("令和５年度", "2023-04-01", "2024-03-31"),
        ("平成30年度", "2018-04-01", "2019-03-31"),
        ("R5", "2023-01-01", "2023-12-31"),
        ("令和元年", "2019-05-01", "2019-12-31"),  # cut to the era
        ("平成31年", "2019-01-01", "2019-04-30"),
        ("令和元年度", "2019-04-01", "2020-03-31"),  # a 年度 is not cut: it is a fiscal year
        ("2023年度", "2023-04-01", "2024-03-31"),
        ("2023年", "2023-01-01", "2023-12-31"),
    ],
)
def test_a_year_alone_gives_its_first_or_last_day(text: str, first: str, last: str) -> None:
    assert (parse_year_only(text), parse_year_only(text, last=True)) == (first, last)
    assert parse_date(text) is None  # a year is never a date by itself


@pytest.mark.parametrize("text", ["2023", "平成32年", "明治5年", "令和", "5年"])
def test_what_is_not_a_year(text: str) -> None:
    assert parse_year_only(text) is None


@pytest.mark.parametrize(
    ("text", "order", "iso"),
    [
        ("4/2/2026", "mdy", "2026-04-02"),
        ("4/2/2026", "dmy", "2026-02-04"),
        ("０４/０２/２０２６", "mdy", "2026-04-02"),
        ("31.12.2025", "dmy", "2025-12-31"),
        ("12-31-2025", "mdy", "2025-12-31"),
        ("12/31/2025 0:00:00", "mdy", "2025-12-31"),
    ],
)
def test_month_or_day_first_when_the_order_is_given(text: str, order: str, iso: str) -> None:
    parsed = parse_date(text, order=order)
    assert parsed is not None and parsed.iso == iso
    assert parse_date(text) is None and needs_order(text)


@pytest.mark.parametrize(
    ("text", "order"), [("13/2/2026", "mdy"), ("2/30/2026", "mdy"), ("4/2/26", "dmy")]
)
def test_an_impossible_day_is_refused_in_either_order(text: str, order: str) -> None:
    assert parse_date(text, order=order) is None
