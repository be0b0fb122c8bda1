"""Coverage as the API's JSON and as CSV. The JSON path is the request path: plain Python,
no pandas (its import costs start-up time); the CSV and the trend's table use pandas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from portal.coverage.model import Cell, CellState, Coverage, Snapshot, percent

if TYPE_CHECKING:
    import pandas as pd

COVERED_MEANS = CellState.VALID.value  # said in every answer, so nobody has to guess
CSV_COLUMNS = ["lgcode", "organization", "dataset", "number", "title_ja", "state",
               "published_at", "versions", "url", "report_url", "reason"]  # fmt: skip


def _tallies(coverage: Coverage) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    by_org = {o.lgcode: [0, 0] for o in coverage.organizations}
    by_dataset = {d.key: [0, 0] for d in coverage.datasets}
    for cell in coverage.cells:
        if cell.state == CellState.NOT_APPLICABLE:
            continue
        for tally in (by_org[cell.lgcode], by_dataset[cell.dataset]):
            tally[0] += cell.state == CellState.VALID
            tally[1] += 1
    return by_org, by_dataset


def _link(base: str, url: str | None) -> str | None:
    """A link of this portal (a path) made absolute; a peer's (a URL) kept as it is."""
    return base + url if url and url.startswith("/") else url


def _cell(cell: Cell, base: str) -> dict[str, Any]:
    return {
        "lgcode": cell.lgcode,
        "dataset": cell.dataset,
        "state": cell.state.value,
        "published_at": cell.published_at.isoformat(timespec="seconds")
        if cell.published_at
        else None,
        "url": _link(base, cell.url),
        "report_url": _link(base, cell.report_url),
        "versions": cell.versions,
        "reason": cell.reason,
    }


def to_json(coverage: Coverage, base: str = "") -> dict[str, Any]:
    by_org, by_dataset = _tallies(coverage)
    covered = sum(c for c, _ in by_org.values())
    total = sum(t for _, t in by_org.values())
    return {
        "at": coverage.at.isoformat(timespec="seconds"),
        "scope": coverage.scope,
        "covered_means": COVERED_MEANS,
        "covered": covered,
        "total": total,
        "percent": percent(covered, total),
        "organizations": [
            {
                "lgcode": o.lgcode,
                "name": o.name,
                "covered": by_org[o.lgcode][0],
                "total": by_org[o.lgcode][1],
                "percent": percent(*by_org[o.lgcode]),
            }
            for o in coverage.organizations
        ],  # fmt: skip
        "datasets": [
            {
                "key": d.key,
                "number": d.number,
                "title_ja": d.title_ja,
                "title_en": d.title_en,
                "priority": d.priority,
                "covered": by_dataset[d.key][0],
                "total": by_dataset[d.key][1],
                "percent": percent(*by_dataset[d.key]),
            }
            for d in coverage.datasets
        ],  # fmt: skip
        "cells": [_cell(c, base) for c in coverage.cells],
    }


def frame(coverage: Coverage, base: str = "") -> pd.DataFrame:
    """One row per cell, with the organization's name and the dataset's number and title."""
    import pandas as pd

    names = {o.lgcode: o.name for o in coverage.organizations}
    datasets = {d.key: d for d in coverage.datasets}
    rows = []
    for cell in coverage.cells:
        shown = _cell(cell, base)
        dataset = datasets[cell.dataset]
        rows.append({**shown, "organization": names[cell.lgcode], "number": dataset.number,
                     "title_ja": dataset.title_ja})  # fmt: skip
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def to_csv(coverage: Coverage, base: str = "") -> str:
    return str(frame(coverage, base).to_csv(index=False, lineterminator="\n"))


def matrix(coverage: Coverage) -> pd.DataFrame:
    """States as a table: a row per organization, a column per dataset (by number)."""
    table = frame(coverage).pivot(index="lgcode", columns="number", values="state")
    return table.reindex(index=[o.lgcode for o in coverage.organizations],
                         columns=[d.number for d in coverage.datasets])  # fmt: skip


def trend_frame(snapshots: Iterable[Snapshot]) -> pd.DataFrame:
    """Coverage % over time: a row per moment, a column per organization, plus `all` (covered
    over applicable across the organizations snapshotted at that moment)."""
    import pandas as pd

    points = pd.DataFrame(
        [(s.at, s.lgcode, s.covered, s.total) for s in snapshots],
        columns=["at", "lgcode", "covered", "total"],
    )
    if points.empty:
        return pd.DataFrame()
    points["percent"] = (
        100.0 * points["covered"] / points["total"].where(points["total"] > 0)
    ).round(1)
    table = points.pivot_table(index="at", columns="lgcode", values="percent", aggfunc="last")
    sums = points.groupby("at")[["covered", "total"]].sum()
    table["all"] = (100.0 * sums["covered"] / sums["total"].where(sums["total"] > 0)).round(1)
    return table
