"""The coverage matrix: every current standard dataset × every organization, one state each.

"Covered" means published-valid: published in the current standard's layout, validated
without errors, and fresh (not older than the dataset's update frequency allows). A
not-applicable cell (set by the DX office, with a reason) leaves the denominator: an
organization's percentage is covered / (datasets − not-applicable); a dataset's the same
across organizations. A row or column with nothing applicable has no percentage (None).

`compute` is pure (packages in the CKAN shape in, a `Coverage` out): the local portal's
catalogue, a harvested region or a synthetic benchmark all go through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from portal.catalogue.meta import PortalMeta
from portal.catalogue.metadata import DatasetMetadata
from portal.coverage.policy import max_age_days, priority_order

if TYPE_CHECKING:
    from portal.composition import Portal
    from portal.localgov import Directory
    from portal.standards import Registry
    from portal.store import Store

LOCAL = "local"  # a snapshot of this portal's own catalogue
REGION = "region"  # a snapshot of a harvested region
SCOPES = (LOCAL, REGION)
# The 自治体標準オープンデータセット's own list is A-01 … A-17 (B … H name other standards
# or groups of them); a definition imported from the 定義書 counts whatever its number.
LISTED_NUMBER = re.compile(r"A-[0-9]+")
IMPORTED_BASIS = "workbook"
# When two datasets of one organization stand for one standard (a legacy-layout publish and
# a current one), the better state is the cell's.
BETTER = {"published-valid": 3, "stale": 2, "published-invalid": 1}
EARLIEST = datetime.min.replace(tzinfo=UTC)
# Settings coverage reads when they exist (PORTAL_COVERAGE_ORGANIZATIONS: lgcodes shown even
# with nothing published; PORTAL_COVERAGE_PRIORITY: another priority file).


class CellState(StrEnum):
    MISSING = "missing"
    INVALID = "published-invalid"
    VALID = "published-valid"  # the only covered state
    STALE = "stale"
    NOT_APPLICABLE = "not-applicable"


# How a state is marked wherever it is shown (the page, the terminal), beside its colour.
SYMBOLS = {CellState.VALID: "○", CellState.STALE: "△", CellState.INVALID: "×",
           CellState.MISSING: "－", CellState.NOT_APPLICABLE: "／"}  # fmt: skip


@dataclass(frozen=True)
class Organization:
    lgcode: str
    name: str  # as 地方公共団体名 writes it: 静岡県焼津市


@dataclass(frozen=True)
class StandardDataset:
    key: str  # the registry's key of the current version (its slug): aed
    number: str
    title_ja: str
    title_en: str
    priority: int  # 1 = the first gap to close (priority.yaml)


@dataclass(frozen=True)
class Cell:
    lgcode: str
    dataset: str  # StandardDataset.key
    state: CellState
    published_at: datetime | None = None
    versions: int = 0  # how many versions this portal recorded (0 when unknown)
    url: str | None = None  # the dataset's page: /datasets/<name> here, the peer's page in a region
    report_url: str | None = None  # its validation report
    reason: str | None = None  # why not applicable
    name: str | None = None  # the catalogue's package name, when published


@dataclass(frozen=True)
class Exemption:
    """The DX office's word that a dataset does not apply to an organization."""

    lgcode: str
    dataset: str
    reason: str
    who: str
    at: datetime


@dataclass(frozen=True)
class Snapshot:
    """One point of a trend: an organization's coverage at a moment."""

    at: datetime
    lgcode: str
    covered: int
    total: int  # applicable datasets (not-applicable left out)
    scope: str = LOCAL

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else 100.0 * self.covered / self.total


