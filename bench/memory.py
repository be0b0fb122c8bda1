"""Benchmark: peak memory of validate, convert and publish on a big CSV (issue 17: flat memory).

    .venv/bin/python bench/memory.py [--mb 64] [--dir /tmp/portal-bench/memory] [--json PATH]
    .venv/bin/python bench/memory.py --mb 1024        # the real run: a 1 GB CSV

Writes a department's 施設台帳 of about `--mb` MiB (UTF-8, 8 columns: number, name, kana,
address, latitude, longitude, phone, description) and a recipe for the 公共施設 standard, then
runs, each as its own `portal` process (so its peak is its own, read by wait4):
  convert   `portal convert` of the department CSV: the standard CSV, JSON, GeoJSON;
  validate  `portal validate` of the standard CSV that convert wrote;
  publish   `portal publish --catalogue embedded` of the converted folder (hash, copy into
            the embedded catalogue, load the rows store, archive the version).
Prints each step's wall time and peak RSS against the ceiling (goal: under it whatever the
size), and the sizes of the files convert wrote (JSON and GeoJSON against the CSV).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import Figures  # noqa: E402  (a sibling script, not a package)

CEILING_MIB = 300  # issue 17: validate, convert and publish stay under it whatever the size
PORTAL = Path(sys.executable).parent / "portal"
LGCODE, CITY = "222127", "静岡県焼津市"
HEADER = ["施設番号", "施設名", "施設名カナ", "住所", "緯度", "経度", "電話番号", "説明"]
RECIPE = f"""version: 1
title: 焼津市 施設台帳（ベンチマーク）
source:
  path: facilities.csv
target:
  dataset: public_facility
  lgcode: "{LGCODE}"
constants:
  全国地方公共団体コード: "{LGCODE}"
  地方公共団体名: {CITY}
columns:
  ID: {{from: 施設番号}}
  名称: {{from: 施設名}}
  名称_カナ: {{from: 施設名カナ}}
  所在地_連結表記: {{from: 住所}}
  緯度: {{from: 緯度, normalize: [coordinate]}}
  経度: {{from: 経度, normalize: [coordinate]}}
  電話番号: {{from: 電話番号}}
  説明: {{from: 説明}}
