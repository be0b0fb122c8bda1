"""`portal db status` and `portal db upgrade`: what an operator sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from portal.cli import main
from portal.store import Store
from tests.api.conftest import free_port
from tests.unit.store.test_migrations import CHAIN, HEAD


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def migrated_by_a_newer_portal(database_url: str) -> None:
    """The database at a revision this code does not know, as a newer portal leaves it."""
    store = Store.open(database_url)
    try:
        store.upgrade()
        with store.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'abc123def456'"))
    finally:
        store.close()


def test_status_then_upgrade_then_status(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    code, out, _ = run(capsys, "db", "status")
    assert code == 0
    assert (
        "current:  none" in out and f"pending:  {', '.join(CHAIN)}: run `portal db upgrade`" in out
    )
    assert ":portal@" not in out  # the password is not shown
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and f"none → {HEAD}" in out and "スキーマを更新しました" in out
    code, out, _ = run(capsys, "db", "status")
    assert code == 0 and f"current:  {HEAD}" in out and "up to date" in out
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and f"is up to date at {HEAD}" in out


def test_the_default_database_is_in_the_data_directory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "var"))
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and (tmp_path / "var" / "portal.db").is_file()
    assert str(tmp_path / "var" / "portal.db") in out


def test_a_database_newer_than_the_portal_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    migrated_by_a_newer_portal(database_url)
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    code, out, _ = run(capsys, "db", "status")
    assert code == 0 and "newer than this portal (abc123def456 unknown)" in out
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2
    assert "[database-newer-than-code]" in err and "abc123def456" in err
    assert "より新しいポータル" in err and "Traceback" not in err


def test_serve_refuses_a_newer_database_before_listening(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    migrated_by_a_newer_portal(database_url)
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("CKAN_URL", raising=False)
    code, _, err = run(capsys, "serve", "--port", str(free_port()))
    assert code == 2 and "[database-newer-than-code]" in err and "abc123def456" in err
    assert "serving on" not in err and "Traceback" not in err


def test_serve_sets_up_an_empty_database(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    """What `make run` relies on: a new installation needs no `portal db upgrade`."""
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("CKAN_URL", raising=False)
    monkeypatch.setattr("uvicorn.run", lambda *args, **kwargs: None)  # not listening here
    assert main(["serve", "--port", str(free_port())]) == 0
    store = Store.open(database_url)
    try:
        assert store.status().up_to_date and "packages" in store.status().tables
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("nosuchdb://x/y", "[database-url-invalid]"),
        ("not a url", "[database-url-invalid]"),
        ("postgresql://portal:secret@127.0.0.1:1/none", "[database-unavailable]"),
    ],
)
def test_an_unusable_database_url_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, code: str
) -> None:
    monkeypatch.setenv("PORTAL_DATABASE_URL", url)
    exit_code, _, err = run(capsys, "db", "status")
    assert exit_code == 2 and code in err
    assert "secret" not in err and "Traceback" not in err and "internal error" not in err
