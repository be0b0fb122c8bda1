"""portal.normalize.address: the standard's address block split from one address."""

from __future__ import annotations

import csv
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import portal.normalize
from portal.localgov import load
from portal.normalize.address import AddressParts, split_address
from tests.conftest import SAMPLES_DIR

DIRECTORY = load()
YAIZU = {"default_prefecture": "静岡県", "default_city": "焼津市"}
ICHIKAWA = {"default_prefecture": "千葉県", "default_city": "市川市"}


def split(text: str, **defaults: Any) -> AddressParts | None:
    return split_address(text, DIRECTORY, **defaults)


def town_block_building(parts: AddressParts | None) -> tuple[str, str, str]:
    assert parts is not None
    return parts.town, parts.block, parts.building


# 焼津市 (222127): 公衆トイレ, 消防水利, イベント (current) and AED, 子育て施設, 公共施設 (legacy).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 公衆トイレ 所在地_連結表記
        ("静岡県焼津市駅北5丁目2-11", ("駅北5丁目", "2-11", "")),
        ("静岡県焼津市焼津二丁目7", ("焼津二丁目", "7", "")),  # kanji 丁目
        ("静岡県焼津市大栄町三丁目3-1", ("大栄町三丁目", "3-1", "")),
        ("静岡県焼津市浜当目3-1731-1-1", ("浜当目", "3-1731-1-1", "")),
        ("静岡県焼津市石津中町13－1", ("石津中町", "13-1", "")),  # full-width minus
        ("静岡県焼津市吉永205-４", ("吉永", "205-4", "")),  # full-width digit
        ("静岡県焼津市鰯ケ島", ("鰯ケ島", "", "")),  # town only; ケ kept as written
        ("静岡県焼津市鰯ヶ島251", ("鰯ヶ島", "251", "")),  # and ヶ kept as written
        ("静岡県焼津市吉永（官有無番地）", ("吉永", "", "（官有無番地）")),
        ("静岡県焼津市小川3808地先（3803-3番地ほか）", ("小川", "3808", "地先（3803-3番地ほか）")),
        ("静岡県焼津市飯淵2036大井川河口野鳥園", ("飯淵", "2036", "大井川河口野鳥園")),
        ("静岡県焼津市花沢33花沢地区ビジターセンター", ("花沢", "33", "花沢地区ビジターセンター")),
        (
            "静岡県焼津市田尻2968-1ディスカバリーパーク焼津",
            ("田尻", "2968-1", "ディスカバリーパーク焼津"),
        ),
        ("静岡県焼津市本町四丁目909-8", ("本町四丁目", "909-8", "")),
        # 消防水利: the 番地 forms, kept as written
        ("静岡県焼津市石津728番地2", ("石津", "728番地2", "")),
        ("静岡県焼津市上小杉887番地の95", ("上小杉", "887番地の95", "")),
        ("静岡県焼津市鰯ケ島69番地の5", ("鰯ケ島", "69番地の5", "")),
        ("静岡県焼津市石脇下153番地", ("石脇下", "153番地", "")),
        ("静岡県焼津市駅北二丁目5番5号", ("駅北二丁目", "5番5号", "")),
        ("静岡県焼津市駅北三丁目8番8", ("駅北三丁目", "8番8", "")),
        ("静岡県焼津市栄町四丁目6番地", ("栄町四丁目", "6番地", "")),
        ("静岡県焼津市上新田703", ("上新田", "703", "")),
        ("静岡県焼津市石津421-3", ("石津", "421-3", "")),
        ("静岡県焼津市坂本", ("坂本", "", "")),  # empty 番地
        ("静岡県焼津市すみれ台二丁目", ("すみれ台二丁目", "", "")),
        (
            "静岡県焼津市小川新町二丁目7番11号  ",
            ("小川新町二丁目", "7番11号", ""),
        ),  # trailing spaces
        ("静岡県焼津市栄町六丁目2番1   ", ("栄町六丁目", "2番1", "")),
        ("静岡県焼津市相川1068番地  ", ("相川", "1068番地", "")),
        ("静岡県焼津市上泉612番地の183 ", ("上泉", "612番地の183", "")),
        # ID 135: the 連結表記 is split as written; its own 町字/番地以下 columns disagree with it
        ("静岡県焼津市焼津二丁目1番11", ("焼津二丁目", "1番11", "")),
        # イベント
        ("静岡県焼津市本町5丁目6-1", ("本町5丁目", "6-1", "")),
        ("静岡県焼津市本町5丁目6番1号", ("本町5丁目", "6番1号", "")),
        ("静岡県焼津市宗高909番地の1", ("宗高", "909番地の1", "")),
        ("静岡県焼津市城之腰付近", ("城之腰", "", "付近")),
        (
            "静岡県焼津市三ケ名1550番地（焼津市文化センター内）",
            ("三ケ名", "1550番地", "（焼津市文化センター内）"),
        ),
        # AED, 子育て施設 (legacy 住所): "本町2-16-32" cannot tell a 丁目 from a 番地
        ("静岡県焼津市本町2-16-32", ("本町", "2-16-32", "")),
        ("静岡県焼津市宗高88  ", ("宗高", "88", "")),
        ("静岡県焼津市下江留41  ", ("下江留", "41", "")),
        ("静岡県焼津市焼津5-13-14 ", ("焼津", "5-13-14", "")),
        ("静岡県焼津市三ケ名1550", ("三ケ名", "1550", "")),  # kanji numeral in a name
        # 公共施設 (legacy): no prefecture
        ("焼津市本町5-6-1", ("本町", "5-6-1", "")),
        ("焼津市五ケ堀之内2", ("五ケ堀之内", "2", "")),
        ("焼津市一色1043", ("一色", "1043", "")),
        ("焼津市小川新町4-1866-2", ("小川新町", "4-1866-2", "")),
    ],
)
def test_yaizu(text: str, expected: tuple[str, str, str]) -> None:
    parts = split(text, **YAIZU)
    assert parts is not None
    assert (parts.prefecture, parts.city, parts.lgcode) == ("静岡県", "焼津市", "222127")
    assert town_block_building(parts) == expected


