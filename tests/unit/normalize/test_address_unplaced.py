"""split_address never loses text (issue 13): what no part can hold is `unplaced`, and `full`
keeps it where it was written; kanji 番地 are blocks; 大字/字 stay in the 町字."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.localgov import load
from portal.normalize.address import AddressParts, Unplaced, split_address
from portal.validation.checks.rows import address_key

DIRECTORY = load()
YAIZU = {"default_prefecture": "静岡県", "default_city": "焼津市"}


def split(text: str) -> AddressParts:
    parts = split_address(text, DIRECTORY, **YAIZU)
    assert parts is not None
    return parts


@pytest.mark.parametrize(
    ("text", "town", "block", "building", "unplaced"),
    [
        # a 丁目 written twice: the block is still found, the repeat is reported, not dropped
        ("静岡県焼津市駅北5丁目5丁目2-11", "駅北5丁目", "2-11", "", ("5丁目",)),
        ("静岡県焼津市駅北一丁目1丁目2-11", "駅北一丁目", "2-11", "", ("1丁目",)),
        (
            "静岡県焼津市駅北５丁目　５丁目　２－１１駅北ビル",
            "駅北5丁目",
            "2-11",
            "駅北ビル",
            ("５丁目",),
        ),
        # a dash between the 丁目 and the block
        ("静岡県焼津市駅北5丁目-2-11", "駅北5丁目", "2-11", "", ("-",)),
        # numbering left after the block is no building's name
        ("静岡県焼津市駅北5丁目2-11-", "駅北5丁目", "2-11", "", ("-",)),
        ("静岡県焼津市駅北5丁目2-11 －3", "駅北5丁目", "2-11", "", ("－3",)),
        # a postcode before the address
        ("〒425-0028 静岡県焼津市駅北5丁目2-11", "駅北5丁目", "2-11", "", ("〒425-0028",)),
    ],
)
def test_unplaced_text_is_kept_and_named(
    text: str, town: str, block: str, building: str, unplaced: tuple[str, ...]
) -> None:
    parts = split(text)
    assert (parts.town, parts.block, parts.building) == (town, block, building)
    assert tuple(u.text for u in parts.unplaced) == unplaced
    assert address_key(parts.full) == address_key(text)  # nothing dropped from 連結表記


def test_doubled_chome_was_lost_before() -> None:
    # Before issue 13 the tail "丁目2-11" became the building, and the block was "5".
    parts = split("静岡県焼津市駅北5丁目5丁目2-11")
    assert parts.block == "2-11" and parts.building == ""
    assert parts.unplaced == (Unplaced("5丁目", "block"),)
    assert parts.full == "静岡県焼津市駅北5丁目5丁目2-11"
    assert parts.unplaced_text == "5丁目"


@pytest.mark.parametrize(
    ("text", "town", "block", "building"),
    [
        ("静岡県焼津市小川三千八百八番地", "小川", "三千八百八番地", ""),
        ("静岡県焼津市小川八番の二 小川会館", "小川", "八番の二", "小川会館"),
        ("静岡県焼津市石津百二十三番地の四", "石津", "百二十三番地の四", ""),
        ("焼津市大字小川字新地三八〇八番地", "大字小川字新地", "三八〇八番地", ""),
        # kanji numerals that are part of a name stay in it
        ("東京都千代田区四番町5-1", "四番町", "5-1", ""),
        ("静岡県焼津市三ケ名1550", "三ケ名", "1550", ""),
        # a 町名 numbered in digits: "1番町" is the name's, not a block
        ("新潟県新潟市中央区学校町通1番町602番地1 本館1階", "学校町通1番町", "602番地1", "本館1階"),
    ],
)
def test_kanji_lot_numbers(text: str, town: str, block: str, building: str) -> None:
    parts = split(text)
    assert (parts.town, parts.block, parts.building, parts.unplaced) == (town, block, building, ())


@pytest.mark.parametrize(
    ("text", "town", "block"),
    [
        ("焼津市大字小川字新地3808", "大字小川字新地", "3808"),
        ("静岡県焼津市大字小川3808番地の1", "大字小川", "3808番地の1"),
        ("静岡県榛原郡吉田町大字住吉字天神87", "大字住吉字天神", "87"),
    ],
)
def test_oaza_aza_stay_in_the_town(text: str, town: str, block: str) -> None:
    parts = split(text)
    assert (parts.town, parts.block, parts.unplaced) == (town, block, ())


def test_address_without_prefecture_gets_it_and_loses_nothing() -> None:
    parts = split("藤枝市岡出山1-11-1")
    assert (parts.prefecture, parts.city, parts.lgcode) == ("静岡県", "藤枝市", "222143")
    assert parts.full == "静岡県藤枝市岡出山1-11-1"


# Characters addresses are made of, with the usual slips: every text after a municipality
# must come back whole in `full` (spaces, widths and dash look-alikes aside).
ADDRESS_CHARS = list(
    "0123456789０１２３４５６７８９-－ー丁目番地号の一二三十百千大字小川新町北ビル階 　〒、（）ヶケ"
)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(ADDRESS_CHARS), max_size=20))
def test_full_reconstructs_the_address(rest: str) -> None:
    text = "静岡県焼津市" + rest
    parts = split_address(text, DIRECTORY, **YAIZU)
    assert parts is not None
    assert address_key(parts.full) == address_key(text.strip())
