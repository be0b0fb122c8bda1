"""Benchmark data: a generated 地域・年齢別人口 (population by area and age) table.

Writes a deterministic (seeded) CSV of N rows x 16 columns in the shape of the
standard dataset 地域・年齢別人口 and, next to it, a typed Table Schema for those
16 columns (`<stem>.schema.json`), the fields copied from
datasets/population_by_area_age/schema.json (names, types, constraints).

    .venv/bin/python bench/make_population.py [PATH] [--rows 200000] [--seed 20260402]
                                              [--errors 200] [--measure]

PATH defaults to /tmp/portal-bench/population.csv. Generation takes about 2 s for
200k rows.

Values are realistic: every row belongs to a real local government (the
6-digit 全国地方公共団体コード with a valid check digit, e.g. 272248 摂津市, taken
from portal/localgov/localgov.csv), areas are named like 千里丘１丁目, counts are
integers with 総人口 = 男性 + 女性. `--errors N` plants N invalid cells at
deterministic positions (fewer than frictionless' default limit of 1000 errors,
so that frictionless still reads the whole file): thousands separators ("1,234"),
"-" and "不明" in counts, negative counts, 5-digit codes and "2026/04/01" dates.
The planted cells are listed in `<stem>.planted.json` as [rowNumber, fieldName,
kind] (rowNumber counted as frictionless does: header = 1).

`--measure` then runs `frictionless.validate(Resource(...))` with the schema on
the file in a fresh child process and prints its wall time and peak memory
(VmHWM of the child: its peak resident set, printed together with the peak
reached before `validate` started, i.e. the interpreter plus frictionless).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHEMA = REPO / "datasets" / "population_by_area_age" / "schema.json"
LOCALGOV = REPO / "portal" / "localgov" / "localgov.csv"
DEFAULT_PATH = Path("/tmp/portal-bench/population.csv")

FIELDS = [
    "全国地方公共団体コード",
    "地域コード",
    "地方公共団体名",
    "調査年月日",
    "地域名",
    "総人口",
    "男性",
    "女性",
    "0-4歳の男性",
    "0-4歳の女性",
    "15-19歳の男性",
    "15-19歳の女性",
    "65-69歳の男性",
    "65-69歳の女性",
    "85歳以上の男性",
    "世帯数",
]
# Share of the population in the age columns above (per sex), roughly Japan 2020.
AGE_SHARE = {
    "0-4歳の男性": 0.038,
    "0-4歳の女性": 0.035,
    "15-19歳の男性": 0.046,
    "15-19歳の女性": 0.042,
    "65-69歳の男性": 0.066,
    "65-69歳の女性": 0.064,
    "85歳以上の男性": 0.031,
}
SURVEY_DATE = "2026-04-01"

# Real town names of 摂津市 (272248); other municipalities draw from STEMS.
SETTSU_TOWNS = [
    "千里丘",
    "千里丘東",
    "南千里丘",
    "正雀",
    "正雀本町",
    "東正雀",
    "香露園",
    "三島",
    "鳥飼上",
    "鳥飼中",
    "鳥飼下",
    "鳥飼本町",
    "鳥飼野々",
    "鳥飼西",
    "鳥飼新町",
    "鳥飼和道",
    "鳥飼八防",
    "鳥飼八町",
    "別府",
    "東別府",
    "南別府町",
    "北別府町",
    "一津屋",
    "東一津屋",
    "学園町",
    "庄屋",
    "昭和園",
    "新在家",
    "鶴野",
    "安威川南町",
    "浜町",
    "坪井",
    "野",
    "桜町",
]
STEMS = [
    "本町",
    "栄町",
    "緑町",
    "旭町",
    "新町",
    "東町",
    "西町",
    "南町",
    "北町",
    "中央",
    "桜ケ丘",
    "若葉台",
    "大和田",
    "昭和町",
    "宮前",
    "泉町",
    "松ケ丘",
    "山手町",
    "浜町",
    "港町",
    "上野",
    "下野",
    "城南",
    "城北",
    "寿町",
    "春日",
    "日吉",
    "八幡",
    "柳町",
    "錦町",
    "曙町",
    "幸町",
    "元町",
    "住吉",
    "平和台",
    "富士見",
    "青葉",
    "みどり",
    "朝日",
    "大手町",
]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def load_municipalities() -> list[tuple[str, str]]:
    """(code, full name) of every municipality and ward, e.g. ("272248", "大阪府摂津市")."""
    with LOCALGOV.open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["kind"] != "prefecture"]
    return [(row["lgcode"], row["prefecture"] + row["name"]) for row in rows]


def area_names(code: str, rng: random.Random, count: int) -> list[str]:
    """`count` distinct area names such as 千里丘１丁目 for one municipality."""
    stems = SETTSU_TOWNS if code == "272248" else rng.sample(STEMS, k=min(len(STEMS), 30))
    names: list[str] = []
    for stem in dict.fromkeys(stems):
        if rng.random() < 0.25:
            names.append(stem)
            continue
        for chome in range(1, rng.randint(2, 7)):
            names.append(f"{stem}{str(chome).translate(FULLWIDTH)}丁目")
    while len(names) < count:  # large cities: more 丁目 on the same stems
        stem = rng.choice(STEMS)
        names.append(f"大字{stem}{str(len(names)).translate(FULLWIDTH)}")
    return names[:count]


def generate_rows(rows: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    municipalities = load_municipalities()
    per_muni = -(-rows // len(municipalities))  # ceil
    out: list[list[str]] = []
    gauss, rand = rng.gauss, rng.random
    for code, name in municipalities:
        for index, area in enumerate(area_names(code, rng, per_muni), start=1):
            total = max(0, int(rng.lognormvariate(7.0, 0.9)))
            male = int(total * (0.485 + gauss(0, 0.01)))
            male = min(max(male, 0), total)
            female = total - male
            ages = []
            for column, share in AGE_SHARE.items():
                base = male if column.endswith("男性") else female
                ages.append(str(max(0, int(base * share * (1 + gauss(0, 0.25))))))
            households = max(0, int(total / (2.1 + rand())))
            out.append(
                [
                    code,
                    f"{code}{index:06d}",
                    name,
                    SURVEY_DATE,
                    area,
                    str(total),
                    str(male),
                    str(female),
                    *ages,
                    str(households),
                ]
            )
            if len(out) == rows:
                return out
    return out


def plant_errors(rows: list[list[str]], count: int, seed: int) -> list[list[object]]:
    """Replace `count` cells with invalid values; return [rowNumber, field, kind]."""
    rng = random.Random(seed + 1)
    index = {name: i for i, name in enumerate(FIELDS)}
    kinds = [
        ("総人口", "thousands-separator"),
        ("男性", "dash"),
        ("女性", "unknown-text"),
        ("世帯数", "negative"),
        ("全国地方公共団体コード", "five-digit-code"),
        ("調査年月日", "slash-date"),
        ("0-4歳の男性", "decimal"),
    ]
    planted: list[list[object]] = []
    for row_index in sorted(rng.sample(range(len(rows)), k=min(count, len(rows)))):
        field, kind = rng.choice(kinds)
        row = rows[row_index]
        cell = row[index[field]]
        if kind == "thousands-separator":
            value = f"{int(cell) + 1000:,}"
        elif kind == "dash":
            value = "-"
        elif kind == "unknown-text":
            value = "不明"
        elif kind == "negative":
            value = str(-1 - int(cell))
        elif kind == "five-digit-code":
            value = cell[:5]
        elif kind == "slash-date":
            value = cell.replace("-", "/")
        else:
            value = f"{cell}.0"
        row[index[field]] = value
        planted.append([row_index + 2, field, kind])
    return planted


def write_schema(path: Path) -> None:
    source = json.loads(SCHEMA.read_text(encoding="utf-8"))
    by_name = {field["name"]: field for field in source["fields"]}
    fields = []
    for name in FIELDS:
        field = by_name[name]
        fields.append(
            {
                key: field[key]
                for key in ("name", "description", "type", "format", "constraints", "kind")
                if key in field
            }
        )
    schema = {"fields": fields}
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


MEASURE = r"""
import json, resource, sys, time
from frictionless import Resource, Schema, validate
path, schema_path, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
import pathlib
p = pathlib.Path(path)
def hwm():  # peak RSS of this process image, KiB (ru_maxrss would include the parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
before = hwm()
start = time.perf_counter()
schema = Schema.from_descriptor(json.loads(pathlib.Path(schema_path).read_text()))
report = validate(Resource(p.name, basepath=str(p.parent), schema=schema), limit_errors=limit)
seconds = time.perf_counter() - start
after = hwm()
task = report.tasks[0]
print(json.dumps({"seconds": round(seconds, 2), "maxrss_kib_before": before,
                  "maxrss_kib_after": after, "rows": task.stats["rows"],
                  "errors": task.stats["errors"], "warnings": task.warnings}))