# 市川市 (122033): 介護サービス, 文化財, 公衆無線LAN, 景観100選 (all current).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("千葉県市川市中山1丁目2-1", ("中山1丁目", "2-1", "")),
        ("千葉県市川市高谷1854", ("高谷", "1854", "")),
        ("千葉県市川市福栄4-22-11", ("福栄", "4-22-11", "")),
        ("千葉県市川市北方町4丁目1800-2", ("北方町4丁目", "1800-2", "")),
        ("千葉県市川市大町53７", ("大町", "537", "")),  # full-width digit in a house number
        (
            "千葉県市川市市川南1丁目1-1-301ザ\u3000タワーズ イースト207-2",
            ("市川南1丁目", "1-1-301", "ザ\u3000タワーズ イースト207-2"),  # spaces kept
        ),
        (
            "千葉県市川市大洲1丁目18-1急病診療・ふれあいセンター2階",
            ("大洲1丁目", "18-1", "急病診療・ふれあいセンター2階"),
        ),
        ("千葉県市川市本行徳5525-4丸大行徳ﾋﾞﾙ2階", ("本行徳", "5525-4", "丸大行徳ﾋﾞﾙ2階")),
        ("千葉県市川市新井2丁目21-19TTアベニュー205", ("新井2丁目", "21-19", "TTアベニュー205")),
        ("千葉県市川市日之出17-9-102アルテ", ("日之出", "17-9-102", "アルテ")),
        ("千葉県市川市本行徳34地先", ("本行徳", "34", "地先")),
        ("千葉県市川市高石神21-9泰福寺", ("高石神", "21-9", "泰福寺")),
        ("千葉県市川市国府台3丁目9里見公園内", ("国府台3丁目", "9", "里見公園内")),
        ("千葉県市川市本北方3丁目751の一部", ("本北方3丁目", "751", "の一部")),
        ("千葉県市川市国分3丁目20-1ほか", ("国分3丁目", "20-1", "ほか")),
        ("千葉県市川市鬼越2丁目200-1他", ("鬼越2丁目", "200-1", "他")),  # the city put 他 in 番地
        ("千葉県市川市堀之内2丁目26-1考古博物館所蔵", ("堀之内2丁目", "26-1", "考古博物館所蔵")),
        (
            "千葉県市川市河原、稲荷木地先の江戸川河岸の湿地帯",
            ("", "", "河原、稲荷木地先の江戸川河岸の湿地帯"),  # a description, as the city split it
        ),
        ("千葉県市川市", ("", "", "")),
        ("千葉県市川市市川南4丁目地先", ("市川南4丁目", "", "地先")),
        ("千葉県市川市大町地先", ("大町", "", "地先")),
        ("千葉県市川市南大野2丁目5、-6", ("南大野2丁目", "5", "、-6")),  # an odd 番地: left visible
    ],
)
def test_ichikawa(text: str, expected: tuple[str, str, str]) -> None:
    parts = split(text, **ICHIKAWA)
    assert parts is not None
    assert (parts.prefecture, parts.city, parts.lgcode) == ("千葉県", "市川市", "122033")
    assert town_block_building(parts) == expected


