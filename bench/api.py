"""Benchmark: the portal's rows API against CKAN's DataStore, same data, same queries.

    bash scripts/ckan-up.sh && . /tmp/ckan-local/env.sh
    .venv/bin/python bench/api.py [--rows 200000] [--requests 2000] [--concurrency 1,8]

1. Generates a deterministic AED設置箇所一覧 of N rows (大阪府 publishing the AEDs of its
   municipalities and wards; every column of the standard), converts and publishes it to an
   embedded catalogue, and serves it with `portal serve` in its own process.
2. Loads the same rows into the real CKAN's DataStore (`datastore_create` + upserts),
   with the same index on the filtered column.
3. Drives both with the same filtered, paged queries (所在地_全国地方公共団体コード = one
   municipality, 20 rows from a random offset, totals included) from a load client in
   a separate process (`bench/api.py client`), after checking that both give the same rows.
4. Prints requests/s, p50 and p99 for each and the ratio, one client at a time and 8
   (CKAN here runs `ckan run --threaded`, whose DataStore fails some concurrent
   requests with 500 "cursor already closed": counted and shown, not hidden); then
   times a full CSV download from the portal against reading the published file from
   disk (and CKAN's DataStore dump of the same rows).
Everything made in CKAN is purged at the end.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.catalogue import EmbeddedCatalogue  # noqa: E402
from portal.catalogue.publish import Options, publish  # noqa: E402
from portal.localgov import load  # noqa: E402
from portal.pipeline import convert  # noqa: E402
from portal.settings import Settings  # noqa: E402
from portal.standards import Registry  # noqa: E402

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


def publish_portal(work: Path, rows: int, seed: int) -> tuple[Settings, str, list[str], Path]:
    source = work / "aed.csv"
    codes = make_csv(source, rows, seed)
    fields = Registry(ROOT / "datasets").get("aed").field_names
    recipe = work / "aed.yaml"
    recipe.write_text(json.dumps({"version": 1, "title": "bench", "source": {"path": source.name},
                                  "target": {"dataset": "aed", "lgcode": "270008"},
                                  "columns": {f: {"from": f} for f in fields}}, ensure_ascii=False),  # fmt: skip
                      encoding="utf-8")  # fmt: skip
    settings = Settings(data_dir=work / "var", catalogue="embedded", rate_limit=0)
    converted = convert(recipe, settings, work / "out")
    result = publish(converted.files["csv"].parent, EmbeddedCatalogue(settings.data_dir / "catalogue"),
                     settings, Options(allow_invalid=True))  # fmt: skip
    return settings, result.plan.name, codes, converted.files["csv"]


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


def start_portal(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PORTAL_DATA_DIR": str(settings.data_dir), "PORTAL_CATALOGUE": "embedded",
           "PORTAL_RATE_LIMIT": "0"}  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("portal")), "serve", "--port", str(port)], env=env
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/standards")
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("portal serve did not start")


def compare(plan: list[tuple[str, int]], level: int, work: Path,
            ckan: Callable[[str, int], str], portal: Callable[[str, int], str]) -> None:  # fmt: skip
    """Both back ends, the same queries, `level` clients at a time."""
    results = {"ckan": drive([ckan(c, o) for c, o in plan], level, work, "ckan"),
               "portal": drive([portal(c, o) for c, o in plan], level, work, "portal")}  # fmt: skip
    for label, r in results.items():
        print(f"{label:<9} {r['requests']:.0f} requests, {level} at a time: {r['rps']:.0f} req/s, "
              f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, errors {r['errors'] or 'none'}")  # fmt: skip
    ratio = results["portal"]["rps"] / results["ckan"]["rps"]
    print(f"ratio     {level} at a time: portal/CKAN throughput {ratio:.1f}x (goal >= 3); "
          f"portal p99 {results['portal']['p99_ms']:.1f} ms (goal < 50)")  # fmt: skip


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
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not os.environ.get("CKAN_URL"):
        raise SystemExit(
            "CKAN_URL / CKAN_API_TOKEN not set: bash scripts/ckan-up.sh && . /tmp/ckan-local/env.sh"
        )
    import ckanapi

    with tempfile.TemporaryDirectory(prefix="portal-bench-api-") as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        settings, name, codes, csv_path = publish_portal(work, args.rows, args.seed)
        print(
            f"data      {args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB; converted and published in {time.perf_counter() - t:.1f} s"
        )
        counts: dict[str, int] = {}
        with csv_path.open(encoding="utf-8-sig", newline="") as fh:
            for record in csv.DictReader(fh):
                counts[record[FILTER]] = counts.get(record[FILTER], 0) + 1
        org, resource_id, ckan_load = load_ckan(csv_path)
        print(f"ckan      datastore_create + upserts: {ckan_load:.1f} s")
        server = start_portal(settings, args.port)
        portal, ckan = f"http://127.0.0.1:{args.port}", os.environ["CKAN_URL"].rstrip("/")
        try:
            t = time.perf_counter()
            httpx.get(portal_url(portal, name, codes[0], 0), timeout=300).raise_for_status()
            print(f"portal    rows store load (first query): {time.perf_counter() - t:.1f} s")
            plan = queries(codes, counts, args.requests, args.seed)
            same_answers(portal, ckan, name, resource_id, plan[:20])
            print("checked   the first 20 queries give the same totals and IDs on both")
            for level in args.concurrency:
                compare(plan, level, work, lambda c, o: ckan_url(ckan, resource_id, c, o),
                        lambda c, o: portal_url(portal, name, c, o))  # fmt: skip
            published = next((settings.data_dir / "catalogue").rglob(csv_path.name))
            t = time.perf_counter()
            size = len(published.read_bytes())
            disk = time.perf_counter() - t
            web = download(f"{portal}/api/v1/datasets/{name}/download.csv")
            dump = download(f"{ckan}/datastore/dump/{resource_id}")
            print(f"download  {size / 1e6:.1f} MB CSV: disk read {disk:.3f} s, portal {web:.3f} s ({web / disk:.1f}x disk), "
                  f"CKAN datastore dump {dump:.3f} s ({dump / web:.1f}x portal)")  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
            remote = ckanapi.RemoteCKAN(os.environ["CKAN_URL"], apikey=os.environ["CKAN_API_TOKEN"])
            for package in remote.action.package_search(
                fq=f"organization:{org}", include_private=True
            )["results"]:
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
