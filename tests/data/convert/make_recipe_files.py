"""Source files, recipes and expected outputs for the recipe features of issue 13.

One quirk each; the expected values are worked out by hand (the sums, the marked services,
the times and dates as a clerk reads them), not copied from the converter:

- population-by-nationality.csv: counts split 日本人/外国人 → 男性, 女性 as `sum`, 総人口 as
  `expr`; 不明 in one part, a blank part in another (both left as they are, reported).
- care-marked-services.csv: one ○ column per service → 実施サービス as `marked`; a △ kept.
- event-free-times.csv: 午後2時から午後4時まで, 午前9時～午後5時, 9時半～12時, 午後5時～9時, …
- event-us-dates.csv: 6/7/2026 exported month first → `date: {order: mdy}`.
- population-year-only.csv: 令和6年度 as the survey date → `date: {year_only: first-day}`.
- aed-two-phones.csv: two columns named 電話番号 (daytime, night) → `電話番号#1` and
  `{column: 電話番号, occurrence: 2}`.
- aed-repeated-rows.csv: a row pasted twice, and the same place with another phone →
  `dedupe: {fields: [名称, 設置位置]}`.
- aed-all-day.csv: 24時間 and 終日 → `{time_start: {all_day: true}}` 00:00–24:00.

Run from the repository root: `.venv/bin/python tests/data/convert/make_recipe_files.py`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[2]

SUITA = {"全国地方公共団体コード": "272051", "地方公共団体名": "大阪府吹田市"}
ICHIKAWA = {"全国地方公共団体コード": "122033", "地方公共団体名": "千葉県市川市"}
YAIZU = {"全国地方公共団体コード": "222127", "地方公共団体名": "静岡県焼津市"}
FUJIEDA = {"全国地方公共団体コード": "222143", "地方公共団体名": "静岡県藤枝市"}


def fields(key: str) -> list[str]:
    schema = json.loads((ROOT / "datasets" / key / "schema.json").read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"]]


def source(name: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    (HERE / name).write_text(buf.getvalue(), encoding="utf-8", newline="")


def expected(name: str, key: str, constants: dict[str, str], rows: list[dict[str, str]]) -> None:
    names = fields(key)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for row in rows:
        full = {**constants, **row}
        unknown = set(full) - set(names)
        assert not unknown, unknown
        w.writerow([full.get(n, "") for n in names])
    (HERE / f"{name}.expected.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")


def recipe(name: str, text: str) -> None:
    (HERE / f"{name}.yaml").write_text(text, encoding="utf-8")


def population_by_nationality() -> None:
    source("population-by-nationality.csv", [
        ["地区コード", "地区名", "日本人男", "日本人女", "外国人男", "外国人女", "世帯数"],
        ["001", "岸部北一丁目", "1,203", "1198", "12", "15", "1032"],
        ["002", "岸部北二丁目", "845", "862", "3", "0", "701"],
        ["003", "岸部中一丁目", "612", "不明", "5", "4", "533"],
        ["004", "岸部南一丁目", "430", "441", "", "2", "380"],
    ])  # fmt: skip
    recipe(
        "population-by-nationality",
        """\
version: 1
title: 吹田市 町丁別人口（日本人・外国人別）
source:
  path: population-by-nationality.csv
target:
  dataset: population_by_area_age
  lgcode: "272051"
constants:
  全国地方公共団体コード: "272051"
  地方公共団体名: 大阪府吹田市
  調査年月日: "2026-04-01"
columns:
  地域コード: {from: 地区コード}
  地域名: {from: 地区名}
  総人口: {expr: "日本人男 + 日本人女 + 外国人男 + 外国人女"}
  男性: {sum: [日本人男, 外国人男]}
  女性: {sum: [日本人女, 外国人女]}
  世帯数: {from: 世帯数, normalize: [integer]}