# 国土地理院 downloads: 堺市 (designated city, ward in the address) and 吹田市.
@pytest.mark.parametrize(
    ("text", "city", "lgcode", "town", "block"),
    [
        ("大阪府堺市堺区旭ヶ丘中町4-2-1", "堺市堺区", "271411", "旭ヶ丘中町", "4-2-1"),
        ("大阪府堺市堺区北三国ケ丘町2-4-1", "堺市堺区", "271411", "北三国ケ丘町", "2-4-1"),
        ("大阪府堺市堺区北三国ヶ丘町5-1-1", "堺市堺区", "271411", "北三国ヶ丘町", "5-1-1"),
        ("大阪府堺市堺区京町通1-21", "堺市堺区", "271411", "京町通", "1-21"),
        ("大阪府堺市堺区海山町3-150-1", "堺市堺区", "271411", "海山町", "3-150-1"),
        ("大阪府堺市西区上61", "堺市西区", "271446", "上", "61"),
        ("大阪府堺市西区上野芝向ヶ丘町5-25-1", "堺市西区", "271446", "上野芝向ヶ丘町", "5-25-1"),
        ("大阪府吹田市五月が丘西4-1", "吹田市", "272051", "五月が丘西", "4-1"),
        ("大阪府吹田市江の木町2-39", "吹田市", "272051", "江の木町", "2-39"),
        ("大阪府吹田市山田市場15-1", "吹田市", "272051", "山田市場", "15-1"),
        ("大阪府吹田市中の島町3-51", "吹田市", "272051", "中の島町", "3-51"),
        ("大阪府吹田市千里山松が丘25-1", "吹田市", "272051", "千里山松が丘", "25-1"),
    ],
)
def test_gsi(text: str, city: str, lgcode: str, town: str, block: str) -> None:
    parts = split(text)
    assert parts == AddressParts("大阪府", city, town, block, "", lgcode)


