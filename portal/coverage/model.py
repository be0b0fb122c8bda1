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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.composition import Portal
    from portal.localgov import Directory
    from portal.standards import Registry
    from portal.store import Store

LOCAL = "local"  # a snapshot of this portal's own catalogue
REGION = "region"  # a snapshot of a harvested region
SCOPES = (LOCAL, REGION)


class CellState(StrEnum):
    MISSING = "missing"
    INVALID = "published-invalid"
    VALID = "published-valid"  # the only covered state
    STALE = "stale"
    NOT_APPLICABLE = "not-applicable"


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

    def cell(self, lgcode: str, dataset: str) -> Cell:
        raise NotImplementedError

    def covered(self, lgcode: str | None = None, dataset: str | None = None) -> tuple[int, int]:
        """(covered, applicable) over the cells of one organization and/or dataset."""
        raise NotImplementedError

    def percent_by_organization(self) -> dict[str, float | None]:
        raise NotImplementedError

    def percent_by_dataset(self) -> dict[str, float | None]:
        raise NotImplementedError


def standard_datasets(
    registry: Registry, priority: Sequence[str] | None = None
) -> list[StandardDataset]:
    """The datasets coverage counts: every current standard dataset (A-01 … and any
    imported from the 定義書), never a legacy version."""
    raise NotImplementedError


def max_age_days(dataset: str, frequency: str | None) -> int | None:
    """How old a publish may be before it is stale: by its update frequency, else the
    standard's default (freshness.yaml); None: never stale."""
    raise NotImplementedError


def state_of(
    *, valid: bool | None, published_at: datetime | None, max_age: int | None, now: datetime
) -> CellState:
    """A published dataset's state (a harvest judges peers' datasets with it too)."""
    raise NotImplementedError


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
    raise NotImplementedError


def local_coverage(portal: Portal, now: datetime | None = None) -> Coverage:
    raise NotImplementedError


def priority_order(path: str | None = None) -> list[str]:
    """The datasets' keys, the first gap to close first (priority.yaml, or another file)."""
    raise NotImplementedError


def gaps(coverage: Coverage, priority: Sequence[str] | None = None) -> list[Cell]:
    """The cells to work on (missing, invalid, stale), the most wanted dataset first."""
    raise NotImplementedError


def to_json(coverage: Coverage, base: str = "") -> dict[str, Any]:
    raise NotImplementedError


def to_csv(coverage: Coverage, base: str = "") -> str:
    raise NotImplementedError


def record_snapshot(store: Store, coverage: Coverage, scope: str = LOCAL) -> None:
    raise NotImplementedError


def trend(store: Store, scope: str = LOCAL, lgcodes: Iterable[str] | None = None) -> list[Snapshot]:
    raise NotImplementedError


def set_exemption(store: Store, lgcode: str, dataset: str, reason: str, who: str) -> Exemption:
    raise NotImplementedError


def exemptions(store: Store) -> list[Exemption]:
    raise NotImplementedError
