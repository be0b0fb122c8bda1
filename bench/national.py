"""Benchmark: cross-municipality queries over a national-size standard (issue 17).

    .venv/bin/python bench/national.py [--municipalities 1741] [--rows 200] [--requests 200]
                                       [--postgres postgresql+psycopg://…] [--keep DIR] [--json PATH]

Publishes the AED設置箇所一覧 of every municipality of the directory (1,741 × 200 rows,
deterministic, each under its own code near its city hall; bench/nationwide.py) with
`portal publish` into a portal of its own (embedded catalogue, rows store on SQLite; then on
PostgreSQL too with --postgres, default PORTAL_TEST_DATABASE_URL, in a schema of its own),
serves it with `portal serve` on loopback, and times --requests requests of each kind of
/api/v1/standard/aed/rows, one at a time:

  lgcode    one municipality's rows
  lgcodes   five municipalities of one prefecture, 50 rows
  near      within 5 km of a point, nearest first
  text      名称 containing a word, nationwide
  q         free text (a municipality's name) in any text field, nationwide
  page      100 rows at an offset up to 10,000, nationwide

Goal: p99 < 100 ms for each. A kind that misses it is profiled in-process (cProfile of the
app answering the same requests): the top entries go into the figure's note. --keep DIR
publishes into DIR once and reuses it on the next run (SQLite only).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fastapi.encoders import jsonable_encoder
from figures import Figures
from nationwide import (
    PLACES,
    ROOT,
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
from starlette.requests import Request

from portal.api.routes.data import RowParams, standard_rows
from portal.composition import Portal
from portal.localgov import LocalGov
from portal.settings import Settings

GOAL_P99_MS = 100.0
PROFILE_REQUESTS = 30  # requests of a slow kind profiled in-process
PROFILE_TOP = 12  # entries of the profile in the note
WARM_UP = 20  # requests before the measured ones (caches, connections)
Draw = Callable[[random.Random], tuple[str, str]]  # draws one request: kind, path


def kinds(towns: list[LocalGov]) -> dict[str, Draw]:
    """Each kind of query: a function drawing one request of it."""
    by_prefecture: dict[str, list[LocalGov]] = {}
    for town in towns:
        by_prefecture.setdefault(town.prefecture, []).append(town)
    prefectures = [p for p in by_prefecture.values() if len(p) >= 5] or [towns]

    def rows(query: dict[str, object]) -> str:
        return f"/api/v1/standard/aed/rows?{urlencode(query)}"

    def near(rng: random.Random) -> str:
        town = rng.choice(towns)
        return rows({"lat": f"{town.lat + rng.uniform(-0.01, 0.01):.5f}",
                     "lon": f"{town.lng + rng.uniform(-0.01, 0.01):.5f}", "distance": 5000, "limit": 20})  # fmt: skip

    draw: dict[str, Callable[[random.Random], str]] = {
        "lgcode": lambda rng: rows({"lgcode": rng.choice(towns).lgcode, "limit": 20}),
        "lgcodes": lambda rng: rows(
            {
                "lgcode": ",".join(t.lgcode for t in rng.sample(rng.choice(prefectures), 5)),
                "limit": 50,
            }
        ),  # fmt: skip
        "near": near,
        "text": lambda rng: rows({"名称__like": rng.choice(PLACES), "limit": 20}),
        "q": lambda rng: rows({"q": rng.choice(towns).name, "limit": 20}),
        "page": lambda rng: rows({"limit": 100, "offset": 100 * rng.randint(0, 100)}),
    }
    return {kind: (lambda rng, kind=kind, f=f: (kind, f(rng))) for kind, f in draw.items()}  # type: ignore[misc]


def short_words(towns: list[LocalGov]) -> str:
    """Why some free-text queries read every row: the names the `q` kind draws that are too
    short for the trigram index (portal/rows/text_index.py, pg_text.py)."""
    short = sorted({t.name for t in towns if len(t.name) < 3})
    return (f"{len(short)} of {len(towns):,} municipality names drawn as q have fewer than 3 "
            f"characters ({', '.join(short[:8])}{' …' if len(short) > 8 else ''}): a trigram index "
            "has nothing to look up for them, so every row's text fields are read (LIKE); a name "
            "of 3 or more characters is answered from the index (see the p50). Profile:")  # fmt: skip


def measure(label: str, env: dict[str, str], towns: list[LocalGov], args: argparse.Namespace,
            figures: Figures) -> None:  # fmt: skip
    """Every kind timed on the served portal; a kind over its goal profiled in-process after
    the server has stopped (not competing with it), its top entries in the figure's note."""
    timed: dict[str, Tally] = {}
    requests = kinds(towns)
    with serving(env, args.port) as base:
        for kind, request in requests.items():
            drive(base, 1, request, requests=WARM_UP, seed=args.seed + 1)
            timed[kind] = tally = drive(
                base, args.clients, request, requests=args.requests, seed=args.seed
            )
            print(f"{label:<10} {kind:<8} {len(tally.all())} requests: p50 {1000 * median(tally.all()):6.1f} ms, "
                  f"p99 {1000 * percentile(tally.all(), 99):6.1f} ms, errors {tally.errors or 'none'}", flush=True)  # fmt: skip
    for kind, tally in timed.items():
        p50, p99 = 1000 * median(tally.all()), 1000 * percentile(tally.all(), 99)
        note = profile(env, requests[kind], args.seed) if p99 >= GOAL_P99_MS else ""
        if note and kind == "q":
            note = short_words(towns) + "\n" + note
        if note:
            print(f"{label} {kind}: {note}")
        scope = f"national {label}, {len(towns):,} × {args.rows}, {kind}"
        figures.add(f"{scope}: p50", p50, "ms")
        figures.add(
            f"{scope}: p99",
            p99,
            "ms",
            goal=f"< {GOAL_P99_MS:.0f} ms",
            met=p99 < GOAL_P99_MS,
            note=note,
        )
        if tally.errors:
            figures.add(f"{scope}: errors", sum(tally.errors.values()), "requests", goal="0", met=False,
                        note=", ".join(f"{k}: {n}" for k, n in tally.errors.items()))  # fmt: skip