# Made up: 郡, designated-city wards, Tokyo's special wards, 北海道, ambiguous names.
@pytest.mark.parametrize(
    ("text", "defaults", "expected"),
    [
        (  # the standard's own example
            "北海道札幌市厚別区青葉町一丁目1-1\u3000ＡＢビル1階",
            {},
            ("北海道", "札幌市厚別区", "青葉町一丁目", "1-1", "ＡＢビル1階", "011088"),
        ),
        (
            "札幌市厚別区厚別中央1条5丁目1-1",
            {},
            ("北海道", "札幌市厚別区", "厚別中央1条5丁目", "1-1", "", "011088"),
        ),
        ("北海道札幌市北1条西2丁目1", {}, ("北海道", "札幌市", "北1条西2丁目", "1", "", "011002")),
        (
            "中央区北1条西2丁目1",
            {"default_city": "札幌市"},
            ("北海道", "札幌市中央区", "北1条西2丁目", "1", "", "011011"),
        ),
        (
            "厚別区青葉町1丁目1-1",
            {"default_city": "札幌市清田区"},
            ("北海道", "札幌市厚別区", "青葉町1丁目", "1-1", "", "011088"),
        ),
        (
            "青葉町1丁目1-1",
            {"default_city": "北海道札幌市厚別区"},
            ("北海道", "札幌市厚別区", "青葉町1丁目", "1-1", "", "011088"),
        ),
        (
            "北海道虻田郡洞爺湖町栄町58",
            {},
            ("北海道", "虻田郡洞爺湖町", "栄町", "58", "", "015849"),
        ),
        ("虻田郡洞爺湖町栄町58", {}, ("北海道", "虻田郡洞爺湖町", "栄町", "58", "", "015849")),
        (
            "洞爺湖町栄町58",
            {"default_prefecture": "北海道"},
            ("北海道", "洞爺湖町", "栄町", "58", "", "015849"),
        ),
        ("兵庫県赤穂郡上郡町大持278", {}, ("兵庫県", "赤穂郡上郡町", "大持", "278", "", "284815")),
        ("福島県郡山市朝日1丁目23-7", {}, ("福島県", "郡山市", "朝日1丁目", "23-7", "", "072036")),
        (
            "奈良県大和郡山市北郡山町248-4",
            {},
            ("奈良県", "大和郡山市", "北郡山町", "248-4", "", "292036"),
        ),
        ("大阪府堺市南瓦町3-1", {}, ("大阪府", "堺市", "南瓦町", "3-1", "", "271403")),
        (
            "堺区南瓦町3-1",
            {"default_city": "堺市"},
            ("大阪府", "堺市堺区", "南瓦町", "3-1", "", "271411"),
        ),
        (
            "大阪府堺市堺区熊野町東5丁1-49",
            {},
            ("大阪府", "堺市堺区", "熊野町東5丁", "1-49", "", "271411"),
        ),
        ("東京都千代田区千代田1-1", {}, ("東京都", "千代田区", "千代田", "1-1", "", "131016")),
        ("千代田区千代田1-1", {}, ("東京都", "千代田区", "千代田", "1-1", "", "131016")),
        (
            "中央区銀座4丁目1-1",
            {"default_prefecture": "東京都"},
            ("東京都", "中央区", "銀座4丁目", "1-1", "", "131024"),
        ),
        ("埼玉県鶴ケ島市三ツ木16-1", {}, ("埼玉県", "鶴ヶ島市", "三ツ木", "16-1", "", "112411")),
        ("茨城県竜ヶ崎市3710", {}, ("茨城県", "龍ケ崎市", "", "3710", "", "082082")),
        (
            "岩手県八幡平市大更第35地割62",
            {},
            ("岩手県", "八幡平市", "大更第35地割", "62", "", "032140"),
        ),
        # 府中市 and 伊達市 exist twice: only a prefecture settles them, never a guess
        (
            "府中市宮西町2-24",
            {"default_prefecture": "東京都"},
            ("東京都", "府中市", "宮西町", "2-24", "", "132063"),
        ),
        (
            "府中市府川町315",
            {"default_prefecture": "広島県"},
            ("広島県", "府中市", "府川町", "315", "", "342084"),
        ),
        ("府中市府川町315", {}, ("", "府中市", "府川町", "315", "", None)),
        (
            "府中市府川町315",
            {"default_prefecture": "静岡県"},
            ("", "府中市", "府川町", "315", "", None),
        ),
        (
            "伊達市梅本町57-1",
            {"default_prefecture": "北海道"},
            ("北海道", "伊達市", "梅本町", "57-1", "", "012335"),
        ),
        (
            "伊達市保原町字舟橋180",
            {"default_prefecture": "福島県"},
            ("福島県", "伊達市", "保原町字舟橋", "180", "", "072133"),
        ),
        (
            "北海道伊達市梅本町57-1",
            {"default_prefecture": "福島県"},
            ("北海道", "伊達市", "梅本町", "57-1", "", "012335"),
        ),
        ("東京都伊達市梅本町57-1", {}, ("東京都", "伊達市", "梅本町", "57-1", "", None)),
        # a bare 町 name from elsewhere is a 町字, not a municipality (岐阜県北方町)
        ("北方町4丁目1800-2", {}, ("", "", "北方町4丁目", "1800-2", "", None)),
        (
            "岐阜県本巣郡北方町長谷川1-1",
            {},
            ("岐阜県", "本巣郡北方町", "長谷川", "1-1", "", "214213"),
        ),
        # another municipality of the same or another prefecture in a 焼津市 file
        ("静岡県沼津市大手町1-1-1", YAIZU, ("静岡県", "沼津市", "大手町", "1-1-1", "", "222038")),
        ("沼津市大手町1-1-1", YAIZU, ("静岡県", "沼津市", "大手町", "1-1-1", "", "222038")),
        (
            "名古屋市中区三の丸3-1-1",
            YAIZU,
            ("愛知県", "名古屋市中区", "三の丸", "3-1-1", "", "231061"),
        ),
        ("愛知県本町1-1", YAIZU, ("愛知県", "", "本町", "1-1", "", None)),
        # no municipality in the text: the publisher's
        ("本町2-16-32", YAIZU, ("静岡県", "焼津市", "本町", "2-16-32", "", "222127")),
        (
            "本町2-16-32",
            {"default_city": "静岡県焼津市"},
            ("静岡県", "焼津市", "本町", "2-16-32", "", "222127"),
        ),
        (
            "本町2-16-32",
            {"default_city": "焼津市"},
            ("静岡県", "焼津市", "本町", "2-16-32", "", "222127"),
        ),
        ("本町2-16-32", {"default_city": "府中市"}, ("", "", "本町", "2-16-32", "", None)),
        ("本町2-16-32", {"default_prefecture": "静岡"}, ("", "", "本町", "2-16-32", "", None)),
        (
            "本町2-16-32",
            {"default_prefecture": "静岡県"},
            ("静岡県", "", "本町", "2-16-32", "", None),
        ),
        ("浜当目、石津、田尻", YAIZU, ("静岡県", "焼津市", "", "", "浜当目、石津、田尻", "222127")),
        # numerals and spaces
        ("静岡県焼津市本町１丁目2-3", {}, ("静岡県", "焼津市", "本町1丁目", "2-3", "", "222127")),
        ("静岡県焼津市本町十二丁目3", {}, ("静岡県", "焼津市", "本町十二丁目", "3", "", "222127")),
        (
            "静岡県焼津市本町五丁目六番一号",
            {},
            ("静岡県", "焼津市", "本町五丁目", "六番一号", "", "222127"),
        ),
        (
            "静岡県焼津市本町２ー１６ー３２",
            {},
            ("静岡県", "焼津市", "本町", "2-16-32", "", "222127"),
        ),
        ("静岡県焼津市本町2‐16−32", {}, ("静岡県", "焼津市", "本町", "2-16-32", "", "222127")),
        ("静岡県焼津市本町2―16－32", {}, ("静岡県", "焼津市", "本町", "2-16-32", "", "222127")),
        (
            "静岡県 焼津市\u3000本町 2-16-32",
            {},
            ("静岡県", "焼津市", "本町", "2-16-32", "", "222127"),
        ),
        (
            "北海道札幌市厚別区青葉町 一丁目 1-1",
            {},
            ("北海道", "札幌市厚別区", "青葉町一丁目", "1-1", "", "011088"),
        ),
        (
            "静岡県焼津市柳新屋646-1 A one yokoyama 2F",
            {},
            ("静岡県", "焼津市", "柳新屋", "646-1", "A one yokoyama 2F", "222127"),
        ),
        (
            "静岡県焼津市坂本 笛吹段公園",
            {},
            ("静岡県", "焼津市", "坂本", "", "笛吹段公園", "222127"),
        ),
    ],
)
def test_made_up(text: str, defaults: dict[str, str], expected: tuple[object, ...]) -> None:
    parts = split(text, **defaults)
    assert parts is not None
    assert (
        parts.prefecture,
        parts.city,
        parts.town,
        parts.block,
        parts.building,
        parts.lgcode,
    ) == expected


