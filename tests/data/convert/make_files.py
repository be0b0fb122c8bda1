"""Department-style source files for the converter tests, with recipes and expected outputs.

Each case is a small, real-looking table as a department keeps it — one quirk
family each — a recipe (`<case>.yaml`) and the standard CSV the conversion must
produce (`<case>.expected.csv`), written here by hand:

- aed-with-title.xlsx: title rows and a merged title cell above the header, notes
  under the table, hiragana readings, half-width katakana, full-width digits, time
  ranges in one cell ("8時30分～17時15分"), one value that is no time range.
- population-two-row-header.xlsx: a merged "人口" over 総数/男/女 (two header rows),
  counts with thousands separators.
- event-cp932.csv: CP932 with 和暦 dates (令和, R8.6.1), 2026/6/15, ㈱, "500円", "無料".
- facility-filters.csv: rows left out by a filter and by an unreadable coordinate.

Run from the repository root: `.venv/bin/python tests/data/convert/make_files.py`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
ROOT = HERE.parents[2]


def fields(key: str) -> list[str]:
    schema = json.loads((ROOT / "datasets" / key / "schema.json").read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"]]


def expected(name: str, key: str, rows: list[dict[str, str]]) -> None:
    names = fields(key)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for row in rows:
        unknown = set(row) - set(names)
        assert not unknown, unknown
        w.writerow([row.get(n, "") for n in names])
    (HERE / f"{name}.expected.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")


def aed_with_title() -> None:
    book = Workbook()
    ws = book.active
    ws.title = "AED一覧"
    ws.append(["焼津市 AED設置場所一覧"])
    ws.merge_cells("A1:F1")
    ws.append(["令和8年4月1日現在"])
    ws.append([])
    ws.append(["番号", "施設名", "ふりがな", "設置場所", "電話", "利用時間"])
    ws.append(
        [
            1,
            "市役所本館",
            "しやくしょほんかん",
            "２階正面入口",
            "(054)626-1139",
            "8時30分～17時15分",
        ]
    )
    ws.append([2, "ｱﾄﾚ庁舎", "あとれちょうしゃ", "1階受付", "054-626-2171", "9:00-17:00"])
    ws.append(
        [
            3,
            "消防防災センター",
            "しょうぼうぼうさいせんたー",
            "１階フロア",
            "０５４－６２３－２５５４",
            "24時間",
        ]
    )
    ws.append([])
    ws.append(["※ 利用時間は施設の開館時間です"])
    book.save(HERE / "aed-with-title.xlsx")
    common = {"全国地方公共団体コード": "222127", "地方公共団体名": "静岡県焼津市"}
    expected("aed-with-title", "aed", [
        {**common, "ID": "1", "名称": "市役所本館", "名称_カナ": "シヤクショホンカン", "設置位置": "2階正面入口",
         "電話番号": "054-626-1139", "開始時間": "08:30", "終了時間": "17:15", "利用可能日時特記事項": "8時30分～17時15分"},
        {**common, "ID": "2", "名称": "アトレ庁舎", "名称_カナ": "アトレチョウシャ", "設置位置": "1階受付",
         "電話番号": "054-626-2171", "開始時間": "09:00", "終了時間": "17:00", "利用可能日時特記事項": "9:00-17:00"},
        # "24時間" is no time range: kept as it was, listed in the report, flagged by the validator
        {**common, "ID": "3", "名称": "消防防災センター", "名称_カナ": "ショウボウボウサイセンター", "設置位置": "1階フロア",
         "電話番号": "054-623-2554", "開始時間": "24時間", "終了時間": "24時間", "利用可能日時特記事項": "24時間"},
    ])  # fmt: skip


def population_two_row_header() -> None:
    book = Workbook()
    ws = book.active
    ws.append(["地域別人口（令和8年4月1日現在）"])
    ws.append(["地域コード", "地域名", "人口", None, None, "世帯数"])
    ws.merge_cells("C2:E2")
    ws.append([None, None, "総数", "男", "女", None])
    ws.append(["001", "千里丘１丁目", "1,234", 600, 634, 512])
    ws.append(["002", "千里丘２丁目", 2045, "1,010", "1,035", 880])
    book.save(HERE / "population-two-row-header.xlsx")
    common = {
        "全国地方公共団体コード": "272248",
        "地方公共団体名": "大阪府摂津市",
        "調査年月日": "2026-04-01",
    }
    expected("population-two-row-header", "population_by_area_age", [
        {**common, "地域コード": "001", "地域名": "千里丘1丁目", "総人口": "1234", "男性": "600", "女性": "634", "世帯数": "512"},
        {**common, "地域コード": "002", "地域名": "千里丘2丁目", "総人口": "2045", "男性": "1010", "女性": "1035", "世帯数": "880"},
    ])  # fmt: skip


def event_cp932() -> None:
    rows = [
        ["行事名", "開催日", "終了日", "時間", "会場", "料金", "主催"],
        [
            "離乳食教室",
            "令和8年5月28日",
            "R8.5.28",
            "10時～11時30分",
            "アトレ庁舎1階",
            "無料",
            "焼津市",
        ],
        [
            "いちまるマルシェ",
            "R8.6.1",
            "令和8年6月2日",
            "10:00～15:00",
            "いちまる商店",
            "500円",
            "㈱いちまる",
        ],
        [
            "陶芸作品展",
            "2026/6/15",
            "2026/6/20",
            "９：００～１６：００",
            "文化センター",
            "",
            "焼津市",
        ],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "event-cp932.csv").write_bytes(buf.getvalue().encode("cp932"))
    common = {"全国地方公共団体コード": "222127", "地方公共団体名": "静岡県焼津市"}
    expected("event-cp932", "event", [
        {**common, "ID": "1", "イベント名": "離乳食教室", "開始日": "2026-05-28", "終了日": "2026-05-28", "開始時間": "10:00",
         "終了時間": "11:30", "場所名称": "アトレ庁舎1階", "料金(基本)": "", "料金(詳細)": "無料", "主催者": "焼津市"},
        {**common, "ID": "2", "イベント名": "いちまるマルシェ", "開始日": "2026-06-01", "終了日": "2026-06-02", "開始時間": "10:00",
         "終了時間": "15:00", "場所名称": "いちまる商店", "料金(基本)": "500", "料金(詳細)": "500円", "主催者": "(株)いちまる"},
        {**common, "ID": "3", "イベント名": "陶芸作品展", "開始日": "2026-06-15", "終了日": "2026-06-20", "開始時間": "09:00",
         "終了時間": "16:00", "場所名称": "文化センター", "主催者": "焼津市"},
    ])  # fmt: skip


def facility_filters() -> None:
    rows = [
        ["施設番号", "施設名", "種別", "緯度", "経度"],
        ["F001", "焼津市役所", "庁舎", "34.866918", "138.323171"],
        ["F002", "防災倉庫（焼津西）", "倉庫", "34.8602", "138.3101"],
        ["F003", "焼津市立図書館", "図書館", "不明", "138.315"],
        ["F004", "消防団第１分団車庫", "車庫", "34.862", "138.3238"],
        ["F005", "焼津文化センター", "文化施設", "34°51'44.3\"N", "138.3097"],
    ]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / "facility-filters.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
    common = {"全国地方公共団体コード": "222127", "地方公共団体名": "静岡県焼津市"}
    expected("facility-filters", "public_facility", [
        {**common, "ID": "F001", "名称": "焼津市役所", "緯度": "34.866918", "経度": "138.323171"},
        {**common, "ID": "F005", "名称": "焼津文化センター", "緯度": "34.862306", "経度": "138.309700"},
    ])  # fmt: skip


if __name__ == "__main__":
    aed_with_title()
    population_two_row_header()
    event_cp932()
    facility_filters()
