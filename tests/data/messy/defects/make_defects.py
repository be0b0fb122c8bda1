"""Write the defects family of the messy corpus: department files in the standard's layout
with real defects planted at known rows (issue 13's new rules).

Each file's rows are written here by hand (real places of each municipality, coordinates
near them), then a defect is planted in a named cell; the expected file lists every planted
defect (code, row as a spreadsheet shows it: the header is row 1, field) and the codes the
validation must report. The mapping is the identity: the files already use the standard's
column names. Nothing here runs the validator.

Run from the repository root: `.venv/bin/python tests/data/messy/defects/make_defects.py`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
ROOT = HERE.parents[3]

Row = dict[str, str]


def fields(key: str) -> list[str]:
    schema = json.loads((ROOT / "datasets" / key / "schema.json").read_text(encoding="utf-8"))
    return [f["name"] for f in schema["fields"]]


def place(lgcode: str, pref: str, city: str, town: str, number: str) -> Row:
    return {
        "所在地_全国地方公共団体コード": lgcode, "所在地_連結表記": f"{pref}{city}{town}{number}",
        "所在地_都道府県": pref, "所在地_市区町村": city, "所在地_町字": town,
        "所在地_番地以下": number,
    }  # fmt: skip


def write(name: str, key: str, rows: list[Row], expected: dict[str, Any]) -> None:
    header = fields(key)
    unknown = {k for r in rows for k in r} - set(header)
    assert not unknown, (name, unknown)
    with (HERE / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(header)
        out.writerows([r.get(f, "") for f in header] for r in rows)
    mapping = {f: f for f in header}  # every column, filled or not: the names are the standard's
    body = {"quirk": expected.pop("quirk"), "dataset": key, **expected, "mapping": mapping}
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=120)
    (HERE / f"{name}.expected.yaml").write_text(text, encoding="utf-8")


def defect(code: str, row: int, field: str | None = None) -> dict[str, Any]:
    return {"code": code, "row": row, **({"field": field} if field else {})}


# --- 藤枝市 公衆トイレ: a total that is not the sum, a trailing space, the kana of the next
# row, and one row pasted twice -------------------------------------------------------------


def toilet(i: int, name: str, kana: str, town: str, number: str, lat: str, lng: str,
           male: tuple[int, int, int], female: tuple[int, int]) -> Row:  # fmt: skip
    return {
        "全国地方公共団体コード": "222143", "ID": f"{i:03d}", "地方公共団体名": "静岡県藤枝市",
        "名称": name, "名称_カナ": kana,
        **place("222143", "静岡県", "藤枝市", town, number),
        "設置位置": "公園内" if "公園" in name else "駐車場の脇", "緯度": lat, "経度": lng,
        "男性トイレ総数": str(sum(male)), "男性トイレ数（小便器）": str(male[0]),
        "男性トイレ数（和式）": str(male[1]), "男性トイレ数（洋式）": str(male[2]),
        "女性トイレ総数": str(sum(female)), "女性トイレ数（和式）": str(female[0]),
        "女性トイレ数（洋式）": str(female[1]),
        "男女共用トイレ総数": "0", "男女共用トイレ数（和式）": "0", "男女共用トイレ数（洋式）": "0",
        "バリアフリートイレ数": "1", "車椅子使用者用トイレ有無": "有",
        "乳幼児用設備設置トイレ有無": "有", "オストメイト設置トイレ有無": "無",
        "利用開始時間": "06:00", "利用終了時間": "21:00",
    }  # fmt: skip


def fujieda_toilets() -> None:
    rows = [
        toilet(1, "蓮華寺池公園北トイレ", "レンゲジイケコウエンキタトイレ", "若王子", "500",
               "34.873512", "138.266931", (2, 0, 1), (0, 2)),
        toilet(2, "藤枝駅北口公衆トイレ", "フジエダエキキタグチコウシュウトイレ", "駅前一丁目", "1-1",
               "34.861590", "138.274210", (3, 0, 2), (0, 3)),
        toilet(3, "瀬戸川河川敷トイレ", "セトガワカセンジキトイレ", "瀬戸新屋", "362",
               "34.877020", "138.247880", (1, 0, 1), (0, 1)),
        toilet(4, "蓮華寺池公園東トイレ", "レンゲジイケコウエンヒガシトイレ", "若王子", "502",
               "34.872880", "138.270150", (2, 0, 1), (0, 2)),
        toilet(5, "岡部宿公園トイレ", "オカベシュクコウエントイレ", "岡部町岡部", "817",
               "34.919460", "138.285510", (1, 0, 1), (0, 1)),
        toilet(6, "玉露の里トイレ", "ギョクロノサトトイレ", "岡部町新舟", "1214-5",
               "34.947830", "138.273490", (2, 0, 1), (0, 2)),
    ]  # fmt: skip
    rows[1]["男性トイレ総数"] = "6"  # row 3: 3 + 0 + 2 is 5
    rows[3]["名称"] += "\u3000"  # row 5: a full-width space after the name
    rows[4]["名称_カナ"] = rows[5]["名称_カナ"]  # row 6: the kana of the row below
    rows.append(dict(rows[2]))  # row 8: row 4 pasted again
    write("fujieda_public_toilet", "public_toilet", rows, {
        "quirk": "公衆トイレ一覧: 総数が内訳の和と合わない、名称の後ろに全角空白、下の行のカナ、"
                 "同じ行の貼り付け / toilets: a total off, a trailing space, the next row's kana, "
                 "a row pasted twice",
        "publisher": "222143",
        "validate": {"findings": ["total-mismatch", "surrounding-space", "kana-mismatch",
                                  "duplicate-row"],
                     "absent": ["coordinates-far"]},
        "defects": [defect("total-mismatch", 3, "男性トイレ総数"),
                    defect("surrounding-space", 5, "名称"),
                    defect("kana-mismatch", 6, "名称_カナ"),
                    defect("duplicate-row", 8)],
    })  # fmt: skip


# --- 大垣市 地域・年齢別人口: totals that do not add up, a year-only 調査年月日, a row twice ----

AGES = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
        "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84"]  # fmt: skip
AGE_FIELDS = [f"{a}歳の" for a in AGES] + ["85歳以上の"]
# Share of each age group in a 大垣市 neighbourhood (per mille, adding up to 1000).
SHARES = [38, 41, 44, 47, 45, 46, 52, 58, 66, 74, 66, 60, 58, 64, 72, 60, 46, 63]


def population(area_code: str, area: str, men: int, women: int, households: int) -> Row:
    row = {
        "全国地方公共団体コード": "212024", "地域コード": area_code, "地方公共団体名": "岐阜県大垣市",
        "調査年月日": "2023-04-01", "地域名": area, "総人口": str(men + women),
        "男性": str(men), "女性": str(women), "世帯数": str(households),
    }  # fmt: skip
    for sex, total in (("男性", men), ("女性", women)):
        counts = [total * s // 1000 for s in SHARES]
        counts[-1] += total - sum(counts)  # the rounding goes to 85歳以上
        row |= {f"{prefix}{sex}": str(n) for prefix, n in zip(AGE_FIELDS, counts, strict=True)}
    return row


def ogaki_population() -> None:
    rows = [
        population("212024001", "郭町", 412, 455, 401),
        population("212024002", "丸の内", 356, 389, 332),
        population("212024003", "高屋町", 1204, 1288, 1010),
        population("212024004", "林町", 2311, 2402, 1877),
        population("212024005", "三塚町", 1880, 1932, 1502),
        population("212024006", "久瀬川町", 1566, 1649, 1340),
    ]
    rows[1]["総人口"] = "754"  # row 3: 356 + 389 is 745 (two digits swapped)
    rows[3]["40-44歳の男性"] = str(
        int(rows[3]["40-44歳の男性"]) + 100
    )  # row 5: 男性 short of its ages
    rows[4]["調査年月日"] = "令和5年"  # row 6: a year alone
    rows.append(dict(rows[2]))  # row 8: row 4 again
    write("ogaki_population", "population_by_area_age", rows, {
        "quirk": "地域・年齢別人口: 総人口が男女の和と合わない、年齢別の和が男性と合わない、調査年月日が「令和5年」、"
                 "同じ地域の行が二度 / population: totals off, a year-only date, a row twice",
        "publisher": "212024",
        "validate": {"findings": ["total-mismatch", "date-year-only", "duplicate-row"],
                     "absent": ["excel-serial-date", "wareki-date"]},
        "defects": [defect("total-mismatch", 3, "総人口"),
                    defect("total-mismatch", 5, "男性"),
                    defect("date-year-only", 6, "調査年月日"),
                    defect("duplicate-row", 8)],
    })  # fmt: skip


# --- 船橋市 子育て施設: ages and days as words, a 年度 as the date, a kana cut short -----------


def preschool(i: int, name: str, kana: str, kind: str, town: str, number: str, lat: str,
              lng: str, ages: str, days: str, since: str, capacity: str) -> Row:  # fmt: skip
    return {
        "全国地方公共団体コード": "122041", "ID": f"{i:05d}", "地方公共団体名": "千葉県船橋市",
        "名称": name, "名称_カナ": kana, "種別": kind,
        **place("122041", "千葉県", "船橋市", town, number),
        "緯度": lat, "経度": lng, "電話番号": f"047-4{i:02d}-{1200 + i}",
        "認可等年月日": since, "収容定員": capacity, "受入年齢": ages, "利用可能曜日": days,
        "開始時間": "07:00", "終了時間": "19:00", "一時預かりの有無": "無", "病児保育の有無": "無",
    }  # fmt: skip


def funabashi_preschools() -> None:
    # 種別 is an enumeration: the first value the schema allows (a nursery school)
    schema = json.loads((ROOT / "datasets" / "preschool" / "schema.json").read_text("utf-8"))
    kind = next(f for f in schema["fields"] if f["name"] == "種別")
    nursery = kind.get("constraints", {}).get("enum", ["保育所"])[0]
    rows = [
        preschool(1, "船橋市立夏見保育園", "フナバシシリツナツミホイクエン", nursery, "夏見二丁目",
                  "12-1", "35.709410", "139.992530", "0歳～5歳", "月火水木金土", "1975-04-01", "120"),
        preschool(2, "船橋市立宮本保育園", "フナバシシリツミヤモトホイクエン", nursery, "宮本五丁目",
                  "4-10", "35.700870", "139.993100", "0歳～5歳", "月火水木金土", "1972-04-01", "90"),
        preschool(3, "船橋市立高根台保育園", "フナバシシリツタカネダイホイクエン", nursery, "高根台二丁目",
                  "11-1", "35.724460", "140.022310", "0歳～5歳", "月火水木金土", "1962-04-01", "100"),
        preschool(4, "船橋市立薬円台保育園", "フナバシシリツヤクエンダイホイクエン", nursery, "薬円台四丁目",
                  "25-1", "35.720910", "140.049370", "1歳～5歳", "月火水木金土", "1980-04-01", "80"),
        preschool(5, "船橋市立前原保育園", "フナバシシリツマエハラホイクエン", nursery, "前原西六丁目",
                  "1-1", "35.712460", "140.023780", "0歳～5歳", "月火水木金土", "1976-04-01", "110"),
        preschool(6, "船橋市立習志野台保育園", "フナバシシリツナラシノダイホイクエン", nursery, "習志野台二丁目",
                  "1-2", "35.733340", "140.051080", "0歳～5歳", "月火水木金土", "1982-04-01", "90"),
    ]  # fmt: skip
    rows[1]["受入年齢"] = "未就学児"  # row 3
    rows[2]["利用可能曜日"] = "平日"  # row 4
    rows[3]["利用可能曜日"] = "土日祝を除く"  # row 5
    rows[4]["認可等年月日"] = "平成30年度"  # row 6
    rows[5]["名称_カナ"] = "フナバシ"  # row 7: only the first word
    write("funabashi_preschool", "preschool", rows, {
        "quirk": "子育て施設一覧: 受入年齢「未就学児」、利用可能曜日「平日」「土日祝を除く」、認可等年月日「平成30年度」、"
                 "途中で切れたカナ / preschools: ages and days as words, a fiscal year as a date, a kana cut short",
        "publisher": "122041",
        "validate": {"findings": ["age-free-text", "weekday-free-text", "date-year-only", "kana-mismatch"],
                     "absent": ["excel-serial-date"]},
        "defects": [defect("age-free-text", 3, "受入年齢"),
                    defect("weekday-free-text", 4, "利用可能曜日"),
                    defect("weekday-free-text", 5, "利用可能曜日"),
                    defect("date-year-only", 6, "認可等年月日"),
                    defect("kana-mismatch", 7, "名称_カナ")],
    })  # fmt: skip


# --- 久留米市 AED: 大阪市役所's coordinates pasted in, a point in 北九州市, 24時間 as days -------


def aed(i: int, name: str, kana: str, town: str, number: str, lat: str, lng: str,
        where: str, days: str) -> Row:  # fmt: skip
    return {
        "全国地方公共団体コード": "402036", "ID": f"{i:04d}", "地方公共団体名": "福岡県久留米市",
        "名称": name, "名称_カナ": kana, **place("402036", "福岡県", "久留米市", town, number),
        "緯度": lat, "経度": lng, "設置位置": where, "利用可能曜日": days,
        "開始時間": "08:30", "終了時間": "17:15", "小児対応設備の有無": "有",
    }  # fmt: skip


def kurume_aeds() -> None:
    rows = [
        aed(1, "久留米市役所", "クルメシヤクショ", "城南町", "15-3", "33.319444", "130.508333",
            "1階総合案内横", "月火水木金"),
        aed(2, "久留米市総合体育館", "クルメシソウゴウタイイクカン", "東合川五丁目", "8-5",
            "33.324740", "130.545260", "1階事務室前", "月火水木金土日"),
        aed(3, "石橋文化センター", "イシバシブンカセンター", "野中町", "1015", "33.311610",
            "130.535800", "本館受付", "火水木金土日"),
        aed(4, "田主丸複合施設", "タヌシマルフクゴウシセツ", "田主丸町田主丸", "457-1",
            "33.347470", "130.688520", "1階ロビー", "月火水木金"),
        aed(5, "城島総合支所", "ジョウジマソウゴウシショ", "城島町楢津", "1-1", "33.240470",
            "130.462600", "1階市民課前", "月火水木金"),
    ]  # fmt: skip
    rows[1]["緯度"], rows[1]["経度"] = "34.693889", "135.502222"  # row 3: 大阪市役所
    rows[2]["利用可能曜日"] = "24時間"  # row 4
    rows[3]["緯度"], rows[3]["経度"] = "33.883333", "130.875278"  # row 5: 北九州市, in 福岡県
    rows[4]["設置位置"] = "1階市民課前 "  # row 6: a space after the text
    write("kurume_aed", "aed", rows, {
        "quirk": "AED設置箇所一覧: 大阪市役所の座標の貼り付け、北九州市の座標、利用可能曜日「24時間」、末尾の空白 / "
                 "AEDs: another prefecture's coordinates, a far point in the prefecture, hours as days, a trailing space",
        "publisher": "402036",
        "validate": {"findings": ["coordinates-far", "weekday-free-text", "surrounding-space"]},
        "defects": [defect("coordinates-far", 3, "緯度"),
                    defect("weekday-free-text", 4, "利用可能曜日"),
                    defect("coordinates-far", 5, "緯度"),
                    defect("surrounding-space", 6, "設置位置")],
    })  # fmt: skip


# --- 長岡市 イベント: years alone as dates, the kana of the row above, a row twice -------------


def event(i: int, name: str, kana: str, start: str, end: str, venue: str, town: str,
          number: str, lat: str, lng: str) -> Row:  # fmt: skip
    return {
        "全国地方公共団体コード": "152021", "ID": f"{i:05d}", "地方公共団体名": "新潟県長岡市",
        "イベント名": name, "イベント名_カナ": kana, "開始日": start, "終了日": end,
        "開始時間": "10:00", "終了時間": "16:00", "場所名称": venue,
        **place("152021", "新潟県", "長岡市", town, number), "緯度": lat, "経度": lng,
        "連絡先名称": "長岡市観光事業課", "連絡先電話番号": "0258-39-2221",
    }  # fmt: skip


def nagaoka_events() -> None:
    rows = [
        event(1, "長岡まつり大花火大会", "ナガオカマツリオオハナビタイカイ", "2024-08-02", "2024-08-03",
              "信濃川河川敷", "長生橋", "", "37.446420", "138.834920"),
        event(2, "米百俵まつり", "コメヒャッピョウマツリ", "2024-09-21", "2024-09-22",
              "アオーレ長岡", "大手通一丁目", "4-10", "37.447710", "138.851610"),
        event(3, "ながおか雪しか祭り", "ナガオカユキシカマツリ", "2024-02-10", "2024-02-11",
              "国営越後丘陵公園", "宮本東方町", "字三ツ又1950-1", "37.378430", "138.835370"),
        event(4, "悠久山桜まつり", "ユウキュウザンサクラマツリ", "2024-04-06", "2024-04-21",
              "悠久山公園", "御山町", "80-2", "37.448290", "138.885650"),
        event(5, "長岡市民マラソン", "ナガオカシミンマラソン", "2024-10-13", "2024-10-13",
              "長岡市営陸上競技場", "新保町", "1402", "37.467950", "138.878300"),
        event(6, "寺泊海鮮まつり", "テラドマリカイセンマツリ", "2024-06-29", "2024-06-30",
              "寺泊魚の市場通り", "寺泊下荒町", "9353-158", "37.639860", "138.763940"),
    ]  # fmt: skip
    rows[1]["開始日"] = "R6"  # row 3
    rows[2]["開始日"], rows[2]["終了日"] = "2024", "令和6年度"  # row 4: years alone
    rows[4]["イベント名_カナ"] = rows[3]["イベント名_カナ"]  # row 6: the kana of row 5
    rows.append(dict(rows[5]))  # row 8: row 7 again
    write("nagaoka_event", "event", rows, {
        "quirk": "イベント一覧: 開始日「R6」「2024」、終了日「令和6年度」、上の行のカナ、同じ行が二度 / "
                 "events: years alone as dates, the row above's kana, a row twice",
        "publisher": "152021",
        "validate": {"findings": ["date-year-only", "kana-mismatch", "duplicate-row"],
                     "absent": ["excel-serial-date", "date-order"]},
        "defects": [defect("date-year-only", 3, "開始日"),
                    defect("date-year-only", 4, "開始日"),
                    defect("date-year-only", 4, "終了日"),
                    defect("kana-mismatch", 6, "イベント名_カナ"),
                    defect("duplicate-row", 8)],
    })  # fmt: skip


# --- 奈良市 介護サービス: days as words, a point in 京都市, a full-width space, a stray kana -------


def care(i: int, name: str, kana: str, service: str, town: str, number: str, lat: str,
         lng: str, corp: str, days: str) -> Row:  # fmt: skip
    return {
        "全国地方公共団体コード": "292010", "ID": f"{i:05d}", "地方公共団体名": "奈良県奈良市",
        "介護サービス事業所名称": name, "介護サービス事業所名称_カナ": kana, "実施サービス": service,
        **place("292010", "奈良県", "奈良市", town, number), "緯度": lat, "経度": lng,
        "法人の名称": corp, "利用可能曜日": days, "定員": "30",
    }  # fmt: skip


def nara_care() -> None:
    rows = [
        care(1, "デイサービスセンター若草", "デイサービスセンターワカクサ", "通所介護", "雑司町", "120",
             "34.689120", "135.843310", "社会福祉法人若草会", "月火水木金土"),
        care(2, "あやめ池ケアセンター", "アヤメイケケアセンター", "通所介護", "あやめ池南一丁目", "5-3",
             "34.688500", "135.759290", "社会福祉法人菖蒲会", "月火水木金"),
        care(3, "西大寺デイサービス", "サイダイジデイサービス", "通所介護", "西大寺東町二丁目", "1-63",
             "34.694050", "135.784360", "医療法人西大寺会", "月火水木金土"),
        care(4, "学園前ヘルパーステーション", "ガクエンマエヘルパーステーション", "訪問介護", "学園北一丁目",
             "9-1", "34.703220", "135.745560", "株式会社ならケア", "月火水木金土日"),
        care(5, "富雄南ショートステイ", "トミオミナミショートステイ", "短期入所生活介護", "富雄元町二丁目",
             "6-37", "34.681110", "135.734950", "社会福祉法人富雄会", "月火水木金土日"),
    ]  # fmt: skip
    rows[0]["利用可能曜日"] = "平日・土曜"  # row 2
    rows[1]["緯度"], rows[1]["経度"] = "35.011564", "135.768149"  # row 3: 京都市役所 pasted in
    rows[2]["法人の名称"] = "医療法人西大寺会\u3000"  # row 4: a full-width space after it
    rows[3]["介護サービス事業所名称_カナ"] = "コウリツシンリョウジョ"  # row 5: not this facility's
    rows.append(dict(rows[4]))  # row 7: row 6 again
    write("nara_care_service", "care_service", rows, {
        "quirk": "介護サービス事業所一覧: 利用可能曜日「平日・土曜」、京都市役所の座標、法人名の後ろの全角空白、"
                 "別の事業所のカナ、同じ行が二度 / care services: days as words, another prefecture's point, "
                 "a trailing space, a stray kana, a row twice",
        "publisher": "292010",
        "validate": {"findings": ["weekday-free-text", "coordinates-far", "surrounding-space",
                                  "kana-mismatch", "duplicate-row"]},
        "defects": [defect("weekday-free-text", 2, "利用可能曜日"),
                    defect("coordinates-far", 3, "緯度"),
                    defect("surrounding-space", 4, "法人の名称"),
                    defect("kana-mismatch", 5, "介護サービス事業所名称_カナ"),
                    defect("duplicate-row", 7)],
    })  # fmt: skip


# --- 函館市 観光施設: 年中無休 as days, 青森市's coordinates, a kana far longer than the name -----


def sight(i: int, name: str, kana: str, town: str, number: str, lat: str, lng: str,
          days: str, text: str) -> Row:  # fmt: skip
    return {
        "全国地方公共団体コード": "012025", "ID": f"{i:04d}", "地方公共団体名": "北海道函館市",
        "名称": name, "名称_カナ": kana, **place("012025", "北海道", "函館市", town, number),
        "緯度": lat, "経度": lng, "利用可能曜日": days, "開始時間": "09:00", "終了時間": "18:00",
        "説明": text,
    }  # fmt: skip


def hakodate_sights() -> None:
    rows = [
        sight(1, "五稜郭公園", "ゴリョウカクコウエン", "五稜郭町", "44", "41.797010", "140.756940",
              "月火水木金土日", "星形の西洋式城郭跡。春は桜の名所"),
        sight(2, "函館山", "ハコダテヤマ", "函館山", "", "41.759250", "140.704250",
              "月火水木金土日", "標高334mの山頂から市街を望む"),
        sight(3, "金森赤レンガ倉庫", "カネモリアカレンガソウコ", "末広町", "14-12", "41.766790",
              "140.717230", "月火水木金土日", "明治期の倉庫群を活かした商業施設"),
        sight(4, "函館朝市", "ハコダテアサイチ", "若松町", "9-19", "41.772850", "140.725380",
              "月火水木金土日", "函館駅前の市場。海産物の店が並ぶ"),
        sight(5, "トラピスチヌ修道院", "トラピスチヌシュウドウイン", "上湯川町", "346", "41.781420",
              "140.816660", "月火水木金土日", "日本初の女子修道院"),
    ]  # fmt: skip
    rows[0]["利用可能曜日"] = "年中無休"  # row 2
    rows[1]["名称_カナ"] = "ハコダテヤマロープウェイサンチョウテンボウダイ"  # row 3: the ropeway's
    rows[2]["緯度"], rows[2]["経度"] = "40.824444", "140.740000"  # row 4: 青森市, over the strait
    rows[3]["説明"] += " "  # row 5: a space after the text
    write("hakodate_tourism", "tourism", rows, {
        "quirk": "観光施設一覧: 利用可能曜日「年中無休」、名称より大幅に長いカナ、青森市の座標、説明の末尾の空白 / "
                 "sights: days as a phrase, a kana far longer than the name, a point over the strait, a trailing space",
        "publisher": "012025",
        "validate": {"findings": ["weekday-free-text", "kana-mismatch", "coordinates-far",
                                  "surrounding-space"]},
        "defects": [defect("weekday-free-text", 2, "利用可能曜日"),
                    defect("kana-mismatch", 3, "名称_カナ"),
                    defect("coordinates-far", 4, "緯度"),
                    defect("surrounding-space", 5, "説明")],
    })  # fmt: skip


if __name__ == "__main__":
    fujieda_toilets()
    ogaki_population()
    funabashi_preschools()
    kurume_aeds()
    nagaoka_events()
    nara_care()
    hakodate_sights()
