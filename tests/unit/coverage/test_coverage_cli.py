"""`portal coverage` and `portal coverage exempt` as a clerk of the DX office runs them, over a
portal with real publishes (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import getpass
import io
import json

import pytest

from portal.accounts import audit
from portal.cli import main
from portal.composition import Portal
from portal.settings import Settings
from tests.unit.coverage.conftest import IBARAKI, SETTSU, SUITA


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, coverage_settings: Settings) -> None:
    monkeypatch.setenv("PORTAL_DATASETS_DIR", str(coverage_settings.datasets_dir))
    monkeypatch.setenv("PORTAL_DATA_DIR", str(coverage_settings.data_dir))
    monkeypatch.setenv("PORTAL_DATABASE_URL", coverage_settings.effective_database_url)
    monkeypatch.setenv("PORTAL_CATALOGUE", "embedded")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_table_shows_each_state_and_the_percentages(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "coverage")
    assert code == 0
    settsu = next(line for line in out.splitlines() if SETTSU in line)
    suita = next(line for line in out.splitlines() if SUITA in line)
    assert "大阪府摂津市" in settsu and "○" in settsu and "│ 6 │" in settsu  # 1 of 17
    assert "×" in suita and "│ 0 │" in suita
    assert "A-01" in out and "A-17" in out and "published-valid" in out  # the legend


def test_json_and_csv_parse_and_org_filters(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "coverage", "--format", "json", "--org", IBARAKI, "--org", SETTSU)
    answer = json.loads(out)
    assert code == 0 and [o["lgcode"] for o in answer["organizations"]] == [IBARAKI, SETTSU]
    assert {c["state"] for c in answer["cells"] if c["lgcode"] == IBARAKI} == {"missing"}
    code, out, _ = run(capsys, "coverage", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 3 * 17
    assert next(r for r in rows if r["lgcode"] == SUITA and r["dataset"] == "aed")["state"] == (
        "published-invalid"
    )


def test_a_bad_code_exits_2_with_the_message(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "coverage", "--org", "999999")
    assert code == 2 and out == ""
    assert "999999" in err and "全国地方公共団体コード" in err


def test_exempt_marks_not_applicable_audited_as_the_os_user(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "coverage", "exempt", SUITA, "public_wireless_lan",
                       "--reason", "市内に公衆無線LANなし")  # fmt: skip
    assert code == 0 and "対象外" in out
    code, out, _ = run(capsys, "coverage", "--format", "json", "--org", SUITA)
    cell = next(c for c in json.loads(out)["cells"] if c["dataset"] == "public_wireless_lan")
    assert (cell["state"], cell["reason"]) == ("not-applicable", "市内に公衆無線LANなし")
    entry = audit.entries(portal.store, org=SUITA)[0]
    assert entry.actor == f"cli:{getpass.getuser()}" and entry.action == "coverage.exempt"


@pytest.mark.parametrize(
    ("dataset", "reason", "said"),
    [
        ("legacy/aed", "x", "legacy/aed"),
        ("aed", "  ", "理由"),
        ("support_program", "x", "support_program"),
    ],
)
def test_exempt_refuses_what_coverage_does_not_count(
    portal: Portal, capsys: pytest.CaptureFixture[str], dataset: str, reason: str, said: str
) -> None:
    code, out, err = run(capsys, "coverage", "exempt", SUITA, dataset, "--reason", reason)
    assert code == 2 and "exemption-invalid" in err and said in err
    assert not [e for e in audit.entries(portal.store, org=SUITA) if e.action == "coverage.exempt"]
