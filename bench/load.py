"""Benchmark: a 60-second load run of the public rows API (issue 17).

    .venv/bin/python bench/load.py [--seconds 60] [--clients 8] [--municipalities 200]
                                   [--postgres postgresql+psycopg://…] [--json PATH]

Publishes the AED設置箇所一覧 of the first N municipalities (200 rows each, deterministic,
near each city hall; bench/nationwide.py) into a portal of its own (embedded catalogue,
rows store on SQLite; then on PostgreSQL too with --postgres, default
PORTAL_TEST_DATABASE_URL, in a schema made for the run and dropped after), serves it with
`portal serve` in its own process on loopback (PORTAL_RATE_LIMIT=0), and drives it for
--seconds with --clients clients, each one request at a time, in a realistic mix:

  filter    one municipality's dataset rows filtered on a field (/api/v1/datasets/{name}/rows)
  page      a page of a dataset's rows at an offset
  near      the AEDs within 3 km of a point, across municipalities (/api/v1/standard/aed/rows)
  lgcodes   a few municipalities' rows with a text filter, across municipalities
  csv       one dataset's CSV download

Reports requests, throughput, p50/p99 (all and per kind) and errors. Goals: p99 < 50 ms,
0 errors.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import Figures
from nationwide import (
    PLACES,
    Tally,
    drive,
    median,
    municipalities,
    percentile,
    portal_env,
    postgres_schema,
    publish,
    serving,
)

from portal.localgov import LocalGov

GOAL_P99_MS = 50.0
WARM_UP_SECONDS = 3.0  # first requests compile templates and open connections: not measured
MIX = {"filter": 35, "page": 25, "near": 20, "lgcodes": 10, "csv": 10}  # weights of the kinds
NEAR_METRES = 3000
ROWS = 200  # rows per municipality


def mix(towns: list[LocalGov]) -> Callable[[random.Random], tuple[str, str]]:
    """The next request of a client: its kind and path, drawn by the client's own generator."""
    kinds, weights = list(MIX), list(MIX.values())

    def next_request(rng: random.Random) -> tuple[str, str]:
        kind, town = rng.choices(kinds, weights)[0], rng.choice(towns)
        name = f"{town.lgcode}-aed"
        if kind == "filter":
            query = {"小児対応設備の有無": rng.choice(["有", "無"]), "limit": 20}
            return kind, f"/api/v1/datasets/{name}/rows?{urlencode(query)}"
        if kind == "page":
            query = {"limit": 50, "offset": 50 * rng.randint(0, ROWS // 50 - 1)}
            return kind, f"/api/v1/datasets/{name}/rows?{urlencode(query)}"
        if kind == "near":
            query = {"lat": f"{town.lat + rng.uniform(-0.01, 0.01):.5f}",
                     "lon": f"{town.lng + rng.uniform(-0.01, 0.01):.5f}",
                     "distance": NEAR_METRES, "limit": 20}  # fmt: skip
            return kind, f"/api/v1/standard/aed/rows?{urlencode(query)}"
        if kind == "lgcodes":
            codes = ",".join(t.lgcode for t in rng.sample(towns, 3))
            query = {"lgcode": codes, "名称__like": rng.choice(PLACES), "limit": 20}
            return kind, f"/api/v1/standard/aed/rows?{urlencode(query)}"
        return kind, f"/api/v1/datasets/{name}/download.csv"

    return next_request


def run(label: str, env: dict[str, str], towns: list[LocalGov], args: argparse.Namespace,
        work: Path, figures: Figures) -> None:  # fmt: skip
    seconds = publish(towns, ROWS, args.seed, work, env)
    print(f"{label}: published {len(towns)} datasets × {ROWS} rows in {seconds:.1f} s")
    with serving(env, args.port, args.workers) as base:
        drive(base, args.clients, mix(towns), seconds=WARM_UP_SECONDS, seed=args.seed + 1)
        started = time.perf_counter()
        tally = drive(base, args.clients, mix(towns), seconds=args.seconds, seed=args.seed)
        elapsed = time.perf_counter() - started
    report(label, tally, elapsed, args, figures)


def report(label: str, tally: Tally, elapsed: float, args: argparse.Namespace,
           figures: Figures) -> None:  # fmt: skip
    every = tally.all()
    errors = sum(tally.errors.values())
    p50, p99 = 1000 * median(every), 1000 * percentile(every, 99)
    print(f"{label}: {len(every)} requests in {elapsed:.1f} s by {args.clients} clients: "
          f"{len(every) / elapsed:.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"errors {tally.errors or 'none'}")  # fmt: skip
    for kind, latencies in sorted(tally.latencies.items()):
        print(f"  {kind:<8} {len(latencies):6} requests, p50 {1000 * median(latencies):6.1f} ms, "
              f"p99 {1000 * percentile(latencies, 99):6.1f} ms")  # fmt: skip
    scope = f"load {label}, {args.clients} clients, {args.workers} worker(s), {args.seconds:.0f} s"
    figures.add(f"{scope}: requests", len(every), "requests")
    figures.add(f"{scope}: throughput", len(every) / elapsed, "req/s")
    figures.add(f"{scope}: p50", p50, "ms")
    figures.add(f"{scope}: p99", p99, "ms", goal=f"< {GOAL_P99_MS:.0f} ms",
                met=p99 < GOAL_P99_MS, note=limits(tally, elapsed, args))  # fmt: skip
    for kind, latencies in sorted(tally.latencies.items()):
        figures.add(f"{scope}: p99 {kind}", 1000 * percentile(latencies, 99), "ms")
    figures.add(f"{scope}: errors", errors, "requests", goal="0", met=errors == 0,
                note=", ".join(f"{k}: {n}" for k, n in tally.errors.items()))  # fmt: skip


def limits(tally: Tally, elapsed: float, args: argparse.Namespace) -> str:
    """What bounds the p99: the slowest kind, and the queueing that concurrency alone causes
    (Little's law: with N requests always in flight, the mean latency is N / throughput)."""
    every = tally.all()
    per_kind = {k: 1000 * percentile(v, 99) for k, v in tally.latencies.items()}
    queued = 1000 * args.clients / (len(every) / elapsed) if every else 0.0
    return "\n".join([
        "p99 by kind: " + ", ".join(f"{k} {v:.1f} ms" for k, v in sorted(per_kind.items())),
        f"{args.clients} requests always in flight on {os.cpu_count()} cores (server and clients "
        f"share them), {args.workers} server process(es): mean latency = clients / throughput "
        f"= {queued:.1f} ms; load average at the end {os.getloadavg()[0]:.2f}",
    ])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the measured run")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="portal serve --workers")
    parser.add_argument("--municipalities", type=int, default=200, help="datasets published")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--postgres", default=os.environ.get("PORTAL_TEST_DATABASE_URL"),
                        help="also on PostgreSQL (default PORTAL_TEST_DATABASE_URL; '' for none)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="write the figures here (bench/report.py)")
    args = parser.parse_args()
    towns, figures = municipalities(args.municipalities), Figures()
    with tempfile.TemporaryDirectory(prefix="portal-bench-load-") as tmp:
        work = Path(tmp)
        run("sqlite", portal_env(work / "var-sqlite"), towns, args, work / "sqlite", figures)
        if args.postgres:
            with postgres_schema(args.postgres) as url:
                env = portal_env(work / "var-postgresql", url)
                run("postgresql", env, towns, args, work / "postgresql", figures)
    figures.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
