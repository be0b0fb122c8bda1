"""The README's backup and restore commands, run as written: a dataset deleted after the
backup is back after the restore, with its rows answering, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import make_url

from portal.catalogue.from_recipe import publish_recipe
from portal.catalogue.publish import Options
from portal.composition import Portal
from portal.server import create_app
from portal.settings import PROJECT_ROOT, Settings
from portal.workspace import Workspace
from tests.conftest import DATASETS_DIR, REFERENCE_DIR, TEST_DATA

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
NAME = "272248-aed"
PLACEHOLDER = '"postgresql://portal:…@db/portal"'


def backup_commands() -> tuple[list[str], list[str], list[str]]:
    """(SQLite backup, SQLite restore, PostgreSQL) command lines of the README's block."""
    block = README.split("**Backup and restore**", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line and not line.startswith("#")]
    return lines[:2], lines[2:4], lines[4:]


def published(root: Path, database_url: str | None) -> Settings:
    settings = Settings(datasets_dir=DATASETS_DIR, reference_dir=REFERENCE_DIR,
                        data_dir=root / "var", catalogue="embedded", database_url=database_url,
                        rate_limit=0)  # type: ignore[call-arg]  # fmt: skip
    portal = Portal.open(settings)
    publish_recipe(TEST_DATA / "api" / "aed-settsu.yaml", portal.publisher(), Workspace.of(settings),
                   Options(allow_invalid=True), staging=root / "converted")  # fmt: skip
    portal.close()
    return settings


def run(lines: list[str], settings: Settings, cwd: Path) -> None:
    env = {**os.environ, "PORTAL_DATA_DIR": str(settings.data_dir), "PORTAL_CATALOGUE": "embedded",
           "PORTAL_DATASETS_DIR": str(settings.datasets_dir),
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}  # fmt: skip
    env.pop("CKAN_URL", None)
    if settings.database_url:
        env["PORTAL_DATABASE_URL"] = settings.database_url
    for line in lines:
        done = subprocess.run(
            ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"$ {line}\n{done.stdout}\n{done.stderr}"


def rows_total(settings: Settings) -> int:
    answer = TestClient(create_app(settings)).get(f"/api/v1/datasets/{NAME}/rows")
    assert answer.status_code == 200, answer.text
    total: int = answer.json()["total"]
    return total


def delete(settings: Settings, cwd: Path) -> None:
    run([f"portal catalogue delete {NAME} --yes"], settings, cwd)
    assert Portal.open(settings).catalogue.package_show(NAME) is None


def test_sqlite_backup_and_restore(tmp_path: Path) -> None:
    settings = published(tmp_path, None)
    before = rows_total(settings)
    backup, restore, _ = backup_commands()
    (settings.data_dir / "backup").mkdir()
    run(backup, settings, tmp_path)
    delete(settings, tmp_path)
    run(restore, settings, tmp_path)
    assert Portal.open(settings).catalogue.package_show(NAME) is not None
    assert rows_total(settings) == before > 0


def test_postgresql_backup_and_restore(postgres_schema: str, tmp_path: Path) -> None:
    """The README dumps a whole database; the test database holds other tests' schemas, so
    here both commands are limited to this test's schema (--schema)."""
    settings = published(tmp_path, postgres_schema)
    before = rows_total(settings)
    url = make_url(postgres_schema)
    schema = re.search(r"search_path=(\w+)", str(url.query["options"]))
    assert schema is not None
    libpq = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    dump, restore = (line.replace(PLACEHOLDER, f"{libpq!r} --schema={schema.group(1)}")
                     for line in backup_commands()[2])  # fmt: skip
    run([dump], settings, tmp_path)
    delete(settings, tmp_path)
    run([restore], settings, tmp_path)
    assert Portal.open(settings).catalogue.package_show(NAME) is not None
    assert rows_total(settings) == before > 0
