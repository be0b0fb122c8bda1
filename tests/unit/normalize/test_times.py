"""portal.normalize.times: hh:mm times and opening-hour ranges."""

from __future__ import annotations

import pytest

from portal.normalize.times import parse_time, parse_time_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 焼津市 イベント 開始時間/終了時間 and the legacy 子育て施設 file
        ("9:00", "09:00"),
        ("09:00", "09:00"),
        ("13:30", "13:30"),
        ("0:00", "00:00"),
        ("06:30", "06:30"),
        ("９：００", "09:00"),
        ("9：00", "09:00"),
        ("9:00:00", "09:00"),  # Excel's h:mm:ss
        ("9時", "09:00"),
        ("9時30分", "09:30"),
        ("９時３０分", "09:30"),
        ("9時05分", "09:05"),
        ("9時5分", "09:05"),
        ("9時半", "09:30"),
        ("17時15分", "17:15"),
        ("午前9時", "09:00"),
        ("午前0時", "00:00"),
        ("午後5時30分", "17:30"),
        # 子育て施設 利用可能日時特記事項: 水曜日は午後2時まで, 午後4時30分から7時まで
        ("午後2時", "14:00"),
        ("午後4時30分", "16:30"),
        ("午後0時", "12:00"),
        ("正午", "12:00"),
        ("24:00", "24:00"),
        ("24時", "24:00"),
        (" 9:00 ", "09:00"),
        ("\u30009:00\u3000", "09:00"),
    ],
)
def test_parse_time(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0900",  # no separator: could be a count or a code
        "900",
        "25:00",
        "24:30",
        "24:01",
        "9:60",
        "9:5",  # minutes need two digits
        "9:00:30",  # seconds would be lost
        "午後12時",  # noon or midnight depending on the writer
        "午前12時",
        "午後13時",
        "9時60分",
        "9.00",
        "9時頃",
        "未定",
        "24時間",  # 公衆トイレ: 24時間利用可能 is a duration, not a time
        "9:00-17:00",
    ],
)
def test_parse_time_rejects(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9時～17時", ("09:00", "17:00")),
        ("9:00-17:00", ("09:00", "17:00")),
        # 焼津市 公共施設 利用可能日時特記事項, as published
        ("8：00～18：00", ("08:00", "18:00")),
        ("8時30分\u3000～\u300017時15分", ("08:30", "17:15")),
        ("8:30～１7:15", ("08:30", "17:15")),  # a full-width 1 inside
        ("8:30-21:00", ("08:30", "21:00")),
        ("9:00～17:00", ("09:00", "17:00")),
        ("12:00～18:30", ("12:00", "18:30")),
        ("9:00〜17:00", ("09:00", "17:00")),  # U+301C wave dash
        ("9:00~17:00", ("09:00", "17:00")),
        ("9:00－17:00", ("09:00", "17:00")),  # full-width hyphen-minus
        ("9:00−17:00", ("09:00", "17:00")),  # minus sign
        ("9:00―17:00", ("09:00", "17:00")),  # horizontal bar
        ("9:00–17:00", ("09:00", "17:00")),  # en dash
        ("9:00ー17:00", ("09:00", "17:00")),  # long-vowel mark typed as a dash
        ("9:00 - 17:00", ("09:00", "17:00")),
        ("9時から17時", ("09:00", "17:00")),
        ("午前8時30分から午後4時30分", ("08:30", "16:30")),
        ("9時～正午", ("09:00", "12:00")),
        ("0:00～24:00", ("00:00", "24:00")),
        # 焼津市 イベント: ends before it starts because it spans several days
        ("13:00-12:00", ("13:00", "12:00")),
    ],
)
def test_parse_time_range(text: str, expected: tuple[str, str]) -> None:
    assert parse_time_range(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "9:00",
        "9:00～",
        "～17:00",
        "9:00-12:00, 13:00-17:00",
        "9:00-12:00-17:00",
        "9:00～25:00",
        "【開館時間】9:00～17:00",
        "平日：12:00～18:30",
        "24時間",
        "0900-1700",
    ],
)
def test_parse_time_range_needs_exactly_one_range(text: str) -> None:
    assert parse_time_range(text) is None
