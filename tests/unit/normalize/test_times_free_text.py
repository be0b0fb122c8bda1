"""Opening hours as clerks write them in Japanese prose, read into a start and an end."""

from __future__ import annotations

import pytest

from portal.normalize.times import parse_time_range


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("午前9時～午後5時", ("09:00", "17:00")),
        ("午後2時から午後4時まで", ("14:00", "16:00")),
        ("9時から17時まで", ("09:00", "17:00")),
        ("9時～17時", ("09:00", "17:00")),
        ("9:00-17:00", ("09:00", "17:00")),
        ("9時半～17時", ("09:30", "17:00")),
        ("午後1時～3時", ("13:00", "15:00")),  # the end is afternoon too
        ("午後1時～3時30分まで", ("13:00", "15:30")),
        ("午前9時～11時半", ("09:00", "11:30")),
        ("午前9時から正午まで", ("09:00", "12:00")),
        ("２２:００～２:００", ("22:00", "02:00")),  # past midnight, written as such
    ],
)
def test_a_range_in_prose(text: str, span: tuple[str, str]) -> None:
    assert parse_time_range(text) == span


@pytest.mark.parametrize(
    "text",
    [
        "午前9時～3時",  # 15:00, or a typo for 13時?
        "午後1時～12時",  # noon or midnight?
        "午後10時～2時",  # 02:00 the next day, or 14:00?
        "9時から",  # no end
        "まで",
    ],
)
def test_an_end_that_would_be_a_guess_is_refused(text: str) -> None:
    assert parse_time_range(text) is None


@pytest.mark.parametrize("text", ["24時間", "２４時間", "終日", "24時間利用可能", "24時間営業"])
def test_a_whole_day_only_when_asked(text: str) -> None:
    assert parse_time_range(text) is None
    assert parse_time_range(text, all_day=True) == ("00:00", "24:00")