"""


def measure(path: Path, schema_path: Path, limit_errors: int) -> None:
    command = [sys.executable, "-c", MEASURE, str(path), str(schema_path), str(limit_errors)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"frictionless measurement failed:\n{result.stderr}")
    data = json.loads(result.stdout)
    print(
        f"frictionless validate: {data['seconds']} s wall, {data['rows']} rows, "
        f"{data['errors']} errors, warnings={data['warnings']}"
    )
    print(
        f"  peak RSS {data['maxrss_kib_after'] / 1024:.0f} MiB "
        f"(after import, before validate: {data['maxrss_kib_before'] / 1024:.0f} MiB)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20260402)
    parser.add_argument("--errors", type=int, default=200, help="invalid cells to plant")
    parser.add_argument("--measure", action="store_true", help="time frictionless on it")
    parser.add_argument("--limit-errors", type=int, default=1000)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    rows = generate_rows(args.rows, args.seed)
    planted = plant_errors(rows, args.errors, args.seed)
    path: Path = args.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(FIELDS)
        writer.writerows(rows)
    schema_path = path.with_name(path.stem + ".schema.json")
    write_schema(schema_path)
    planted_path = path.with_name(path.stem + ".planted.json")
    planted_path.write_text(json.dumps(planted, ensure_ascii=False) + "\n", encoding="utf-8")
    seconds = time.perf_counter() - start
    size = path.stat().st_size / 1e6
    print(
        f"wrote {path} ({len(rows)} rows x {len(FIELDS)} columns, {size:.1f} MB) in {seconds:.1f} s"
    )
    print(f"schema {schema_path}, {len(planted)} planted errors listed in {planted_path}")
    if args.measure:
        measure(path, schema_path, args.limit_errors)


if __name__ == "__main__":
    main()
