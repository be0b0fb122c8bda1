"""Who published and who deleted: the OS account goes to the private publish log only (taken
from the process's uid, not from $LOGNAME), the public catalogue shows the organization; a
delete is confirmed first and leaves a history entry."""

from __future__ import annotations

import os
import pty
import pwd
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from portal.catalogue.base import extras
from portal.catalogue.mapping import Converted
from portal.catalogue.publish import Options, publish
from portal.cli import main
from portal.composition import Portal
from portal.server import create_app
from portal.settings import Settings
from tests.integration.test_disk_faults import NAME, portal_env, versions

FORGED = "mallory-forged"
ORGANIZATION = "222127"


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, str]:
    """The event dataset published by a clerk whose environment claims another name."""
    settings, v1, _ = versions(tmp_path)
    for key, value in portal_env(settings.data_dir).items():
        monkeypatch.setenv(key, value)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, FORGED)
    done = publish(v1, Portal.open(settings, "embedded").publisher(), Options())
    return settings, done.plan.digest


def test_a_dataset_that_shows_an_os_account_is_republished_with_the_organization(
    published: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, _ = published
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    folder = tmp_path / "v1"  # where versions() converted it
    current = catalogue.package_show(NAME)
    assert current is not None
    as_before = [  # what a publish before the fix left in the catalogue
        {**e, "value": "clerk-account"} if e["key"] == "portal_published_by" else e
        for e in current["extras"]
    ]
    catalogue.package_put({**current, "extras": as_before}, Converted.read(folder).files(), current)
    assert publish(folder, publisher, Options()).action == "update"
    shown = catalogue.package_show(NAME)
    assert shown is not None and extras(shown)["portal_published_by"] == ORGANIZATION
    assert publish(folder, publisher, Options()).action == "unchanged"


def account() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def test_the_api_shows_the_organization_and_only_the_private_log_the_os_account(
    published: tuple[Settings, str],
) -> None:
    settings, _ = published
    client = TestClient(create_app(settings))
    shown = client.get(f"/api/v1/datasets/{NAME}")
    assert shown.status_code == 200
    assert shown.json()["extras"]["portal_published_by"] == ORGANIZATION
    compat = client.get("/api/3/action/package_show", params={"id": NAME})
    for answer in (shown, compat):
        assert FORGED not in answer.text
        extras = answer.json()["extras"] if answer is shown else answer.json()["result"]["extras"]
        values = extras.values() if isinstance(extras, dict) else [e["value"] for e in extras]
        assert account() not in values
    (entry,) = Portal.open(settings, "embedded").publisher().log.entries(NAME)
    assert entry["who"] == account()  # from the uid: the environment's claim is not taken


def test_delete_without_a_terminal_refuses_and_deletes_nothing(
    published: tuple[Settings, str],
) -> None:
    settings, _ = published
    done = subprocess.run([sys.executable, "-m", "portal", "catalogue", "delete", NAME],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"not deleting {NAME}" in done.stderr and "--yes" in done.stderr
    assert f"{NAME} を削除しませんでした" in done.stderr
    assert Portal.open(settings, "embedded").catalogue.package_show(NAME) is not None


def delete_on_a_terminal(answer: str) -> tuple[int, str]:
    """`portal catalogue delete` with its stdin a terminal, answering `answer` to its question."""
    leader, follower = pty.openpty()
    with subprocess.Popen([sys.executable, "-m", "portal", "catalogue", "delete", NAME],
                          stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as child:  # fmt: skip
        os.close(follower)
        os.write(leader, answer.encode() + b"\n")
        out, _ = child.communicate(timeout=60)
    os.close(leader)
    return child.returncode, out


def test_delete_on_a_terminal_asks_first(published: tuple[Settings, str]) -> None:
    settings, _ = published
    publisher = Portal.open(settings, "embedded").publisher()
    catalogue = publisher.catalogue
    code, out = delete_on_a_terminal("n")
    assert code == 1 and f"Delete {NAME}" in out and "削除しますか" in out, out
    assert catalogue.package_show(NAME) is not None
    code, out = delete_on_a_terminal("y")
    assert code == 0 and f"deleted {NAME}" in out, out
    assert catalogue.package_show(NAME) is None


def test_a_delete_is_recorded_in_the_publish_log(
    published: tuple[Settings, str], capsys: pytest.CaptureFixture[str]
) -> None:
    settings, digest = published
    assert main(["catalogue", "delete", NAME, "--yes"]) == 0
    latest = Portal.open(settings, "embedded").publisher().log.entries(NAME)[0]
    assert (latest["action"], latest["outcome"], latest["who"]) == ("delete", "done", account())
    assert latest["content_hash"] == digest  # which version was deleted
    capsys.readouterr()
    assert main(["history", NAME]) == 0
    history = capsys.readouterr().out
    assert "delete" in history and digest[:12] in history
