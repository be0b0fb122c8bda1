"""Parity corpus: small CSVs with planted errors and what frictionless 5.21 reports on them.

    .venv/bin/python tests/data/parity/make_corpus.py           # (re)write the corpus
    .venv/bin/python tests/data/parity/make_corpus.py --check   # verify it, exit 1 on drift

For three standard datasets (the real schemas under datasets/):

    population_by_area_age   地域・年齢別人口   46 fields: string (pattern), date, integer (minimum 0)
    public_toilet            公衆トイレ一覧     39 fields: patterns, enums, unique ID, required,
                                               integer counts, number lat/lon (min/max), uri
    evacuation_space         指定緊急避難場所   39 fields: 1/blank flags with field-level
                                               "missingValues": [], required, email, uri

the generator writes, deterministically (seeded, no clock), about 30 data rows of
realistic 摂津市 (272248) data per file:

    clean.csv             no error
    type-error.csv        a type error for every non-string field type of the schema, and
                          for string formats (uri, email)
    constraint-error.csv  required blanks, pattern / enum / minimum / maximum violations
    unique-error.csv      duplicated unique IDs (toilet, evacuation)
    blank-row.csv         empty lines (middle, end) and rows of empty cells
    missing-cell.csv      short rows
    extra-cell.csv        long rows
    blank-label.csv       a blank header cell
    duplicate-label.csv   a header cell repeating an earlier one
    incorrect-label.csv   a renamed header cell (same position)
    missing-label.csv     the LAST column dropped (header and data)
    extra-label.csv       a column added at the END (header and data)
    source-error.csv      an empty file
    quirks.csv            values frictionless accepts although a stricter reading would not
                          (full-width digits in integers, "09:00xyz" for an hh:mm pattern,
                          a trailing line break under a pattern, ...) plus errors that pin
                          the row counting (quoted line breaks, blank lines, CRLF)
    everything.csv        many of the above together
    title-line.csv        a title line above the header (frictionless skips it silently)
    header-row-detection.csv   (population) blank lines + a short row: frictionless takes
                          a data row for the header, see "frictionlessHeuristic"
    sniffed-semicolon.csv (evacuation) frictionless sniffs ';' as the delimiter

and beside each CSV `<name>.frictionless.json`: the sorted list of
[rowNumber, fieldName, type] that `frictionless.validate` reports for the file with
its schema (limit_errors 1,000,000). It is a multiset: a cell can yield the same
triple twice (e.g. NaN under minimum and maximum). rowNumber is null for header
(label) errors and source errors; fieldName is null for row-level errors
(blank-row) and "" where frictionless itself says "" (extra-cell, extra-label).

`manifest.json` maps every CSV (path relative to this folder) to its schema (path
relative to the repo root), the error types planted, the count frictionless
reports, and the planted cells [rowNumber, fieldName, type, why]. The generator
asserts that the planted cells and what frictionless reports are the same
multiset, so the plants double as an explanation of every expected error, and for
quirks.csv the manifest lists the odd values frictionless accepts. The exceptions
are the files marked "frictionlessHeuristic" (header-row detection, delimiter
sniffing): there frictionless reads the file differently from any plain CSV reader,
its report is recorded as is and the plants are listed as "intended".

--check regenerates every file in memory, compares it byte for byte with the
committed one, re-runs frictionless on the committed CSVs and compares with the
committed .frictionless.json files and the manifest.
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SEED = 20260402
ROWS = 30
LIMIT_ERRORS = 1_000_000

Triple = tuple[Any, Any, str]


# ---------------------------------------------------------------------------
# Schema access


@dataclass
class SchemaInfo:
    path: str  # relative to the repo root
    fields: list[dict[str, Any]]

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def required(self, name: str) -> bool:
        return bool(self.by_name(name).get("constraints", {}).get("required"))

    def by_name(self, name: str) -> dict[str, Any]:
        return next(f for f in self.fields if f["name"] == name)


def load_schema(dataset: str) -> SchemaInfo:
    path = f"datasets/{dataset}/schema.json"
    descriptor = json.loads((REPO / path).read_text(encoding="utf-8"))
    return SchemaInfo(path=path, fields=descriptor["fields"])


# ---------------------------------------------------------------------------
# A table being built, with its planted errors


@dataclass
class Plant:
    record: list[str] | None  # the data record (by identity) or None for header errors
    field_name: str | None
    type: str
    why: str


@dataclass
class Draft:
    """Header + records; plants keep a reference to their record so that rows
    inserted later (blank lines) shift the row numbers automatically."""

    schema: SchemaInfo
    header: list[str]
    records: list[list[str]]
    terminator: str = "\n"
    plants: list[Plant] = field(default_factory=list)
    accepted: list[tuple[list[str], str, str, str]] = field(default_factory=list)
    empty_file: bool = False
    preamble: list[list[str]] = field(default_factory=list)  # records above the header
    # set for files where frictionless' own heuristics (header-row detection, delimiter
    # sniffing) take over: the expectations are then what frictionless reports, not
    # the plants, and `free` says why
    free: str = ""

    # names frictionless gives to the columns: schema names by position, then the
    # labels of extra columns (deduplicated with a 2, 3, ... suffix)
    def column_names(self) -> list[str]:
        names = list(self.schema.names[: len(self.header)])
        for label in self.header[len(names) :]:
            name, suffix = label, 2
            while name in names:
                name, suffix = f"{label}{suffix}", suffix + 1
            names.append(name)
        return names

    def pos(self, name: str) -> int:
        return self.schema.names.index(name)

    def row_number(self, record: list[str]) -> int:
        for index, candidate in enumerate(self.records):
            if candidate is record:
                return index + 2 + len(self.preamble)
        raise LookupError("record not in table")

    # cells ------------------------------------------------------------------

    def cell(self, i: int, name: str, value: str, types: list[str] | str, why: str) -> None:
        """Set a cell; `types` are the errors frictionless is expected to report for it."""
        record = self.records[i]
        record[self.pos(name)] = value
        for type_ in [types] if isinstance(types, str) else types:
            self.plants.append(Plant(record, name, type_, why))

    def accept(self, i: int, name: str, value: str, why: str) -> None:
        """Set a cell to an odd value that frictionless accepts (no error expected)."""
        record = self.records[i]
        record[self.pos(name)] = value
        self.accepted.append((record, name, value, why))

    def get(self, i: int, name: str) -> str:
        return self.records[i][self.pos(name)]

    # rows -------------------------------------------------------------------

    def insert_blank_line(self, at: int, why: str) -> list[str]:
        record: list[str] = []
        self.records.insert(at, record)
        self.plants.append(Plant(record, None, "blank-row", why))
        return record

    def insert_empty_cells(self, at: int, why: str) -> list[str]:
        """A row of empty cells (",,,,"): blank-row when every field reads "" as missing."""
        record = [""] * len(self.header)
        self.records.insert(at, record)
        nullable = [f for f in self.schema.fields if "" in f.get("missingValues", [""])]
        if len(nullable) == len(self.schema.fields):
            self.plants.append(Plant(record, None, "blank-row", why))
        else:  # "" is a value for some fields: not blank, but every required blank reported
            for f in nullable:
                if self.schema.required(f["name"]):
                    self.plants.append(Plant(record, f["name"], "constraint-error", why))
        return record

    def truncate(self, i: int, keep: int, why: str) -> None:
        """Keep the first `keep` cells: missing-cell for every dropped position, and a
        required constraint-error first for every dropped required field."""
        record = self.records[i]
        names = self.column_names()
        for name in names[keep:]:
            if name in self.schema.names and self.schema.required(name):
                self.plants.append(Plant(record, name, "constraint-error", why + " (required)"))
            self.plants.append(Plant(record, name, "missing-cell", why))
        del record[keep:]

    def extend(self, i: int, values: list[str], why: str) -> None:
        record = self.records[i]
        record.extend(values)
        for _ in values:
            self.plants.append(Plant(record, "", "extra-cell", why))

    # header -----------------------------------------------------------------

    def rename_label(self, name: str, label: str) -> None:
        self.header[self.pos(name)] = label
        self.plants.append(Plant(None, name, "incorrect-label", f"label {label!r} for {name}"))

    def blank_label(self, name: str) -> None:
        self.header[self.pos(name)] = ""
        self.plants.append(Plant(None, name, "blank-label", f"blank label for {name}"))

    def duplicate_label(self, name: str, copy_of: str) -> None:
        self.header[self.pos(name)] = copy_of
        why = f"label {copy_of!r} repeated in place of {name}"
        self.plants.append(Plant(None, name, "duplicate-label", why))

    def drop_last_column(self) -> None:
        name = self.header.pop()
        for record in self.records:
            if record:
                record.pop()
        why = f"last column {name} dropped (header and data)"
        self.plants.append(Plant(None, name, "missing-label", why))

    def add_column(self, label: str, values: list[str]) -> None:
        self.header.append(label)
        for record, value in zip(self.records, values, strict=False):
            if record:
                record.append(value)
        self.plants.append(Plant(None, "", "extra-label", f"extra column {label!r} at the end"))

    # output -----------------------------------------------------------------

    def to_bytes(self) -> bytes:
        if self.empty_file:
            return b""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator=self.terminator)
        writer.writerows(self.preamble)
        writer.writerow(self.header)
        writer.writerows(self.records)
        return buffer.getvalue().encode("utf-8")

    def planted_triples(self) -> list[list[Any]]:
        out = []
        for plant in self.plants:
            row = None if plant.record is None else self.row_number(plant.record)
            out.append([row, plant.field_name, plant.type, plant.why])
        return sorted(out, key=lambda p: sort_key(p[:3]))

    def accepted_cells(self) -> list[list[Any]]:
        return [[self.row_number(r), name, value, why] for r, name, value, why in self.accepted]


def sort_key(triple: list[Any] | Triple) -> tuple[Any, ...]:
    row, name, type_ = triple
    return (row is not None, row or 0, name is not None, name or "", type_)


# ---------------------------------------------------------------------------
# Realistic base data (摂津市, 272248)

LGCODE = "272248"
LGNAME = "大阪府摂津市"
FW = str.maketrans("0123456789", "０１２３４５６７８９")

TOWNS = [  # 町字, カナ, romaji
    ("千里丘", "センリオカ", "Senrioka"),
    ("正雀", "ショウジャク", "Shojaku"),
    ("三島", "ミシマ", "Mishima"),
    ("鳥飼上", "トリカイカミ", "Torikaikami"),
    ("鳥飼中", "トリカイナカ", "Torikainaka"),
    ("鳥飼下", "トリカイシモ", "Torikaishimo"),
    ("別府", "ベフ", "Befu"),
    ("一津屋", "ヒトツヤ", "Hitotsuya"),
    ("香露園", "コウロエン", "Kouroen"),
    ("学園町", "ガクエンチョウ", "Gakuencho"),
    ("庄屋", "ショウヤ", "Shoya"),
    ("昭和園", "ショウワエン", "Showaen"),
    ("新在家", "シンザイケ", "Shinzaike"),
    ("鶴野", "ツルノ", "Tsuruno"),
    ("坪井", "ツボイ", "Tsuboi"),
]

AGE_BANDS = [f"{a}-{a + 4}歳" for a in range(0, 85, 5)] + ["85歳以上"]
AGE_WEIGHTS = [38, 40, 42, 45, 50, 52, 55, 60, 68, 75, 70, 62, 58, 62, 66, 52, 40, 45]


def split_int(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to `weights` that sum to `total` (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda k: raw[k] - out[k], reverse=True)
    for k in order[: total - sum(out)]:
        out[k] += 1
    return out


def population_rows(schema: SchemaInfo, rng: random.Random) -> list[list[str]]:
    rows = []
    areas = [(t, c) for t, _, _ in TOWNS for c in (1, 2)]
    for n, (town, chome) in enumerate(areas[:ROWS], start=1):
        total = rng.randint(300, 4000)
        male = int(total * rng.uniform(0.46, 0.51))
        female = total - male
        noisy = [w * rng.uniform(0.8, 1.2) for w in AGE_WEIGHTS]
        males = split_int(male, noisy)
        females = split_int(female, [w * rng.uniform(0.9, 1.1) for w in noisy])
        values = {
            "全国地方公共団体コード": LGCODE,
            "地域コード": f"{LGCODE}{n:03d}{chome:03d}",
            "地方公共団体名": LGNAME,
            "調査年月日": "2026-04-01",
            "地域名": f"{town}{str(chome).translate(FW)}丁目",
            "総人口": str(total),
            "男性": str(male),
            "女性": str(female),
            "世帯数": str(int(total / rng.uniform(2.0, 2.6))),
            "備考": "",
        }
        for band, m, f in zip(AGE_BANDS, males, females, strict=True):
            values[f"{band}の男性"] = str(m)
            values[f"{band}の女性"] = str(f)
        rows.append([values[name] for name in schema.names])
    rows[4][schema.names.index("備考")] = "住居表示未実施"
    rows[6][schema.names.index("備考")] = "2026年4月1日現在\n外国人住民を含む"  # quoted line break
    rows[9][schema.names.index("備考")] = "一部地域, 再編予定"
    return rows


PLACES = [  # 名称, カナ, English, 町字, 番地以下, 緯度, 経度, 設置位置
    ("摂津市役所", "セッツシヤクショ", "Settsu City Hall", "三島１丁目", "1-1",
     34.777230, 135.562197, "本館1階東側"),
    ("千里丘駅前広場", "センリオカエキマエヒロバ", "Senrioka Station Plaza", "千里丘東１丁目",
     "1", 34.786080, 135.540120, "駅前広場北側"),
    ("摂津市駅前公園", "セッツシエキマエコウエン", "Settsu-shi Station Park", "千里丘東４丁目",
     "2", 34.777010, 135.555030, "公園東側"),
    ("正雀駅前", "ショウジャクエキマエ", "Shojaku Station", "正雀本町１丁目", "3",
     34.776710, 135.542510, "改札外南側"),
    ("鳥飼八防公園", "トリカイハチボウコウエン", "Torikai-Hachibo Park", "鳥飼八防１丁目", "5",
     34.768310, 135.586140, "公園入口横"),
    ("淀川河川公園鳥飼地区", "ヨドガワカセンコウエントリカイチク",
     "Yodogawa Riverside Park Torikai", "鳥飼上５丁目", "10", 34.791220, 135.601050,
     "駐車場西側"),
    ("摂津市民文化ホール", "セッツシミンブンカホール", "Settsu Civic Cultural Hall", "香露園",
     "32-1", 34.775830, 135.558920, "1階ロビー奥"),
    ("安威川公園", "アイガワコウエン", "Aigawa Park", "安威川南町", "4", 34.784510,
     135.569530, "遊具広場横"),
    ("南千里丘公園", "ミナミセンリオカコウエン", "Minami-Senrioka Park", "南千里丘", "5",
     34.777920, 135.549710, "公園中央"),
    ("三島スポーツ広場", "ミシマスポーツヒロバ", "Mishima Sports Field", "三島３丁目", "6",
     34.779010, 135.566020, "管理棟横"),
    ("味舌体育館", "マシタタイイクカン", "Mashita Gymnasium", "三島２丁目", "5-1",
     34.781040, 135.564030, "1階玄関横"),
    ("鳥飼野々公園", "トリカイノノコウエン", "Torikai-Nono Park", "鳥飼野々２丁目", "3",
     34.772050, 135.595010, "公園北側"),
    ("一津屋公園", "ヒトツヤコウエン", "Hitotsuya Park", "一津屋２丁目", "14",
     34.759020, 135.570040, "公園南側"),
    ("別府コミュニティセンター", "ベフコミュニティセンター", "Befu Community Center",
     "南別府町", "15-1", 34.765030, 135.563010, "1階ホール横"),
    ("新幹線公園", "シンカンセンコウエン", "Shinkansen Park", "鳥飼上５丁目", "2",
     34.796010, 135.606720, "車両展示横"),
]  # fmt: skip


def toilet_rows(schema: SchemaInfo, rng: random.Random) -> list[list[str]]:
    rows = []
    n = 0
    for name, kana, english, town, block, lat, lon, spot in PLACES:
        for side, side_kana, side_en in (("", "", ""), ("（北）", "（キタ）", " (North)")):
            n += 1
            urinal, jp, west = rng.randint(0, 4), rng.randint(0, 2), rng.randint(1, 4)
            fjp, fwest = rng.randint(0, 2), rng.randint(1, 5)
            ujp, uwest = rng.randint(0, 1), rng.randint(0, 2)
            floor = rng.choice(["", "1", "2"])
            building = f"{name}{floor}階" if floor else ""
            values = {
                "全国地方公共団体コード": LGCODE,
                "ID": f"PT{n:04d}",
                "地方公共団体名": LGNAME,
                "名称": name + side,
                "名称_カナ": kana + side_kana,
                "名称_英語": english + side_en,
                "所在地_全国地方公共団体コード": LGCODE,
                "町字ID": f"{n:04d}{rng.randint(1, 9):03d}",
                "所在地_連結表記": f"大阪府摂津市{town}{block}{building}",
                "所在地_都道府県": "大阪府",
                "所在地_市区町村": "摂津市",
                "所在地_町字": town,
                "所在地_番地以下": block,
                "建物名等(方書)": building,
                "設置位置": spot if not side else f"{spot}（北側）",
                "緯度": f"{lat + rng.uniform(-3e-4, 3e-4):.6f}",
                "経度": f"{lon + rng.uniform(-3e-4, 3e-4):.6f}",
                "高度の種別": "階数" if floor else "",
                "高度の値": floor,
                "男性トイレ総数": str(urinal + jp + west),
                "男性トイレ数（小便器）": str(urinal),
                "男性トイレ数（和式）": str(jp),
                "男性トイレ数（洋式）": str(west),
                "女性トイレ総数": str(fjp + fwest),
                "女性トイレ数（和式）": str(fjp),
                "女性トイレ数（洋式）": str(fwest),
                "男女共用トイレ総数": str(ujp + uwest),
                "男女共用トイレ数（和式）": str(ujp),
                "男女共用トイレ数（洋式）": str(uwest),
                "バリアフリートイレ数": str(rng.randint(0, 2)),
                "車椅子使用者用トイレ有無": rng.choice(["有", "無"]),
                "乳幼児用設備設置トイレ有無": rng.choice(["有", "無"]),
                "オストメイト設置トイレ有無": rng.choice(["有", "無"]),
                "利用開始時間": rng.choice(["00:00", "08:30", "09:00"]),
                "利用終了時間": rng.choice(["24:00", "17:15", "21:00"]),
                "利用可能時間特記事項": rng.choice(["", "年末年始（12/29～1/3）は利用不可"]),
                "画像": f"https://www.city.settsu.osaka.jp/material/images/toilet/pt{n:04d}.jpg",
                "画像_ライセンス": "CC BY 4.0",
                "備考": "",
            }
            rows.append([values[name_] for name_ in schema.names])
    rows[3][schema.names.index("備考")] = "改修工事のため\n2026年6月まで閉鎖"
    return rows[:ROWS]


HAZARDS = [
    "災害種別_洪水",
    "災害種別_崖崩れ、土石流及び地滑り",
    "災害種別_高潮",
    "災害種別_地震",
    "災害種別_津波",
    "災害種別_大規模な火事",
    "災害種別_内水氾濫",
    "災害種別_火山現象",
    "指定避難所との重複",
]


def evacuation_rows(schema: SchemaInfo, rng: random.Random) -> list[list[str]]:
    rows = []
    sites = []
    for town, kana, romaji in TOWNS:
        sites.append((f"摂津市立{town}小学校", f"セッツシリツ{kana}ショウガッコウ",
                      f"Settsu {romaji} Elementary School", town))  # fmt: skip
        sites.append((f"{town}公園", f"{kana}コウエン", f"{romaji} Park", town))
    for n, (name, kana, english, town) in enumerate(sites[:ROWS], start=1):
        school = name.endswith("小学校")
        chome = rng.randint(1, 3)
        block = f"{rng.randint(1, 20)}-{rng.randint(1, 30)}"
        values = {
            "全国地方公共団体コード": LGCODE,
            "ID": f"ES{n:04d}",
            "名称": name,
            "名称_カナ": kana,
            "名称_英字": english,
            "所在地_全国地方公共団体コード": LGCODE,
            "町字ID": f"{n:04d}{chome:03d}",
            "所在地_連結表記": f"大阪府摂津市{town}{str(chome).translate(FW)}丁目{block}",
            "所在地_都道府県": "大阪府",
            "所在地_市区町村": "摂津市",
            "所在地_町字": f"{town}{str(chome).translate(FW)}丁目",
            "所在地_番地以下": block,
            "建物名等(方書)": "",
            "緯度": f"{rng.uniform(34.760, 34.797):.6f}",
            "経度": f"{rng.uniform(135.540, 135.607):.6f}",
            "標高": f"{rng.uniform(1.5, 12.0):.1f}",
            "電話番号": f"06-6383-{1111 + n}" if school else "06-6383-1111",
            "内線番号": "" if school else str(2300 + n),
            "連絡先メールアドレス": "bousai@city.settsu.osaka.jp",
            "連絡先FormURL": "https://www.city.settsu.osaka.jp/form/bousai.html",
            "連絡先備考（その他、SNSなど）": "X: @settsu_bousai" if n % 7 == 0 else "",
            "郵便番号": "5668555",
            "市区町村コード": LGCODE,
            "地方公共団体名": LGNAME,
            "想定収容人数": str(rng.randint(100, 900)) if school else "",
            "対象となる町会・自治会": f"{town}１丁目;{town}２丁目",
            "URL": f"https://www.city.settsu.osaka.jp/bousai/hinan/es{n:04d}.html",
            "画像": "",
            "画像_ライセンス": "",
            "備考": "",
        }
        for hazard in HAZARDS:
            flag = rng.random() < (0.7 if school else 0.4)
            if hazard in ("災害種別_高潮", "災害種別_津波", "災害種別_火山現象"):
                flag = False
            if hazard == "指定避難所との重複":
                flag = school
            values[hazard] = "1" if flag else ""
        rows.append([values[name_] for name_ in schema.names])
    rows[5][schema.names.index("備考")] = "体育館を使用\n（校舎は使用不可）"
    return rows


# ---------------------------------------------------------------------------
# Variants


def population_variants(d0: Draft) -> dict[str, Draft]:
    v: dict[str, Draft] = {"clean": fresh(d0)}

    d = v["type-error"] = fresh(d0)
    d.cell(2, "総人口", "1,234", "type-error", "thousands separator in an integer")
    d.cell(3, "男性", "-", "type-error", "dash for an unknown count")
    d.cell(5, "世帯数", "12.0", "type-error", "decimal point in an integer")
    d.cell(8, "0-4歳の女性", "1e3", "type-error", "exponent in an integer")
    d.cell(10, "85歳以上の男性", "  ", "type-error", "whitespace-only integer is not blank")
    d.cell(12, "調査年月日", "2026/04/01", "type-error", "slash date")
    d.cell(14, "調査年月日", "20260401", "type-error", "date without separators")
    d.cell(16, "調査年月日", "令和8年4月1日", "type-error", "Japanese era date")
    d.cell(18, "調査年月日", "2026-02-30", "type-error", "impossible date")
    d.cell(20, "調査年月日", "2026-04-01 ", "type-error", "trailing space in a date")

    d = v["constraint-error"] = fresh(d0)
    d.cell(2, "全国地方公共団体コード", "27224", "constraint-error", "5-digit code")
    d.cell(4, "全国地方公共団体コード", "２７２２４８", "constraint-error", "full-width code")
    d.cell(6, "全国地方公共団体コード", "272248 ", "constraint-error", "trailing space")
    d.cell(8, "男性", "-5", "constraint-error", "negative count (minimum 0)")
    d.cell(11, "世帯数", "-1", "constraint-error", "negative count (minimum 0)")

    d = v["blank-row"] = fresh(d0)
    d.insert_blank_line(10, "empty line in the middle")
    d.insert_empty_cells(20, "row of empty cells")
    d.insert_blank_line(len(d.records), "empty line at the end")
    d.insert_blank_line(len(d.records), "second empty line at the end")

    d = v["missing-cell"] = fresh(d0)
    d.truncate(3, 44, "short row: 世帯数 and 備考 missing")
    d.truncate(12, 1, "row with a single cell")

    d = v["extra-cell"] = fresh(d0)
    d.extend(5, ["出典: 住民基本台帳"], "one extra cell")
    d.extend(15, ["", "x"], "two extra cells (an empty one too)")

    d = v["blank-label"] = fresh(d0)
    d.blank_label("地域名")

    d = v["duplicate-label"] = fresh(d0)
    d.duplicate_label("女性", "男性")

    d = v["incorrect-label"] = fresh(d0)
    d.rename_label("地域名", "地区名")

    d = v["missing-label"] = fresh(d0)
    d.drop_last_column()

    d = v["extra-label"] = fresh(d0)
    d.add_column("出典", ["住民基本台帳"] * len(d.records))

    d = v["source-error"] = fresh(d0)
    d.empty_file = True
    d.plants.append(Plant(None, None, "source-error", "empty file"))

    d = v["quirks"] = fresh(d0)
    d.terminator = "\r\n"
    d.accept(1, "総人口", " 1203 ", "integer: surrounding spaces are stripped")
    d.accept(2, "男性", "+512", "integer: leading plus sign")
    d.accept(3, "女性", "０６８１", "integer: full-width digits (Python int())")
    d.accept(4, "世帯数", "1_000", "integer: underscore digit separator (Python int())")
    d.accept(5, "0-4歳の男性", "007", "integer: leading zeros")
    d.accept(6, "調査年月日", "2026-4-1", "date: 1-digit month/day (strptime %m/%d)")
    d.accept(7, "調査年月日", "2026-04- 1", "date: space-padded day (strptime %d)")
    d.accept(8, "全国地方公共団体コード", "272248\n", "pattern: `$` matches before a final \\n")
    d.accept(9, "地域名", " ", "string: a space is a value, not blank")
    d.insert_blank_line(12, "blank line in the middle (counts as a row)")
    d.cell(14, "5-9歳の男性", "x", "type-error", "after a quoted line break and a blank line")
    d.insert_blank_line(len(d.records), "blank line at the end (CRLF)")

    d = v["title-line"] = fresh(d0)
    d.preamble = [["地域・年齢別人口（令和8年4月1日現在）"]]
    d.cell(4, "総人口", "約1200", "type-error", "row numbers count the title line")

    d = v["header-row-detection"] = fresh(d0)
    d.free = (
        "header row detection: 9 blank separator lines bring the mean width of the 40 "
        "records to 35, accepted range 31-39; the header (46 cells) is outside it, so "
        "record 28, a row cut to 35 cells, becomes the header and records 1-27 are skipped "
        "without any error (stats.rows = 12); 'intended' lists what the file holds"
    )
    d.truncate(20, 35, "short row (35 cells)")
    for at in range(27, 0, -3):
        d.insert_blank_line(at, "blank separator line")

    d = v["everything"] = fresh(d0)
    d.rename_label("地域名", "地区名")
    d.blank_label("地方公共団体名")
    d.duplicate_label("女性", "男性")
    d.add_column("出典", ["住民基本台帳"] * len(d.records))
    d.cell(2, "総人口", "1,234", "type-error", "thousands separator")
    d.cell(3, "調査年月日", "2026/04/01", "type-error", "slash date")
    d.cell(4, "全国地方公共団体コード", "27224", "constraint-error", "5-digit code")
    d.cell(8, "世帯数", "-1", "constraint-error", "negative count")
    d.cell(9, "男性", "不明", "type-error", "text in a count")
    d.insert_blank_line(11, "empty line")
    d.insert_empty_cells(13, "row of empty cells")
    d.truncate(16, 40, "short row (the extra column is missing too)")
    d.extend(18, ["x", "y"], "long row")
    d.cell(21, "0-4歳の男性", "-3", "constraint-error", "negative")
    d.cell(21, "0-4歳の女性", "3.5", "type-error", "decimal")
    return v


def toilet_variants(d0: Draft) -> dict[str, Draft]:
    v: dict[str, Draft] = {"clean": fresh(d0)}

    d = v["type-error"] = fresh(d0)
    d.cell(1, "緯度", "北緯34.77", "type-error", "number with text")
    d.cell(2, "経度", "135,562", "type-error", "decimal comma")
    d.cell(3, "高度の値", "2階", "type-error", "number with unit")
    d.cell(4, "男性トイレ総数", "3個", "type-error", "integer with counter")
    d.cell(5, "女性トイレ数（洋式）", "1.5", "type-error", "decimal in an integer")
    d.cell(6, "画像", "www.city.settsu.osaka.jp/a.jpg", "type-error", "uri without scheme")
    d.cell(7, "画像", "ATTACH/pt0008.jpg", "type-error", "relative path as uri")
    d.cell(8, "バリアフリートイレ数", "有", "type-error", "yes/no in a count")

    d = v["constraint-error"] = fresh(d0)
    d.cell(1, "名称", "", "constraint-error", "required blank")
    d.cell(2, "所在地_連結表記", "", "constraint-error", "required blank")
    d.cell(3, "設置位置", "", "constraint-error", "required blank")
    d.cell(4, "全国地方公共団体コード", "27224", "constraint-error", "pattern: 5 digits")
    d.cell(5, "ID", "PT 0006", "constraint-error", "pattern: space in ID")
    d.cell(6, "名称_カナ", "せっつし", "constraint-error", "pattern: hiragana in katakana")
    d.cell(7, "所在地_全国地方公共団体コード", "2722480", "constraint-error", "pattern: 7 digits")
    d.cell(8, "町字ID", "0008_001", "constraint-error", "pattern: underscore")
    d.cell(9, "利用開始時間", "9:00", "constraint-error", "pattern: h:mm")
    d.cell(10, "利用終了時間", "25:00", "constraint-error", "pattern: hour 25")
    d.cell(11, "高度の種別", "地上高", "constraint-error", "enum")
    d.cell(12, "車椅子使用者用トイレ有無", "あり", "constraint-error", "enum: あり vs 有")
    d.cell(13, "乳幼児用設備設置トイレ有無", " 有", "constraint-error", "enum: no stripping")
    d.cell(14, "緯度", "135.562197", "constraint-error", "maximum 46 (lat/lon swapped)")
    d.cell(14, "経度", "34.777230", "constraint-error", "minimum 122 (lat/lon swapped)")
    d.cell(15, "男性トイレ数（小便器）", "-1", "constraint-error", "minimum 0")
    d.cell(16, "緯度", "NaN", ["constraint-error"] * 2, "NaN fails minimum and maximum")
    d.cell(17, "経度", "Infinity", "constraint-error", "Infinity fails maximum only")

    d = v["unique-error"] = fresh(d0)
    d.cell(5, "ID", d.get(2, "ID"), "unique-error", "same ID as row 4")
    d.cell(9, "ID", d.get(2, "ID"), "unique-error", "third occurrence: note names row 7")
    d.cell(20, "ID", d.get(19, "ID"), "unique-error", "same ID as the previous row")
    d.cell(22, "ID", "", [], "blank IDs are not compared")
    d.cell(23, "ID", "", [], "blank IDs are not compared")

    d = v["blank-row"] = fresh(d0)
    d.insert_blank_line(0, "empty line right after the header")
    d.insert_empty_cells(15, "row of empty cells")
    d.insert_blank_line(len(d.records), "empty line at the end")

    d = v["missing-cell"] = fresh(d0)
    d.truncate(4, 37, "short row: 画像_ライセンス and 備考 missing")
    d.truncate(9, 5, "row cut after 名称_カナ: required 所在地_連結表記 and 設置位置 too")

    d = v["extra-cell"] = fresh(d0)
    d.extend(7, ["追加"], "one extra cell")
    d.extend(17, ["", "", ""], "three empty extra cells (trailing commas)")

    d = v["blank-label"] = fresh(d0)
    d.blank_label("名称_英語")

    d = v["duplicate-label"] = fresh(d0)
    d.duplicate_label("女性トイレ総数", "男性トイレ総数")

    d = v["incorrect-label"] = fresh(d0)
    d.rename_label("名称_英語", "名称_英字")

    d = v["missing-label"] = fresh(d0)
    d.drop_last_column()

    d = v["extra-label"] = fresh(d0)
    d.add_column("更新日", ["2026-04-01"] * len(d.records))

    d = v["source-error"] = fresh(d0)
    d.empty_file = True
    d.plants.append(Plant(None, None, "source-error", "empty file"))

    d = v["quirks"] = fresh(d0)
    d.accept(1, "利用開始時間", "09:00xyz", "pattern ^A|B$: the first branch is a prefix match")
    d.accept(2, "利用終了時間", "24:00\n", "pattern: `$` matches before a final \\n")
    d.accept(3, "画像", "http://例え.jp/a b.jpg", "uri: any scheme-prefixed string passes")
    d.accept(4, "画像", "c:\\photos\\pt0005.jpg", "uri: a drive letter is a scheme")
    d.accept(5, "緯度", " 34.776710 ", "number: surrounding spaces are stripped")
    d.accept(6, "経度", "１３５.５６", "number: full-width digits (Python Decimal())")
    d.accept(7, "高度の値", "1e1", "number: exponent")
    d.accept(8, "高度の値", "NaN", "number: NaN is fine without minimum/maximum")
    d.accept(9, "男性トイレ総数", "+3", "integer: plus sign")
    d.accept(10, "ID", "", "unique ID: blank allowed (not required)")
    d.accept(11, "名称_カナ", "セッツ　シ", "pattern: ideographic space in the class")
    d.cell(13, "名称", " ", [], "required: a space is a value")
    d.cell(16, "ID", d.get(15, "ID") + "\n", [], "unique: PT0016\\n differs from PT0016")
    d.cell(20, "ID", d.get(15, "ID"), "unique-error", "duplicate of row 17 (not of PT0016\\n)")

    d = v["everything"] = fresh(d0)
    d.rename_label("名称_英語", "名称_英字")
    d.blank_label("建物名等(方書)")
    d.duplicate_label("女性トイレ総数", "男性トイレ総数")
    d.add_column("更新日", ["2026-04-01"] * len(d.records))
    d.cell(1, "名称", "", "constraint-error", "required blank")
    d.cell(2, "緯度", "北緯34.77", "type-error", "text in number")
    d.cell(3, "画像", "www.city.settsu.osaka.jp/a.jpg", "type-error", "uri without scheme")
    d.cell(4, "車椅子使用者用トイレ有無", "あり", "constraint-error", "enum")
    d.cell(5, "利用開始時間", "9:00", "constraint-error", "pattern")
    d.cell(6, "ID", d.get(2, "ID"), "unique-error", "duplicate ID")
    d.cell(7, "男性トイレ総数", "-2", "constraint-error", "minimum")
    d.cell(8, "ID", "PT 0009", "constraint-error", "pattern")
    d.insert_blank_line(10, "empty line")
    d.insert_empty_cells(12, "row of empty cells")
    d.truncate(14, 10, "short row")
    d.extend(16, ["x"], "long row (beyond the extra column)")
    d.cell(20, "経度", "34.777", "constraint-error", "minimum")
    d.cell(21, "高度の値", "3F", "type-error", "number with unit")
    return v


def evacuation_variants(d0: Draft) -> dict[str, Draft]:
    v: dict[str, Draft] = {"clean": fresh(d0)}

    d = v["type-error"] = fresh(d0)
    d.cell(1, "緯度", "34.77N", "type-error", "number with text")
    d.cell(2, "標高", "5m", "type-error", "number with unit")
    d.cell(3, "連絡先メールアドレス", "bousai@city", "type-error", "email without TLD")
    d.cell(4, "連絡先メールアドレス", "防災@city.settsu.osaka.jp", "type-error", "non-ASCII local")
    d.cell(5, "連絡先メールアドレス", "bousai@city.settsu.osaka.jp ", "type-error", "trailing sp")
    d.cell(6, "連絡先FormURL", "www.city.settsu.osaka.jp/form", "type-error", "uri no scheme")
    d.cell(7, "URL", "//www.city.settsu.osaka.jp/", "type-error", "scheme-relative uri")
    d.cell(8, "画像", "ATTACH/es0009.jpg", "type-error", "relative path")

    d = v["constraint-error"] = fresh(d0)
    d.cell(1, "名称", "", "constraint-error", "required blank")
    d.cell(2, "所在地_連結表記", "", "constraint-error", "required blank")
    d.cell(3, "電話番号", "", "constraint-error", "required blank")
    d.cell(4, "市区町村コード", "", "constraint-error", "required blank")
    d.cell(5, "電話番号", "06-6383-1111（代表）", "constraint-error", "pattern")
    d.cell(6, "郵便番号", "566-8555", "constraint-error", "pattern: hyphen")
    d.cell(7, "内線番号", "内線2301", "constraint-error", "pattern")
    d.cell(8, "名称_カナ", "Settsu", "constraint-error", "pattern: not katakana")
    d.cell(9, "ID", "ES#0010", "constraint-error", "pattern")
    d.cell(10, "災害種別_洪水", "0", "constraint-error", "flag enum: 0")
    d.cell(11, "災害種別_地震", "○", "constraint-error", "flag enum: ○")
    d.cell(12, "指定避難所との重複", " ", "constraint-error", "flag enum: a space")
    d.cell(13, "災害種別_内水氾濫", "１", "constraint-error", "flag enum: full-width 1")
    d.cell(14, "緯度", "135.5", "constraint-error", "maximum")
    d.cell(15, "経度", "34.7", "constraint-error", "minimum")
    d.cell(16, "市区町村コード", "27224", "constraint-error", "pattern")

    d = v["unique-error"] = fresh(d0)
    d.cell(8, "ID", d.get(3, "ID"), "unique-error", "duplicate ID")
    d.cell(25, "ID", d.get(3, "ID"), "unique-error", "third occurrence")

    d = v["blank-row"] = fresh(d0)
    d.insert_blank_line(7, "empty line: blank-row")
    d.insert_empty_cells(14, "empty cells: NOT blank (flags read '' as a value)")
    d.insert_blank_line(len(d.records), "empty line at the end")

    d = v["missing-cell"] = fresh(d0)
    d.truncate(6, 33, "short row: 3 trailing fields missing")
    d.truncate(16, 24, "cut before the flags: each flag is required and missing")

    d = v["extra-cell"] = fresh(d0)
    d.extend(2, ["追加情報"], "extra cell")
    d.extend(28, ["", ""], "two empty extra cells")

    d = v["blank-label"] = fresh(d0)
    d.blank_label("災害種別_高潮")

    d = v["duplicate-label"] = fresh(d0)
    d.duplicate_label("URL", "連絡先FormURL")

    d = v["incorrect-label"] = fresh(d0)
    d.rename_label("災害種別_崖崩れ、土石流及び地滑り", "災害種別_崖崩れ・土石流及び地滑り")

    d = v["missing-label"] = fresh(d0)
    d.drop_last_column()

    d = v["extra-label"] = fresh(d0)
    d.add_column("更新日", ["2026-04-01"] * len(d.records))

    d = v["source-error"] = fresh(d0)
    d.empty_file = True
    d.plants.append(Plant(None, None, "source-error", "empty file"))

    d = v["quirks"] = fresh(d0)
    d.accept(1, "連絡先メールアドレス", "Bousai+Hinan@City.Settsu.Osaka.JP", "email: case, +")
    d.accept(2, "連絡先メールアドレス", "bousai@摂津.jp", "email: IDN domain")
    d.accept(3, "URL", "http://www.city.settsu.osaka.jp/a b.html", "uri: space accepted")
    d.accept(4, "URL", "javascript:void(0)", "uri: any scheme")
    d.accept(5, "電話番号", "+81-(6)-6383-1111", "pattern \\+?[0-9()\\-]+")
    d.accept(6, "電話番号", "06-6383-1111\n", "pattern: `$` before a final \\n")
    d.accept(7, "標高", "-0.5", "number: negative without minimum")
    d.accept(8, "想定収容人数", "約800人", "string field: anything goes")
    d.cell(9, "名称", " ", [], "required: a space is a value")

    d = v["sniffed-semicolon"] = fresh(d0)
    d.free = (
        "delimiter sniffing: no quoted cell in the first 100 lines, every data row has one "
        "';' (対象となる町会・自治会 A;B) and three rows have a stray trailing comma, so "
        "csv.Sniffer finds ';' more consistent than ',' and the whole file is read with "
        "delimiter ';' (and skipInitialSpace); 'intended' lists what the file holds"
    )
    d.cell(5, "備考", "", [], "no quoted line break")
    for i in (2, 5, 8):
        d.extend(i, [""], "stray trailing comma")

    d = v["everything"] = fresh(d0)
    d.rename_label("名称_英字", "名称_英語")
    d.blank_label("建物名等(方書)")
    d.duplicate_label("URL", "連絡先FormURL")
    d.add_column("更新日", ["2026-04-01"] * len(d.records))
    d.cell(1, "名称", "", "constraint-error", "required blank")
    d.cell(2, "連絡先メールアドレス", "bousai@city", "type-error", "email without TLD")
    d.cell(3, "URL", "www.city.settsu.osaka.jp", "type-error", "uri without scheme")
    d.cell(4, "災害種別_洪水", "0", "constraint-error", "flag enum")
    d.cell(5, "郵便番号", "566-8555", "constraint-error", "pattern")
    d.cell(6, "ID", d.get(1, "ID"), "unique-error", "duplicate ID")
    d.cell(7, "緯度", "北緯34.77", "type-error", "text in number")
    d.insert_blank_line(9, "empty line")
    d.insert_empty_cells(11, "empty cells: only the required non-flag fields")
    d.truncate(13, 30, "short row: from 災害種別_内水氾濫 on (3 required flags)")
    d.extend(15, ["x"], "long row")
    d.cell(18, "電話番号", "", "constraint-error", "required blank")
    return v


def fresh(d0: Draft) -> Draft:
    return copy.deepcopy(d0)


DATASETS = {
    "population_by_area_age": (population_rows, population_variants),
    "public_toilet": (toilet_rows, toilet_variants),
    "evacuation_space": (evacuation_rows, evacuation_variants),
}


def build() -> dict[str, tuple[SchemaInfo, Draft]]:
    """Every corpus file: relative path -> (schema, draft)."""
    out: dict[str, tuple[SchemaInfo, Draft]] = {}
    for offset, (dataset, (make_rows, make_variants)) in enumerate(DATASETS.items()):
        schema = load_schema(dataset)
        rows = make_rows(schema, random.Random(SEED + offset))
        base = Draft(schema=schema, header=list(schema.names), records=rows)
        for name, draft in make_variants(base).items():
            out[f"{dataset}/{name}.csv"] = (schema, draft)
    return out


# ---------------------------------------------------------------------------
# frictionless


def frictionless_triples(csv_path: Path, schema: SchemaInfo) -> list[Triple]:
    from frictionless import Resource, Schema, validate

    descriptor = json.loads((REPO / schema.path).read_text(encoding="utf-8"))
    resource = Resource(
        csv_path.name,
        basepath=str(csv_path.parent),
        schema=Schema.from_descriptor(descriptor),
    )
    report = validate(resource, limit_errors=LIMIT_ERRORS)
    if report.errors:  # errors outside a task (invalid metadata)
        raise RuntimeError(f"{csv_path}: {report.flatten(['type', 'note'])}")
    triples = [tuple(t) for t in report.flatten(["rowNumber", "fieldName", "type"])]
    return sorted(triples, key=sort_key)  # type: ignore[arg-type]


def sniffed_dialect(csv_path: Path) -> dict[str, Any]:
    """The CSV control frictionless detects; {"type": "csv"} means plain commas."""
    from frictionless import Resource

    resource = Resource(csv_path.name, basepath=str(csv_path.parent))
    with resource:
        return resource.dialect.get_control("csv").to_descriptor()


def dump_triples(triples: list[Triple]) -> str:
    lines = [json.dumps(list(t), ensure_ascii=False) for t in triples]
    return "[\n" + ",\n".join("  " + line for line in lines) + "\n]\n" if lines else "[]\n"


def compact_json(value: Any, indent: str = "") -> str:
    """JSON with one line per list of scalars (plants, triples) and indented objects."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {compact_json(v, inner)}"
                 for k, v in value.items()]  # fmt: skip
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        items = [inner + compact_json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


def manifest_entry(
    schema: SchemaInfo, draft: Draft, expected_path: str, triples: list[Triple]
) -> dict[str, Any]:
    planted = draft.planted_triples()
    entry: dict[str, Any] = {
        "schema": schema.path,
        "planted": sorted({p[2] for p in planted}),
        "expected": expected_path,
        "frictionlessErrors": len(triples),
        "byType": dict(sorted(Counter(t[2] for t in triples).items())),
        ("intended" if draft.free else "plants"): planted,
    }
    if draft.accepted:
        entry["acceptedByFrictionless"] = draft.accepted_cells()
    if draft.free:
        entry["frictionlessHeuristic"] = draft.free
    return entry


def generate(check: bool) -> int:
    import frictionless

    corpus = build()
    problems: list[str] = []
    manifest: dict[str, Any] = {
        "frictionless": frictionless.__version__,
        "about": "see make_corpus.py; triples are [rowNumber, fieldName, type]",
        "files": {},
    }
    for rel, (schema, draft) in corpus.items():
        csv_path = HERE / rel
        expected_rel = rel.removesuffix(".csv") + ".frictionless.json"
        expected_path = HERE / expected_rel
        data = draft.to_bytes()
        if check:
            if not csv_path.exists() or csv_path.read_bytes() != data:
                problems.append(f"{rel}: differs from what the generator writes")
        else:
            csv_path.parent.mkdir(parents=True, exist_ok=True)
            csv_path.write_bytes(data)
        if not draft.empty_file:
            dialect = sniffed_dialect(csv_path)
            if dialect != {"type": "csv"} and not draft.free:
                problems.append(f"{rel}: frictionless sniffs a non-default dialect {dialect}")
        triples = frictionless_triples(csv_path, schema)
        planted = Counter(tuple(p[:3]) for p in draft.planted_triples())
        if draft.free:
            pass  # frictionless' heuristics decide; the plants are only the intent
        elif planted != Counter(triples):
            missing = planted - Counter(triples)
            extra = Counter(triples) - planted
            problems.append(f"{rel}: planted but not reported {sorted(missing, key=sort_key)}")
            problems.append(f"{rel}: reported but not planted {sorted(extra, key=sort_key)}")
        text = dump_triples(triples)
        if check:
            if not expected_path.exists() or expected_path.read_text(encoding="utf-8") != text:
                problems.append(f"{expected_rel}: frictionless now reports something else")
        else:
            expected_path.write_text(text, encoding="utf-8")
        manifest["files"][rel] = manifest_entry(schema, draft, expected_rel, triples)
        print(f"{rel:48} {len(triples):4} errors  {dict(Counter(t[2] for t in triples))}")

    manifest_text = compact_json(manifest) + "\n"
    manifest_path = HERE / "manifest.json"
    if check:
        if not manifest_path.exists() or manifest_path.read_text(encoding="utf-8") != manifest_text:
            problems.append("manifest.json: differs from what the generator writes")
    else:
        manifest_path.write_text(manifest_text, encoding="utf-8")

    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    if problems:
        return 1
    print("ok" if check else f"wrote {len(corpus)} files under {HERE}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify, write nothing")
    args = parser.parse_args(argv)
    return generate(check=args.check)


if __name__ == "__main__":
    sys.exit(main())