""",
    )
    day = {"調査年月日": "2026-04-01"}
    expected("population-by-nationality", "population_by_area_age", {**SUITA, **day}, [
        {"地域コード": "001", "地域名": "岸部北一丁目", "総人口": "2428", "男性": "1215", "女性": "1213", "世帯数": "1032"},
        {"地域コード": "002", "地域名": "岸部北二丁目", "総人口": "1710", "男性": "848", "女性": "862", "世帯数": "701"},
        {"地域コード": "003", "地域名": "岸部中一丁目", "総人口": "不明", "男性": "617", "女性": "不明", "世帯数": "533"},
        {"地域コード": "004", "地域名": "岸部南一丁目", "総人口": "", "男性": "", "女性": "443", "世帯数": "380"},
    ])  # fmt: skip


def care_marked_services() -> None:
    source("care-marked-services.csv", [
        ["事業所番号", "事業所名", "訪問介護", "通所介護", "短期入所生活介護", "福祉用具貸与"],
        ["1270100011", "ケアセンターいちかわ", "○", "○", "", ""],
        ["1270100029", "デイサービスやわた", "", "○", "", "×"],
        ["1270100037", "ショートステイ国府台", "", "", "○", ""],
        ["1270100045", "福祉用具のみなみ", "", "", "", "○"],
        ["1270100052", "ヘルパーステーション行徳", "○", "△", "", ""],
    ])  # fmt: skip
    recipe(
        "care-marked-services",
        """\
version: 1
title: 市川市 介護サービス事業所（サービス別の○印）
source:
  path: care-marked-services.csv
target:
  dataset: care_service
  lgcode: "122033"
constants:
  全国地方公共団体コード: "122033"
  地方公共団体名: 千葉県市川市
columns:
  事業所番号: {from: 事業所番号}
  介護サービス事業所名称: {from: 事業所名}
  実施サービス:
    marked:
      columns: [訪問介護, 通所介護, 短期入所生活介護, 福祉用具貸与]
      mark: ○
ids:
  field: ID
  template: "{n}"
""",
    )
    expected("care-marked-services", "care_service", ICHIKAWA, [
        {"ID": "1", "事業所番号": "1270100011", "介護サービス事業所名称": "ケアセンターいちかわ", "実施サービス": "訪問介護;通所介護"},
        {"ID": "2", "事業所番号": "1270100029", "介護サービス事業所名称": "デイサービスやわた", "実施サービス": "通所介護"},
        {"ID": "3", "事業所番号": "1270100037", "介護サービス事業所名称": "ショートステイ国府台", "実施サービス": "短期入所生活介護"},
        {"ID": "4", "事業所番号": "1270100045", "介護サービス事業所名称": "福祉用具のみなみ", "実施サービス": "福祉用具貸与"},
        {"ID": "5", "事業所番号": "1270100052", "介護サービス事業所名称": "ヘルパーステーション行徳", "実施サービス": "△"},
    ])  # fmt: skip


def event_free_times() -> None:
    source("event-free-times.csv", [
        ["行事名", "開催日", "時間"],
        ["おはなし会", "2026/6/6", "午後2時から午後4時まで"],
        ["市民清掃デー", "2026/6/7", "午前9時～午後5時"],
        ["親子料理教室", "2026/6/13", "9時半～12時"],
        ["納涼まつり", "2026/7/25", "午後5時～9時"],
        ["ふるさと講座", "2026/8/1", "9時から17時まで"],
        ["みなと朝市", "2026/8/2", "6:00-9:00"],
    ])  # fmt: skip
    recipe(
        "event-free-times",
        """\
version: 1
title: 焼津市 行事予定（時間は文章で）
source:
  path: event-free-times.csv
target:
  dataset: event
  lgcode: "222127"
constants:
  全国地方公共団体コード: "222127"
  地方公共団体名: 静岡県焼津市
columns:
  イベント名: {from: 行事名}
  開始日: {from: 開催日, normalize: [date]}
  開始時間: {from: 時間, normalize: [time_start]}
  終了時間: {from: 時間, normalize: [time_end]}
  開始日時特記事項: {from: 時間}
ids:
  field: ID
  template: "{n}"
