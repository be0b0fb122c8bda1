"""portal.normalize.width: widths and the 全角カナ fields."""

from __future__ import annotations

import pytest

from portal.normalize.width import (
    fix_katakana,
    katakana_problem,
    to_halfwidth,
    to_katakana,
    widen_kana,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＣＯＣＯＲＯ保育園", "COCORO保育園"),  # 焼津市 子育て施設
        ("ＧＬＡ近畿会館", "GLA近畿会館"),  # 吹田市 避難場所
        ("２階正面入口", "2階正面入口"),  # 焼津市 AED 設置位置
        ("１F", "1F"),
        ("大町53７", "大町537"),  # 市川市 介護: a full-width digit in a house number
        ("吉永205-４", "吉永205-4"),
        ("石津中町13－1", "石津中町13-1"),
        ("社会福祉法人\u3000慶美会", "社会福祉法人 慶美会"),
        ("Ｊ\u3000Ｒ", "J R"),
        ("（遺跡）", "(遺跡)"),
        ("１，０００円", "1,000円"),
        ("ＡＢＣ！？＠＃", "ABC!?@#"),
        # kana, both widths, and kanji are left alone
        ("丸大行徳ﾋﾞﾙ2階", "丸大行徳ﾋﾞﾙ2階"),
        ("ダイ１チョウシャ", "ダイ1チョウシャ"),
        ("センター", "センター"),
        ("ひらがな", "ひらがな"),
        ("", ""),
    ],
)
def test_to_halfwidth(text: str, expected: str) -> None:
    assert to_halfwidth(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ焼津水夢館", "ディスカバリーパーク焼津水夢館"),  # 焼津市 AED
        ("丸大行徳ﾋﾞﾙ2階", "丸大行徳ビル2階"),  # 市川市 介護
        ("ｶﾞｷﾞｸﾞｹﾞｺﾞ", "ガギグゲゴ"),
        ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("ｷｬｯﾁｮ", "キャッチョ"),
        ("やいづし", "ヤイヅシ"),
        ("とうきょう", "トウキョウ"),
        ("ゔぁ", "ヴァ"),
        ("ゝゞ", "ヽヾ"),
        ("ｱｲ･ﾘﾝｸ", "アイ・リンク"),
        # other characters unchanged
        ("ＣＯＣＯＲＯ保育園", "ＣＯＣＯＲＯ保育園"),
        ("ABC 123", "ABC 123"),
        ("センター", "センター"),
    ],
)
def test_to_katakana(text: str, expected: str) -> None:
    assert to_katakana(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # real 名称_カナ values that are fine
        "シヤクショホンカン",
        "ナカヤマデイサービスセンター",
        "カノウジョウテンフサイボセキ・クヨウトウツケタリカノウジョウテンコツツボ",
        "ダイ１チョウシャ",  # 市川市 Wi-Fi: full-width digits are allowed
        "トキワホイクエン",
        "ヴィラ",
        "ヽヾ",
        "ＣＯＣＯＲＯホイクエン",
        "イチカワ エキ",
        "イチカワ\u3000エキ",
        "（カブ）ヤイヅ",
        "",
    ],
)
def test_clean_katakana_has_no_problem(text: str) -> None:
    assert katakana_problem(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ", "halfwidth"),
        ("ﾊｰﾄ", "halfwidth"),
        ("ﾔｲﾂﾞひらがな", "halfwidth"),  # half-width named first
        ("やいづし", "hiragana"),
        ("ヤイヅしりつ", "hiragana"),
        ("はーと―", "hiragana"),
        # 焼津市 子育て施設: U+2015 where ー is meant
        ("ハ―トリンク", "dash"),
        ("グロ―アップ", "dash"),
        ("ハッピ―マ―ガレット", "dash"),
        ("ハ‐ト", "dash"),  # U+2010
        ("ハ—ト", "dash"),  # U+2014
        ("ハ−ト", "dash"),  # U+2212
        ("ハ-ト", "dash"),
        ("二ホン―", "dash"),  # dash named before kanji
        # 市川市 文化財: 二 (kanji two) in place of ニ
        ("二ホンフクイン", "kanji"),
        ("コ一ヒ一", "kanji"),  # kanji one as a long-vowel mark
        ("ヤイヅ市", "kanji"),
        ("焼津市", "kanji"),
        ("ダイ1チョウシャ", "other"),  # half-width digit
        ("COCORO", "other"),
        ("ヤイヅ（シ)", "other"),
        ("ヤイヅ/シ", "other"),
    ],
)
def test_katakana_problem(text: str, problem: str) -> None:
    assert katakana_problem(text) == problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ", "ディスカバリーパーク"),
        ("やいづしりつ", "ヤイヅシリツ"),
        ("ハ―トリンク", "ハートリンク"),
        ("グロ―アップ", "グローアップ"),
        ("ハッピ―マ―ガレット", "ハッピーマーガレット"),
        ("センタ―", "センター"),  # at the end of the word
        ("ハ――ト", "ハーート"),
        ("ハ‐ト", "ハート"),
        ("ハ-ト", "ハート"),
        ("二ホンフクイン", "ニホンフクイン"),
        ("ア二メ", "アニメ"),
        ("口ビー", "ロビー"),
        ("工キ", "エキ"),
        ("力ワ", "カワ"),
        ("夕ワー", "タワー"),
        ("卜ンネル", "トンネル"),
        ("八ート", "ハート"),
        ("口二ア", "ロニア"),  # two look-alikes in a row
        ("コ一ヒ一", "コーヒー"),
        ("ダイ1チョウシャ", "ダイ１チョウシャ"),
        ("COCORO ホイクエン", "ＣＯＣＯＲＯ ホイクエン"),
        ("ﾔｲﾂﾞ(ｼ)", "ヤイヅ（シ）"),
        # already clean: returned unchanged
        ("ダイ１チョウシャ", "ダイ１チョウシャ"),
        ("イチカワ\u3000エキ", "イチカワ\u3000エキ"),
        ("", ""),
    ],
)
def test_fix_katakana(text: str, expected: str) -> None:
    assert fix_katakana(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "焼津市",
        "ヤイヅ市",
        "二",  # look-alikes alone are left for a person
        "口",
        "一",
        "-",
        "１-２",  # a hyphen after a digit is not a long-vowel mark
        "ヤイヅ/シ",
        "ﾞ",  # a lone half-width voicing mark has no full-width letter to join
    ],
)
def test_fix_katakana_gives_up(text: str) -> None:
    assert fix_katakana(text) is None


@pytest.mark.parametrize(
    "text", ["ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ", "ハ―トリンク", "二ホンフクイン", "やいづ", "ダイ1チョウシャ"]
)
def test_fixed_katakana_is_clean_and_stable(text: str) -> None:
    fixed = fix_katakana(text)
    assert fixed is not None
    assert katakana_problem(fixed) is None
    assert fix_katakana(fixed) == fixed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("海岸ﾊﾟｰｷﾝｸﾞの北", "海岸パーキングの北"),  # hiragana の stays: this is free text
        ("丸大行徳ﾋﾞﾙ2階", "丸大行徳ビル2階"),  # digits stay half-width
        ("ﾃﾞｨｽｶﾊﾞﾘｰﾊﾟｰｸ焼津水夢館", "ディスカバリーパーク焼津水夢館"),
    ],
)
def test_widen_kana_touches_only_half_width_katakana(text: str, expected: str) -> None:
    assert widen_kana(text) == expected
