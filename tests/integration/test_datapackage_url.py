"""Every published datapackage.json validates with the real `frictionless validate URL`, from
the served portal (issue 18): its resources resolve (no 404 per resource), it declares the Data
Package version whose features it uses, and its verdicts are the portal's own report's."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.integration.served_demo import served_demo

FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")
SECONDS = 120  # one `frictionless validate` of a demo dataset takes about a second


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_demo(tmp_path_factory.mktemp("datapackage")) as (base, _settings):
        yield base


def published(base: str) -> list[dict[str, Any]]:
    names = httpx.get(f"{base}/api/3/action/package_list").json()["result"]
    return [
        httpx.get(f"{base}/api/3/action/package_show", params={"id": n}).json()["result"]
        for n in names
    ]


def frictionless_validate(url: str) -> dict[str, Any]:
    done = subprocess.run([FRICTIONLESS, "validate", "--json", url], capture_output=True,
                          text=True, timeout=SECONDS, check=False)  # fmt: skip
    assert done.stdout.startswith("{"), (url, done.stdout[:500], done.stderr[-500:])
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_every_datapackage_validates_from_its_url_as_the_portal_judged(demo: str) -> None:
    packages = published(demo)
    assert len(packages) == 11
    for package in packages:
        descriptor = next(r for r in package["resources"] if r["name"] == "datapackage.json")
        report = frictionless_validate(descriptor["url"])
        errors = [e for task in report["tasks"] for e in task["errors"]]
        kinds = {e["type"] for e in errors}
        assert not kinds & {"scheme-error", "resource-error", "package-error"}, (
            package["name"], [e["message"] for e in errors][:3])  # fmt: skip
        portal = httpx.get(f"{demo}/api/v1/datasets/{package['name']}/versions").json()[0]
        judged = portal["validation"]
        assert (report["valid"], len(errors)) == (judged["valid"], judged["errors"]), (
            package["name"], [e["message"] for e in errors][:5])  # fmt: skip


def test_the_datapackage_declares_data_package_v2(demo: str) -> None:
    """The standards' schemas use field-level missingValues, a Data Package v2 feature."""
    packages = published(demo)
    for package in packages:
        descriptor = next(r for r in package["resources"] if r["name"] == "datapackage.json")
        declared = httpx.get(descriptor["url"]).json()
        assert declared["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    uses_v2 = [
        f["name"]
        for p in packages
        for r in httpx.get(
            next(x["url"] for x in p["resources"] if x["name"] == "datapackage.json")
        ).json()["resources"]  # fmt: skip
        for f in r.get("schema", {}).get("fields", [])
        if "missingValues" in f
    ]
    assert uses_v2, "the demo no longer exercises a v2 feature: pick a dataset that does"