@pytest.mark.parametrize(
    ("text", "defaults", "full"),
    [
        ("静岡県焼津市本町2-16-32", {}, "静岡県焼津市本町2-16-32"),
        ("焼津市本町5-6-1", {}, "静岡県焼津市本町5-6-1"),
        ("本町5-6-1", YAIZU, "静岡県焼津市本町5-6-1"),
        ("静岡県焼津市相川1068番地  ", {}, "静岡県焼津市相川1068番地"),
        ("静岡県焼津市石津中町13－1", {}, "静岡県焼津市石津中町13-1"),
        ("静岡県焼津市飯淵2036大井川河口野鳥園", {}, "静岡県焼津市飯淵2036大井川河口野鳥園"),
        ("埼玉県鶴ケ島市三ツ木16-1", {}, "埼玉県鶴ヶ島市三ツ木16-1"),  # the directory's spelling
        (
            "北海道札幌市厚別区青葉町一丁目1-1 ＡＢビル1階",
            {},
            "北海道札幌市厚別区青葉町一丁目1-1\u3000ＡＢビル1階",  # the standard's separator
        ),
        (
            "千葉県市川市市川南1丁目1-1-301ザ\u3000タワーズ イースト207-2",
            {},
            "千葉県市川市市川南1丁目1-1-301ザ\u3000タワーズ イースト207-2",
        ),
        ("千葉県市川市", {}, "千葉県市川市"),
        ("静岡県 焼津市 本町 2-16-32", {}, "静岡県焼津市本町2-16-32"),
    ],
)
def test_full(text: str, defaults: dict[str, str], full: str) -> None:
    parts = split(text, **defaults)
    assert parts is not None
    assert parts.full == full


