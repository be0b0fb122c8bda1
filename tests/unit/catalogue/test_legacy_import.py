"""An installation of the portal from before the state store, upgraded in place: what it had
published (catalogue.sqlite, publish-log.sqlite, the file store) is there after the upgrade."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from portal.catalogue.publish import Options, publish
from portal.catalogue.search import Search
from portal.composition import Portal
from portal.pipeline import convert
from portal.settings import Settings
from portal.workspace import Workspace
from tests.conftest import TEST_DATA

# The files as the portal before the state store wrote them (portal/catalogue/embedded.py
# and history.py at 99189c2).
OLD_CATALOGUE = """
CREATE TABLE organizations (name TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE packages (
    id TEXT PRIMARY KEY, name TEXT UNIQUE NOT NULL, owner_org TEXT, modified TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE activity (package TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL, data TEXT NOT NULL);
"""
OLD_LOG = """CREATE TABLE publishes (at, who, catalogue, package, action, outcome, content_hash,
    valid, errors, warnings, report, message)"""
NAME = "222127-event"


def old_installation(settings: Settings, tmp_path: Path) -> dict[str, object]:
    """A data directory as the old portal left it, holding one published dataset."""
    scratch = settings.model_copy(update={"data_dir": tmp_path / "scratch"})
    folder = convert(
        TEST_DATA / "convert" / "event-cp932.yaml", Workspace.of(scratch), tmp_path / "event"
    )
    portal = Portal.open(scratch, "embedded")
    publish(folder.files["csv"].parent, portal.publisher(), Options(who="yamada"))
    package = portal.catalogue.package_show(NAME)
    assert package is not None
    shutil.copytree(
        scratch.data_dir / "catalogue" / "files", settings.data_dir / "catalogue" / "files"
    )
    with sqlite3.connect(settings.data_dir / "catalogue" / "catalogue.sqlite") as db:
        db.executescript(OLD_CATALOGUE)
        db.execute(
            "INSERT INTO organizations VALUES ('222127', '静岡県焼津市', '2026-04-01T09:00:00.000000')"
        )
        db.execute("INSERT INTO packages VALUES (?, ?, ?, ?, ?)", (package["id"], NAME, "222127",
                   package["metadata_modified"], json.dumps(package, ensure_ascii=False)))  # fmt: skip
        db.execute(
            "INSERT INTO activity VALUES (?, ?, 'new package', '{}')",
            (NAME, package["metadata_modified"]),
        )
    with sqlite3.connect(settings.data_dir / "publish-log.sqlite") as db:
        db.execute(OLD_LOG)
        db.execute("INSERT INTO publishes VALUES ('2026-04-01T09:00:00+00:00', 'yamada', 'embedded x', ?,"
                   " 'create', 'done', 'abc', 1, 0, 2, '/tmp/r.html', '')", (NAME,))  # fmt: skip
    return package


def test_an_upgraded_installation_keeps_what_it_published(
    settings: Settings, tmp_path: Path
) -> None:
    (settings.data_dir / "catalogue").mkdir(parents=True)
    before = old_installation(settings, tmp_path)
    portal = Portal.open(settings, "embedded")
    assert portal.catalogue.package_show(NAME) == before
    assert [p["name"] for p in portal.catalogue.search(Search(q="イベント 焼津"))["results"]] == [
        NAME
    ]
    assert portal.catalogue.organization("222127")["package_count"] == 1  # type: ignore[index]
    csv = next(r for r in before["resources"] if r["format"] == "CSV")  # type: ignore[index]
    assert portal.catalogue.local_file(csv) is not None  # the files are where they were
    assert [h["action"] for h in portal.catalogue.history(NAME)] == ["new package"]
    (entry,) = portal.publisher().log.entries(NAME)
    assert (entry["who"], entry["action"], entry["valid"], entry["warnings"]) == (
        "yamada",
        "create",
        True,
        2,
    )
    assert entry["at"] == "2026-04-01T09:00:00+00:00"
    # Imported once: the old files are kept as a backup under another name, not read again.
    assert (settings.data_dir / "publish-log.sqlite.imported").is_file()
    assert not (settings.data_dir / "catalogue" / "catalogue.sqlite").exists()
    again = Portal.open(settings, "embedded")
    assert len(again.publisher().log.entries(NAME)) == 1 and again.catalogue.package_list() == [
        NAME
    ]
