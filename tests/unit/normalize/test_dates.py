"""portal.normalize.dates: every date spelling seen in municipal files."""

from __future__ import annotations

import pytest

from portal.normalize.dates import DateParse, parse_date, wareki_to_year


@pytest.mark.parametrize(
    ("text", "iso", "kind"),
    [
        # ISO, as in published food-permit files
        ("2026-08-31", "2026-08-31", "iso"),
        ("2026-4-2", "2026-04-02", "iso"),
        ("2026-04-02 00:00:00", "2026-04-02", "iso"),  # Excel date read as datetime
        ("2026-04-02T00:00:00", "2026-04-02", "iso"),
        # 焼津市 イベント: 開始日 2026/4/2, 終了日 2027/3/18
        ("2026/4/2", "2026-04-02", "slash"),
        ("2027/3/18", "2027-03-18", "slash"),
        ("2026/04/02", "2026-04-02", "slash"),
        ("2026.4.2", "2026-04-02", "slash"),
        ("2026/4/2 0:00", "2026-04-02", "slash"),
        ("2026/4/2（木）", "2026-04-02", "slash"),
        ("２０２６／４／２", "2026-04-02", "slash"),
        ("2026年4月2日", "2026-04-02", "kanji"),
        ("２０２６年４月２日", "2026-04-02", "kanji"),
        ("2026年4月2日(木)", "2026-04-02", "kanji"),
        ("2026 年 4 月 2 日", "2026-04-02", "kanji"),
        ("20260402", "2026-04-02", "compact"),
        ("  2026/4/2  ", "2026-04-02", "slash"),
        ("\u30002026/4/2\u3000", "2026-04-02", "slash"),
    ],
)
def test_western_dates(text: str, iso: str, kind: str) -> None:
    assert parse_date(text) == DateParse(iso, kind, True)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("令和元年5月1日", "2019-05-01"),
        ("令和1年5月1日", "2019-05-01"),
        ("令和5年4月1日", "2023-04-01"),
        ("R5.4.1", "2023-04-01"),
        ("R05.04.01", "2023-04-01"),
        ("r5.4.1", "2023-04-01"),
        ("Ｒ５．４．１", "2023-04-01"),
        ("R5/4/1", "2023-04-01"),
        ("令和 5年 4月 1日", "2023-04-01"),
        ("令和5年4月1日（土）", "2023-04-01"),
        ("H31.4.30", "2019-04-30"),
        ("平成31年4月30日", "2019-04-30"),
        ("平成３１年４月３０日", "2019-04-30"),
        ("㍻31年4月30日", "2019-04-30"),  # NFKC turns the square era into 平成
        ("平成元年1月8日", "1989-01-08"),
        # 市川市 文化財 備考: 附についてはS63.7.5に指定, H14.9.20追加指定, H22.8.5指定
        ("S63.7.5", "1988-07-05"),
        ("昭和63年7月5日", "1988-07-05"),
        ("H14.9.20", "2002-09-20"),
        ("H22.8.5", "2010-08-05"),
        ("昭和64年1月7日", "1989-01-07"),
        ("昭和元年12月25日", "1926-12-25"),
        ("大正15年12月24日", "1926-12-24"),
        ("T1.7.30", "1912-07-30"),
        ("M45.7.29", "1912-07-29"),
        ("明治30年4月1日", "1897-04-01"),
        ("明治6年1月1日", "1873-01-01"),
    ],
)
def test_wareki_dates(text: str, iso: str) -> None:
    assert parse_date(text) == DateParse(iso, "wareki", True)


