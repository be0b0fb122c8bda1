"""Region mode: the coverage of the municipalities around the city, harvested from other
CKAN catalogues (BODIK ODCS, a prefecture's CKAN, another instance of this portal through
its `/api/3/action` routes) — and a report of each source.

For each source and each municipality it holds: `package_search` on the municipality's
organization, page by page; each package recognised by BODIK's tags, else by its CSV's
header (harvest_rules.py), counted only under an open licence, validated here when its
CSV can be fetched within bounds. Every source is read in its own daemon thread under one
overall deadline, so a peer that is down, slow or not a CKAN is reported and the run
still ends in time. The packages it counts go through the same `compute` as the city's
own catalogue, and make a "region" snapshot when a store is given.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta, Validation, moment_text
from portal.coverage import model
from portal.coverage.harvest_rules import (
    BY_HEADER,
    BY_TAGS,
    Judged,
    Note,
    by_tags,
    csv_resource,
    declared_validation,
    detect_head,
    is_open,
    licence_of,
    normalised,
    published_at,
    tags_of,
)
from portal.coverage.peer import Deadline, Download, Peer, PeerFailed
from portal.coverage.region import Holding, Region, Source, read_region
from portal.errors import PortalError
from portal.localgov import Directory
from portal.settings import Settings
from portal.standards import Definition, Registry
from portal.validation import Options, validate
from portal.workspace import CONVERTED_DIR, Workspace

if TYPE_CHECKING:
    from portal.store import Store

DEADLINE_SECONDS = 300.0  # the whole harvest, every source together
REQUEST_SECONDS = 20.0  # one request (connect and each read)
PAGE_ROWS = 100  # datasets per package_search page
MAX_DATASETS_PER_ORGANIZATION = 300
MAX_REQUESTS_PER_SOURCE = 500  # API calls and downloads together
HEAD_BYTES = 64 << 10  # enough for a header under a few title rows
MAX_VALIDATE_BYTES = 20 << 20  # a CSV larger than this is reported, not fetched whole
JOIN_GRACE_SECONDS = 1.0  # for a source thread finishing its last step at the deadline


@dataclass(frozen=True)
class HarvestLimits:
    deadline_seconds: float = DEADLINE_SECONDS
    request_seconds: float = REQUEST_SECONDS
    page_rows: int = PAGE_ROWS
    datasets_per_organization: int = MAX_DATASETS_PER_ORGANIZATION
    requests_per_source: int = MAX_REQUESTS_PER_SOURCE
    head_bytes: int = HEAD_BYTES
    validate_bytes: int = MAX_VALIDATE_BYTES


@dataclass
class DatasetReport:
    """One package a source holds for a municipality, and what the harvest made of it."""

    source: str
    lgcode: str
    organization: str
    name: str
    title: str
    url: str  # its page on the source
    licence: str
    dataset: str | None = None  # the registry's key, when recognised
    recognised_by: str | None = None  # tags | header
    counted: bool = False  # recognised, under an open licence: in the coverage
    validation: str | None = None  # valid | invalid: N errors | None (not known)
    validated_here: bool = False
    published_at: datetime | None = None
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("notes", "published_at")}
        out["published_at"] = moment_text(self.published_at) if self.published_at else None
        return {**out, "notes": [n.to_dict() for n in self.notes]}


@dataclass
class SourceReport:
    id: str
    title: str
    url: str
    reached: bool = False  # it answered as a CKAN Action API
    finished: bool = False  # read to the end (False: stopped by a failure or the deadline)
    requests: int = 0
    datasets: list[DatasetReport] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list, repr=False)  # the counted ones
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, dataset: DatasetReport, package: Package | None) -> None:
        with self._lock:
            self.datasets.append(dataset)
            if package is not None:
                self.packages.append(package)

    def note(self, note: Note) -> None:
        with self._lock:
            self.notes.append(note)

    def copy(self) -> SourceReport:
        """What it holds now, apart from a thread that may still be adding to it."""
        with self._lock:
            return replace(self, datasets=list(self.datasets), notes=list(self.notes),
                           packages=list(self.packages), _lock=threading.Lock())  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "reached": self.reached,
            "finished": self.finished,
            "requests": self.requests,
            "datasets_seen": len(self.datasets),
            "datasets_counted": sum(d.counted for d in self.datasets),
            "notes": [n.to_dict() for n in self.notes],
            "datasets": [d.to_dict() for d in self.datasets],
        }


@dataclass
class RegionResult:
    region: Region
    coverage: model.Coverage
    sources: list[SourceReport]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region.name,
            "file": self.region.file,
            "organizations": self.region.lgcodes,
            "seconds": round(self.seconds, 1),
            "sources": [s.to_dict() for s in self.sources],
        }


@dataclass(frozen=True)
class _Context:
    workspace: Workspace
    limits: HarvestLimits
    deadline: Deadline


def harvest_region(
    region_file: Path,
    registry: Registry,
    directory: Directory,
    *,
    store: Store | None = None,
    limits: HarvestLimits = HarvestLimits(),
    now: datetime | None = None,
    validators_dir: Path | None = None,
) -> RegionResult:
    """The region's coverage and a report of each source; records a "region" snapshot in
    `store` when one is given. Raises RegionInvalid for an unusable region file; a source
    that fails is reported, never raised."""
    started = time.monotonic()
    region = read_region(region_file, directory)
    context = _Context(_workspace(registry, directory, validators_dir), limits,
                       Deadline(limits.deadline_seconds))  # fmt: skip
    sources = _harvest_sources(region, context)
    packages = _best_per_cell(p for s in sources for p in s.packages)
    exemptions = model.exemptions(store) if store is not None else []
    computed = model.compute(packages, registry, directory, exemptions,
                             now=now or datetime.now(UTC), organizations=region.lgcodes)  # fmt: skip
    coverage = _on_peers(computed, packages)
    if store is not None:
        model.record_snapshot(store, coverage, model.REGION)
    return RegionResult(region, coverage, sources, time.monotonic() - started)


def _on_peers(computed: model.Coverage, packages: list[Package]) -> model.Coverage:
    """The region's coverage, its cells linking to the dataset's page on the peer (compute
    links this portal's /datasets/<name>)."""
    pages = {}
    for package in packages:
        meta = PortalMeta.from_package(package)
        pages[(meta.lgcode, meta.standard)] = str(package["url"])
    cells = [replace(c, url=pages.get((c.lgcode, c.dataset), c.url)) for c in computed.cells]
    return model.Coverage(computed.organizations, computed.datasets, cells, computed.at,
                          scope=model.REGION)  # fmt: skip


def _workspace(registry: Registry, directory: Directory, validators_dir: Path | None) -> Workspace:
    default = Settings.model_fields["validators_dir"].default
    # Validating a peer's file reads only the rule sets: it converts nothing, reads no source.
    return Workspace(registry, directory, validators_dir or default, (), Path(CONVERTED_DIR))


def _harvest_sources(region: Region, context: _Context) -> list[SourceReport]:
    reports = [SourceReport(s.id, s.title, s.url) for s in region.sources]
    threads = [
        threading.Thread(
            target=_harvest_source,
            args=(source, region.holdings_of(source.id), report, context),
            name=f"harvest-{source.id}",
            daemon=True,
        )  # fmt: skip
        for source, report in zip(region.sources, reports, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(context.deadline.remaining() + JOIN_GRACE_SECONDS)
    out = []
    for thread, report in zip(threads, reports, strict=True):
        copy = report.copy()
        if thread.is_alive():  # still working past the deadline: left to end on its own
            copy.finished = False
            copy.notes.append(Note.of("deadline", seconds=context.deadline.seconds))
        out.append(copy)
    return out


def _harvest_source(
    source: Source, holdings: list[Holding], report: SourceReport, context: _Context
) -> None:
    peer = Peer(source.url, timeout=context.limits.request_seconds,
                budget=context.limits.requests_per_source, deadline=context.deadline)  # fmt: skip
    try:
        peer.action("status_show")
        report.reached = True
        for holding in holdings:
            for package in _packages(peer, holding, report, context.limits):
                report.add(*_judge(peer, source, holding, package, context))
        report.finished = True
    except PeerFailed as failed:
        report.note(failed.note)
    finally:
        report.requests = peer.requests
        peer.close()


def _packages(
    peer: Peer, holding: Holding, report: SourceReport, limits: HarvestLimits
) -> list[Mapping[str, Any]]:
    """The organization's public datasets, page by page, at most the limit."""
    quoted = holding.organization.replace("\\", "\\\\").replace('"', '\\"')
    found: list[Mapping[str, Any]] = []
    count = 0
    while len(found) < limits.datasets_per_organization:
        rows = min(limits.page_rows, limits.datasets_per_organization - len(found))
        page = peer.action("package_search", fq=f'organization:"{quoted}"', rows=rows,
                           start=len(found))  # fmt: skip
        results = page.get("results") if isinstance(page, Mapping) else None
        if not isinstance(results, list) or not results:
            break
        count = int(page.get("count") or 0)
        found += [p for p in results if isinstance(p, Mapping)]
        if len(found) >= count:
            break
    if not found:
        report.note(Note.of("organization-empty", lgcode=holding.lgcode, organization=holding.organization))  # fmt: skip
    elif count > len(found):
        report.note(Note.of("organization-truncated", organization=holding.organization,
                            count=count, limit=len(found)))  # fmt: skip
    return found


def _judge(
    peer: Peer, source: Source, holding: Holding, package: Mapping[str, Any], context: _Context
) -> tuple[DatasetReport, Package | None]:
    """What one package is, for the report, and the package coverage counts (or None)."""
    name = str(package.get("name") or package.get("id") or "")
    report = DatasetReport(source.id, holding.lgcode, holding.organization, name,
                           str(package.get("title") or name), f"{source.url}/dataset/{name}",
                           licence_of(package))  # fmt: skip
    definition = by_tags(tags_of(package), context.workspace.registry)
    report.recognised_by = BY_TAGS if definition else None
    if not is_open(report.licence):
        report.dataset = definition.key if definition else None
        report.notes.append(Note.of("licence-not-open", licence=report.licence or "(none)"))
        return report, None
    resource = csv_resource(package)
    download = _fetch(peer, resource, report, context.limits) if resource else None
    if definition is None and download is not None:
        definition = _by_header(download, report, context)
    if definition is None:
        report.notes.append(Note.of("not-recognised"))
        return report, None
    report.dataset, report.counted = definition.key, True
    validation = _validation(package, definition, download, resource, report, context)
    report.validation = validation.text if validation else None
    report.published_at = published_at(package)
    judged = Judged(holding.lgcode, definition, validation, report.published_at, report.url)
    return report, normalised(package, judged)


def _fetch(
    peer: Peer, resource: Mapping[str, Any], report: DatasetReport, limits: HarvestLimits
) -> Download | None:
    try:
        return peer.download(str(resource["url"]), limits.validate_bytes, limits.head_bytes)
    except PeerFailed as failed:
        if failed.fatal:
            raise
        report.notes.append(failed.note)
        return None


def _by_header(download: Download, report: DatasetReport, context: _Context) -> Definition | None:
    detection = detect_head(download.body, context.workspace.registry, download.complete)
    if detection.definition is not None:
        report.recognised_by = BY_HEADER
        report.notes.append(Note.of("recognised-by-header", dataset=detection.definition.key,
                                    title=detection.definition.title_ja))  # fmt: skip
    return detection.definition


def _validation(
    package: Mapping[str, Any],
    definition: Definition,
    download: Download | None,
    resource: Mapping[str, Any] | None,
    report: DatasetReport,
    context: _Context,
) -> Validation | None:
    """Validated here when the whole CSV came; else what the package declares."""
    if resource is None:
        report.notes.append(Note.of("no-csv"))
    elif download is not None and not download.complete:
        url = str(resource["url"])
        report.notes.append(Note.of("csv-too-large", url=url, limit=context.limits.validate_bytes))
    elif download is not None:
        checked = _validate_here(download.body, definition, str(resource["url"]), report,
                                 context.workspace)  # fmt: skip
        if checked is not None:
            return checked
    return declared_validation(package)


def _validate_here(
    body: bytes, definition: Definition, url: str, report: DatasetReport, workspace: Workspace
) -> Validation | None:
    with tempfile.TemporaryDirectory(prefix="portal-harvest-") as folder:
        path = Path(folder) / definition.file_name(report.lgcode)
        path.write_bytes(body)
        try:
            checked = validate(path, workspace, Options(dataset=definition.key, lgcode=report.lgcode))  # fmt: skip
        except PortalError as exc:
            report.notes.append(Note.of("csv-unreadable", url=url, reason=exc.message_en))
            return None
    report.validated_here = True
    if checked.valid:
        report.notes.append(Note.of("valid"))
    else:
        report.notes.append(Note.of("invalid", errors=checked.errors))
    return Validation.of(checked.valid, checked.errors)


def _best_per_cell(packages: Iterable[Package]) -> list[Package]:
    """One package per municipality and standard when several sources hold it: a valid
    one before an unknown before an invalid one, the current layout before the legacy,
    then the newest."""
    best: dict[tuple[str | None, str | None], tuple[tuple[int, bool, str], Package]] = {}
    for package in packages:
        meta = PortalMeta.from_package(package)
        known = meta.validation
        rank = (1 if known is None else 2 if known.valid else 0, not meta.legacy,
                meta.published_at_text or "")  # fmt: skip
        key = (meta.lgcode, meta.standard)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, package)
    return [package for _, package in best.values()]
