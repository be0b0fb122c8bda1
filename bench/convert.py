"""Benchmark: converting a 200k-row department table, against merely reading it.

    .venv/bin/python bench/convert.py [--rows 200000] [--runs 2] [--json PATH]
    .venv/bin/python bench/convert.py --big-rows 10000000   # + flat memory on a ~1 GB CSV (long)

Makes a department-style version of the 地域・年齢別人口 table (bench/make_population.py):
its own column names, 5-digit codes without the check digit, 和暦 dates, counts
with thousands separators — as a CP932 CSV and as an xlsx — and a recipe for
each. Then, each in a fresh child process (so peak memory is its own):
  read      open the file and read every row with portal's reader, nothing else (the floor);
  convert   `portal.pipeline.convert(...)`: read, normalise, write CSV + JSON +
            datapackage.json, validate the written CSV, write the reports.
Prints wall time and peak RSS for each and the ratio convert / read (goal ≤ 3×). The time
spent in the validation step (portal.validation's StreamValidator: building it, adding
rows, finishing) is measured inside the convert run, so the figures say which part is
conversion (portal/pipeline, portal/formats, portal/normalize) and which is validation.
Each is run `--runs` times (the machine is shared): the figures are the best run, every run
is printed. `--json PATH` writes the figures (bench/figures.py). `--big-rows N` then also
converts an N-row CSV (written as it is generated; 10M rows ≈ 1 GB) and reports the peak
memory of reading and converting it against a fixed ceiling: it must not grow with the rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_population  # noqa: E402  (a sibling script, not a package)
from figures import Figures  # noqa: E402  (bench/figures.py, beside this script)

RATIO_GOAL = 3.0  # convert ≤ 3× reading the same file (issue 17)
MEMORY_CEILING_MIB = 300  # peak RSS of converting a file of any size (issue 17)
BIG_BLOCK = 100_000  # rows generated at a time for --big-rows

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
import importlib
converting = importlib.import_module("portal.pipeline.convert")
validation = [0.0]
def timed(fn):
    def wrapper(*args, **kwargs):
        begun = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            validation[0] += time.perf_counter() - begun
    return wrapper
for name in ("__init__", "add", "finish"):
    setattr(converting.StreamValidator, name, timed(getattr(converting.StreamValidator, name)))
start = time.perf_counter()
if mode == "read":
    with open_table(source) as table:
        rows = sum(1 for _ in table.rows()) - 1
    valid = None
else:
    result = convert(recipe, Workspace.of(Settings()), out)
    rows, valid = result.outcome.rows_out, result.report.valid
print(json.dumps({"seconds": time.perf_counter() - start, "validation": validation[0],
                  "peak_mib": hwm(), "rows": rows, "valid": valid}))
"""


def department_header() -> list[str]:
    return [
        DEPARTMENT.get(name, name.replace("歳の男性", "歳男").replace("歳の女性", "歳女"))
        for name in make_population.FIELDS
    ]


def department_rows(rows: int, seed: int = 20260402) -> list[list[str]]:
    """The standard's rows as a department keeps them."""
    code, date, *counts = (
        make_population.FIELDS.index(n)
        for n in ("全国地方公共団体コード", "調査年月日", "総人口", "男性", "女性")
    )
    out = []
    for row in make_population.generate_rows(rows, seed):
        row = list(row)
        row[code] = row[code][:5]  # the department keeps the 5-digit code
        row[date] = "令和8年4月1日"
        for i in counts:
            if row[i].isdigit() and int(row[i]) >= 1000:
                row[i] = f"{int(row[i]):,}"
        out.append(row)
    return out


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


def write_recipe(source: Path, kind: str) -> Path:
    recipe = source.with_name(f"population-{kind}.yaml")
    recipe.write_text(recipe_text(source, department_header()), encoding="utf-8")
    return recipe