def test_full_has_no_separator_unless_spaced() -> None:
    parts = AddressParts("静岡県", "焼津市", "柳新屋", "646-1", "A one yokoyama 2F", "222127")
    assert parts.full == "静岡県焼津市柳新屋646-1A one yokoyama 2F"
    assert replace(parts, spaced=True).full == "静岡県焼津市柳新屋646-1\u3000A one yokoyama 2F"
    assert replace(parts, spaced=True, building="").full == "静岡県焼津市柳新屋646-1"


@pytest.mark.parametrize(
    ("text", "defaults"),
    [
        ("", YAIZU),
        ("   ", YAIZU),
        ("\u3000", {}),
        ("静岡県", {}),
        ("浜当目、石津、田尻、一色", {}),
        ("（個人蔵）", {}),
        ("2-16-32", {}),
    ],
)
def test_none_without_municipality_or_town(text: str, defaults: dict[str, str]) -> None:
    assert split(text, **defaults) is None


def test_not_a_string_is_none() -> None:
    assert split_address(None, DIRECTORY) is None  # type: ignore[arg-type]


@given(
    st.text(
        alphabet="静岡県焼津市札幌厚別区郡町丁目番地号の一二十0123４５-－ー（）、 \u3000ケヶ他地先ビル"
    )
)
def test_never_raises(text: str) -> None:
    parts = split(text, **YAIZU)
    assert parts is None or isinstance(parts.full, str)


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    split(text)


