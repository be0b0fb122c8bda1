"""The `portal` command line: what a clerk sees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from portal.cli import commands, main
from portal.settings import PROJECT_ROOT


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, datasets_copy: Path, reference_dir: Path) -> None:
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(datasets_copy))
    monkeypatch.setenv("PORTAL_REFERENCE_DIR", str(reference_dir))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command() -> None:
    # Through the installed script, as a person would run it.
    out = subprocess.run(
        [str(Path(sys.executable).with_name("portal")), "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line, _doc in commands():
        assert line in out


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for line, _doc in commands():
        assert line in readme


def test_datasets_list_shows_every_dataset(capsys) -> None:
    code, out, _ = run(capsys, "datasets", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 38
    toilet = next(r for r in rows if r["key"] == "public_toilet")
    assert toilet == {
        "key": "public_toilet",
        "number": "A-13",
        "title_ja": "公衆トイレ一覧",
        "version": "current",
        "revision": "2026-08-01",
        "basis": "spec",
        "fields": 39,
        "required": 3,
    }
    code, out, _ = run(capsys, "datasets", "list")
    assert "公衆トイレ一覧" in out and "legacy/aed" in out and "A-17" in out


def test_datasets_show(capsys) -> None:
    code, out, _ = run(capsys, "datasets", "show", "evacuation_space")
    assert code == 0
    assert "指定緊急避難場所一覧" in out and "災害種別_洪水" in out and "◎ 必須" in out
    code, out, _ = run(capsys, "datasets", "show", "aed", "--version", "legacy")
    assert code == 0 and "都道府県コード又は市区町村コード" in out


def test_an_error_is_one_line_in_both_languages_and_exit_1(capsys) -> None:
    code, out, err = run(capsys, "datasets", "show", "toilets")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == (
        "error [dataset-not-found]: there is no standard dataset 'toilets' / "
        "標準データセット「toilets」はありません"
    )
    assert lines[1].startswith("  hint: run `portal datasets list`") and len(lines) == 2


def test_traceback_only_with_debug(capsys, monkeypatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("portal.cli.datasets.Registry", boom)
    code, _, err = run(capsys, "datasets", "list")
    assert code == 1 and "Traceback" not in err
    assert err.strip() == (
        "internal error: RuntimeError: disk on fire / 内部エラーが発生しました (details: portal --debug …)"
    )
    code, _, err = run(capsys, "--debug", "datasets", "list")
    assert code == 1 and "Traceback" in err and "disk on fire" in err


def test_broken_definition_folder_is_reported_not_a_traceback(capsys, datasets_copy: Path) -> None:
    (datasets_copy / "aed" / "schema.json").write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "datasets", "list")
    assert code == 1 and "definition-invalid" in err and "aed" in err and "Traceback" not in err


def test_bad_configuration_is_reported(capsys, monkeypatch) -> None:
    monkeypatch.setenv("PORTAL_DEBUG", "perhaps")
    code, _, err = run(capsys, "datasets", "list")
    assert code == 1 and err.startswith("error [config-invalid]") and "debug" in err


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("CKAN_URL", "not-a-url", "CKAN_URL: 'not-a-url' is not an http(s) URL with a host"),
        ("CKAN_URL", "ftp://ckan.example.jp", "is not an http(s) URL with a host"),
        ("CKAN_URL", "https://", "is not an http(s) URL with a host"),
        ("PORTAL_API_KEYS", "key1", 'PORTAL_API_KEYS: not a JSON list like ["a", "b"]'),
        ("PORTAL_SOURCE_ROOTS", "/srv/incoming", "PORTAL_SOURCE_ROOTS: not a JSON list"),
    ],
)
def test_a_bad_setting_is_a_config_error_not_an_internal_one(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: str,
    shown: str,
) -> None:
    monkeypatch.setenv(name, value)
    code, _, err = run(capsys, "catalogue", "list")
    assert code == 1 and err.startswith("error [config-invalid]"), err
    assert shown in err and "設定が正しくありません" in err
    assert "internal error" not in err and "Traceback" not in err


def test_localgov_commands(capsys) -> None:
    code, out, _ = run(capsys, "localgov", "lookup", "202193")
    assert code == 0 and "長野県東御市" in out
    code, out, _ = run(capsys, "localgov", "repair", "27210")
    assert code == 0 and "272108" in out and "枚方市" in out
    code, _, err = run(capsys, "localgov", "lookup", "272107")
    assert code == 1 and "検査数字は 8" in err


def test_build_reports_what_it_did(capsys, datasets_copy: Path) -> None:
    code, out, _ = run(capsys, "datasets", "build")
    assert code == 0 and "38 definitions" in out and "0 written or kept, 38 unchanged" in out


def test_import_spec_missing_file(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "datasets", "import-spec", str(tmp_path / "nope.xlsx"))
    assert code == 1 and "workbook-invalid" in err and "ファイルが見つかりません" in err


def test_serve_on_a_port_in_use_says_so_in_both_languages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run(capsys, "serve", "--port", str(port))
    assert code == 1
    assert f"127.0.0.1:{port}" in err and "待ち受けできません" in err and "--port" in err
    assert "serving on" not in err and "Traceback" not in err


def test_the_clerks_commands_load_no_catalogue_libraries(tmp_path: Path) -> None:
    """`portal validate` (and convert, recipe) get an app of their own: the whole portal's
    imports (database, server, queue: 56 MiB and a second) are not paid to check one file."""
    source = tmp_path / "aed.csv"
    source.write_text("全国地方公共団体コード,ID,名称\n222127,1,市役所\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from portal.cli import main\n"
        f"main(['validate', {str(source)!r}, '--dataset', 'aed'])\n"
        "print(sorted(m for m in ('sqlalchemy', 'fastapi', 'huey', 'ckanapi') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
