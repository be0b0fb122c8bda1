"""Benchmark: publishing 100 datasets to the real CKAN, against the bare ckanapi calls they need.

    bash scripts/ckan-up.sh && . /tmp/ckan-local/env.sh
    .venv/bin/python bench/publish.py [--datasets 100] [--json PATH]

Makes 100 converted datasets (焼津市's イベント一覧 under 100 municipalities' codes),
then, in this order, on the CKAN in CKAN_URL:
  bare      per dataset the writes a publish makes, straight through ckanapi:
            organization_create, package_create (private), package_revise with
            the five files — then everything is purged;
  portal    `publish()` of the same 100 datasets (reads, hashing, plan, writes);
  republish `publish()` again: nothing changed, so no writes.
Prints the wall time of each, the ratio portal/bare (goal ≤ 2) and the writes of
the republish (must be 0). Everything it made is purged at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import ckanapi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.catalogue import CkanCatalogue  # noqa: E402
from portal.catalogue.lookahead import Lookahead  # noqa: E402
from portal.catalogue.publish import Options, plan, publish  # noqa: E402
from portal.composition import Portal  # noqa: E402
from portal.localgov import load  # noqa: E402
from portal.pipeline import convert  # noqa: E402
from portal.settings import Settings  # noqa: E402
from portal.workspace import Workspace  # noqa: E402
from tests.integration.conftest import variant  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from figures import Figures  # noqa: E402  (bench/figures.py, beside this script)

CREATE_GOAL = 2.0  # a first publish within 2x the bare ckanapi calls it needs
REPUBLISH_GOAL_S = 1.0  # a no-op republish of 100 datasets


def folders(count: int, work: Path, settings: Settings) -> list[Path]:
    source = (
        convert(
            ROOT / "tests/data/convert/event-cp932.yaml", Workspace.of(settings), work / "source"
        )
        .files["csv"]
        .parent
    )
    codes = [g.lgcode for g in load() if g.kind in ("city", "town", "village")][:count]
    return [variant(source, work / code, lgcode=code) for code in codes]


def bare(
    client: ckanapi.RemoteCKAN, catalogue: CkanCatalogue, made: list[Path], settings: Settings
) -> float:
    """The same writes, prepared beforehand, timed alone."""
    jobs = []
    publisher = Portal.open(settings).publisher(catalogue)
    for folder in made:
        p = plan(folder, publisher)
        jobs.append(
            (p.package, [(f.name, f.path.read_bytes(), f.format, f.mimetype) for f in p.files])
        )
    started = time.perf_counter()
    for package, files in jobs:
        client.action.organization_create(name=package["owner_org"], title=package["owner_org"])
        created = client.action.package_create(**{**package, "private": True, "resources": []})
        update = {
            **package,
            "resources": [
                {"name": n, "url": n, "format": f, "mimetype": m} for n, _, f, m in files
            ],
        }
        client.call_action("package_revise", {
            "match": json.dumps({"id": created["id"]}), "filter": json.dumps(["-resources", "-extras", "-tags"]),
            "update": json.dumps(update, ensure_ascii=False)},
            files={f"update__resources__{i}__upload": (n, io.BytesIO(b)) for i, (n, b, _, _) in enumerate(files)})  # fmt: skip
    return time.perf_counter() - started


def purge(client: ckanapi.RemoteCKAN, suffix: str) -> None:
    for name in client.action.package_list():
        if name.endswith(suffix):
            client.action.dataset_purge(id=name)
    for org in client.action.organization_list():
        if org.endswith(suffix):
            client.action.organization_purge(id=org)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args()
    if not os.environ.get("CKAN_URL"):
        sys.exit(
            "set CKAN_URL and CKAN_API_TOKEN (bash scripts/ckan-up.sh && . /tmp/ckan-local/env.sh)"
        )
    url, token = os.environ["CKAN_URL"], os.environ["CKAN_API_TOKEN"]
    client = ckanapi.RemoteCKAN(url, apikey=token)
    catalogue = CkanCatalogue(url, token)
    suffix = uuid.uuid4().hex[:6]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(
            data_dir=work / "var",
            package_name="{lgcode}-{slug}-b" + suffix,
            organization="{lgcode}-b" + suffix,
        )
        made = folders(args.datasets, work, settings)
        size = sum(f.stat().st_size for f in made[0].iterdir() if f.is_file())
        try:
            bare_seconds = bare(client, catalogue, made, settings)
            purge(client, "b" + suffix)
            settings = settings.model_copy(
                update={
                    "package_name": "{lgcode}-{slug}-p" + suffix,
                    "organization": "{lgcode}-p" + suffix,
                }
            )
            quiet = Options(sleep=time.sleep)
            publisher = Portal.open(settings).publisher(catalogue)
            started = time.perf_counter()
            ahead = Lookahead.of(made, publisher)  # as `portal publish` reads a batch
            results = [publish(f, publisher, quiet, ahead) for f in made]
            portal_seconds = time.perf_counter() - started
            writes_before = catalogue.writes
            started = time.perf_counter()
            ahead = Lookahead.of(made, publisher)
            again = [publish(f, publisher, quiet, ahead) for f in made]
            republish_seconds = time.perf_counter() - started
            writes = catalogue.writes - writes_before
        finally:
            purge(client, "b" + suffix)
            purge(client, "p" + suffix)
    print(
        f"{args.datasets} datasets, 5 files each ({size / 1024:.0f} KiB per dataset), CKAN at {url}"
    )
    print(f"bare ckanapi writes      {bare_seconds:7.2f} s")
    print(f"portal publish (create)  {portal_seconds:7.2f} s   ratio {portal_seconds / bare_seconds:.2f}x"
          f"   ({sum(r.action == 'create' for r in results)} created)")  # fmt: skip
    print(f"republish (unchanged)    {republish_seconds:7.2f} s   writes: {writes}"
          f"   ({sum(r.action == 'unchanged' for r in again)} unchanged)")  # fmt: skip
    write_figures(args.json, args.datasets, bare_seconds, portal_seconds, republish_seconds, writes)
    if writes:
        sys.exit("a no-op republish wrote to CKAN")


def write_figures(path: Path | None, count: int, bare_s: float, portal_s: float, again_s: float,
                  writes: int) -> None:  # fmt: skip
    figures = Figures()
    bare = f"publish: bare ckanapi calls for {count} datasets"
    figures.add(bare, round(bare_s, 2), "s")
    ratio = portal_s / bare_s
    figures.add(f"publish: first publish of {count} datasets", round(portal_s, 2), "s",
                baseline=bare, ratio=round(ratio, 2), goal=f"<= {CREATE_GOAL:g}x bare",
                met=ratio <= CREATE_GOAL)  # fmt: skip
    limit = REPUBLISH_GOAL_S * count / 100
    figures.add(f"publish: no-op republish of {count} datasets", round(again_s, 2), "s",
                goal=f"<= {limit:g} s", met=again_s <= limit)  # fmt: skip
    figures.add(f"publish: writes of the no-op republish of {count} datasets", writes, "writes",
                goal="0", met=writes == 0)  # fmt: skip
    figures.write(path)


if __name__ == "__main__":
    main()
