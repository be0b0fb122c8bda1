"""One pull: every package the source's package_search finds (within the configured
filter and bounds) → taken or not, and why; each CSV taken is converted as is into the
standard's layout, validated here as an upload is, and published with its provenance — or,
when invalid, kept as a draft with its report (never published).

No write when nothing changed: a package whose id and metadata_modified are those our copy
(or a kept draft) was harvested from is not even downloaded.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from portal.catalogue.mapping import package_name
from portal.catalogue.meta import PortalMeta
from portal.catalogue.publish import publish
from portal.connectors.base import ConnectorConfig, ExchangeReport
from portal.connectors.ckan.client import CkanClient
from portal.connectors.ckan.config import HarvestOptions
from portal.connectors.ckan.mapping import (
    LGCODE_FIELD,
    Candidate,
    Provenance,
    lgcode_of,
    metadata_of,
    note,
    provenance,
    select,
    source_key,
    unchanged,
)
from portal.connectors.intake import REPORT_FILE, IntakeResult, connector_dir, safe_key
from portal.coverage.harvest_rules import Note, detect_head
from portal.errors import PortalError
from portal.formats import Limits
from portal.formats.layout_reader import data_rows, read_table
from portal.pipeline import convert
from portal.pipeline.convert import Conversion
from portal.standards import Definition

if TYPE_CHECKING:
    from portal.composition import Portal


def drafts_dir(portal: Portal, config: ConnectorConfig) -> Path:
    """The intake's drafts folder: `portal connectors drafts NAME` lists ours with its own."""
    return connector_dir(portal, config.name) / "drafts"