"""
KINDS = ["公民館", "図書館", "体育館", "集会所", "児童館", "市民プール", "文化センター"]
KANA = ["コウミンカン", "トショカン", "タイイクカン", "シュウカイジョ", "ジドウカン", "シミンプール",
        "ブンカセンター"]  # fmt: skip
TOWNS = ["本町", "栄町", "駅北", "大住", "小川", "石津", "三ケ名", "八楠", "中里", "五ケ堀之内"]
NOTES = ["駐車場あり。", "土日祝日は休館。", "バリアフリー対応。", "要予約。", "年末年始は休館。"]


def write_department_csv(path: Path, mib: int, seed: int = 20261204) -> int:
    """About `mib` MiB of valid rows; the number of rows."""
    rand = random.Random(seed)
    target, rows = mib << 20, 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        out.writerow(HEADER)
        while fh.tell() < target:
            batch = []
            for _ in range(10_000):
                rows += 1
                k, town = rand.randrange(len(KINDS)), rand.choice(TOWNS)
                batch.append([
                    f"F{rows:08d}", f"{town}{KINDS[k]}{rows}", KANA[k],
                    f"{CITY}{town}{rand.randint(1, 9)}丁目{rand.randint(1, 40)}番{rand.randint(1, 20)}号",
                    f"{34.8 + rand.random() / 10:.6f}", f"{138.25 + rand.random() / 10:.6f}",
                    f"054-{rand.randint(600, 699)}-{rand.randint(0, 9999):04d}",
                    "".join(rand.sample(NOTES, 3)) * 2,
                ])  # fmt: skip
            out.writerows(batch)
    return rows


def measure(step: str, args: list[str], env: dict[str, str], logs: Path) -> dict[str, float]:
    """Run one `portal` command; its wall time and its own peak RSS (wait4's ru_maxrss)."""
    started = time.perf_counter()
    with (logs / f"{step}.out").open("wb") as out, (logs / f"{step}.err").open("wb") as err:
        process = subprocess.Popen([str(PORTAL), *args], env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # reaped here: its rusage is its own
        process.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if code not in (0, 1):  # validate answers 1 for a file with errors: still measured
        text = (logs / f"{step}.err").read_text(errors="replace")[-3000:]
        sys.exit(f"{step} failed ({code}):\n{text}")
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "exit": code}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=64, help="size of the CSV in MiB (1024: 1 GB)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/portal-bench/memory"))
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the files afterwards")
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    source, out, data = args.dir / "facilities.csv", args.dir / "converted", args.dir / "var"
    args.dir.mkdir(parents=True)
    rows = write_department_csv(source, args.mb)
    recipe = args.dir / "facilities.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    env = {**os.environ, "PORTAL_DATA_DIR": str(data), "PORTAL_CATALOGUE": "embedded",
           "PORTAL_DATABASE_URL": ""}  # fmt: skip
    env.pop("CKAN_URL", None)
    print(
        f"{rows:,} rows, {source.stat().st_size / 2**20:.0f} MiB department CSV; ceiling {CEILING_MIB} MiB"
    )
    results = {}
    # --allow-invalid: the memory of publishing is measured whatever validation found
    steps = [
        ("convert", ["convert", str(recipe), "--out", str(out)]),
        ("validate", ["validate", str(out / f"{LGCODE}_public_facility.csv"),
                      "--dataset", "public_facility", "--format", "json", "--out",
                      str(args.dir / "report.json")]),
        ("publish", ["publish", str(out), "--catalogue", "embedded", "--allow-invalid"]),
    ]  # fmt: skip
    for step, command in steps:
        results[step] = measure(step, command, env, args.dir)
        r = results[step]
        print(f"{step:9}{r['seconds']:9.1f} s{r['peak_mib']:9.0f} MiB peak")
    figures = Figures()
    for step, r in results.items():
        met = r["peak_mib"] < CEILING_MIB
        figures.add(f"memory: {step} peak RSS ({args.mb} MiB CSV)", round(r["peak_mib"], 1), "MiB",
                    goal=f"< {CEILING_MIB} MiB", met=met)  # fmt: skip
        figures.add(f"memory: {step} wall time ({args.mb} MiB CSV)", round(r["seconds"], 2), "s")
    sizes(out, figures)
    figures.write(args.json)
    if not args.keep:
        shutil.rmtree(args.dir, ignore_errors=True)


def sizes(out: Path, figures: Figures) -> None:
    """The converted files' sizes, and how much gzip takes off each (what a download sends)."""
    csv_bytes = (out / f"{LGCODE}_public_facility.csv").stat().st_size
    for kind in ("csv", "json", "geojson"):
        path = out / f"{LGCODE}_public_facility.{kind}"
        size = path.stat().st_size
        packed = gzipped_size(path)
        print(
            f"{kind:9}{size / 2**20:9.0f} MiB  ({size / csv_bytes:.2f}x the CSV; gzip {packed / 2**20:.0f} MiB)"
        )
        figures.add(f"output size: {kind}", round(size / 2**20, 1), "MiB", baseline="output size: csv",
                    ratio=round(size / csv_bytes, 2))  # fmt: skip
        figures.add(f"output size: {kind} gzip", round(packed / 2**20, 1), "MiB",
                    baseline=f"output size: {kind}", ratio=round(packed / size, 3))  # fmt: skip


def gzipped_size(path: Path) -> int:
    """Bytes of `path` gzipped at level 6 (what a download sends), read in blocks."""
    total, compressor = 0, zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            total += len(compressor.compress(block))
    return total + len(compressor.flush())


if __name__ == "__main__":
    main()
