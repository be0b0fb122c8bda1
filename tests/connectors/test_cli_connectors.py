"""`portal connectors list|check|pull|push|drafts` as a clerk runs them, with the tiny test
plugin: a bad connector file stops with exit 2 naming the file and the field; a pull or push
that failed for a dataset exits 1; drafts list what validation kept back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portal.cli import main
from portal.composition import Portal
from portal.connectors.intake import LocalFile, take_in
from portal.settings import Settings
from tests.conftest import TEST_DATA
from tests.connectors import tiny

INVALID = (
    (TEST_DATA / "convert" / "event-cp932.expected.csv")
    .read_bytes()
    .replace(b"2026-05-28,2026-05-28", b"2026-13-45,2026-05-28", 1)
)


@pytest.fixture
def folder(tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    connectors = tmp_path / "connectors"
    tiny.write_config(connectors, "tiny", "https://files.example.jp/",
                      [{"dataset": "222127-event", "catalog_id": "c1"}, {"dataset": "222127-aed"}])  # fmt: skip
    monkeypatch.setenv("PORTAL_CONNECTORS_DIR", str(connectors))
    monkeypatch.setenv("PORTAL_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(settings.datasets_dir))
    monkeypatch.setenv(tiny.TOKEN_ENV, tiny.TOKEN)
    monkeypatch.setenv("PORTAL_CATALOGUE", "embedded")  # never $CKAN_URL's
    with tiny.installed():
        yield connectors


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_each_connector(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "connectors", "list", "--json")
    assert code == 0
    assert json.loads(out) == [{"name": "tiny", "kind": "tiny", "enabled": True,
                                "endpoints": {"files": "https://files.example.jp/"},
                                "datasets": ["222127-event", "222127-aed"]}]  # fmt: skip
    code, out, _ = run(capsys, "connectors", "list")
    assert code == 0 and "tiny" in out and "222127-event" in out


def test_list_without_connectors_says_so(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.delenv("PORTAL_CONNECTORS_DIR", raising=False)
    code, out, err = run(capsys, "connectors", "list")
    assert code == 0 and out == "" and "PORTAL_CONNECTORS_DIR" in err


@pytest.mark.parametrize(("text", "named"), [
    ("kind: tiny\nendpoint: {files: https://x.jp/}\n", "endpoint"),
    ("kind: tiny\nauth: {scheme: digest}\n", "auth.scheme"),
    ("kind: ftp\n", "kind: unknown kind 'ftp'"),
    ("kind: tiny\nids: [{dataset: a, catalog_id: [1, 2]}]\n", "ids.0.catalog_id"),
    ("kind: [tiny\n", "while parsing"),
])  # fmt: skip
def test_a_bad_file_is_exit_2_naming_file_and_field(folder: Path, capsys: pytest.CaptureFixture[str],
                                                   text: str, named: str) -> None:  # fmt: skip
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "connectors", "list")
    assert code == 2 and out == ""
    assert "connector-config-invalid" in err and "broken.yaml" in err and named in err
    assert "コネクタの設定が正しくありません" in err


def test_check_pull_push_run_the_connector(folder: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    code, out, _ = run(capsys, "connectors", "check", "tiny")
    assert code == 0 and "ok" in out and tiny.TOKEN_ENV in out
    monkeypatch.delenv(tiny.TOKEN_ENV)
    code, out, _ = run(capsys, "connectors", "check", "tiny", "--json")
    assert code == 1 and json.loads(out)["items"][0]["ok"] is False

    code, out, _ = run(capsys, "connectors", "pull", "tiny")
    assert code == 0 and out.count("unchanged") == 2
    code, out, _ = run(capsys, "connectors", "push", "tiny", "--dataset", "222127-event")
    assert code == 0 and out.split() == ["pushed", "222127-event", "sent"]
    code, out, _ = run(capsys, "connectors", "push", "tiny", "--dataset", "bad-one", "--json")
    assert code == 1 and json.loads(out)["items"][0]["outcome"] == "failed"


def test_an_unknown_name_is_exit_2(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "connectors", "pull", "orden")
    assert code == 2 and "connector-not-found" in err and "portal connectors list" in err


def test_drafts_lists_what_validation_kept_back(folder: Path, settings: Settings, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    code, _, err = run(capsys, "connectors", "drafts", "tiny")
    assert code == 0 and "no drafts" in err
    source = tmp_path / "event.csv"
    source.write_bytes(INVALID)
    portal = Portal.open(
        settings.model_copy(update={"connectors_dir": folder, "catalogue": "embedded"})
    )
    try:
        taken = take_in(
            portal, LocalFile(source, "222127-event", "c1@7"), connector=portal.connectors["tiny"]
        )
    finally:
        portal.close()
    assert taken.outcome == "draft" and not taken.valid

    code, out, _ = run(capsys, "connectors", "drafts", "tiny", "--json")
    (kept,) = json.loads(out)
    assert code == 0 and kept["key"] == "c1@7" and kept["errors"] == taken.errors >= 1
    assert Path(kept["draft"]).is_relative_to(settings.data_dir / "connectors" / "tiny" / "drafts")
    code, out, _ = run(capsys, "connectors", "drafts", "tiny")
    assert code == 0 and "c1@7" in out