""",
    )
    rows = [("おはなし会", "2026-06-06", "14:00", "16:00", "午後2時から午後4時まで"),
            ("市民清掃デー", "2026-06-07", "09:00", "17:00", "午前9時～午後5時"),
            ("親子料理教室", "2026-06-13", "09:30", "12:00", "9時半～12時"),
            ("納涼まつり", "2026-07-25", "17:00", "21:00", "午後5時～9時"),
            ("ふるさと講座", "2026-08-01", "09:00", "17:00", "9時から17時まで"),
            ("みなと朝市", "2026-08-02", "06:00", "09:00", "6:00-9:00")]  # fmt: skip
    expected("event-free-times", "event", YAIZU, [
        {"ID": str(i), "イベント名": n, "開始日": d, "開始時間": s, "終了時間": e, "開始日時特記事項": t}
        for i, (n, d, s, e, t) in enumerate(rows, 1)
    ])  # fmt: skip


def event_us_dates() -> None:
    source("event-us-dates.csv", [
        ["Event", "Start", "End"],
        ["国際交流フェスタ", "6/7/2026", "6/7/2026"],
        ["英語でおはなし会", "7/4/2026", "7/4/2026"],
        ["ALTと学ぶ夏休み教室", "7/27/2026", "8/7/2026"],
    ])  # fmt: skip
    recipe(
        "event-us-dates",
        """\
version: 1
title: 焼津市 国際交流イベント（英語版システムの書き出し）
source:
  path: event-us-dates.csv
target:
  dataset: event
  lgcode: "222127"
constants:
  全国地方公共団体コード: "222127"
  地方公共団体名: 静岡県焼津市
columns:
  イベント名: {from: Event}
  開始日: {from: Start, normalize: [{date: {order: mdy}}]}
  終了日: {from: End, normalize: [{date: {order: mdy}}]}
ids:
  field: ID
  template: "{n}"
""",
    )
    expected("event-us-dates", "event", YAIZU, [
        {"ID": "1", "イベント名": "国際交流フェスタ", "開始日": "2026-06-07", "終了日": "2026-06-07"},
        {"ID": "2", "イベント名": "英語でおはなし会", "開始日": "2026-07-04", "終了日": "2026-07-04"},
        {"ID": "3", "イベント名": "ALTと学ぶ夏休み教室", "開始日": "2026-07-27", "終了日": "2026-08-07"},
    ])  # fmt: skip


def population_year_only() -> None:
    source("population-year-only.csv", [
        ["基準年度", "町名", "人口総数", "世帯数"],
        ["令和6年度", "千里山東一丁目", "2,105", "998"],
        ["令和6年度", "千里山東二丁目", "1,876", "902"],
        ["令和元年度", "千里山西一丁目", "1,544", "731"],
    ])  # fmt: skip
    recipe(
        "population-year-only",
        """\
version: 1
title: 吹田市 町別人口（年度ごと）
source:
  path: population-year-only.csv
target:
  dataset: population_by_area_age
  lgcode: "272051"
constants:
  全国地方公共団体コード: "272051"
  地方公共団体名: 大阪府吹田市
columns:
  調査年月日: {from: 基準年度, normalize: [{date: {year_only: first-day}}]}
  地域名: {from: 町名}
  総人口: {from: 人口総数, normalize: [integer]}
  世帯数: {from: 世帯数, normalize: [integer]}
""",
    )
    expected("population-year-only", "population_by_area_age", SUITA, [
        {"調査年月日": "2024-04-01", "地域名": "千里山東一丁目", "総人口": "2105", "世帯数": "998"},
        {"調査年月日": "2024-04-01", "地域名": "千里山東二丁目", "総人口": "1876", "世帯数": "902"},
        {"調査年月日": "2019-04-01", "地域名": "千里山西一丁目", "総人口": "1544", "世帯数": "731"},
    ])  # fmt: skip


def aed_two_phones() -> None:
    source("aed-two-phones.csv", [
        ["施設名", "電話番号", "電話番号", "設置場所"],
        ["藤枝市役所", "054-643-3111", "054-643-3119", "1階正面玄関"],
        ["岡部支所", "054-667-3111", "", "1階ロビー"],
        ["市民体育館", "054-641-0001", "054-641-0009", "事務室前"],
    ])  # fmt: skip
    recipe(
        "aed-two-phones",
        """\
version: 1
title: 藤枝市 AED（代表電話と夜間電話）
source:
  path: aed-two-phones.csv
