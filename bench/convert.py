"""Benchmark: converting a 200k-row department table, against merely reading it.

    .venv/bin/python bench/convert.py [--rows 200000] [--dir /tmp/portal-bench/convert]

Makes a department-style version of the 地域・年齢別人口 table (bench/make_population.py):
its own column names, 5-digit codes without the check digit, 和暦 dates, counts
with thousands separators — as a CP932 CSV and as an xlsx — and a recipe for
each. Then, each in a fresh child process (so peak memory is its own):
  read      open the file and read every row with portal's reader, nothing else (the floor);
  convert   `portal.pipeline.convert(...)`: read, normalise, write CSV + JSON +
            datapackage.json, validate the written CSV, write the reports.
Prints wall time and peak RSS for each and the ratio convert / read (goal ≤ 3×).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_population  # noqa: E402  (a sibling script, not a package)

DEPARTMENT = {
    "全国地方公共団体コード": "団体コード",
    "地域コード": "町丁字コード",
    "地方公共団体名": "団体名",
    "調査年月日": "基準日",
    "地域名": "町丁字名",
    "総人口": "人口総数",
    "男性": "男",
    "女性": "女",
}

CHILD = r"""
import json, sys, time
from pathlib import Path
mode, source, recipe, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
from portal.formats import open_table
from portal.pipeline import convert
from portal.settings import Settings
from portal.workspace import Workspace
start = time.perf_counter()
if mode == "read":
    with open_table(source) as table:
        rows = sum(1 for _ in table.rows()) - 1
    valid = None
else:
    result = convert(recipe, Workspace.of(Settings()), out)
    rows, valid = result.outcome.rows_out, result.report.valid
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mib": hwm(), "rows": rows, "valid": valid}))
"""


def department_rows(rows: int) -> tuple[list[str], list[list[str]]]:
    standard = make_population.generate_rows(rows, 20260402)
    header = [
        DEPARTMENT.get(name, name.replace("歳の男性", "歳男").replace("歳の女性", "歳女"))
        for name in make_population.FIELDS
    ]
    code, date, *counts = (
        make_population.FIELDS.index(n)
        for n in ("全国地方公共団体コード", "調査年月日", "総人口", "男性", "女性")
    )
    out = []
    for row in standard:
        row = list(row)
        row[code] = row[code][:5]  # the department keeps the 5-digit code
        row[date] = "令和8年4月1日"
        for i in counts:
            if row[i].isdigit() and int(row[i]) >= 1000:
                row[i] = f"{int(row[i]):,}"
        out.append(row)
    return header, out


def recipe_text(source: Path, header: list[str]) -> str:
    lines = [
        "version: 1",
        f"source: {{path: {source.name}}}",
        'target: {dataset: population_by_area_age, lgcode: "272248"}',
        "columns:",
    ]
    by_source = {v: k for k, v in DEPARTMENT.items()}
    for label, name in zip(header, make_population.FIELDS, strict=True):
        target = by_source.get(label, name)
        normalize = {
            "全国地方公共団体コード": "[{lgcode: jis5}]",
            "調査年月日": "[date]",
            "地域名": "[trim]",
            "地方公共団体名": "[trim]",
            "地域コード": "[trim]",
        }.get(target, "[integer]")
        lines.append(f"  {target}: {{from: {label}, normalize: {normalize}}}")
    return "\n".join(lines) + "\n"


def write_sources(folder: Path, rows: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    header, data = department_rows(rows)
    csv_path = folder / "population-department.csv"
    with csv_path.open("w", encoding="cp932", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([header, *data])
    xlsx_path = folder / "population-department.xlsx"
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("人口")
    sheet.append(header)
    for row in data:
        sheet.append([int(c) if c.isdigit() and len(c) < 5 else c for c in row])
    book.save(xlsx_path)
    recipes = {}
    for kind, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        recipe = folder / f"population-{kind}.yaml"
        recipe.write_text(recipe_text(path, header), encoding="utf-8")
        recipes[kind] = recipe
    return {
        "csv": csv_path,
        "xlsx": xlsx_path,
        "csv-recipe": recipes["csv"],
        "xlsx-recipe": recipes["xlsx"],
    }


def run(mode: str, source: Path, recipe: Path, out: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(source), str(recipe), str(out)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"{mode} {source.name} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/portal-bench/convert"))
    args = parser.parse_args()
    files = write_sources(args.dir, args.rows)
    print(
        f"{args.rows} rows x 16 columns, department layout (5-digit codes, 和暦 dates, 1,234 counts)"
    )
    print(
        f"{'':16}{'read s':>8}{'convert s':>11}{'ratio':>7}{'read MiB':>10}{'convert MiB':>13}  valid"
    )
    for kind in ("csv", "xlsx"):
        source, recipe = files[kind], files[f"{kind}-recipe"]
        read = run("read", source, recipe, args.dir / f"out-{kind}")
        conv = run("convert", source, recipe, args.dir / f"out-{kind}")
        ratio = float(conv["seconds"]) / float(read["seconds"])  # type: ignore[arg-type]
        label = f"{kind} ({source.stat().st_size / 2**20:.0f} MiB)"
        print(
            f"{label:16}{read['seconds']:8.2f}{conv['seconds']:11.2f}{ratio:6.1f}x{read['peak_mib']:10}{conv['peak_mib']:13}  {conv['valid']}"
        )


if __name__ == "__main__":
    main()