@pytest.mark.parametrize(
    "text",
    [
        "平成32年1月1日",  # 平成 ended in its 31st year
        "H32.1.1",
        "平成31年5月1日",  # already 令和
        "令和元年4月30日",  # still 平成
        "R1.4.30",
        "昭和64年1月8日",
        "昭和65年1月1日",
        "大正15年12月25日",
        "大正元年7月29日",  # still 明治
        "明治5年12月2日",  # lunisolar calendar, not convertible by arithmetic
        "令和0年5月1日",
        "X5.4.1",
        "R5.4/1",  # mixed separators
    ],
)
def test_impossible_era_dates_are_rejected(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1954-11", "1954-11"),
        ("1954/11", "1954-11"),
        ("1954年11月", "1954-11"),
        ("１９５４年１１月", "1954-11"),
        ("昭和29年11月", "1954-11"),
        ("平成元年1月", "1989-01"),  # 平成 began on the 8th: the month still overlaps
        ("昭和64年1月", "1989-01"),
        ("令和元年5月", "2019-05"),
        ("平成31年4月", "2019-04"),
    ],
)
def test_year_month_is_inexact(text: str, iso: str) -> None:
    assert parse_date(text) == DateParse(iso, "year-month", False)


@pytest.mark.parametrize("text", ["令和元年4月", "平成31年5月", "1954-13", "1954年0月"])
def test_impossible_year_months_are_rejected(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("serial", "iso"),
    [
        # 市川市 文化財指定日 holds serials: 22196 is 1960-10-07
        ("22196", "1960-10-07"),
        ("22313", "1961-02-01"),
        ("44995", "2023-03-10"),
        ("5989", "1916-05-24"),
        ("1", "1900-01-01"),
        ("59", "1900-02-28"),
        ("61", "1900-03-01"),  # after Excel's phantom 1900-02-29
        ("2958465", "9999-12-31"),
        ("４４９９５", "2023-03-10"),
    ],
)
def test_excel_serials(serial: str, iso: str) -> None:
    assert parse_date(serial, excel_serial=True) == DateParse(iso, "excel-serial", True)


@pytest.mark.parametrize("serial", ["0", "60", "2958466", "-5", "22196.5"])
def test_excel_serials_that_are_no_date(serial: str) -> None:
    # 60 is Excel's 1900-02-29, a day that never existed.
    assert parse_date(serial, excel_serial=True) is None


def test_serials_are_only_read_when_asked() -> None:
    assert parse_date("22196") is None
    assert parse_date("44995") is None


def test_compact_date_wins_over_serial_range() -> None:
    # No 8-digit yyyymmdd is a serial (they end at 2958465), so the flag
    # cannot make a compact date ambiguous.
    assert parse_date("20260402", excel_serial=True) == DateParse("2026-04-02", "compact", True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\u3000",
        "2026-02-30",
        "2026/2/29",  # 2026 is not a leap year
        "2026年13月1日",
        "20261301",
        "0000-01-01",
        "2026/4/2（金）",  # 2026-04-02 is a Thursday
        "2026-04-02 09:00:00",  # a real time of day would be dropped
        "2026/4.2",
        "0900",
        "未定",
        "随時",
        "2026/4/2～2026/4/5",
        "令和",
        "H",
        "99999999999999999999",
    ],
)
def test_unparseable_text_is_none(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text", ["\x00", "年月日", "令和元年元月元日", "R.4.1", "2026--04--02", "💥"]
)
def test_never_raises(text: str) -> None:
    assert parse_date(text) is None
    assert parse_date(text, excel_serial=True) is None


@pytest.mark.parametrize(
    ("era", "year", "western"),
    [
        ("令和", 1, 2019),
        ("R", 5, 2023),
        ("平成", 31, 2019),
        ("H", 1, 1989),
        ("昭和", 64, 1989),
        ("S", 29, 1954),
        ("大正", 15, 1926),
        ("T", 1, 1912),
        ("明治", 1, 1868),
        ("M", 45, 1912),
        ("令和", 50, 2068),  # an open era has no last year
    ],
)
def test_wareki_to_year(era: str, year: int, western: int) -> None:
    assert wareki_to_year(era, year) == western


@pytest.mark.parametrize(
    ("era", "year"),
    [("平成", 32), ("昭和", 65), ("大正", 16), ("明治", 46), ("令和", 0), ("慶応", 1)],
)
def test_wareki_to_year_rejects_years_an_era_never_had(era: str, year: int) -> None:
    with pytest.raises(ValueError):
        wareki_to_year(era, year)
