"""Disk faults under the data directory: a read-only mount, a full disk, a publish killed
mid-copy. Each says which path and what to do (never "internal error"), what can still
be read is read, nothing published is changed, and what a failed publish left behind is
removed by the next run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from portal.catalogue.publish import Options, publish
from portal.cli import main
from portal.composition import Portal
from portal.datadir import FILE_GRACE_SECONDS
from portal.pipeline import convert
from portal.settings import Settings
from portal.workspace import Workspace
from tests.api.conftest import free_port
from tests.conftest import DATASETS_DIR, REFERENCE_DIR, TEST_DATA
from tests.integration.conftest import variant
from tests.integration.disk import (
    portal_in_namespace,
    read_only_view,
    serve_in_namespace,
    small_disk,
)
from tests.integration.test_publish_faults import grow

NAME = "222127-event"
QUIET = Options(sleep=lambda s: None, who="test-clerk")


def versions(root: Path) -> tuple[Settings, Path, Path]:
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=root / "var", catalogue="embedded")  # fmt: skip
    first = convert(TEST_DATA / "convert" / "event-cp932.yaml", Workspace.of(settings), root / "v1")
    v1 = first.files["csv"].parent
    return settings, v1, variant(v1, root / "v2", extra_row=True)


def portal_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CKAN_", "PORTAL_"))}
    return {**env, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_DATASETS_DIR": str(DATASETS_DIR),
            "PORTAL_REFERENCE_DIR": str(REFERENCE_DIR), "PORTAL_CATALOGUE": "embedded"}  # fmt: skip


def published_digest(settings: Settings) -> str:
    shown = Portal.open(settings, "embedded").catalogue.package_show(NAME)
    assert shown is not None
    return next(e["value"] for e in shown["extras"] if e["key"] == "portal_content_hash")


def test_a_read_only_data_dir_is_read_and_writes_say_which_path(tmp_path: Path) -> None:
    settings, v1, v2 = versions(tmp_path)
    first = publish(v1, Portal.open(settings, "embedded").publisher(), QUIET)
    view = tmp_path / "read-only"
    ran = portal_in_namespace(
        read_only_view(settings.data_dir, view),
        {
            "list": ["catalogue", "list"],
            "show": ["catalogue", "show", NAME],
            "history": ["history", NAME],
            "publish": ["publish", str(v2)],
            "delete": ["catalogue", "delete", NAME, "--yes"],
        },
        portal_env(view),
        tmp_path / "logs",
    )
    assert ran["list"].code == 0 and NAME in ran["list"].out, ran["list"].text
    assert ran["show"].code == 0 and json.loads(ran["show"].out)["name"] == NAME
    assert ran["history"].code == 0 and "create" in ran["history"].out, ran["history"].text
    for key, doing in (("publish", "publish"), ("delete", "delete")):
        err = ran[key].err
        assert ran[key].code != 0 and "internal error" not in err, err
        assert f"the data directory {view} is read-only: cannot {doing}" in err, err
        assert f"データディレクトリ {view} が読み取り専用" in err
        assert "PORTAL_DATA_DIR" in err
    assert ran["delete"].code == 2
    assert published_digest(settings) == first.plan.digest  # nothing changed


def test_serve_answers_from_a_read_only_data_dir(tmp_path: Path) -> None:
    settings, v1, _ = versions(tmp_path)
    publish(v1, Portal.open(settings, "embedded").publisher(), QUIET)
    view, port = tmp_path / "read-only", free_port()
    server = serve_in_namespace(read_only_view(settings.data_dir, view), port, portal_env(view))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"portal serve exited: {server.communicate()[1]}"
            assert time.monotonic() < deadline, "portal serve did not answer"
            try:
                shown = httpx.get(f"{base}/api/v1/datasets/{NAME}", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert shown.status_code == 200, shown.text
        for resource in shown.json()["resources"]:
            assert httpx.get(resource["url"], timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(10)


def test_a_full_disk_stops_a_publish_clearly_and_leaves_no_partial_file(tmp_path: Path) -> None:
    _, v1, v2 = versions(tmp_path)
    grow(v2, megabytes=3)  # does not fit on the 1 MB disk
    disk = tmp_path / "disk"
    data = disk / "var"
    listing = tmp_path / "files-after.txt"
    ran = portal_in_namespace(
        small_disk(disk, "1m"),
        {
            "first": ["publish", str(v1)],
            "before": ["catalogue", "show", NAME],
            "big": ["publish", str(v2)],
            "after": ["catalogue", "show", NAME],
        },
        portal_env(data),
        tmp_path / "logs",
        then=f"ls -1 {data}/catalogue/files > {listing}",
    )
    assert ran["first"].code == 0, ran["first"].text
    big = ran["big"]
    assert big.code == 1 and "internal error" not in big.err, big.text
    assert f"no space left in the data directory {data}/catalogue/files" in big.err, big.err
    assert "空き容量がない" in big.err and "PORTAL_DATA_DIR" in big.err
    before, after = json.loads(ran["before"].out), json.loads(ran["after"].out)
    assert after == before  # the published version is untouched
    stored = set(listing.read_text().split())
    assert stored == {r["id"] for r in before["resources"]}, "a partial copy was left"


CHILD = """
import shutil, sys, time
from pathlib import Path

def half_then_stall(source, target, **_):
    data = Path(source).read_bytes()
    with open(target, "wb") as out:
        out.write(data[: len(data) // 2])
    Path(sys.argv[2]).touch()  # the parent kills us now, mid-copy
    time.sleep(600)

shutil.copyfile = half_then_stall
from portal.cli import main
sys.exit(main(["publish", sys.argv[1]]))
"""


def test_a_publish_killed_mid_copy_is_reclaimed_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, v1, v2 = versions(tmp_path)
    publish(v1, Portal.open(settings, "embedded").publisher(), QUIET)
    files = settings.data_dir / "catalogue" / "files"
    published = set(os.listdir(files))
    marker = tmp_path / "mid-copy"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(v2), str(marker)],
                             env=portal_env(settings.data_dir))  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None and time.monotonic() < deadline, "no copy started"
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    left = set(os.listdir(files)) - published
    assert left, "the killed publish left nothing to reclaim: the test did not kill mid-copy"
    staging = settings.data_dir / "rows" / "files"
    staging.mkdir(parents=True, exist_ok=True)
    stale = staging / f"{NAME}.x1.loading"  # a rows load killed the same way
    stale.write_text("half")
    fresh = files / "in-progress"  # another publish copying right now: not to be touched
    fresh.mkdir()
    (fresh / "part.csv").write_text("half")
    long_ago = time.time() - FILE_GRACE_SECONDS - 60
    for path in (*[files / n for n in left], *[p for n in left for p in (files / n).iterdir()],
                 stale):  # fmt: skip
        os.utime(path, (long_ago, long_ago))
    for key, value in portal_env(settings.data_dir).items():
        monkeypatch.setenv(key, value)
    assert main(["publish", str(v1)]) == 0, capsys.readouterr()  # the next run
    remaining = set(os.listdir(files))
    assert not remaining & left, "the killed publish's partial copy was not reclaimed"
    assert not stale.exists(), "the rows store's abandoned copy was not reclaimed"
    assert remaining == published | {"in-progress"}
