"""The data directory's faults as a person reads them, and the clean-up rule."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from pathlib import Path

import pytest

from portal.datadir import (
    DataDirFull,
    DataDirReadOnly,
    DataDirUnusable,
    database_error,
    disk_error,
    sweep,
    writing,
)


@pytest.mark.parametrize(
    ("code", "kind", "english", "japanese"),
    [
        (errno.EROFS, DataDirReadOnly, "the data directory /srv/x is read-only: cannot publish",
         "データディレクトリ /srv/x が読み取り専用のため公開できません"),
        (errno.ENOSPC, DataDirFull, "no space left in the data directory /srv/x: cannot publish",
         "データディレクトリ /srv/x に空き容量がないため公開できません"),
        (errno.EIO, DataDirUnusable, "the data directory /srv/x cannot be used to publish: "
         "Input/output error", "データディレクトリ /srv/x で公開できません"),
    ],
)  # fmt: skip
def test_a_disk_fault_names_the_path_and_what_to_do(
    code: int, kind: type, english: str, japanese: str
) -> None:
    with pytest.raises(kind) as caught, writing(Path("/srv/x"), "publish"):
        raise OSError(code, os.strerror(code), "/srv/x/catalogue/files/a/b.csv")
    body = caught.value.to_dict()
    assert body["message_en"] == english and body["message_ja"].startswith(japanese)
    assert "PORTAL_DATA_DIR" in body["hint_en"] and "PORTAL_DATA_DIR" in body["hint_ja"]
    assert disk_error(OSError(code, "x"), Path("/srv/x"), "delete").exit_code == 2


def test_a_database_error_that_is_not_the_disk_s_is_left_alone(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "a.sqlite")
    with pytest.raises(sqlite3.OperationalError) as caught:
        db.execute("SELECT * FROM no_such_table")
    assert database_error(caught.value, tmp_path, "publish") is None
    with pytest.raises(sqlite3.OperationalError), writing(tmp_path, "publish"):
        db.execute("SELECT * FROM no_such_table")


def make(folder: Path, age_seconds: float) -> Path:
    folder.mkdir()
    (folder / "data.csv").write_text("x")
    then = time.time() - age_seconds
    for path in (folder / "data.csv", folder):
        os.utime(path, (then, then))
    return folder


def test_sweep_removes_only_what_is_unreferenced_and_older_than_the_grace_period(
    tmp_path: Path,
) -> None:
    grace = 600
    make(tmp_path / "published", 10 * grace)
    make(tmp_path / "abandoned", 2 * grace)
    make(tmp_path / "being-copied", 5)
    removed = sweep(tmp_path, keep={"published"}, grace_seconds=grace)
    assert removed == ["abandoned"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["being-copied", "published"]
