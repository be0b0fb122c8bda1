"""What bench/load.py and bench/national.py share: deterministic AED設置箇所一覧 of every
municipality (each under its own code, near its city hall), published by `portal publish`
into a portal of its own; `portal serve` of that portal; a bounded load client; percentiles.
"""

from __future__ import annotations

import csv
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from portal.localgov import LocalGov, load  # noqa: E402
from portal.standards import Registry  # noqa: E402

PORTAL = str(Path(sys.executable).with_name("portal"))
MUNICIPAL = ("city", "special_ward", "town", "village")  # 1,741 in the directory
PLACES = ("公民館", "小学校", "中学校", "図書館", "体育館", "市民センター", "駅", "保育所",
          "コミュニティセンター", "庁舎")  # fmt: skip
SPREAD = 0.03  # degrees around the city hall the AEDs are placed in (about 3 km)
PUBLISH_BATCH = 200  # recipes per `portal publish` (argument lists stay short)
START_SECONDS = 60  # how long `portal serve` may take to answer


def municipalities(limit: int | None = None) -> list[LocalGov]:
    """Every city, special ward, town and village of the directory (or the first `limit`)."""
    towns = [g for g in load() if g.kind in MUNICIPAL and g.lat and g.lng]
    return towns[:limit] if limit else towns


def aed_row(town: LocalGov, i: int, rng: random.Random) -> dict[str, str]:
    place = f"{town.name}立{rng.choice(PLACES)}{rng.randint(1, 40)}"
    return {"全国地方公共団体コード": town.lgcode, "ID": f"{i:05d}", "地方公共団体名": town.name,
            "名称": place, "所在地_全国地方公共団体コード": town.lgcode,
            "所在地_連結表記": f"{town.prefecture}{town.name}本町{rng.randint(1, 9)}-{rng.randint(1, 30)}",
            "所在地_都道府県": town.prefecture, "所在地_市区町村": town.name,
            "緯度": f"{town.lat + rng.uniform(-SPREAD, SPREAD):.6f}",
            "経度": f"{town.lng + rng.uniform(-SPREAD, SPREAD):.6f}",
            "設置位置": f"{rng.randint(1, 3)}階入口", "電話番号": f"0{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            "開始時間": "09:00", "終了時間": "17:00", "小児対応設備の有無": rng.choice(["有", "無"])}  # fmt: skip


def write_recipe(work: Path, town: LocalGov, rows: int, seed: int, fields: list[str]) -> Path:
    """The municipality's AED table (`rows` rows) and the recipe that converts it."""
    rng = random.Random(f"{seed}-{town.lgcode}")
    source = work / f"{town.lgcode}-aed.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(fields)
        for i in range(1, rows + 1):
            values = aed_row(town, i, rng)
            out.writerow([values.get(f, "") for f in fields])
    recipe = work / f"{town.lgcode}-aed.yaml"
    recipe.write_text(json.dumps({"version": 1, "title": f"{town.name} AED（bench）",
                                  "source": {"path": source.name},
                                  "target": {"dataset": "aed", "lgcode": town.lgcode},
                                  "columns": {f: {"from": f} for f in fields}}, ensure_ascii=False),
                      encoding="utf-8")  # fmt: skip
    return recipe


def portal_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """A portal of its own: embedded catalogue, no rate limit (a load run is not an abuse)."""
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_CATALOGUE": "embedded",
           "PORTAL_RATE_LIMIT": "0"}  # fmt: skip
    env.pop("PORTAL_DATABASE_URL", None)
    env.pop("CKAN_URL", None)
    if database_url:
        env["PORTAL_DATABASE_URL"] = database_url
    return env


def publish(towns: list[LocalGov], rows: int, seed: int, work: Path, env: dict[str, str]) -> float:
    """Convert and publish every municipality's AED (`portal publish` of the recipes, which
    loads their rows into the rows store); the seconds it took."""
    sources = work / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    fields = Registry(ROOT / "datasets").get("aed").field_names
    recipes = [write_recipe(sources, town, rows, seed, fields) for town in towns]
    started = time.perf_counter()
    for i in range(0, len(recipes), PUBLISH_BATCH):
        batch = [str(r) for r in recipes[i : i + PUBLISH_BATCH]]
        done = subprocess.run([PORTAL, "publish", "--catalogue", "embedded", "--allow-invalid", *batch],
                              env=env, cwd=work, capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"portal publish failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return time.perf_counter() - started


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A schema of its own for the run, dropped after: the portal's database URL on it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def serving(env: dict[str, str], port: int, workers: int = 1) -> Iterator[str]:
    """`portal serve` on loopback in its own process; its base URL while the block runs."""
    command = [
        PORTAL,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"portal serve exited with status {server.returncode}")
        try:
            status, _ = get(HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=5),
                            "/api/v1/standards")  # fmt: skip
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"portal serve did not answer within {START_SECONDS} s")


def get(http: HTTPConnection, path: str) -> tuple[int, int]:
    """GET on a kept-alive connection: the status and the size of the body read."""
    http.request("GET", path, headers={"Accept-Encoding": "identity"})
    response = http.getresponse()
    return response.status, len(response.read())


@dataclass
class Tally:
    """What a load run saw: each request's kind and latency, and the failures."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # "kind status" -> count
    bytes_read: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int, size: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.bytes_read += size
            if status != 200:
                key = f"{kind} {status}"
                self.errors[key] = self.errors.get(key, 0) + 1

    def all(self) -> list[float]:
        return [s for kind in self.latencies.values() for s in kind]


def drive(base: str, clients: int, next_request: Callable[[random.Random], tuple[str, str]],
          *, seconds: float | None = None, requests: int | None = None, seed: int = 1) -> Tally:  # fmt: skip
    """`clients` threads, each one request at a time on its own kept-alive connection
    (http.client: lighter than httpx, so that on a small machine the client is not what is
    measured), until `seconds` have passed or `requests` are made in all."""
    tally, port = Tally(), int(base.rsplit(":", 1)[1])
    deadline = time.monotonic() + seconds if seconds else None
    quota = [requests or 0]

    def more() -> bool:
        if deadline is not None:
            return time.monotonic() < deadline
        with tally.lock:
            quota[0] -= 1
            return quota[0] >= 0

    def client(number: int) -> None:
        rng, http = random.Random(f"{seed}-{number}"), HTTPConnection("127.0.0.1", port, timeout=60)
        while more():
            kind, path = next_request(rng)
            started = time.perf_counter()
            try:
                status, size = get(http, path)
            except OSError:
                status, size = 599, 0
                http.close()
            tally.record(kind, time.perf_counter() - started, status, size)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by the nearest-rank method; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
