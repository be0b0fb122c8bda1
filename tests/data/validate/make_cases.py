"""Write the planted-error files for the validator tests: one quirk per file.

Each case is a small, real-looking table (吹田市's evacuation sites, 焼津市's
toilets and events) with one thing wrong, written as `<case>.csv` (or .xlsx)
with `<case>.expected.json` beside it: the findings a clerk must see, as
{"code", "row", "field"} (and "fix" where there is a mechanical one). The
expectations are written here by hand, not computed by the validator.

Run from the repository root: `.venv/bin/python tests/data/validate/make_cases.py`.
The outputs are committed; the tests only read them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).parent
ROOT = HERE.parents[2]

Row = dict[str, str]


def fields(key: str) -> list[str]:
    schema = json.loads((ROOT / "datasets" / key / "schema.json").read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"]]


EVAC = fields("evacuation_space")
TOILET = fields("public_toilet")
EVENT = fields("event")

EVAC_BASE: list[Row] = [
    {
        "全国地方公共団体コード": "272051", "ID": "CC2720500001", "名称": "岸部第一小学校",
        "名称_カナ": "キシベダイイチショウガッコウ", "名称_英字": "Kishibe Daiichi Elementary School",
        "所在地_全国地方公共団体コード": "272051", "所在地_連結表記": "大阪府吹田市岸部中2丁目19-1",
        "所在地_都道府県": "大阪府", "所在地_市区町村": "吹田市", "所在地_町字": "岸部中2丁目",
        "所在地_番地以下": "19-1", "緯度": "34.777075", "経度": "135.536035",
        "電話番号": "06-6384-1231", "郵便番号": "5640011", "市区町村コード": "272051",
        "地方公共団体名": "大阪府吹田市", "災害種別_地震": "1", "指定避難所との重複": "1",
        "想定収容人数": "810", "対象となる町会・自治会": "岸部中一丁目;岸部中二丁目",
        "URL": "https://www.city.suita.osaka.jp/",
    },
    {
        "全国地方公共団体コード": "272051", "ID": "CC2720500002", "名称": "第二中学校",
        "名称_カナ": "ダイニチュウガッコウ", "名称_英字": "Daini Junior High School",
        "所在地_全国地方公共団体コード": "272051", "所在地_連結表記": "大阪府吹田市岸部北1丁目21-1",
        "所在地_都道府県": "大阪府", "所在地_市区町村": "吹田市", "所在地_町字": "岸部北1丁目",
        "所在地_番地以下": "21-1", "緯度": "34.780655", "経度": "135.527104",
        "電話番号": "06-6388-5361", "郵便番号": "5640001", "市区町村コード": "272051",
        "地方公共団体名": "大阪府吹田市", "災害種別_洪水": "1", "災害種別_地震": "1",
        "指定避難所との重複": "1", "想定収容人数": "1200", "対象となる町会・自治会": "岸部北一丁目",
    },
    {
        "全国地方公共団体コード": "272051", "ID": "CC2720500003", "名称": "千里南公園",
        "名称_カナ": "センリミナミコウエン", "名称_英字": "Senri Minami Park",
        "所在地_全国地方公共団体コード": "272051", "所在地_連結表記": "大阪府吹田市津雲台1丁目3",
        "所在地_都道府県": "大阪府", "所在地_市区町村": "吹田市", "所在地_町字": "津雲台1丁目",
        "所在地_番地以下": "3", "緯度": "34.808741", "経度": "135.507985",
        "電話番号": "06-6384-1231", "郵便番号": "5650862", "市区町村コード": "272051",
        "地方公共団体名": "大阪府吹田市", "災害種別_地震": "1", "災害種別_大規模な火事": "1",
        "想定収容人数": "5000",
    },
]  # fmt: skip

TOILET_BASE: list[Row] = [
    {
        "全国地方公共団体コード": "222127", "ID": "1", "地方公共団体名": "静岡県焼津市",
        "名称": "原浜海岸トイレ", "名称_カナ": "ハラハマカイガントイレ",
        "所在地_全国地方公共団体コード": "222127", "所在地_連結表記": "静岡県焼津市田尻1535-1",
        "所在地_都道府県": "静岡県", "所在地_市区町村": "焼津市", "所在地_町字": "田尻",
        "所在地_番地以下": "1535-1", "設置位置": "海岸駐車場の北", "緯度": "34.8272517",
        "経度": "138.3348893", "男性トイレ総数": "3", "男性トイレ数（小便器）": "2",
        "男性トイレ数（和式）": "0", "男性トイレ数（洋式）": "1", "女性トイレ総数": "2",
        "女性トイレ数（和式）": "0", "女性トイレ数（洋式）": "2", "男女共用トイレ総数": "1",
        "男女共用トイレ数（和式）": "0", "男女共用トイレ数（洋式）": "1", "バリアフリートイレ数": "1",
        "車椅子使用者用トイレ有無": "有", "乳幼児用設備設置トイレ有無": "無",
        "オストメイト設置トイレ有無": "無", "利用開始時間": "09:00", "利用終了時間": "17:00",
    },
    {
        "全国地方公共団体コード": "222127", "ID": "2", "地方公共団体名": "静岡県焼津市",
        "名称": "吉永海岸トイレ", "名称_カナ": "ヨシナガカイガントイレ",
        "所在地_全国地方公共団体コード": "222127", "所在地_連結表記": "静岡県焼津市吉永205-4",
        "所在地_都道府県": "静岡県", "所在地_市区町村": "焼津市", "所在地_町字": "吉永",
        "所在地_番地以下": "205-4", "設置位置": "堤防の内側", "緯度": "34.7904097",
        "経度": "138.3061103", "高度の種別": "階数", "高度の値": "1", "男性トイレ総数": "2",
        "男性トイレ数（小便器）": "1", "男性トイレ数（和式）": "0", "男性トイレ数（洋式）": "1",
        "女性トイレ総数": "1", "女性トイレ数（和式）": "0", "女性トイレ数（洋式）": "1",
        "男女共用トイレ総数": "0", "男女共用トイレ数（和式）": "0", "男女共用トイレ数（洋式）": "0",
        "バリアフリートイレ数": "0", "車椅子使用者用トイレ有無": "無",
        "乳幼児用設備設置トイレ有無": "無", "オストメイト設置トイレ有無": "無",
    },
]  # fmt: skip

EVENT_BASE: list[Row] = [
    {
        "全国地方公共団体コード": "222127", "法人番号": "", "ID": "18268", "地方公共団体名": "静岡県焼津市",
        "イベント名": "離乳食教室", "イベント名_カナ": "リニュウショクキョウシツ",
        "コンテンツURL": "https://www.city.yaizu.lg.jp/event/18268.html", "キーワード": "離乳食;子育て",
        "開始日": "2026-05-28", "終了日": "2027-03-05", "開始時間": "10:00", "終了時間": "11:30",
        "掲載開始日": "2026-04-01", "掲載終了日": "2027-03-31", "料金(基本)": "0",
        "連絡先電話番号": "054-627-4111", "場所名称": "焼津市役所アトレ庁舎1階",
        "所在地_全国地方公共団体コード": "222127", "所在地_連結表記": "静岡県焼津市本町5丁目6-1",
        "所在地_都道府県": "静岡県", "所在地_市区町村": "焼津市", "所在地_町字": "本町5丁目",
        "所在地_番地以下": "6-1", "緯度": "34.86329188", "経度": "138.3204005", "定員": "20",
    },
    {
        "全国地方公共団体コード": "222127", "法人番号": "1000020222127", "ID": "18770",
        "地方公共団体名": "静岡県焼津市", "イベント名": "いちまるマルシェ",
        "イベント名_カナ": "イチマルマルシェ", "コンテンツURL": "https://www.city.yaizu.lg.jp/event/18770.html",
        "開始日": "2026-09-05", "終了日": "2026-09-06", "開始時間": "10:00", "終了時間": "15:00",
        "掲載開始日": "2026-08-27", "掲載終了日": "2026-09-06", "料金(基本)": "500",
    },
]  # fmt: skip


def table(
    names: list[str], base: list[Row], edits: dict[tuple[int, str], str] | None = None
) -> list[list[str]]:
    """Header + rows; `edits` maps (data row index from 0, field) → new value."""
    rows = [[r.get(n, "") for n in names] for r in base]
    for (i, name), value in (edits or {}).items():
        rows[i][names.index(name)] = value
    return [list(names), *rows]


def write_csv(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", newline: str = "\r\n"
) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def e(code: str, row: int | None, field: str | None, fix: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "row": row, "field": field}
    if fix is not None:
        out["fix"] = fix
    return out


# (name, dataset key, rows, expected findings). Rows: header is row 1, data from row 2.
CASES: list[tuple[str, str, list[list[str]], list[dict[str, Any]]]] = [
    ("evac-clean", "evacuation_space", table(EVAC, EVAC_BASE), []),
    ("toilet-clean", "public_toilet", table(TOILET, TOILET_BASE), []),
    ("event-clean", "event", table(EVENT, EVENT_BASE), []),
    # 全国地方公共団体コード
    ("lgcode-5-digit", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "全国地方公共団体コード"): "27205"}),
     [e("lgcode-repairable", 2, "全国地方公共団体コード", "272051")]),
    ("lgcode-zero-stripped", "public_toilet",
     table(TOILET, TOILET_BASE, {(1, "所在地_全国地方公共団体コード"): "22212.0"}),
     [e("lgcode-repairable", 3, "所在地_全国地方公共団体コード", "222127")]),
    ("lgcode-check-digit", "evacuation_space", table(EVAC, EVAC_BASE, {(1, "市区町村コード"): "272059"}),
     [e("lgcode-check-digit", 3, "市区町村コード", "272051")]),
    ("lgcode-unknown", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "全国地方公共団体コード"): "999997"}),
     [e("lgcode-unknown", 4, "全国地方公共団体コード")]),
    ("lgcode-fullwidth", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "市区町村コード"): "２７２０５１"}),
     [e("fullwidth-digits", 2, "市区町村コード", "272051")]),
    ("lgcode-malformed", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "市区町村コード"): "吹田市"}),
     [e("lgcode-malformed", 2, "市区町村コード")]),
    ("lgcode-address-mismatch", "evacuation_space",
     table(EVAC, EVAC_BASE, {(1, "所在地_全国地方公共団体コード"): "272035"}),
     [e("lgcode-address-mismatch", 3, "所在地_全国地方公共団体コード")]),
    ("publisher-name", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "地方公共団体名"): "吹田市"}),
     [e("publisher-name", 4, "地方公共団体名", "大阪府吹田市")]),
    # 緯度・経度
    ("coordinates-swapped", "evacuation_space",
     table(EVAC, EVAC_BASE, {(1, "緯度"): "135.527104", (1, "経度"): "34.780655"}),
     [e("coordinates-swapped", 3, "緯度", "34.780655"), e("coordinates-swapped", 3, "経度", "135.527104")]),
    ("coordinates-same", "evacuation_space",
     table(EVAC, EVAC_BASE, {(0, "緯度"): "34.777075", (0, "経度"): "34.777075"}),
     [e("coordinates-same", 2, "経度")]),
    ("coordinates-far", "evacuation_space",  # 京都市役所, about 36 km from 吹田市役所
     table(EVAC, EVAC_BASE, {(2, "緯度"): "35.011636", (2, "経度"): "135.768143"}),
     [e("coordinates-far", 4, "緯度")]),
    ("coordinates-outside-japan", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "緯度"): "64.777075"}),
     [e("out-of-range", 2, "緯度")]),
    ("coordinates-dms", "public_toilet", table(TOILET, TOILET_BASE, {(0, "緯度"): "34°49'38.1\"N"}),
     [e("coordinate-format", 2, "緯度", "34.827250")]),
    # カナ
    ("kana-halfwidth", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "名称_カナ"): "ｷｼﾍﾞﾀﾞｲｲﾁｼｮｳｶﾞｯｺｳ"}),
     [e("katakana-halfwidth", 2, "名称_カナ", "キシベダイイチショウガッコウ")]),
    ("kana-hiragana", "public_toilet", table(TOILET, TOILET_BASE, {(1, "名称_カナ"): "よしながかいがんといれ"}),
     [e("katakana-hiragana", 3, "名称_カナ", "ヨシナガカイガントイレ")]),
    ("kana-dash", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "名称_カナ"): "センリミナミコ―エン"}),
     [e("katakana-dash", 4, "名称_カナ", "センリミナミコーエン")]),
    # 日付・時刻
    ("date-wareki", "event", table(EVENT, EVENT_BASE, {(0, "開始日"): "令和8年5月28日"}),
     [e("wareki-date", 2, "開始日", "2026-05-28")]),
    ("date-wareki-short", "event", table(EVENT, EVENT_BASE, {(1, "掲載開始日"): "R8.8.27"}),
     [e("wareki-date", 3, "掲載開始日", "2026-08-27")]),
    ("date-slash", "event", table(EVENT, EVENT_BASE, {(0, "終了日"): "2027/3/5"}),
     [e("date-format", 2, "終了日", "2027-03-05")]),
    ("date-excel-serial", "event", table(EVENT, EVENT_BASE, {(1, "開始日"): "46270"}),
     [e("excel-serial-date", 3, "開始日", "2026-09-05")]),
    ("date-order", "event", table(EVENT, EVENT_BASE, {(1, "終了日"): "2026-09-04"}),
     [e("date-order", 3, "終了日")]),
    ("time-no-padding", "public_toilet", table(TOILET, TOILET_BASE, {(0, "利用開始時間"): "9:00"}),
     [e("time-format", 2, "利用開始時間", "09:00")]),
    ("time-fullwidth-colon", "event", table(EVENT, EVENT_BASE, {(0, "終了時間"): "１１：３０"}),
     [e("time-format", 2, "終了時間", "11:30")]),
    ("time-ji", "event", table(EVENT, EVENT_BASE, {(1, "開始時間"): "10時"}),
     [e("time-format", 3, "開始時間", "10:00")]),
    # 有/無, 数値
    ("yes-no-ari", "public_toilet", table(TOILET, TOILET_BASE, {(0, "車椅子使用者用トイレ有無"): "あり"}),
     [e("yes-no", 2, "車椅子使用者用トイレ有無", "有")]),
    ("yes-no-maru", "public_toilet", table(TOILET, TOILET_BASE, {(1, "オストメイト設置トイレ有無"): "×"}),
     [e("yes-no", 3, "オストメイト設置トイレ有無", "無")]),
    ("height-kind", "public_toilet", table(TOILET, TOILET_BASE, {(1, "高度の種別"): "階"}),
     [e("enum", 3, "高度の種別")]),
    ("unit-in-number", "public_toilet", table(TOILET, TOILET_BASE, {(0, "バリアフリートイレ数"): "1基"}),
     [e("unit-in-number", 2, "バリアフリートイレ数", "1")]),
    ("fullwidth-number", "public_toilet", table(TOILET, TOILET_BASE, {(1, "バリアフリートイレ数"): "１"}),
     [e("fullwidth-digits", 3, "バリアフリートイレ数", "1")]),
    ("not-a-number", "event", table(EVENT, EVENT_BASE, {(0, "定員"): "先着順"}),
     [e("not-a-number", 2, "定員")]),
    ("total-mismatch", "public_toilet", table(TOILET, TOILET_BASE, {(0, "男性トイレ総数"): "4"}),
     [e("total-mismatch", 2, "男性トイレ総数")]),
    # 電話・郵便番号・法人番号・URL・リスト
    ("phone-fullwidth", "evacuation_space", table(EVAC, EVAC_BASE, {(1, "電話番号"): "０６－６３８８－５３６１"}),
     [e("phone-format", 3, "電話番号", "06-6388-5361")]),
    ("phone-brackets-accepted", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "電話番号"): "(06)6384-1231"}), []),
    ("postcode-hyphen", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "郵便番号"): "565-0862"}),
     [e("postcode-format", 4, "郵便番号", "5650862")]),
    ("corporate-scientific", "event", table(EVENT, EVENT_BASE, {(0, "法人番号"): "1.00E+12"}),
     [e("corporate-number-scientific", 2, "法人番号")]),
    ("corporate-check-digit", "event", table(EVENT, EVENT_BASE, {(1, "法人番号"): "2000020222127"}),
     [e("corporate-number-check-digit", 3, "法人番号")]),
    ("url-www", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "URL"): "www.city.suita.osaka.jp"}),
     [e("url-invalid", 2, "URL", "https://www.city.suita.osaka.jp")]),
    ("list-separator", "evacuation_space",
     table(EVAC, EVAC_BASE, {(0, "対象となる町会・自治会"): "岸部中一丁目、岸部中二丁目"}),
     [e("list-separator", 2, "対象となる町会・自治会", "岸部中一丁目;岸部中二丁目")]),
    # 機械判読ルール: cells
    ("ditto", "evacuation_space", table(EVAC, EVAC_BASE, {(1, "所在地_都道府県"): "〃"}),
     [e("ditto-mark", 3, "所在地_都道府県", "大阪府")]),
    ("surrounding-space", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "名称"): "千里南公園　"}),
     [e("surrounding-space", 4, "名称", "千里南公園")]),
    ("space-in-number", "public_toilet", table(TOILET, TOILET_BASE, {(0, "女性トイレ総数"): " 2"}),
     [e("surrounding-space", 2, "女性トイレ総数", "2")]),
    ("platform-chars", "evacuation_space", table(EVAC, EVAC_BASE, {(1, "名称"): "向洋電気㈱", (1, "名称_カナ"): "コウヨウデンキ"}),
     [e("platform-dependent-char", 3, "名称", "向洋電気(株)")]),
    ("halfwidth-kana-in-text", "public_toilet", table(TOILET, TOILET_BASE, {(0, "設置位置"): "海岸ﾊﾟｰｷﾝｸﾞの北"}),
     [e("halfwidth-kana", 2, "設置位置", "海岸パーキングの北")]),
    ("empty-id-column", "public_toilet", table(TOILET, TOILET_BASE, {(0, "ID"): "", (1, "ID"): ""}),
     [e("column-empty", None, "ID")]),
    ("line-break", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "備考"): "体育館\n運動場"}),
     [e("line-break-in-cell", 2, "備考")]),
    # frictionless: required, unique, flags
    ("required-blank", "evacuation_space", table(EVAC, EVAC_BASE, {(1, "名称"): ""}),
     [e("required", 3, "名称")]),
    ("duplicate-id", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "ID"): "CC2720500001"}),
     [e("unique-error", 4, "ID")]),
    ("flag-not-1", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "災害種別_洪水"): "○"}),
     [e("enum", 2, "災害種別_洪水")]),
    # Numbers the rows store and JSON cannot hold: the schema's maximum, 64 bits, NaN/Infinity
    ("count-overflow", "public_toilet", table(TOILET, TOILET_BASE, {(0, "男性トイレ総数"): "99999999999999999999999"}),
     [e("number-out-of-range", 2, "男性トイレ総数")]),
    ("count-above-maximum", "public_toilet", table(TOILET, TOILET_BASE, {(1, "バリアフリートイレ数"): "1000000000"}),
     [e("number-out-of-range", 3, "バリアフリートイレ数")]),
    ("count-too-many-digits", "public_toilet", table(TOILET, TOILET_BASE, {(0, "バリアフリートイレ数"): "9" * 5000}),
     [e("number-out-of-range", 2, "バリアフリートイレ数")]),
    ("count-superscript-digit", "public_toilet", table(TOILET, TOILET_BASE, {(0, "男性トイレ総数"): "²"}),
     [e("not-a-number", 2, "男性トイレ総数")]),
    ("measure-nan", "public_toilet", table(TOILET, TOILET_BASE, {(1, "高度の値"): "NaN"}),
     [e("not-a-number", 3, "高度の値")]),
    ("measure-overflow", "public_toilet", table(TOILET, TOILET_BASE, {(1, "高度の値"): "1e400"}),
     [e("number-out-of-range", 3, "高度の値")]),
    ("measure-negative", "public_toilet", table(TOILET, TOILET_BASE, {(1, "高度の値"): "-1"}), []),
    # Invisible characters: a BOM or zero-width space pasted into a value
    ("bom-inside-name", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "名称"): "千里\ufeff南公園"}),
     [e("invisible-char", 4, "名称", "千里南公園")]),
    ("bom-after-name", "evacuation_space", table(EVAC, EVAC_BASE, {(2, "名称"): "千里南公園\ufeff"}),
     [e("surrounding-space", 4, "名称", "千里南公園")]),
    ("zero-width-space-in-kana", "public_toilet",
     table(TOILET, TOILET_BASE, {(0, "名称_カナ"): "ハラハマ\u200bカイガントイレ"}),
     [e("invisible-char", 2, "名称_カナ", "ハラハマカイガントイレ")]),
    # Formula injection: values a spreadsheet would run (the canonical CSV keeps them as written)
    ("formula-hyperlink", "public_toilet",
     table(TOILET, TOILET_BASE, {(0, "設置位置"): '=HYPERLINK("http://example.com/x","海岸駐車場の北")'}),
     [e("formula-like-cell", 2, "設置位置")]),
    ("formula-arithmetic", "public_toilet", table(TOILET, TOILET_BASE, {(1, "備考"): "-1+1"}),
     [e("formula-like-cell", 3, "備考")]),
    ("formula-fullwidth", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "備考"): "＠SUM(1+1)"}),
     [e("formula-like-cell", 2, "備考")]),
    ("phone-international", "evacuation_space", table(EVAC, EVAC_BASE, {(0, "電話番号"): "+81-6-6384-1231"}), []),
]  # fmt: skip


def structural() -> list[tuple[str, str, Callable[[Path], None], list[dict[str, Any]]]]:
    """Cases whose quirk is the file's shape, encoding or spreadsheet layout."""
    evac = table(EVAC, EVAC_BASE)
    toilet = table(TOILET, TOILET_BASE)

    def title_rows(p: Path) -> None:
        write_csv(p, [["吹田市 指定緊急避難場所一覧"], ["令和8年4月1日現在"], [], *evac])

    def note_rows(p: Path) -> None:
        write_csv(p, [*evac, [], ["※ 収容人数は目安です"], ["出典：吹田市危機管理室"]])

    def blank_row(p: Path) -> None:
        write_csv(p, [evac[0], evac[1], [""] * len(EVAC), evac[2], evac[3]])

    def short_row(p: Path) -> None:
        write_csv(p, [evac[0], evac[1], evac[2][:-2], evac[3]])

    def long_row(p: Path) -> None:
        write_csv(p, [evac[0], evac[1], evac[2], [*evac[3], "余分"]])

    def labels(p: Path) -> None:
        header = list(EVAC)
        header[2], header[4], header[6] = "名前", "", header[3]
        write_csv(p, [header, *evac[1:]])

    def dash_label(p: Path) -> None:
        header = ["全国地方公共団体コ―ド", *EVAC[1:]]
        write_csv(p, [header, *evac[1:]])

    def cp932(p: Path) -> None:
        rows = table(EVAC, EVAC_BASE, {(0, "名称"): "髙橋第①小学校"})
        write_csv(p, rows, encoding="cp932")

    def utf8_bom(p: Path) -> None:
        write_csv(p, evac, encoding="utf-8-sig")

    def utf16(p: Path) -> None:
        write_csv(p, evac, encoding="utf-16")

    def two_row_header(p: Path) -> None:
        """男性トイレ数 over （小便器）（和式）（洋式）, as a merged cell over three columns."""
        top, below, last = [], [], ""
        for name in TOILET:
            group, _, part = name.partition("（")
            below.append(f"（{part}" if part else "")
            top.append("" if part and group == last else group)
            last = group if part else ""
        write_csv(p, [top, below, *toilet[1:]])

    def xlsx_layout(p: Path) -> None:
        book = Workbook()
        ws = book.active
        ws.title = "避難場所"
        ws.append(["吹田市 指定緊急避難場所一覧"])
        ws.merge_cells("A1:E1")
        for row in evac:
            ws.append(row)
        ws.row_dimensions[4].hidden = True
        book.save(p)

    return [
        ("title-rows.csv", "evacuation_space", title_rows, [e("title-rows", 1, None)]),
        ("note-rows.csv", "evacuation_space", note_rows, [e("blank-row", 5, None), e("note-rows", 6, None)]),
        # The hazard flags take "" as a value, so frictionless does not call this row blank and
        # reports its empty required fields; the clerk also gets the plain "blank row".
        ("blank-row.csv", "evacuation_space", blank_row,
         [e("blank-row", 3, None), e("required", 3, "名称"), e("required", 3, "所在地_連結表記"),
          e("required", 3, "電話番号"), e("required", 3, "市区町村コード")]),
        ("blank-row-toilet.csv", "public_toilet", lambda p: write_csv(p, [toilet[0], toilet[1], [""] * len(TOILET), toilet[2]]),
         [e("blank-row", 3, None)]),
        ("short-row.csv", "evacuation_space", short_row,
         [e("missing-cell", 3, EVAC[-2]), e("missing-cell", 3, EVAC[-1])]),
        ("long-row.csv", "evacuation_space", long_row, [e("extra-cell", 4, None)]),
        ("labels.csv", "evacuation_space", labels,
         [e("incorrect-label", None, "名称", "名称"), e("blank-label", None, "名称_英字"),
          e("duplicate-label", None, "町字ID")]),
        ("dash-in-label.csv", "evacuation_space", dash_label,
         [e("incorrect-label", None, "全国地方公共団体コード", "全国地方公共団体コード")]),
        ("cp932.csv", "evacuation_space", cp932,
         [e("encoding-not-utf8", None, None), e("platform-dependent-char", 2, "名称", "髙橋第(1)小学校")]),
        ("utf8-bom.csv", "evacuation_space", utf8_bom, []),
        ("utf16.csv", "evacuation_space", utf16, [e("encoding-not-utf8", None, None)]),
        ("two-row-header.csv", "public_toilet", two_row_header, [e("header-rows", 1, None)]),
        ("merged-and-hidden.xlsx", "evacuation_space", xlsx_layout,
         [e("title-rows", 1, None), e("merged-cells", 1, None), e("hidden-row", 4, None)]),
    ]  # fmt: skip


def main() -> None:
    for name, key, rows, expected in CASES:
        write_csv(HERE / f"{name}.csv", rows)
        _expect(HERE / f"{name}.csv", key, expected)
    for name, key, write, expected in structural():
        write(HERE / name)
        _expect(HERE / name, key, expected)


def _expect(path: Path, key: str, expected: list[dict[str, Any]]) -> None:
    body = {"dataset": key, "findings": expected}
    target = path.with_name(path.stem + ".expected.json")
    target.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