@contextmanager
def opened(env: dict[str, str]) -> Iterator[Portal]:
    """The served portal opened in this process (the same data and database), for profiling."""
    settings = Settings(datasets_dir=ROOT / "datasets", data_dir=Path(env["PORTAL_DATA_DIR"]),
                        catalogue="embedded", rate_limit=0,
                        database_url=env.get("PORTAL_DATABASE_URL"))  # fmt: skip
    portal = Portal.open(settings)
    try:
        yield portal
    finally:
        portal.close()


def answer(portal: Portal, path: str) -> None:
    """What the app does for `path` but HTTP: the route's function, its body encoded as the
    response is. In this thread (a TestClient answers in another, where cProfile sees nothing)."""
    parts = urlsplit(path)
    given = dict(parse_qsl(parts.query))
    scope = {"type": "http", "method": "GET", "path": parts.path, "headers": [],
             "query_string": parts.query.encode(), "scheme": "http", "server": ("127.0.0.1", 80)}  # fmt: skip
    params = RowParams(q=given.get("q"), limit=int(given.get("limit", 100)),
                       offset=int(given.get("offset", 0)))  # fmt: skip
    near = {k: float(given[k]) for k in ("lat", "lon", "distance") if k in given}
    body = standard_rows(Request(scope), "aed", portal, params, lgcode=given.get("lgcode"), **near)
    json.dumps(jsonable_encoder(body), ensure_ascii=False).encode()


def profile(env: dict[str, str], request: Draw, seed: int) -> str:
    """cProfile of PROFILE_REQUESTS answers in-process: the top entries by own time."""
    rng = random.Random(seed)
    paths = [request(rng)[1] for _ in range(PROFILE_REQUESTS)]
    profiler = cProfile.Profile()
    try:
        with opened(env) as portal:
            answer(portal, paths[0])  # connections opened, caches filled: not profiled
            profiler.enable()
            for path in paths:
                answer(portal, path)
            profiler.disable()
    except Exception as exc:  # a profile is an aid: the figure stands without it
        return f"(profile failed: {type(exc).__name__}: {exc})"
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(PROFILE_TOP)
    lines = [
        line.replace(str(ROOT) + "/", "") for line in out.getvalue().splitlines() if line.strip()
    ]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    header = (f"cProfile of {PROFILE_REQUESTS} answers in-process (standard_rows and JSON "
              f"encoding, no HTTP), top {PROFILE_TOP} by own time (s):")  # fmt: skip
    return "\n".join([header, *lines[start : start + PROFILE_TOP + 1]])


def prepared(label: str, data_dir: Path, towns: list[LocalGov], args: argparse.Namespace,
             figures: Figures, database_url: str | None = None) -> dict[str, str]:  # fmt: skip
    """The portal's environment, its datasets published (unless --keep already holds them)."""
    env = portal_env(data_dir / "var", database_url)
    marker = data_dir / f"published-{len(towns)}x{args.rows}-{args.seed}"
    if marker.exists():
        print(f"{label:<10} reusing {data_dir}")
        return env
    seconds = publish(towns, args.rows, args.seed, data_dir, env)
    print(
        f"{label:<10} published {len(towns):,} datasets × {args.rows} rows in {seconds:.0f} s",
        flush=True,
    )
    if database_url is None:
        marker.touch()
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=None, help="default: all 1,741")
    parser.add_argument("--rows", type=int, default=200, help="rows per municipality")
    parser.add_argument("--requests", type=int, default=200, help="per kind of query")
    parser.add_argument("--clients", type=int, default=1, help="requests at a time")
    parser.add_argument("--seed", type=int, default=1741)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--postgres", default=os.environ.get("PORTAL_TEST_DATABASE_URL"),
                        help="also on PostgreSQL (default PORTAL_TEST_DATABASE_URL; '' for none)")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="publish into this folder once, reuse it after")
    parser.add_argument("--json", type=Path, help="write the figures here (bench/report.py)")
    args = parser.parse_args()
    towns, figures = municipalities(args.municipalities), Figures()
    with tempfile.TemporaryDirectory(prefix="portal-bench-national-") as tmp:
        sqlite_dir = args.keep or Path(tmp) / "sqlite"
        measure(
            "sqlite", prepared("sqlite", sqlite_dir, towns, args, figures), towns, args, figures
        )
        if args.postgres:
            with postgres_schema(args.postgres) as url:
                env = prepared("postgresql", Path(tmp) / "postgresql", towns, args, figures, url)
                measure("postgresql", env, towns, args, figures)
    figures.write(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
