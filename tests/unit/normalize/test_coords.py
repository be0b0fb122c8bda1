"""portal.normalize.coords: latitude/longitude parsing, distance and plausibility."""

from __future__ import annotations

import pytest

from portal.normalize.coords import (
    format_coordinate,
    haversine_km,
    in_japan,
    looks_swapped,
    parse_coordinate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("34.866918", 34.866918),  # 焼津市 AED
        ("138.323171", 138.323171),
        ("35.72111095", 35.72111095),  # 市川市: 8 decimals
        ("34.7576091359096", 34.7576091359096),  # 吹田市 GSI: 13 decimals
        ("３４．８６６９１８", 34.866918),
        (" 34.8669 ", 34.8669),
        ("\u300034.8669\u3000", 34.8669),
        ("34", 34.0),
        ("-33.8688", -33.8688),
        ("+34.5", 34.5),
        ("34.866918°", 34.866918),
        ("34°52'0.9\"N", 34 + 52 / 60 + 0.9 / 3600),
        ("34°52′0.9″N", 34 + 52 / 60 + 0.9 / 3600),
        ("N34°52'0.9\"", 34 + 52 / 60 + 0.9 / 3600),
        ("34度52分0.9秒", 34 + 52 / 60 + 0.9 / 3600),
        ("３４度５２分０．９秒", 34 + 52 / 60 + 0.9 / 3600),
        ("北緯34度52分0.9秒", 34 + 52 / 60 + 0.9 / 3600),
        ("東経138度19分23.4秒", 138 + 19 / 60 + 23.4 / 3600),
        ("139°55'35.5\"E", 139 + 55 / 60 + 35.5 / 3600),
        ("34 ° 52 ' 0.9 \" N", 34 + 52 / 60 + 0.9 / 3600),
        ("34°52'", 34 + 52 / 60),
        ("34°52.015'", 34 + 52.015 / 60),
        ("34度", 34.0),
        ("33°52'S", -(33 + 52 / 60)),
        ("南緯33度52分", -(33 + 52 / 60)),
        ("西経70度", -70.0),
    ],
)
def test_parse_coordinate(text: str, expected: float) -> None:
    value = parse_coordinate(text)
    assert value == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "緯度経度を確認",  # 焼津市 公衆トイレ 設置位置 placeholder
        "N34.52.0.9",  # dots for every mark: not accepted
        "34.866.918",
        "34,866918",
        "181",
        "-180.5",
        "34°60'0\"",
        "34°52'60\"",
        "34.5°52'",  # decimals only on the last part
        "34°52.5'10\"",
        "N34°52'0.9\"N",
        "nan",
        "inf",
        "1e3",
        "34.866918 138.323171",
    ],
)
def test_parse_coordinate_rejects(text: str) -> None:
    assert parse_coordinate(text) is None


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((35.681236, 139.767125), (34.702485, 135.495951), 403.1),  # 東京駅–大阪駅
        ((34.866918, 138.323171), (34.866918, 138.323171), 0.0),
        # 焼津市 AED, アトレ庁舎 on two rows: a few metres apart
        ((34.863094, 138.320351), (34.863594, 138.320851), 0.0719),
        ((0.0, 0.0), (0.0, 180.0), 20015.1),
    ],
)
def test_haversine_km(a: tuple[float, float], b: tuple[float, float], km: float) -> None:
    assert haversine_km(*a, *b) == pytest.approx(km, rel=1e-3, abs=1e-3)


def test_haversine_is_symmetric() -> None:
    there = haversine_km(34.866918, 138.323171, 35.72111095, 139.9427638)
    back = haversine_km(35.72111095, 139.9427638, 34.866918, 138.323171)
    assert there == pytest.approx(back)


@pytest.mark.parametrize(
    ("lat", "lon", "inside"),
    [
        (34.866918, 138.323171, True),  # 焼津市
        (35.72111095, 139.9427638, True),  # 市川市
        (43.064310, 141.346814, True),  # the standard's example (札幌)
        (20.4253, 136.0810, True),  # 沖ノ鳥島
        (24.2867, 153.9807, True),  # 南鳥島
        (24.4499, 122.9340, True),  # 与那国島
        (45.5228, 141.9367, True),  # 宗谷岬
        (20.0, 122.0, True),  # corners are inside
        (46.0, 154.0, True),
        (138.323171, 34.866918, False),  # swapped
        (0.0, 0.0, False),
        (37.5665, 126.9780, True),  # Seoul is inside the box: it is only a box
        (19.99, 138.0, False),
        (35.0, 154.01, False),
        (-34.866918, 138.323171, False),
    ],
)
def test_in_japan(lat: float, lon: float, inside: bool) -> None:
    assert in_japan(lat, lon) is inside


@pytest.mark.parametrize(
    ("lat", "lon", "swapped"),
    [
        (138.323171, 34.866918, True),  # 経度 in 緯度 and the other way round
        (139.9427638, 35.72111095, True),
        (34.866918, 138.323171, False),
        (0.0, 0.0, False),  # nowhere either way
        (34.866918, 34.866918, False),
    ],
)
def test_looks_swapped(lat: float, lon: float, swapped: bool) -> None:
    assert looks_swapped(lat, lon) is swapped


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (34.866918, "34.866918"),
        (35.72111095, "35.721111"),
        (34.7576091359096, "34.757609"),
        (138.3, "138.300000"),
        (43.06431, "43.064310"),
        (-33.8688, "-33.868800"),
        (0.0, "0.000000"),
        (-0.0000001, "0.000000"),
    ],
)
def test_format_coordinate(value: float, text: str) -> None:
    assert format_coordinate(value) == text
