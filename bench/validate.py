"""Benchmark: `portal validate` against `frictionless validate` on the same file, same run.

    .venv/bin/python bench/validate.py [--rows 200000] [--errors 200]

Generates the 地域・年齢別人口-shaped table (bench/make_population.py: 16 columns,
typed schema taken from datasets/population_by_area_age with each field's kind),
then runs, each in a fresh child process so that peak memory is its own:
  read      the file read with Python's csv module and nothing else (the floor);
  frictionless  `frictionless.validate(Resource(..., schema))`, limit_errors off;
  portal    `portal.validation.validate(...)` with every rule of validators/ on.
Prints wall time and peak RSS of each, the ratio frictionless/portal, and
checks that every (row, field, type) frictionless reports is also in portal's
report (parity on the big file).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = Path("/tmp/portal-bench/population.csv")

CHILD = r"""
import csv, json, sys, time
from pathlib import Path
mode, path, schema_path = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
schema = json.loads(schema_path.read_text(encoding="utf-8"))
triples = []
if mode == "frictionless":
    from frictionless import Dialect, Resource, Schema, formats, validate
else:
    from portal.settings import Settings
    from portal.standards import Definition
    from portal.validation import Options, validate
    from portal.workspace import Workspace
before = hwm()
start = time.perf_counter()
if mode == "read":
    with path.open(encoding="utf-8", newline="") as fh:
        rows = sum(1 for _ in csv.reader(fh)) - 1
    errors = 0
elif mode == "frictionless":
    dialect = Dialect(header_rows=[1], controls=[formats.CsvControl(delimiter=",")])
    resource = Resource(path.name, basepath=str(path.parent), schema=Schema.from_descriptor(schema), dialect=dialect)
    report = validate(resource, limit_errors=10**6)
    rows, errors = report.tasks[0].stats["rows"], report.tasks[0].stats["errors"]
    triples = [[r, f or None, t] for r, f, t in report.flatten(["rowNumber", "fieldName", "type"])]
else:
    meta = {"slug": "population_by_area_age", "version": "current", "title_ja": "地域・年齢別人口"}
    definition = Definition(key="bench/population", meta=meta, schema=schema)
    report = validate(path, Workspace.of(Settings()), Options(definition=definition, per_group=None))
    rows, errors = report.rows, report.errors
    triples = [[f.row, f.field, f.type] for f in report.findings.kept()]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mib": hwm(), "before_mib": before, "rows": rows,
                  "errors": errors, "triples": triples}))
"""


def run(mode: str, path: Path, schema: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(schema)], capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--errors", type=int, default=200)
    parser.add_argument("--path", type=Path, default=DEFAULT)
    args = parser.parse_args()
    subprocess.run(
        [sys.executable, str(HERE / "make_population.py"), str(args.path), "--rows", str(args.rows),
         "--errors", str(args.errors)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    schema = args.path.with_name(args.path.stem + ".schema.json")
    results = {mode: run(mode, args.path, schema) for mode in ("read", "frictionless", "portal")}
    size = args.path.stat().st_size / 2**20
    print(
        f"{args.path} — {args.rows} rows x 16 columns, {size:.1f} MiB, {args.errors} planted errors"
    )
    print(f"{'':14}{'wall s':>9}{'peak MiB':>10}{'rows':>9}{'errors':>8}")
    for mode, r in results.items():
        print(f"{mode:14}{r['seconds']:9.2f}{r['peak_mib']:10}{r['rows']:9}{r['errors']:8}")
    fl, portal, read = (float(results[m]["seconds"]) for m in ("frictionless", "portal", "read"))  # type: ignore[arg-type]
    print(
        f"ratio frictionless / portal: {fl / portal:.1f}x  (portal / reading the file alone: {portal / read:.1f}x)"
    )
    theirs = {tuple(t) for t in results["frictionless"]["triples"]}  # type: ignore[union-attr]
    ours = {tuple(t) for t in results["portal"]["triples"]}  # type: ignore[union-attr]
    missing = theirs - ours
    print(
        f"parity: {len(theirs)} frictionless findings, {len(missing)} missing from portal's report"
    )
    if missing:
        sys.exit(f"parity broken: {sorted(missing, key=str)[:10]}")


if __name__ == "__main__":
    main()
