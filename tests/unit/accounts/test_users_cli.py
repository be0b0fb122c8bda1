"""`portal users …` and `portal audit` as an administrator uses them: what they print, their
exit codes, and that a password is never taken without a terminal or stdin."""

from __future__ import annotations

import getpass
import io
import json
import re
from pathlib import Path

import pytest

from portal.accounts.login import authenticate, token_actor
from portal.cli import main
from portal.settings import load_settings
from portal.store import Store


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> None:
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PORTAL_DATABASE_URL", database_url)


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str,
        stdin: str = "") -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))  # not a terminal
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def store() -> Store:
    return Store.open(load_settings().effective_database_url)


def test_add_token_list_disable_audit(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "users", "add", "sato", "--org", "222127", "--role",
                       "editor", "--password-stdin", stdin="correct horse battery\n")  # fmt: skip
    assert code == 0 and "sato: editor of 222127" in out
    opened = store()
    try:
        assert authenticate(opened, "sato", "correct horse battery").name == "sato"
        code, token, err = run(capsys, monkeypatch, "users", "token", "sato")
        token = token.strip()
        assert code == 0 and token.startswith("pt_") and "shown once" in err
        assert token_actor(opened, token).token_org == "222127"
        code, out, _ = run(capsys, monkeypatch, "users", "list", "--tokens")
        assert "sato" in out and "222127:editor" in out and token[:11] in out
        assert token not in out  # a listing shows the prefix only
        assert run(capsys, monkeypatch, "users", "disable", "sato")[0] == 0
        assert "DISABLED" in run(capsys, monkeypatch, "users", "list")[1]
    finally:
        opened.close()
    code, out, _ = run(capsys, monkeypatch, "audit", "--org", "222127")
    assert code == 0 and "user-disable" in out.splitlines()[0]
    listed = json.loads(run(capsys, monkeypatch, "audit", "--org", "222127", "--json")[1])
    cli = "cli:" + getpass.getuser()
    assert [(e["actor"], e["action"], e["target"]) for e in listed] == [
        (cli, "user-disable", "sato"),
        (cli, "token-issue", "sato"),
        ("sato", "login", ""),  # the test's own authenticate()
        (cli, "role-grant", "sato"),
        (cli, "user-add", "sato"),
    ]


def test_a_password_needs_a_terminal_or_stdin(capsys, monkeypatch) -> None:
    code, _, err = run(capsys, monkeypatch, "users", "add", "sato", "--org", "222127",
                       "--role", "editor")  # fmt: skip
    assert code == 2
    assert "password-needs-terminal" in err and "--password-stdin" in err
    assert "sato" not in run(capsys, monkeypatch, "users", "list")[1]


def test_departments_and_their_approval(capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, monkeypatch, "users", "org-add", "222127-bousai", "--parent",
                       "222127", "--title", "防災課", "--no-approval")  # fmt: skip
    assert code == 0
    orgs = run(capsys, monkeypatch, "users", "orgs")[1]
    assert re.search(r"222127-bousai\s+防災課\s+222127\s+no approval", orgs)
    assert re.search(r"222127\s+静岡県焼津市\s+-\s+approval", orgs)
    code, _, err = run(capsys, monkeypatch, "users", "org-add", "bousai", "--parent", "222127",
                       "--title", "防災課")  # fmt: skip
    assert code == 2 and "222127-bousai" in err  # says how to write it


def test_bad_input_exits_2_with_a_message(capsys, monkeypatch) -> None:
    code, _, err = run(capsys, monkeypatch, "users", "add", "sato", "--org", "222127", "--role",
                       "boss", "--password-stdin", stdin="correct horse battery\n")  # fmt: skip
    assert code == 2 and "role-invalid" in err
    code, _, err = run(capsys, monkeypatch, "users", "token", "nobody")
    assert code == 2 and "アカウント「nobody」はありません" in err
