"""Local governments' names in Latin letters for the English pages, from the directory's
kana: modified Hepburn without macrons, with the kind of body in English. The expected
names are written by hand (as the bodies write them in English)."""

from __future__ import annotations

import pytest

from portal.localgov import load
from portal.localgov.english import english_name, romanise

NAMES = [
    ("大阪府", "大阪府", "Osaka"),
    ("東京都", "東京都", "Tokyo"),
    ("北海道", "北海道", "Hokkaido"),
    ("京都府", "京都府", "Kyoto"),
    ("大阪府", "大阪市", "Osaka City, Osaka"),
    ("東京都", "千代田区", "Chiyoda Ward, Tokyo"),
    ("北海道", "札幌市", "Sapporo City, Hokkaido"),
    ("静岡県", "焼津市", "Yaizu City, Shizuoka"),
    ("兵庫県", "神戸市", "Kobe City, Hyogo"),
    ("福岡県", "北九州市", "Kitakyushu City, Fukuoka"),
    ("長野県", "小布施町", "Obuse Town, Nagano"),
    ("沖縄県", "北大東村", "Kitadaito Village, Okinawa"),
    ("京都府", "京都市", "Kyoto City, Kyoto"),
    ("群馬県", "高崎市", "Takasaki City, Gunma"),
    ("大分県", "日田市", "Hita City, Oita"),
    ("北海道", "夕張市", "Yubari City, Hokkaido"),
    ("三重県", "四日市市", "Yokkaichi City, Mie"),
    ("大阪府", "摂津市", "Settsu City, Osaka"),
    ("北海道", "札幌市中央区", "Chuo Ward, Sapporo City, Hokkaido"),
    ("大阪府", "大阪市城東区", "Joto Ward, Osaka City, Osaka"),
]


@pytest.mark.parametrize(("prefecture", "name", "expected"), NAMES)
def test_a_body_is_named_in_latin_letters(prefecture: str, name: str, expected: str) -> None:
    directory = load()
    body = directory.by_name(prefecture, name)
    assert body is not None
    assert english_name(body, directory) == expected


@pytest.mark.parametrize(
    ("kana", "expected"),
    [
        ("おおさか", "Osaka"),  # おお → o
        ("とうきょう", "Tokyo"),  # おう → o
        ("きたきゅうしゅう", "Kitakyushu"),  # うう → u
        ("ぐんま", "Gunma"),  # ん before m stays n
        ("なんば", "Nanba"),  # ん before b stays n
        ("さんぺい", "Sanpei"),  # ん before p stays n; えい is kept
        ("さっぽろ", "Sapporo"),
        ("はっち", "Hatchi"),  # っち → tch
        ("やいづ", "Yaizu"),  # づ → zu
    ],
)
def test_romanisation_is_modified_hepburn_without_macrons(kana: str, expected: str) -> None:
    assert romanise(kana) == expected


def test_every_body_has_a_latin_name_without_kana() -> None:
    directory = load()
    for body in directory:
        name = english_name(body, directory)
        assert name.isascii() and name[:1].isupper(), (body.lgcode, name)