def write_sources(folder: Path, rows: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    header, data = department_header(), department_rows(rows)
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
    return {
        "csv": csv_path,
        "xlsx": xlsx_path,
        "csv-recipe": write_recipe(csv_path, "csv"),
        "xlsx-recipe": write_recipe(xlsx_path, "xlsx"),
    }


def write_big_csv(folder: Path, rows: int) -> tuple[Path, Path]:
    """An N-row CP932 CSV written a block at a time (the generator holds one block); each
    block has other area names and the area codes run on, so the distinct values grow with
    the file as in a national table."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "population-department-big.csv"
    area = make_population.FIELDS.index("地域コード")
    with path.open("w", encoding="cp932", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(department_header())
        for block, start in enumerate(range(0, rows, BIG_BLOCK)):
            data = department_rows(min(BIG_BLOCK, rows - start), seed=20260402 + block)
            for n, row in enumerate(data, start=start):
                row[area] = f"{row[area][:6]}{n % 1_000_000:06d}"
            out.writerows(data)
    return path, write_recipe(path, "big")


def run(mode: str, source: Path, recipe: Path, out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(source), str(recipe), str(out)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"{mode} {source.name} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def best_of(runs: int, mode: str, source: Path, recipe: Path, out: Path) -> dict[str, Any]:
    """The fastest of `runs` runs, with every run's seconds and the highest peak."""
    results = [run(mode, source, recipe, out) for _ in range(runs)]
    best = min(results, key=lambda r: float(r["seconds"]))
    best["all_seconds"] = [round(float(r["seconds"]), 2) for r in results]
    best["peak_mib"] = max(int(r["peak_mib"]) for r in results)
    return best


def kind_figures(figures: Figures, kind: str, read: dict[str, Any], conv: dict[str, Any]) -> None:
    read_s, conv_s, valid_s = (
        float(x) for x in (read["seconds"], conv["seconds"], conv["validation"])
    )
    base = f"convert {kind} read"
    figures.add(base, round(read_s, 3), "s", note=f"runs: {read['all_seconds']} s")
    ratio = conv_s / read_s
    figures.add(f"convert {kind} convert", round(conv_s, 3), "s", baseline=base,
                ratio=round(ratio, 2), goal=f"<= {RATIO_GOAL:g}x read", met=ratio <= RATIO_GOAL,
                note=f"runs: {conv['all_seconds']} s; validation included"
                + ("" if ratio <= RATIO_GOAL else "; " + SPEED_NOTE))  # fmt: skip
    own = conv_s - valid_s
    figures.add(f"convert {kind} convert without validation", round(own, 3), "s", baseline=base,
                ratio=round(own / read_s, 2), goal=f"<= {RATIO_GOAL:g}x read",
                met=own / read_s <= RATIO_GOAL,
                note="read + normalise + write CSV/JSON/datapackage + reports; "
                "the validation step's time taken out")  # fmt: skip
    figures.add(f"convert {kind} validation step", round(valid_s, 3), "s", baseline=base,
                ratio=round(valid_s / read_s, 2),
                note="portal.validation.StreamValidator inside convert (bench/validate.py)")  # fmt: skip
    figures.add(f"convert {kind} read peak RSS", int(read["peak_mib"]), "MiB")
    figures.add(f"convert {kind} convert peak RSS", int(conv["peak_mib"]), "MiB",
                baseline=f"convert {kind} read peak RSS")  # fmt: skip


def big(figures: Figures, folder: Path, rows: int) -> None:
    """Read and convert an N-row CSV: the peak memory must not depend on the rows."""
    source, recipe = write_big_csv(folder, rows)
    size = source.stat().st_size / 2**20
    for mode in ("read", "convert"):
        result = run(mode, source, recipe, folder / "out-big")
        peak = int(result["peak_mib"])
        print(f"{source.name} — {rows} rows, {size:.0f} MiB: {mode} "
              f"{float(result['seconds']):.1f} s (validation {float(result['validation']):.1f} s), "
              f"peak {peak} MiB")  # fmt: skip
        figures.add(f"convert big-file {mode} peak RSS on a {size:.0f} MiB CSV ({rows} rows)", peak, "MiB",
                    goal=f"<= {MEMORY_CEILING_MIB} MiB", met=peak <= MEMORY_CEILING_MIB,
                    note=f"{float(result['seconds']):.1f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/portal-bench/convert"))
    parser.add_argument("--big-rows", type=int, default=0, help="also a flat-memory run (long)")
    parser.add_argument("--json", type=Path, help="write the figures here (bench/report.py)")
    args = parser.parse_args()
    files = write_sources(args.dir, args.rows)
    print(
        f"{args.rows} rows x 16 columns, department layout (5-digit codes, 和暦 dates, 1,234 counts)"
    )
    print(f"{'':16}{'read s':>8}{'convert s':>11}{'ratio':>7}{'w/o valid.':>11}{'ratio':>7}"
          f"{'read MiB':>10}{'convert MiB':>13}  valid   every run (s)")  # fmt: skip
    figures = Figures()
    for kind in ("csv", "xlsx"):
        source, recipe, out = files[kind], files[f"{kind}-recipe"], args.dir / f"out-{kind}"
        read = best_of(args.runs, "read", source, recipe, out)
        conv = best_of(args.runs, "convert", source, recipe, out)
        read_s, conv_s = float(read["seconds"]), float(conv["seconds"])
        own = conv_s - float(conv["validation"])
        label = f"{kind} ({source.stat().st_size / 2**20:.0f} MiB)"
        print(f"{label:16}{read_s:8.2f}{conv_s:11.2f}{conv_s / read_s:6.1f}x{own:11.2f}"
              f"{own / read_s:6.1f}x{read['peak_mib']:10}{conv['peak_mib']:13}  {conv['valid']!s:6}"
              f"  read {read['all_seconds']}, convert {conv['all_seconds']}")  # fmt: skip
        kind_figures(figures, kind, read, conv)
    if args.big_rows:
        big(figures, args.dir, args.big_rows)
    figures.write(args.json)


# What limits the convert/read ratio when the goal is not met (profiled at 200k rows; the
# notes for the README are in bench/REPORT.md's figures).
SPEED_NOTE = (
    "the standard has 46 columns for the 16 read (JSON ≈ 3x the CSV's bytes); pure-Python work "
    "per output cell cannot approach the C csv reader. cProfile at 200k rows (13 s profiled): "
    "TextIOWrapper.write of the JSON 1.5 s, Transformer._values 1.2 s, csv.writer.writerows "
    "0.8 s, DatasetWriter._encode 0.8 s, the CSV reader 0.7 s + 0.5 s decoding, "
    "DatasetWriter._records 0.6 s, str.join 0.5 s; the validation step is bench/validate.py's"
)


if __name__ == "__main__":
    main()