def test_every_municipality_matches_itself() -> None:
    # Also shows that folding ケ/ヶ, 龍/竜 … never merges two names of one prefecture.
    for gov in DIRECTORY:
        if gov.kind == "prefecture":
            continue
        parts = split(gov.prefecture + gov.name + "本町1-1")
        assert parts is not None, gov
        assert (parts.prefecture, parts.city, parts.lgcode, parts.town) == (
            gov.prefecture,
            gov.name,
            gov.lgcode,
            "本町",
        ), gov
        variant = gov.name.replace("ヶ", "ケ") if "ヶ" in gov.name else gov.name.replace("ケ", "ヶ")
        assert split(gov.prefecture + variant + "1")
        assert split(gov.prefecture + variant + "1").lgcode == gov.lgcode  # type: ignore[union-attr]


def test_exported() -> None:
    assert portal.normalize.split_address is split_address
    assert portal.normalize.AddressParts is AddressParts


# The publishers' own split of 所在地_連結表記, where it differs from ours by a decision
# (see the module docstring) or by a mistake in the file.
PUBLISHER_DIFFERS = {
    "千葉県市川市鬼越2丁目200-1他": "他 is a note, not part of the lot number",
    "静岡県焼津市吉永（官有無番地）": "the bracketed note is 方書, the 町字 is 吉永",
    "静岡県焼津市小川3808地先（3803-3番地ほか）": "地先 and the note are 方書",
    "千葉県市川市南大野2丁目5、-6": "5、-6 is not a lot number",
    "静岡県焼津市焼津二丁目1番11": "ID 135: the columns say 焼津四丁目 15番地",
}
CURRENT = [
    ("public_toilet/yaizu_toilet.csv", YAIZU),
    ("fire_hydrant/yaizu_fire_water.csv", YAIZU),
    ("care_service/ichikawa_care.csv", ICHIKAWA),
    ("cultural_property/ichikawa_bunkazai.csv", ICHIKAWA),
    ("public_wireless_lan/ichikawa_wifi.csv", ICHIKAWA),
    ("tourism/ichikawa_keikan100.csv", ICHIKAWA),
]


def _rows(sample: str) -> list[dict[str, str]]:
    with (SAMPLES_DIR / sample).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(("sample", "defaults"), CURRENT)
def test_samples_split_like_the_publisher(sample: str, defaults: dict[str, str]) -> None:
    for row in _rows(sample):
        text = row["所在地_連結表記"]
        parts = split(text, **defaults)
        assert parts is not None, text
        assert (parts.prefecture, parts.city) == (row["所在地_都道府県"], row["所在地_市区町村"])
        theirs = (
            row["所在地_町字"],
            row["所在地_番地以下"]
            .strip()
            .translate(str.maketrans("０１２３４５６７８９－", "0123456789-")),
            row["建物名等(方書)"],
        )
        if text not in PUBLISHER_DIFFERS:
            assert town_block_building(parts) == theirs, text


@pytest.mark.parametrize(
    ("sample", "column", "defaults"),
    [
        ("aed/yaizu_aed_legacy.csv", "住所", YAIZU),
        ("preschool/yaizu_preschool_legacy.csv", "住所", YAIZU),
        ("public_facility/yaizu_facility_legacy.csv", "住所", YAIZU),
        ("event/yaizu_event.csv", "所在地_連結表記", YAIZU),
        ("evacuation_shelter/sakai_gsi_hinanjo.csv", "住所", {"default_city": "大阪府堺市"}),
        ("evacuation_space/suita_gsi_kinkyu.csv", "住所", {"default_city": "大阪府吹田市"}),
    ],
)
def test_samples_legacy_and_gsi(sample: str, column: str, defaults: dict[str, str]) -> None:
    for row in _rows(sample):
        text = row[column].strip()
        parts = split(text, **defaults)
        if not text:
            assert parts is None
            continue
        assert parts is not None and parts.lgcode is not None, text
        # Nothing is lost or invented: the parts give the text back (prefecture added).
        if "、" not in text:
            assert parts.town and parts.full.endswith(text.translate(str.maketrans("－", "-"))), (
                text
            )
