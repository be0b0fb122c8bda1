"""Benchmark: coverage for a synthetic national catalogue (issue 14).

    .venv/bin/python bench/coverage.py [--seed 1] [--runs 5]

1,741 organizations (every city, special ward, town and village of the directory) × the 17
standard datasets, each cell drawn at random: published valid or invalid (要修正), stale
(published long ago), missing, or not applicable (an exemption); the published ones as
catalogue packages in the CKAN shape with the portal's extras and an update frequency.
12 months of snapshots (one per organization per month) in a SQLite portal database.

Times, best of --runs:
1. compute: `portal.coverage.model.compute` of the whole matrix from the packages
   (goal < 1 s);
2. page: GET /coverage rendered by the app (signed in as a DX office admin of one city; the
   matrix, the gaps, the trend chart from the 12 months of snapshots), with the matrix
   already computed, as `local_coverage` returns it (goal < 300 ms);
3. to_json: the API's answer for the whole matrix, for reference.
It also says whether importing the app imports pandas (it must not: start-up time).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from figures import Figures  # noqa: E402  # bench/figures.py, beside this script

from portal.catalogue.meta import PortalMeta, Validation  # noqa: E402
from portal.catalogue.metadata import FREQUENCY, frequencies  # noqa: E402
from portal.coverage import model  # noqa: E402
from portal.coverage.model import Exemption  # noqa: E402
from portal.localgov import load  # noqa: E402
from portal.standards import Registry  # noqa: E402

MUNICIPAL = ("city", "special_ward", "town", "village")
GOAL_COMPUTE, GOAL_PAGE = 1.0, 0.300  # seconds
MONTHS = 12
# How the cells are drawn: valid, invalid, stale, missing, not applicable.
WEIGHTS = {"valid": 45, "invalid": 10, "stale": 15, "missing": 25, "exempt": 5}
OFFICE = "272248"  # the signed-in DX office: 摂津市


def synthetic(seed: int, now: datetime) -> tuple[list[dict[str, Any]], list[Exemption], list[str]]:
    rng = random.Random(seed)
    directory = load()
    lgcodes = sorted(b.lgcode for b in directory if b.kind in MUNICIPAL)
    datasets = model.standard_datasets(Registry(ROOT / "datasets"))
    monthly = frequencies()["monthly"].uri
    packages, exemptions = [], []
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    for lgcode in lgcodes:
        for dataset in datasets:
            kind = rng.choices(kinds, weights)[0]
            if kind == "missing":
                continue
            if kind == "exempt":
                exemptions.append(Exemption(lgcode, dataset.key, "該当施設なし", "bench", now))
                continue
            age = rng.randint(400, 900) if kind == "stale" else rng.randint(0, 170)
            meta = PortalMeta(standard=dataset.key, standard_version="current", lgcode=lgcode,
                              validation=Validation.of(kind != "invalid", rng.randint(1, 50)),
                              content_hash=f"{rng.getrandbits(64):016x}", rows=rng.randint(1, 500),
                              published_at=now - timedelta(days=age), published_by=lgcode)  # fmt: skip
            name = f"{lgcode}-{dataset.key}"
            extras = meta.to_extras()
            if rng.random() < 0.3:
                extras.append({"key": FREQUENCY, "value": monthly})
            packages.append({"name": name, "title": name, "owner_org": lgcode, "extras": extras,
                             "resources": [{"name": f"{name}.validation.html",
                                            "url": f"/files/{name}/{name}.validation.html"}]})  # fmt: skip
    return packages, exemptions, lgcodes


def best(runs: int, call: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return min(times), result


def snapshots(store: Any, coverage: model.Coverage, seed: int) -> int:
    """12 monthly snapshots per organization, coverage drifting up towards today's."""
    from portal.coverage.models import CoverageSnapshot

    rng = random.Random(seed)
    today = {o.lgcode: coverage.covered(lgcode=o.lgcode) for o in coverage.organizations}
    rows = []
    for month in range(MONTHS):
        at = coverage.at - timedelta(days=30 * (MONTHS - 1 - month))
        for lgcode, (covered, total) in today.items():
            earlier = max(0, covered - rng.randint(0, MONTHS - 1 - month))
            rows.append(CoverageSnapshot(at=at, scope=model.LOCAL, lgcode=lgcode,
                                         covered=earlier, total=total, states={}))  # fmt: skip
    with store.writing() as session:
        session.add_all(rows)
    return len(rows)


