"""Every publish that writes is a version: `portal publish` three times (a row added, one
removed, one changed), each version's change summary, the download of an old version, and a
rollback that restores the old rows as a new version. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.catalogue.versions import VersionNotFound, rollback, version_file, versions
from portal.cli import main
from portal.composition import Portal
from portal.settings import Settings
from tests.conftest import TEST_DATA

NAME = "222127-event"
HEADER = "番号,行事名,開催日,終了日,時間,会場,料金,主催\n"
ROWS = {
    "1": "1,離乳食教室,令和8年5月28日,R8.5.28,10時～11時30分,アトレ庁舎1階,無料,焼津市\n",
    "2": "2,いちまるマルシェ,R8.6.1,令和8年6月2日,10:00～15:00,いちまる商店,500円,焼津市\n",
    "3": "3,陶芸作品展,2026/6/15,2026/6/20,9:00～16:00,文化センター,,焼津市\n",
}
CHANGED_2 = ROWS["2"].replace("いちまる商店", "駅前広場")
NEW_4 = "4,秋の収穫祭,2026/10/1,2026/10/1,10:00～15:00,市民広場,無料,焼津市\n"


@pytest.fixture(params=["sqlite", "postgresql"])
def portal_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
               settings: Settings, tmp_path: Path) -> Settings:  # fmt: skip
    url = request.getfixturevalue("postgres_schema") if request.param == "postgresql" else None
    settings = settings.model_copy(update={"database_url": url, "catalogue": "embedded"})
    for key, value in {"PORTAL_DATASETS_DIR": settings.datasets_dir,
                       "PORTAL_REFERENCE_DIR": settings.reference_dir,
                       "PORTAL_DATA_DIR": settings.data_dir, "PORTAL_CATALOGUE": "embedded",
                       "PORTAL_DATABASE_URL": url or ""}.items():  # fmt: skip
        monkeypatch.setenv(key, str(value))
    return settings


def recipe(tmp_path: Path) -> Path:
    """The event recipe, reading IDs from the source's 番号 column."""
    text = (TEST_DATA / "convert" / "event-cp932.yaml").read_text(encoding="utf-8")
    text = text.replace("path: event-cp932.csv", "path: events.csv")
    text = text.split("ids:")[0].replace("columns:\n", "columns:\n  ID: {from: 番号}\n")
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def publish_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str], *rows: str) -> None:
    (tmp_path / "events.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    assert main(["publish", str(recipe(tmp_path))]) == 0, capsys.readouterr()


def test_each_cli_publish_is_a_version_with_its_changes(
    portal_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_rows(tmp_path, capsys, ROWS["1"], ROWS["2"], ROWS["3"])
    first_csv = version_file_bytes(portal_env, 1)
    publish_rows(tmp_path, capsys, ROWS["1"], ROWS["2"], ROWS["3"])  # unchanged: no version
    publish_rows(tmp_path, capsys, CHANGED_2, ROWS["3"], NEW_4)  # 1 removed, 2 changed, 4 added
    portal = Portal.open(portal_env)
    try:
        found = versions(portal.store, NAME)
        assert [v.number for v in found] == [2, 1]
        newest, oldest = found
        assert (newest.added, newest.removed, newest.changed, newest.compared_by) == (1, 1, 1, "id")
        assert (oldest.added, oldest.removed, oldest.changed) == (3, 0, 0)
        assert newest.rows == 3 and newest.valid and newest.org == "222127"
        assert oldest.who == newest.who  # the OS user, kept privately
        # The download of version 1 is what was published then.
        assert version_file_bytes(portal_env, 1) == first_csv
        assert (
            b"\xe3\x81\x84\xe3\x81\xa1\xe3\x81\xbe\xe3\x82\x8b\xe5\x95\x86\xe5\xba\x97" in first_csv
        )

        restored = rollback(NAME, 1, portal.publisher(), "approver-1")
        assert restored.action == "update" and restored.version == 3
        third = versions(portal.store, NAME)[0]
        assert third.rollback_of == 1 and third.who == "approver-1"
        assert (third.added, third.removed, third.changed) == (1, 1, 1)
        shown = portal.catalogue.package_show(NAME)
        assert shown is not None
        csv = next(r for r in shown["resources"] if r["format"] == "CSV")
        assert portal.catalogue.resource_bytes(csv) == first_csv
        with pytest.raises(VersionNotFound) as missing:
            rollback(NAME, 9, portal.publisher(), "approver-1")
        assert missing.value.status == 404 and "版 9" in missing.value.message_ja
    finally:
        portal.close()


def version_file_bytes(settings: Settings, number: int) -> bytes:
    portal = Portal.open(settings)
    try:
        return version_file(portal.store, settings.data_dir / "versions", NAME, number).read_bytes()
    finally:
        portal.close()


def test_rows_without_ids_are_compared_whole(tmp_path: Path) -> None:
    from portal.catalogue.versions import compare

    before, after = tmp_path / "a.csv", tmp_path / "b.csv"
    before.write_text("名称,住所\nA,1\nB,2\n", encoding="utf-8")
    after.write_text("名称,住所\nA,1\nB,3\nC,4\n", encoding="utf-8")
    found = compare(before, after)
    assert (found.added, found.removed, found.changed, found.compared_by) == (2, 1, 0, "row")