@dataclass
class Coverage:
    organizations: list[Organization]
    datasets: list[StandardDataset]
    cells: list[Cell]  # one per (organization, dataset), organizations' order then datasets'
    at: datetime  # the `now` it was computed for
    scope: str = LOCAL
    _index: dict[tuple[str, str], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {(c.lgcode, c.dataset): c for c in self.cells}

    def cell(self, lgcode: str, dataset: str) -> Cell:
        return self._index[(lgcode, dataset)]

    def covered(self, lgcode: str | None = None, dataset: str | None = None) -> tuple[int, int]:
        """(covered, applicable) over the cells of one organization and/or dataset; looked
        up by the index, not by a walk over every cell (the page asks it per organization)."""
        lgcodes = [lgcode] if lgcode else [o.lgcode for o in self.organizations]
        keys = [dataset] if dataset else [d.key for d in self.datasets]
        covered = applicable = 0
        for code in lgcodes:
            for key in keys:
                cell = self._index.get((code, key))
                if cell is not None and cell.state != CellState.NOT_APPLICABLE:
                    applicable += 1
                    covered += cell.state == CellState.VALID
        return covered, applicable

    def percent_by_organization(self) -> dict[str, float | None]:
        return _percents(self.cells, lambda c: c.lgcode, [o.lgcode for o in self.organizations])

    def percent_by_dataset(self) -> dict[str, float | None]:
        return _percents(self.cells, lambda c: c.dataset, [d.key for d in self.datasets])


def _percents(cells: Iterable[Cell], key: Any, order: list[str]) -> dict[str, float | None]:
    counts = {k: [0, 0] for k in order}
    for cell in cells:
        if cell.state != CellState.NOT_APPLICABLE:
            tally = counts[key(cell)]
            tally[0] += cell.state == CellState.VALID
            tally[1] += 1
    return {k: percent(c, t) for k, (c, t) in counts.items()}


def percent(covered: int, total: int) -> float | None:
    """covered / applicable as a percentage to one decimal; None when nothing applies."""
    return None if total == 0 else round(100.0 * covered / total, 1)


def standard_datasets(
    registry: Registry, priority: Sequence[str] | None = None
) -> list[StandardDataset]:
    """The datasets coverage counts, in the specification's order: every current standard
    dataset (A-01 … and any imported from the 定義書), never a legacy version (a legacy-layout
    publish counts for its current dataset: they share the key)."""
    ranks = {key: n for n, key in enumerate(priority_order() if priority is None else priority, 1)}
    counted = [
        d for d in registry.all()
        if d.version == "current"
        and (LISTED_NUMBER.fullmatch(d.number) or d.basis == IMPORTED_BASIS)
    ]  # fmt: skip
    unranked = len(ranks) + 1  # after every ranked one, in the specification's order
    return [
        StandardDataset(
            d.slug, d.number, d.title_ja, d.title_en, ranks.get(d.slug, unranked + n)
        )  # fmt: skip
        for n, d in enumerate(counted)
    ]


def state_of(
    *, valid: bool | None, published_at: datetime | None, max_age: int | None, now: datetime
) -> CellState:
    """A published dataset's state (a harvest judges peers' datasets with it too). Invalid
    before stale: the fix for both is one valid publish. A publish of unknown date is stale
    unless nothing can make it so."""
    if valid is not True:
        return CellState.INVALID
    if max_age is not None and (
        published_at is None or now - published_at > timedelta(days=max_age)
    ):
        return CellState.STALE
    return CellState.VALID


def _published_cell(
    package: Mapping[str, Any], keys: set[str], now: datetime, version_counts: Mapping[str, int]
) -> Cell | None:
    meta = PortalMeta.from_package(package)
    if meta.standard not in keys or not meta.lgcode:
        return None
    frequency = DatasetMetadata.from_package(package).update_frequency
    state = state_of(
        valid=meta.validation.valid if meta.validation else None,
        published_at=meta.published_at,
        max_age=max_age_days(meta.standard, frequency),
        now=now,
    )
    name = str(package.get("name", ""))
    return Cell(
        meta.lgcode, meta.standard, state, meta.published_at,
        versions=version_counts.get(name, 0), url=f"/datasets/{name}",
        report_url=_report_url(package), name=name,
    )  # fmt: skip


def _report_url(package: Mapping[str, Any]) -> str | None:
    listed = package.get("resources")
    for resource in listed if isinstance(listed, list) else []:
        if isinstance(resource, Mapping) and str(resource.get("name", "")).endswith(
            ".validation.html"
        ):
            url = resource.get("url")
            return str(url) if url else None
    return None


def _better(a: Cell | None, b: Cell) -> Cell:
    if a is None:
        return b

    def rank(c: Cell) -> tuple[int, datetime]:
        return BETTER[c.state], c.published_at or EARLIEST

    return b if rank(b) > rank(a) else a


def compute(
    packages: Iterable[Mapping[str, Any]],
    registry: Registry,
    directory: Directory,
    exemptions: Iterable[Exemption],
    *,
    now: datetime,
    organizations: Iterable[str] | None = None,
    version_counts: Mapping[str, int] | None = None,
    priority: Sequence[str] | None = None,
) -> Coverage:
    """The matrix of the organizations with a standard dataset in `packages`, plus those
    listed in `organizations` (a city with nothing published is all missing), × the standard
    datasets. An exemption makes a cell not-applicable only where nothing is published: a
    publish shows its own state, so the DX office sees one that contradicts its word."""
    datasets = standard_datasets(registry, priority)
    keys = {d.key for d in datasets}
    published: dict[tuple[str, str], Cell] = {}
    for package in packages:
        cell = _published_cell(package, keys, now, version_counts or {})
        if cell is not None:
            where = (cell.lgcode, cell.dataset)
            published[where] = _better(published.get(where), cell)
    lgcodes = sorted({lg for lg, _ in published} | set(organizations or ()))
    exempt = {(e.lgcode, e.dataset): e for e in exemptions}
    cells = []
    for lgcode in lgcodes:
        for dataset in datasets:
            where = (lgcode, dataset.key)
            found = published.get(where)
            if found is None and where in exempt:
                found = Cell(
                    lgcode, dataset.key, CellState.NOT_APPLICABLE, reason=exempt[where].reason
                )
            cells.append(found or Cell(lgcode, dataset.key, CellState.MISSING))
    return Coverage([_organization(directory, lg) for lg in lgcodes], datasets, cells, now)


def _organization(directory: Directory, lgcode: str) -> Organization:
    body = directory.get(lgcode)
    return Organization(lgcode, body.full_name if body else lgcode)


def local_coverage(
    portal: Portal,
    now: datetime | None = None,
    *,
    organizations: Iterable[str] = (),
    priority: Sequence[str] | None = None,
) -> Coverage:
    """This portal's coverage: its catalogue's public datasets, its exemptions and versions;
    the organizations the settings list besides those that published (coverage_organizations)."""
    from portal.coverage.records import exemptions, version_counts

    listed = [*portal.settings.coverage_organizations, *organizations]
    if priority is None:
        priority = priority_order(portal.settings.coverage_priority)
    return compute(
        portal.catalogue.public_packages(), portal.registry, portal.directory,
        exemptions(portal.store), now=now or datetime.now(UTC), organizations=listed,
        version_counts=version_counts(portal.store), priority=priority,
    )  # fmt: skip


def only(coverage: Coverage, lgcodes: Iterable[str]) -> Coverage:
    """The same coverage shown for these organizations only (those it has)."""
    wanted = set(lgcodes)
    return Coverage(
        [o for o in coverage.organizations if o.lgcode in wanted], coverage.datasets,
        [c for c in coverage.cells if c.lgcode in wanted], coverage.at, coverage.scope,
    )  # fmt: skip


# A gap's order within one dataset: what is not there at all, then what is wrong, then old.
GAP_ORDER = {CellState.MISSING: 0, CellState.INVALID: 1, CellState.STALE: 2}


def gaps(coverage: Coverage, priority: Sequence[str] | None = None) -> list[Cell]:
    """The cells to work on (missing, invalid, stale), the most wanted dataset first (by
    `priority`, a list of keys, else the datasets' own ranks), then missing before invalid
    before stale, then by organization."""
    if priority is None:
        ranks = {d.key: d.priority for d in coverage.datasets}
    else:
        ranks = {key: n for n, key in enumerate(priority)}
        ranks |= {
            d.key: len(priority) + d.priority for d in coverage.datasets if d.key not in ranks
        }
    open_cells = [c for c in coverage.cells if c.state in GAP_ORDER]
    return sorted(open_cells, key=lambda c: (ranks[c.dataset], GAP_ORDER[c.state], c.lgcode))


def to_json(coverage: Coverage, base: str = "") -> dict[str, Any]:
    """The API's shape (GET /api/v1/coverage, `portal coverage --format json`)."""
    from portal.coverage.export import to_json as shaped

    return shaped(coverage, base)


def to_csv(coverage: Coverage, base: str = "") -> str:
    """One row per cell, with the organization's and the dataset's names, UTF-8."""
    from portal.coverage.export import to_csv as rows

    return rows(coverage, base)


def record_snapshot(store: Store, coverage: Coverage, scope: str = LOCAL) -> None:
    """One snapshot per organization of `coverage`, at its `at`."""
    from portal.coverage.records import record_snapshot as record

    record(store, coverage, scope)


def trend(store: Store, scope: str = LOCAL, lgcodes: Iterable[str] | None = None) -> list[Snapshot]:
    """The snapshots of `scope` (of those organizations, if given), oldest first."""
    from portal.coverage.records import trend as points

    return points(store, scope, lgcodes)


def set_exemption(store: Store, lgcode: str, dataset: str, reason: str, who: str) -> Exemption:
    """Record (or replace) that `dataset` does not apply to `lgcode`, with why and who."""
    from portal.coverage.records import set_exemption as put

    return put(store, lgcode, dataset, reason, who)


def exemptions(store: Store) -> list[Exemption]:
    from portal.coverage.records import exemptions as listed

    return listed(store)
