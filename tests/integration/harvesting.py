"""A real CKAN harvesting the served portal: harvest sources made with ckanapi, harvests run
synchronously with `ckan harvester run-test` in CKAN's own venv (scripts/ckan-up.sh with
CKAN_HARVEST=1 installs ckanext-harvest and ckanext-dcat there), and what each run reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ckanapi
import httpx
import pytest

from portal.catalogue.publish import Options, publish
from portal.composition import Portal
from portal.settings import Settings

HARVEST_SECONDS = 300  # one run-test of the 11 demo datasets takes well under a minute
PLUGINS = {"harvest", "ckan_harvester", "dcat", "dcat_rdf_harvester"}


def ckan_cli() -> list[str]:
    """`ckan -c <ini>` of the CKAN that ckan-up.sh runs (the venv beside its ckan.ini)."""
    ini = Path(os.environ["CKAN_INI"])
    return [str(ini.parent / "venv" / "bin" / "ckan"), "-c", str(ini)]


def require_harvesters(client: ckanapi.RemoteCKAN) -> None:
    """The harvest plugins must be on: under CI=true their absence fails the test."""
    missing = PLUGINS - set(client.action.status_show()["extensions"])
    if missing and os.environ.get("CI") != "true":
        pytest.skip(f"CKAN runs without {sorted(missing)}: start it with CKAN_HARVEST=1")
    assert not missing, f"CKAN runs without {sorted(missing)}: scripts/ckan-up.sh CKAN_HARVEST=1"


def portal_packages(base: str) -> list[dict[str, Any]]:
    names = httpx.get(f"{base}/api/3/action/package_list").json()["result"]
    return [
        httpx.get(f"{base}/api/3/action/package_show", params={"id": n}).json()["result"]
        for n in names
    ]


@contextmanager
def harvest_source(client: ckanapi.RemoteCKAN, name: str, url: str, source_type: str,
                   owner_org: str, config: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:  # fmt: skip
    """A harvest source for the test; it, the datasets it harvested and the organizations it
    created are purged afterwards."""
    client.action.organization_create(name=owner_org, title=owner_org)
    source = client.action.harvest_source_create(
        name=name, title=name, url=url, source_type=source_type, owner_org=owner_org,
        frequency="MANUAL", config=json.dumps(config) if config else "",
    )  # fmt: skip
    try:
        yield source
    finally:
        in_org = client.action.package_search(fq=f'owner_org:"{source["owner_org"]}"', rows=1000,
                                              include_private=True, include_drafts=True)  # fmt: skip
        ids = {p["id"] for p in [*harvested(client, source["id"]), *in_org["results"]]}
        for made in [*sorted(ids), source["id"]]:
            client.action.dataset_purge(id=made)
        try:
            client.action.organization_purge(id=owner_org)
        except ckanapi.ValidationError:
            client.action.organization_delete(id=owner_org)  # its name is this run's own


def purge_names(client: ckanapi.RemoteCKAN, packages: list[dict[str, Any]]) -> None:
    """Remove the portal's dataset and organization names from CKAN (what an earlier harvest
    made there, `remote_orgs: create` included): served_demo's names are its run's own."""
    datasets = [(client.action.dataset_purge, p["name"]) for p in packages]
    owners = sorted({p["owner_org"] for p in packages})
    orgs = [(client.action.organization_purge, owner) for owner in owners]
    for purge, name in [*datasets, *orgs]:  # an organization goes once its datasets have gone
        try:
            purge(id=name)
        except ckanapi.NotFound:
            pass


def run_harvest(client: ckanapi.RemoteCKAN, source: dict[str, Any]) -> dict[str, Any]:
    """Run one harvest of `source` now, synchronously (`ckan harvester run-test`: a new job,
    gathered, fetched and imported in one process); the job's stats and the harvester's
    error texts.

    run-test reads the source with harvest_source_show, from the search index when it is
    current; the end of each job re-indexes the source without its validated fields
    (ckanext-harvest 1.6.3's harvest_source_reindex on CKAN 2.12), so a second run-test of the
    same source would fail with KeyError 'source_type'. Before another harvest the source is
    re-indexed with CKAN's own `ckan search-index rebuild <source>`. (The gather and fetch
    consumers are not used: each run-test also leaves its job on the Redis gather queue, and a
    consumer would re-run those old jobs.)"""
    if client.action.harvest_job_list(source_id=source["id"]):
        ckan_command("search-index", "rebuild", source["name"])
    done = ckan_command("harvester", "run-test", source["name"])
    job = client.action.harvest_job_list(source_id=source["id"])[0]
    return job_outcome(client, job, done.stderr)


def ckan_command(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*ckan_cli(), *args], capture_output=True, text=True,
                          timeout=HARVEST_SECONDS, check=False)  # fmt: skip
    assert done.returncode == 0, (args, done.stderr[-3000:].split("Traceback")[-1])
    return done


def job_outcome(client: ckanapi.RemoteCKAN, job: dict[str, Any], log: str) -> dict[str, Any]:
    """A finished job's stats, its gather and object errors, and the log's warnings."""
    report = client.action.harvest_job_report(id=job["id"])
    errors = [e["message"] for e in report["gather_errors"]] + [
        f"{o.get('guid')}: {e['message']}"
        for o in report["object_errors"].values()
        for e in o["errors"]
    ]
    warnings = [line for line in log.splitlines() if " WARNI" in line or " ERROR" in line]
    return {"stats": job.get("stats", {}), "errors": errors, "warnings": warnings}


def harvested(client: ckanapi.RemoteCKAN, source_id: str) -> list[dict[str, Any]]:
    found = client.action.package_search(fq=f'harvest_source_id:"{source_id}"', rows=1000,
                                         include_private=True)  # fmt: skip
    return list(found["results"])


def answers_200(url: str) -> bool:
    return httpx.get(url, follow_redirects=True, timeout=30).status_code == 200


def broken_links(packages: list[dict[str, Any]]) -> list[str]:
    return [r["url"] for p in packages for r in p["resources"] if not answers_200(r["url"])]


def republish_with_a_new_row(settings: Settings, name: str, work: Path) -> bytes:
    """Publish the portal's dataset `name` again with its last row repeated (new data, as a
    clerk's next upload); the new CSV's bytes."""
    portal = Portal.open(settings)
    try:
        archive = portal.versions_dir / name
        newest = max(int(p.name) for p in archive.iterdir())
        folder = work / f"{name}-next"
        shutil.copytree(archive / str(newest), folder)
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        csv_file = folder / package["resources"][0]["path"]
        lines = csv_file.read_bytes().splitlines(keepends=True)
        csv_file.write_bytes(b"".join([*lines, lines[-1]]))
        publish(folder, portal.publisher(), Options(allow_invalid=True))
        return csv_file.read_bytes()
    finally:
        portal.close()
