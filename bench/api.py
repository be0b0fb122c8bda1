"""Benchmark: the portal's rows API, on each rows store, against CKAN's DataStore: same
data, same queries.

    bash scripts/ckan-up.sh && . /tmp/ckan-local/env.sh
    .venv/bin/python bench/api.py [--rows 200000] [--requests 2000] [--concurrency 1,8]
                                  [--postgres postgresql+psycopg://…]

1. Generates a deterministic AED設置箇所一覧 of N rows (大阪府 publishing the AEDs of its
   municipalities and wards; every column of the standard), converts it once and publishes
   it (`portal publish`, the embedded catalogue) twice: to a portal on the default SQLite
   database, whose rows store is a local SQLite file, and to a portal on PostgreSQL
   (--postgres, default PORTAL_TEST_DATABASE_URL; a schema made for the run and dropped
   after), whose rows store is in that database. Publishing loads the rows; each portal is
   served by `portal serve` in its own process.
2. Loads the same rows into the real CKAN's DataStore (`datastore_create` + upserts),
   with the same index on the filtered column.
3. Drives all three with the same filtered, paged queries (所在地_全国地方公共団体コード = one
   municipality, 20 rows from a random offset, totals included) from a load client in
   a separate process (`bench/api.py client`), after checking that all give the same rows.
4. Prints requests/s, p50 and p99 for each side by side, and each rows store's throughput
   against CKAN's (goal: >= 3x, p99 < 50 ms), one client at a time and 8 (CKAN here runs
   `ckan run --threaded`, whose DataStore fails some concurrent requests with 500 "cursor
   already closed": counted and shown, not hidden); then times a full CSV download from
   the portal against reading the published file from disk (and CKAN's DataStore dump).
Everything made in CKAN and PostgreSQL is purged at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import Figures  # noqa: E402  (bench/figures.py, beside this script)

from portal.localgov import load  # noqa: E402
from portal.standards import Registry  # noqa: E402

PORTAL = str(Path(sys.executable).with_name("portal"))
BACK_ENDS = ("sqlite", "postgresql")  # the rows stores compared

FILTER = "所在地_全国地方公共団体コード"
PLACES = [
    "公民館",
    "小学校",
    "中学校",
    "図書館",
    "体育館",
    "市民センター",
    "駅",
    "保育所",
    "コミュニティセンター",
    "庁舎",
]


def make_csv(path: Path, rows: int, seed: int) -> list[str]:
    """The standard's columns in order; returns the municipality codes used."""
    rng = random.Random(seed)
    fields = Registry(ROOT / "datasets").get("aed").field_names
    towns = [
        g
        for g in load()
        if g.prefecture == "大阪府" and g.kind in ("city", "town", "village", "ward")
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(fields)
        for i in range(1, rows + 1):
            town = rng.choice(towns)
            place = f"{town.name}立{rng.choice(PLACES)}{rng.randint(1, 40)}"
            values = {"全国地方公共団体コード": "270008", "ID": f"{i:07d}", "地方公共団体名": "大阪府",
                      "名称": place, FILTER: town.lgcode, "所在地_連結表記": f"大阪府{town.name}本町{rng.randint(1, 9)}-{rng.randint(1, 30)}",
                      "所在地_都道府県": "大阪府", "所在地_市区町村": town.name,
                      "緯度": f"{town.lat + rng.uniform(-0.03, 0.03):.6f}", "経度": f"{town.lng + rng.uniform(-0.03, 0.03):.6f}",
                      "設置位置": f"{rng.randint(1, 3)}階入口", "電話番号": f"06-{rng.randint(6000, 6999)}-{rng.randint(1000, 9999)}",
                      "開始時間": "09:00", "終了時間": "17:00", "小児対応設備の有無": rng.choice(["有", "無"])}  # fmt: skip
            out.writerow([values.get(f, "") for f in fields])
    return sorted({t.lgcode for t in towns})


def convert_once(work: Path, rows: int, seed: int) -> tuple[Path, list[str]]:
    """The generated table converted (`portal convert`): its folder and the codes used."""
    source = work / "aed.csv"
    codes = make_csv(source, rows, seed)
    fields = Registry(ROOT / "datasets").get("aed").field_names
    recipe = work / "aed.yaml"
    recipe.write_text(json.dumps({"version": 1, "title": "bench", "source": {"path": source.name},
                                  "target": {"dataset": "aed", "lgcode": "270008"},
                                  "columns": {f: {"from": f} for f in fields}}, ensure_ascii=False),  # fmt: skip
                      encoding="utf-8")  # fmt: skip
    out = work / "out"
    done = subprocess.run([PORTAL, "convert", str(recipe), "--out", str(out)], env=portal_env(work / "convert"),
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode not in (0, 1):  # 1: converted, with validation errors (published anyway)
        raise SystemExit(f"portal convert failed:\n{done.stdout}{done.stderr}")
    return out, codes


def portal_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_CATALOGUE": "embedded",
           "PORTAL_RATE_LIMIT": "0"}  # fmt: skip
    env.pop("PORTAL_DATABASE_URL", None)
    if database_url:
        env["PORTAL_DATABASE_URL"] = database_url
    return env


def publish_portal(converted: Path, env: dict[str, str]) -> float:
    """`portal publish` of the converted folder (which loads the rows); its seconds."""
    started = time.perf_counter()
    done = subprocess.run([PORTAL, "publish", str(converted), "--catalogue", "embedded", "--allow-invalid"],
                          env=env, capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"portal publish failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def postgres_schema(base: str) -> tuple[str, Callable[[], None]]:
    """A schema of its own for the run: the portal's URL on it, and what drops it."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def load_ckan(csv_path: Path) -> tuple[str, str, float]:
    import ckanapi

    ckan = ckanapi.RemoteCKAN(os.environ["CKAN_URL"], apikey=os.environ["CKAN_API_TOKEN"])
    suffix = uuid.uuid4().hex[:8]
    org = f"bench-{suffix}"
    ckan.action.organization_create(name=org)
    package = ckan.action.package_create(name=f"bench-aed-{suffix}", owner_org=org)
    started = time.perf_counter()
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [{"id": n, "type": "text"} for n in reader.fieldnames or []]
        batch: list[dict[str, str]] = []
        resource_id = ""
        for record in reader:
            batch.append(record)
            if len(batch) == 10_000:
                resource_id = _ckan_write(ckan, package["id"], resource_id, fields, batch)
                batch = []
        if batch:
            resource_id = _ckan_write(ckan, package["id"], resource_id, fields, batch)
    return org, resource_id, time.perf_counter() - started


def _ckan_write(ckan: Any, package_id: str, resource_id: str, fields: list[dict[str, str]],
                batch: list[dict[str, str]]) -> str:  # fmt: skip
    if not resource_id:
        created = ckan.action.datastore_create(
            resource={"package_id": package_id, "name": "aed"}, fields=fields, records=batch,
            indexes=[FILTER], force=True)  # fmt: skip
        return str(created["resource_id"])
    ckan.action.datastore_upsert(
        resource_id=resource_id, records=batch, method="insert", force=True
    )
    return resource_id


def queries(codes: list[str], counts: dict[str, int], n: int, seed: int) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        code = rng.choice([c for c in codes if counts.get(c, 0) > 20])
        out.append((code, 20 * rng.randint(0, (counts[code] - 20) // 20)))
    return out


def portal_url(base: str, name: str, code: str, offset: int) -> str:
    return f"{base}/api/v1/datasets/{name}/rows?" + urlencode(
        {FILTER: code, "limit": 20, "offset": offset}
    )


def ckan_url(base: str, resource_id: str, code: str, offset: int) -> str:
    params = {
        "resource_id": resource_id,
        "filters": json.dumps({FILTER: code}),
        "limit": 20,
        "offset": offset,
    }
    return f"{base}/api/3/action/datastore_search?" + urlencode(params)


def client(urls_file: Path, concurrency: int) -> None:
    """The load client (its own process): GET every URL, `concurrency` at a time; print JSON."""
    urls = urls_file.read_text(encoding="utf-8").splitlines()
    latencies: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()

    def worker(share: list[str]) -> None:
        # http.client with keep-alive: a lighter client than httpx, so that on a small
        # machine the client is not what is measured.
        parts = urlsplit(share[0]) if share else None
        http = HTTPConnection(parts.hostname or "", parts.port, timeout=30) if parts else None
        for url in share:
            target = urlsplit(url)
            t = time.perf_counter()
            assert http is not None
            http.request(
                "GET", f"{target.path}?{target.query}", headers={"Accept-Encoding": "identity"}
            )
            response = http.getresponse()
            response.read()
            took = time.perf_counter() - t
            with lock:
                latencies.append(took)
                if response.status != 200:
                    errors[response.status] = errors.get(response.status, 0) + 1

    threads = [
        threading.Thread(target=worker, args=(urls[i::concurrency],)) for i in range(concurrency)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    print(json.dumps({"requests": len(latencies), "errors": errors, "seconds": seconds,
                      "rps": len(latencies) / seconds, "p50_ms": 1000 * statistics.median(latencies),
                      "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1]}))  # fmt: skip


def drive(urls: list[str], concurrency: int, work: Path, label: str) -> dict[str, float]:
    urls_file = work / f"{label}.urls"
    urls_file.write_text("\n".join(urls), encoding="utf-8")
    done = subprocess.run([sys.executable, __file__, "client", str(urls_file), "--concurrency", str(concurrency)],
                          check=True, capture_output=True, text=True)  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout)
    return result


def start_portal(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([PORTAL, "serve", "--port", str(port)], env=env)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/standards")
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("portal serve did not start")


def compare(plan: list[tuple[str, int]], level: int, work: Path,
            targets: dict[str, Callable[[str, int], str]], figures: Figures) -> None:  # fmt: skip
    """Every target (CKAN, then each rows store), the same queries, `level` clients at a time."""
    results = {label: drive([url(c, o) for c, o in plan], level, work, label)
               for label, url in targets.items()}  # fmt: skip
    for label, r in results.items():
        print(f"{label:<10} {r['requests']:.0f} requests, {level} at a time: {r['rps']:6.0f} req/s, "
              f"p50 {r['p50_ms']:5.1f} ms, p99 {r['p99_ms']:5.1f} ms, errors {r['errors'] or 'none'}")  # fmt: skip
    for label in (t for t in results if t != "ckan"):
        ratio = results[label]["rps"] / results["ckan"]["rps"]
        print(f"ratio      {level} at a time: {label}/CKAN throughput {ratio:.1f}x (goal >= 3); "
              f"{label} p99 {results[label]['p99_ms']:.1f} ms (goal < 50)")  # fmt: skip
    record(results, level, figures)


def queueing_note(result: dict[str, Any], level: int) -> str:
    """What bounds the latency when `level` clients share this machine's cores with the
    server (and CKAN and PostgreSQL): each request's mean service time and the load."""
    if result["p99_ms"] < 50:
        return ""
    service = 1000 / result["rps"] * level  # Little's law: time in system per request
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{level} clients on {os.cpu_count()} cores shared with the server, CKAN and PostgreSQL: "
            f"mean time in system {service:.1f} ms (p50 {result['p50_ms']:.1f} ms); the tail is "
            f"CPU queueing, load average {load} at the end of the run")  # fmt: skip


def record(results: dict[str, dict[str, Any]], level: int, figures: Figures) -> None:
    """Each side's throughput, p50, p99 and errors as figures (--json)."""
    base = f"rows API ckan DataStore, {level} client(s): throughput"
    figures.add(base, round(results["ckan"]["rps"], 1), "req/s")
    for label, r in results.items():
        name = "ckan DataStore" if label == "ckan" else f"portal {label}"
        if label != "ckan":
            ratio = r["rps"] / results["ckan"]["rps"]
            figures.add(f"rows API portal {label}, {level} client(s): throughput", round(r["rps"], 1),
                        "req/s", baseline=base, ratio=round(ratio, 2), goal=">= 3x CKAN DataStore",
                        met=ratio >= 3)  # fmt: skip
            figures.add(f"rows API portal {label}, {level} client(s): p99", round(r["p99_ms"], 1), "ms",
                        goal="< 50 ms", met=r["p99_ms"] < 50, note=queueing_note(r, level))  # fmt: skip
        figures.add(f"rows API {name}, {level} client(s): p50", round(r["p50_ms"], 1), "ms")
        errors = sum(r["errors"].values()) if r["errors"] else 0
        figures.add(f"rows API {name}, {level} client(s): errors", errors, "requests",
                    goal=None if label == "ckan" else "0", met=None if label == "ckan" else errors == 0)  # fmt: skip


def same_answers(
    portal: str, ckan: str, name: str, resource_id: str, sample: list[tuple[str, int]]
) -> None:
    """Both back ends must return the same rows and totals before their speed means anything."""
    for code, offset in sample:
        mine = httpx.get(portal_url(portal, name, code, offset)).json()
        theirs = httpx.get(ckan_url(ckan, resource_id, code, offset)).json()["result"]
        assert mine["total"] == theirs["total"], (code, mine["total"], theirs["total"])
        assert [r["ID"] for r in mine["rows"]] == [r["ID"] for r in theirs["records"]], (
            code,
            offset,
        )


def download(url: str) -> float:
    started = time.perf_counter()
    with httpx.stream("GET", url, headers={"Accept-Encoding": "identity"}, timeout=120) as response:
        for _ in response.iter_bytes(1 << 20):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=lambda v: [int(x) for x in v.split(",")], default=[1, 8],
                        help="clients at a time, comma-separated levels (default 1,8)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--port", type=int, default=8765, help="the SQLite portal's; PostgreSQL's is the next"
    )
    parser.add_argument(
        "--postgres", help="database for the PostgreSQL portal (default PORTAL_TEST_DATABASE_URL)"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args()
    figures = Figures()
    if not os.environ.get("CKAN_URL"):
        raise SystemExit(
            "CKAN_URL / CKAN_API_TOKEN not set: bash scripts/ckan-up.sh && . /tmp/ckan-local/env.sh"
        )
    postgres = args.postgres or os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not postgres:
        raise SystemExit("no PostgreSQL: give --postgres or set PORTAL_TEST_DATABASE_URL")
    with tempfile.TemporaryDirectory(prefix="portal-bench-api-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        converted, codes = convert_once(work, args.rows, args.seed)
        csv_path = next(converted.rglob("*.csv"))
        print(f"data       {args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB; converted in {time.perf_counter() - t:.1f} s")  # fmt: skip
        counts: dict[str, int] = {}
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            for record in csv.DictReader(fh):
                counts[record[FILTER]] = counts.get(record[FILTER], 0) + 1
        url, drop_schema = postgres_schema(postgres)
        servers: list[subprocess.Popen[bytes]] = []
        org = ""
        try:
            envs = {"sqlite": portal_env(work / "var-sqlite"),
                    "postgresql": portal_env(work / "var-postgresql", url)}  # fmt: skip
            for label, env in envs.items():
                print(f"{label:<10} portal publish (convert checks, catalogue, rows load): {publish_portal(converted, env):.1f} s")  # fmt: skip
            org, resource_id, ckan_load = load_ckan(csv_path)
            print(f"ckan       datastore_create + upserts: {ckan_load:.1f} s")
            ports = {label: args.port + i for i, label in enumerate(BACK_ENDS)}
            servers = [start_portal(envs[label], port) for label, port in ports.items()]
            ckan = os.environ["CKAN_URL"].rstrip("/")
            portals = {label: f"http://127.0.0.1:{port}" for label, port in ports.items()}
            name = published_name(portals["sqlite"])
            plan = queries(codes, counts, args.requests, args.seed)
            for base in portals.values():
                same_answers(base, ckan, name, resource_id, plan[:20])
            print("checked    the first 20 queries give the same totals and IDs on all three")
            targets: dict[str, Callable[[str, int], str]] = {
                "ckan": lambda c, o: ckan_url(ckan, resource_id, c, o)}  # fmt: skip
            for label, base in portals.items():
                targets[label] = lambda c, o, base=base: portal_url(base, name, c, o)  # type: ignore[misc]
            for level in args.concurrency:
                compare(plan, level, work, targets, figures)
            downloads(portals, ckan, name, resource_id, csv_path, figures)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
            drop_schema()
            if org:
                purge_ckan(org)
    figures.write(args.json)


def published_name(portal: str) -> str:
    found = httpx.get(f"{portal}/api/v1/datasets", params={"q": "AED"}).json()
    results = found.get("results") or found.get("datasets") or []
    return str(results[0]["name"])


def downloads(portals: dict[str, str], ckan: str, name: str, resource_id: str, csv_path: Path,
              figures: Figures) -> None:  # fmt: skip
    t = time.perf_counter()
    size = len(csv_path.read_bytes())
    disk = time.perf_counter() - t
    dump = download(f"{ckan}/datastore/dump/{resource_id}")
    for label, base in portals.items():
        web = download(f"{base}/api/v1/datasets/{name}/download.csv")
        print(f"download   {size / 1e6:.1f} MB CSV, {label}: disk read {disk:.3f} s, portal {web:.3f} s ({web / disk:.1f}x disk), "
              f"CKAN datastore dump {dump:.3f} s ({dump / web:.1f}x portal)")  # fmt: skip
        figures.add(f"CSV download, portal {label}", round(web, 3), "s",
                    baseline="CSV download, CKAN datastore dump", ratio=round(web / dump, 3))  # fmt: skip
    figures.add("CSV download, CKAN datastore dump", round(dump, 3), "s")


def purge_ckan(org: str) -> None:
    import ckanapi

    remote = ckanapi.RemoteCKAN(os.environ["CKAN_URL"], apikey=os.environ["CKAN_API_TOKEN"])
    for package in remote.action.package_search(fq=f"organization:{org}", include_private=True)[
        "results"
    ]:
        remote.action.dataset_purge(id=package["id"])
    remote.action.organization_purge(id=org)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "client":
        load_client = argparse.ArgumentParser()
        load_client.add_argument("urls", type=Path)
        load_client.add_argument("--concurrency", type=int, default=8)
        parsed = load_client.parse_args(sys.argv[2:])
        client(parsed.urls, parsed.concurrency)
    else:
        main()
