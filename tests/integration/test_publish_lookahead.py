"""A batch republish reads the catalogue together (issue 17: a no-op republish of 100 datasets
within a second): on CKAN one search, not a package_show per dataset; still no writes, and a
dataset whose content changed is still updated. On every catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portal.catalogue import Catalogue
from portal.catalogue.lookahead import Lookahead
from portal.catalogue.publish import Options, Publisher, publish
from portal.localgov import load
from tests.integration.conftest import variant

QUIET = Options(sleep=lambda s: None, who="test-clerk")


def test_a_batch_republish_reads_the_catalogue_once(
    publisher: Publisher, catalogue: Catalogue, converted: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    codes = [g.lgcode for g in load() if g.kind == "city"][:3]
    folders = [variant(converted, tmp_path / code, lgcode=code) for code in codes]
    for folder in folders:
        publish(folder, publisher, QUIET)
    changed = variant(folders[1], tmp_path / "changed", extra_row=True)
    folders[1] = changed
    shows: list[str] = []
    real_show = type(catalogue).package_show

    def counted(self: Any, name: str) -> Any:
        shows.append(name)
        return real_show(self, name)

    monkeypatch.setattr(type(catalogue), "package_show", counted)
    writes = catalogue.writes
    lookahead = Lookahead.of(folders, publisher)
    again = [publish(folder, publisher, QUIET, lookahead) for folder in folders]

    assert [r.action for r in again] == ["unchanged", "update", "unchanged"]
    assert catalogue.writes - writes == again[1].writes > 0  # only the changed one wrote
    if catalogue.kind == "ckan":
        assert shows == [], "each dataset was read on its own instead of in one search"
