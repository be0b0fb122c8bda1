"""A header-only file must not silently replace a published list: emptying a dataset that has
rows needs --allow-empty (a wrong export or a filter that kept nothing looks just like it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from portal.catalogue.publish import publish
from portal.composition import Portal
from tests.conftest import TEST_DATA
from tests.integration.test_disk_faults import NAME, QUIET, portal_env, published_digest, versions


def header_only_recipe(root: Path) -> Path:
    """The event recipe over a copy of its source that keeps the header and no row."""
    folder = root / "empty-export"
    folder.mkdir()
    shutil.copy(TEST_DATA / "convert" / "event-cp932.yaml", folder)
    lines = (TEST_DATA / "convert" / "event-cp932.csv").read_bytes().splitlines(keepends=True)
    (folder / "event-cp932.csv").write_bytes(lines[0])
    return folder / "event-cp932.yaml"


def publish_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "portal", "publish", *args],
                          env=portal_env(data_dir), capture_output=True, text=True)  # fmt: skip


def test_an_empty_file_does_not_replace_published_rows(tmp_path: Path) -> None:
    settings, v1, _ = versions(tmp_path)
    publish(v1, Portal.open(settings, "embedded").publisher(), QUIET)
    before = published_digest(settings)
    done = publish_cli(settings.data_dir, str(header_only_recipe(tmp_path)))
    assert done.returncode == 1, done.stderr
    assert f"{NAME} was not replaced: the new file has no rows" in done.stderr
    assert f"{NAME} を置き換えませんでした" in done.stderr and "--allow-empty" in done.stderr
    assert "Traceback" not in done.stderr
    assert published_digest(settings) == before


def test_allow_empty_replaces_on_purpose(tmp_path: Path) -> None:
    settings, v1, _ = versions(tmp_path)
    publish(v1, Portal.open(settings, "embedded").publisher(), QUIET)
    recipe = header_only_recipe(tmp_path)
    done = publish_cli(settings.data_dir, "--allow-empty", "--allow-invalid", str(recipe))
    assert done.returncode == 0, done.stderr
    shown = Portal.open(settings, "embedded").catalogue.package_show(NAME)
    assert shown is not None
    assert {e["key"]: e["value"] for e in shown["extras"]}["portal_rows"] == "0"
