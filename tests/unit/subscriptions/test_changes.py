"""The change summary a notice carries, on small pairs of versions: rows added, removed and
changed by the ID field (the `ID` column, or the Table Schema's primary key), bounded lists,
and counts only when a version has no usable IDs."""

from __future__ import annotations

import json
from pathlib import Path

from portal.subscriptions.changes import MAX_LISTED_IDS, summarize

AED = "ID,名称,住所\n"


def version(folder: Path, csv_text: str, primary_key: str | list[str] | None = None) -> Path:
    """A version folder as publishing keeps it: datapackage.json naming its CSV."""
    folder.mkdir(parents=True)
    schema: dict[str, object] = {
        "fields": [{"name": n} for n in csv_text.split("\n")[0].split(",")]
    }
    if primary_key is not None:
        schema["primaryKey"] = primary_key
    package = {"resources": [{"name": "aed", "path": "aed.csv", "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (folder / "aed.csv").write_text(csv_text, encoding="utf-8")
    return folder


def test_added_removed_changed_by_id(tmp_path: Path) -> None:
    before = version(tmp_path / "1", AED + "1,市役所,本町1\n2,図書館,本町2\n3,体育館,本町3\n")
    after = version(tmp_path / "2", AED + "1,市役所,本町1\n3,体育館,新町3\n4,公民館,本町4\n")
    summary = summarize(before, after).to_dict()
    assert summary["compared_by"] == "id" and summary["id_field"] == "ID"
    assert (summary["added"], summary["removed"], summary["changed"]) == (1, 1, 1)
    assert summary["ids"] == {"added": ["4"], "removed": ["2"], "changed": ["3"],
                              "truncated": False, "max_listed": MAX_LISTED_IDS}  # fmt: skip


def test_the_first_version_counts_its_rows_as_added(tmp_path: Path) -> None:
    summary = summarize(None, version(tmp_path / "1", AED + "1,市役所,本町1\n2,図書館,本町2\n"))
    assert summary.to_dict() == {"compared_by": "none", "id_field": "ID", "added": 2,
                                 "removed": 0, "changed": 0}  # fmt: skip


def test_the_primary_key_names_rows(tmp_path: Path) -> None:
    header = "コード,名称\n"
    before = version(tmp_path / "1", header + "a,市役所\nb,図書館\n", primary_key="コード")
    after = version(tmp_path / "2", header + "a,市役所本庁舎\nc,体育館\n", primary_key=["コード"])
    summary = summarize(before, after).to_dict()
    assert summary["id_field"] == "コード"
    assert summary["ids"]["added"] == ["c"] and summary["ids"]["removed"] == ["b"]
    assert summary["ids"]["changed"] == ["a"]


def test_a_file_without_ids_gives_counts_only(tmp_path: Path) -> None:
    before = version(tmp_path / "1", "名称,住所\n市役所,本町1\n図書館,本町2\n")
    after = version(tmp_path / "2", "名称,住所\n市役所,本町1\n図書館,新町2\n体育館,本町3\n")
    summary = summarize(before, after).to_dict()
    assert summary == {"compared_by": "row", "id_field": None, "added": 2, "removed": 1,
                       "changed": 0}  # fmt: skip


def test_a_repeated_id_gives_counts_only(tmp_path: Path) -> None:
    before = version(tmp_path / "1", AED + "1,市役所,本町1\n1,図書館,本町2\n")
    after = version(tmp_path / "2", AED + "1,市役所,本町1\n2,図書館,本町2\n")
    summary = summarize(before, after).to_dict()
    assert summary["compared_by"] == "row" and "ids" not in summary
    assert (summary["added"], summary["removed"]) == (1, 1)


def test_long_lists_are_bounded_and_the_counts_whole(tmp_path: Path) -> None:
    many = MAX_LISTED_IDS + 20
    before = version(tmp_path / "1", AED)
    after = version(tmp_path / "2", AED + "".join(f"{n},施設{n},本町\n" for n in range(many)))
    summary = summarize(before, after).to_dict()
    assert summary["added"] == many
    assert len(summary["ids"]["added"]) == MAX_LISTED_IDS and summary["ids"]["truncated"]
    assert summary["ids"]["added"][:3] == ["0", "1", "2"]  # in the file's order