@dataclass
class Harvest:
    portal: Portal
    config: ConnectorConfig
    options: HarvestOptions
    client: CkanClient
    report: ExchangeReport
    started: datetime

    def run(self) -> ExchangeReport:
        for page in self.client.packages():
            if page.count > self.options.max_datasets and not self.report.items:
                self._note("*", "ok", note("truncated", count=page.count,
                                          limit=self.options.max_datasets))  # fmt: skip
            for package in page.results:
                self.one(package)
        return self.report

    def one(self, package: Mapping[str, Any]) -> None:
        """One package, whatever happens to it, is one item of the report."""
        name = str(package.get("name") or package.get("id") or "?")
        try:
            self._take(package, name)
        except PortalError as exc:
            self._note(name, "failed", note("failed", reason=exc.message_en,
                                            reason_ja=exc.message_ja), code=exc.code)  # fmt: skip

    def _take(self, package: Mapping[str, Any], name: str) -> None:
        taken = select(package, self.portal.registry)
        if isinstance(taken, Note):
            self._note(name, "skipped", taken)
            return
        if self._draft_kept(package) or self._ours_unchanged(package, taken):
            self._note(
                name, "unchanged", note("unchanged", modified=package.get("metadata_modified"))
            )
            return
        url = str(taken.csv["url"])
        body = self.client.download(url)
        folder = self.work / safe_key(source_key(package))
        shutil.rmtree(folder, ignore_errors=True)
        try:
            source = write_source(folder, body)
            self._judge(
                package,
                taken,
                source,
                provenance(package, self.client.site, url, body, self.started, self.config.name),
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _judge(self, package: Mapping[str, Any], taken: Candidate, source: Path,
               made: Provenance) -> None:  # fmt: skip
        """The downloaded CSV: which standard, whose, and may it take our dataset's name."""
        name = str(package.get("name"))
        body = source.read_bytes()
        definition = taken.definition or detect_head(body, self.portal.registry, True).definition
        if definition is None:
            self._note(name, "skipped", note("not-recognised"))
            return
        lgcode = lgcode_of(package, self.options.lgcodes) or lgcode_in(source, definition)
        if lgcode is None or self.portal.directory.get(lgcode) is None:
            self._note(name, "skipped", note("no-lgcode"))
            return
        ours = package_name(self.portal.settings.package_name, lgcode, definition)
        current = self.portal.catalogue.package_show(ours)
        if unchanged(current, package):
            self._note(
                name, "unchanged", note("unchanged", modified=package.get("metadata_modified"))
            )
            return
        if current is not None and not _from_here(current, self.client.site, package):
            self._note(name, "skipped", note("name-taken", name=ours, source=self.client.site))
            return
        given = metadata_of(package, taken, definition, self.config.metadata.fields)
        recipe = write_recipe(source, definition, lgcode, given.to_dict(), name)
        self._import(package, recipe, made)

    def _ours_unchanged(self, package: Mapping[str, Any], taken: Candidate) -> bool:
        """Before downloading: our copy, when its name is known from the package alone."""
        lgcode = lgcode_of(package, self.options.lgcodes)
        if taken.definition is None or lgcode is None:
            return False
        ours = package_name(self.portal.settings.package_name, lgcode, taken.definition)
        return unchanged(self.portal.catalogue.package_show(ours), package)

    @property
    def work(self) -> Path:
        return connector_dir(self.portal, self.config.name) / "intake"

    def _draft_kept(self, package: Mapping[str, Any]) -> bool:
        return (drafts_dir(self.portal, self.config) / safe_key(source_key(package))).is_dir()

    def _import(self, package: Mapping[str, Any], recipe: Path, made: Provenance) -> None:
        """Converted and validated as an upload is; published when valid, else a draft."""
        converted_dir = recipe.parent / "converted"
        converted = convert(recipe, self.portal.workspace, converted_dir)
        carry(converted_dir, made)
        if not converted.report.valid:
            self._keep_draft(package, recipe, converted)
            return
        published = publish(converted_dir, self.portal.publisher())
        ours = published.plan.name
        self._note(str(package.get("name")), "published", note("published", name=ours),
                   ours=ours, rows=PortalMeta.from_package(published.plan.package).rows)  # fmt: skip

    def _keep_draft(self, package: Mapping[str, Any], recipe: Path, conversion: Conversion) -> None:
        """The intake's folder (source, recipe, converted with its validation report) kept
        where `portal connectors drafts` lists it; nothing is published."""
        key = source_key(package)
        target = drafts_dir(self.portal, self.config) / safe_key(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(recipe.parent, target)
        report = conversion.report
        kept = IntakeResult(connector=self.config.name, key=key, dataset=conversion.definition.key,
                            outcome="draft", valid=False, errors=report.errors,
                            warnings=report.warnings, folder=str(target))  # fmt: skip
        summary = kept.to_dict() | {"report": conversion.to_dict()}
        (target / REPORT_FILE).write_text(json.dumps(summary, ensure_ascii=False, indent=2),
                                          encoding="utf-8")  # fmt: skip
        self._note(str(package.get("name")), "draft", note("draft", errors=report.errors),
                   draft=str(target))  # fmt: skip

    def _note(self, name: str, outcome: Any, said: Note, **detail: Any) -> None:
        # A failure's code is its error's (outbound-too-large…), not the note's.
        detail = {"message_ja": said.ja, "code": said.code, **detail}
        self.report.add(name, outcome, said.en, **detail)


def _from_here(current: Mapping[str, Any], site: str, package: Mapping[str, Any]) -> bool:
    """Our dataset of that name was harvested from this very source package."""
    held = Provenance.from_package(current)
    return held is not None and held.source_url == f"{site}/dataset/{package.get('name')}"


def write_source(folder: Path, body: bytes) -> Path:
    source = folder / "source" / "data.csv"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(body)
    return source


def lgcode_in(source: Path, definition: Definition) -> str | None:
    """The 全国地方公共団体コード of the CSV's first data row, if it has that column."""
    with read_table(source, known=definition.field_names, limits=_limits(source)) as table:
        if LGCODE_FIELD not in table.layout.names:
            return None
        column = table.layout.names.index(LGCODE_FIELD)
        for _, row in data_rows(table.rows, table.layout):
            value = row[column].strip() if column < len(row) else ""
            return value if len(value) == 6 and value.isdigit() else None
    return None


def _limits(source: Path) -> Limits:
    return Limits(max_file_bytes=source.stat().st_size + 1)  # the download was bounded


def write_recipe(source: Path, definition: Definition, lgcode: str,
                 metadata: dict[str, Any], title: str) -> Path:  # fmt: skip
    """A recipe taking the CSV as it is, beside it: each standard field from the column of
    that name (so validation judges the source's own values), and the source's metadata."""
    with read_table(source, known=definition.field_names, limits=_limits(source)) as table:
        present = [n for n in table.layout.names if n in definition.field_names]
    recipe: dict[str, Any] = {
        "version": 1, "title": title,
        "source": {"path": f"source/{source.name}"},
        "target": {"dataset": definition.key, "lgcode": lgcode},
        "columns": {n: {"from": n} for n in dict.fromkeys(present)},
    }  # fmt: skip
    if metadata:
        recipe["metadata"] = metadata
    path = source.parent.parent / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def carry(converted: Path, made: Provenance) -> None:
    """The provenance into the converted folder's datapackage.json (`portal.extras`), where
    publishing takes it into the package's extras (portal.catalogue.mapping.carried_extras)."""
    path = converted / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package.setdefault("portal", {})["extras"] = made.to_extras()
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")


def run_pull(portal: Portal, config: ConnectorConfig, options: HarvestOptions) -> ExchangeReport:
    client = CkanClient(config.endpoints["ckan"], options, config.limits)
    report = ExchangeReport(connector=config.name)
    return Harvest(portal, config, options, client, report, datetime.now(UTC)).run()