def page_seconds(coverage: model.Coverage, runs: int, seed: int) -> tuple[float, int, int]:
    from fastapi.testclient import TestClient

    from portal.accounts.auth import Actor
    from portal.accounts.http import optional_actor
    from portal.composition import Portal
    from portal.server import create_app
    from portal.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(datasets_dir=ROOT / "datasets", data_dir=Path(tmp) / "var",
                            catalogue="embedded", rate_limit=0)  # type: ignore[call-arg]  # fmt: skip
        portal = Portal.open(settings)
        written = snapshots(portal.store, coverage, seed)
        model.local_coverage = lambda *args, **kwargs: coverage  # the matrix, computed above
        app = create_app(settings, portal)
        app.dependency_overrides[optional_actor] = lambda: Actor(1, "dx-office", {OFFICE: "admin"})
        with TestClient(app) as client:
            client.get("/coverage")  # templates compiled, the first connection made
            seconds, response = best(runs, lambda: client.get("/coverage", follow_redirects=False))
        portal.close()
    assert response.status_code == 200 and "<svg" in response.text, response.text[:500]
    return seconds, len(response.content), written


def pandas_at_start() -> bool:
    code = "import sys, portal.server, portal.api.routes.coverage; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return out.stdout.strip() == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures here (bench/report.py)")
    args = parser.parse_args()
    now = datetime.now(UTC)
    packages, exemptions, lgcodes = synthetic(args.seed, now)
    registry, directory = Registry(ROOT / "datasets"), load()
    compute_s, coverage = best(args.runs, lambda: model.compute(
        packages, registry, directory, exemptions, now=now, organizations=lgcodes))  # fmt: skip
    states = {s: sum(c.state == s for c in coverage.cells) for s in model.CellState}
    print(f"catalogue: {len(coverage.organizations)} organizations × {len(coverage.datasets)} "
          f"datasets = {len(coverage.cells)} cells, {len(packages)} packages, "
          f"{len(exemptions)} exemptions")  # fmt: skip
    print("states: " + ", ".join(f"{s.value} {n}" for s, n in states.items()))
    json_s, _ = best(args.runs, lambda: model.to_json(coverage))
    page_s, size, written = page_seconds(coverage, args.runs, args.seed)
    print(f"snapshots: {written} ({MONTHS} months)")
    figures = Figures()
    for label, seconds, goal in (("compute", compute_s, GOAL_COMPUTE),
                                 ("page /coverage", page_s, GOAL_PAGE)):  # fmt: skip
        verdict = "ok" if seconds < goal else "OVER"
        print(f"{label:>15}: {seconds * 1000:8.1f} ms  (goal < {goal * 1000:.0f} ms) {verdict}")
        figures.add(f"coverage {label} (1,741 × 17, best of {args.runs})", seconds * 1000, "ms",
                    goal=f"< {goal * 1000:.0f} ms", met=seconds < goal)  # fmt: skip
    print(f"{'to_json':>15}: {json_s * 1000:8.1f} ms  (the API's answer, for reference)")
    figures.add("coverage to_json (the API's answer)", json_s * 1000, "ms")
    pandas = pandas_at_start()
    print(f"page size: {size / 1024:.0f} KiB; pandas imported by the app at start-up: {pandas}")
    figures.add("coverage page size", size / 1024, "KiB")
    figures.add("the app imports pandas at start-up (1 = yes)", float(pandas), "",
                goal="0", met=not pandas)  # fmt: skip
    figures.write(args.json)


if __name__ == "__main__":
    main()