target:
  dataset: aed
  lgcode: "222143"
constants:
  全国地方公共団体コード: "222143"
  地方公共団体名: 静岡県藤枝市
columns:
  名称: {from: 施設名}
  電話番号: {from: "電話番号#1", normalize: [phone]}
  連絡先備考（その他、SNSなど）: {from: {column: 電話番号, occurrence: 2}}
  設置位置: {from: 設置場所, normalize: [halfwidth]}
ids:
  field: ID
  template: "{n}"
""",
    )
    note = "連絡先備考（その他、SNSなど）"
    expected("aed-two-phones", "aed", FUJIEDA, [
        {"ID": "1", "名称": "藤枝市役所", "電話番号": "054-643-3111", note: "054-643-3119", "設置位置": "1階正面玄関"},
        {"ID": "2", "名称": "岡部支所", "電話番号": "054-667-3111", note: "", "設置位置": "1階ロビー"},
        {"ID": "3", "名称": "市民体育館", "電話番号": "054-641-0001", note: "054-641-0009", "設置位置": "事務室前"},
    ])  # fmt: skip


def aed_repeated_rows() -> None:
    source("aed-repeated-rows.csv", [
        ["施設名", "設置場所", "電話"],
        ["総合体育館", "1階事務室前", "054-623-0001"],
        ["市民会館", "ホール入口", "054-623-0002"],
        ["総合体育館", "1階事務室前", "054-623-0001"],
        ["総合体育館", "2階アリーナ", "054-623-0001"],
        ["市民会館", "ホール入口", "054-623-0020"],
    ])  # fmt: skip
    recipe(
        "aed-repeated-rows",
        """\
version: 1
title: 焼津市 AED（行が重複した台帳）
source:
  path: aed-repeated-rows.csv
target:
  dataset: aed
  lgcode: "222127"
constants:
  全国地方公共団体コード: "222127"
  地方公共団体名: 静岡県焼津市
columns:
  名称: {from: 施設名}
  設置位置: {from: 設置場所}
  電話番号: {from: 電話, normalize: [phone]}
dedupe:
  fields: [名称, 設置位置]
ids:
  field: ID
  template: "{row}"
""",
    )
    expected("aed-repeated-rows", "aed", YAIZU, [
        {"ID": "2", "名称": "総合体育館", "設置位置": "1階事務室前", "電話番号": "054-623-0001"},
        {"ID": "3", "名称": "市民会館", "設置位置": "ホール入口", "電話番号": "054-623-0002"},
        {"ID": "5", "名称": "総合体育館", "設置位置": "2階アリーナ", "電話番号": "054-623-0001"},
    ])  # fmt: skip


def aed_all_day() -> None:
    source("aed-all-day.csv", [
        ["施設名", "利用時間"],
        ["焼津駅前交番", "24時間"],
        ["市役所本館", "8時30分～17時15分"],
        ["消防防災センター", "終日"],
    ])  # fmt: skip
    recipe(
        "aed-all-day",
        """\
version: 1
title: 焼津市 AED（24時間利用できる場所）
source:
  path: aed-all-day.csv
target:
  dataset: aed
  lgcode: "222127"
constants:
  全国地方公共団体コード: "222127"
  地方公共団体名: 静岡県焼津市
columns:
  名称: {from: 施設名}
  開始時間: {from: 利用時間, normalize: [{time_start: {all_day: true}}]}
  終了時間: {from: 利用時間, normalize: [{time_end: {all_day: true}}]}
ids:
  field: ID
  template: "{n}"
""",
    )
    expected("aed-all-day", "aed", YAIZU, [
        {"ID": "1", "名称": "焼津駅前交番", "開始時間": "00:00", "終了時間": "24:00"},
        {"ID": "2", "名称": "市役所本館", "開始時間": "08:30", "終了時間": "17:15"},
        {"ID": "3", "名称": "消防防災センター", "開始時間": "00:00", "終了時間": "24:00"},
    ])  # fmt: skip


if __name__ == "__main__":
    population_by_nationality()
    care_marked_services()
    event_free_times()
    event_us_dates()
    population_year_only()
    aed_two_phones()
    aed_repeated_rows()
    aed_all_day()
