"""The common intake (issue 15): a file a platform announced or serves → the dataset's recipe →
validation → published when valid, else kept as a **draft** with its report. Never publishes
an invalid file: a connector brings nothing in that an upload could not bring.

The work happens in <data dir>/connectors/<name>/intake/<key>/ (source/, recipe.yaml,
converted/); a draft is that folder moved to …/drafts/<key>/, listed by
`portal connectors drafts NAME`. The job kind "connector-intake" runs `take_in` for a notice."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

import yaml

from portal.catalogue.publish import Options
from portal.catalogue.publish import publish as publish_folder
from portal.connectors.base import (
    Connector,
    ConnectorNoticeInvalid,
    Fetcher,
    FetchesNotifiedFiles,
    IdMapEntry,
    Notice,
)
from portal.connectors.http import Fetched, Outbound
from portal.errors import PortalError
from portal.formats.layout_reader import read_table
from portal.pipeline import convert
from portal.standards import Registry

if TYPE_CHECKING:
    from portal.composition import Portal
    from portal.jobs import Jobs

INTAKE_JOB = "connector-intake"
CONNECTORS_DIR = "connectors"  # under the data directory
RECIPE_FILE = "recipe.yaml"
REPORT_FILE = "intake.json"
SAFE = re.compile(r"[^A-Za-z0-9._@-]+")
NAME_PATTERN = re.compile(r"^(?P<lgcode>\d{6})-(?P<slug>.+)$")  # the default {lgcode}-{slug}


class IntakeUnmapped(PortalError):
    code = "intake-dataset-unmapped"
    status = 422
    template_en = "connector {name}: the dataset {dataset} is neither named {{lgcode}}-{{slug}} nor given a recipe"
    template_ja = "コネクタ {name}: データセット {dataset} は {{lgcode}}-{{slug}} の形の名前でも、レシピ指定付きでもありません"
    hint_en = "in the connector's `ids`, name our dataset like 222127-aed, or give a `recipe`"
    hint_ja = "コネクタの `ids` で 222127-aed の形の名前にするか、`recipe` を指定してください"


@dataclass
class IntakeResult:
    connector: str
    key: str
    dataset: str
    outcome: Literal["published", "draft", "unchanged"]
    valid: bool
    errors: int = 0
    warnings: int = 0
    folder: str | None = None  # the draft's folder
    version: int | None = None
    report: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"connector": self.connector, "key": self.key, "dataset": self.dataset,
                "outcome": self.outcome, "valid": self.valid, "errors": self.errors,
                "warnings": self.warnings, "draft": self.folder, "version": self.version}  # fmt: skip


@dataclass(frozen=True)
class LocalFile:
    """A file already here (a pull that downloaded it), taken in as a notice would be."""

    path: Path
    dataset: str
    key: str


def connector_dir(portal: Portal, name: str) -> Path:
    return portal.settings.data_dir / CONNECTORS_DIR / name


def safe_key(key: str) -> str:
    return SAFE.sub("_", key)[:150] or "_"


def take_in(portal: Portal, notice_or_file: Notice | LocalFile, *,
            connector: Connector) -> IntakeResult:  # fmt: skip
    """Fetch (a notice's file_url, by the connector's `fetcher`), convert, validate; publish
    if valid, else keep a draft. Idempotent: the same key again converts again and publishes
    the same content, which the catalogue sees as unchanged."""
    config = connector.config
    dataset, key = notice_or_file.dataset, notice_or_file.key
    entry = config.entry_for_dataset(dataset) or IdMapEntry(dataset=dataset)
    work = connector_dir(portal, config.name) / "intake" / safe_key(key)
    shutil.rmtree(work, ignore_errors=True)
    (work / "source").mkdir(parents=True)
    source = _source(notice_or_file, work / "source", portal, connector)
    recipe = _write_recipe(work, source, entry, config.name, notice_or_file, portal.registry)
    conversion = convert(recipe, portal.workspace, work / "converted")
    report = conversion.to_dict()
    result = IntakeResult(connector=config.name, key=key, dataset=dataset, outcome="draft",
                          valid=conversion.report.valid, errors=conversion.report.errors,
                          warnings=conversion.report.warnings, report=report)  # fmt: skip
    if not result.valid:
        return _keep_draft(portal, config.name, work, result)
    published = publish_folder(work / "converted", portal.publisher(),
                               Options(who=f"connector:{config.name}"))  # fmt: skip
    result.outcome = "unchanged" if published.action == "unchanged" else "published"
    result.version = published.version
    shutil.rmtree(work, ignore_errors=True)
    return result


def fetcher_of(portal: Portal, connector: Connector) -> Fetcher:
    """The connector's own way to fetch a notified file, else its endpoints and limits
    without credentials."""
    if isinstance(connector, FetchesNotifiedFiles):
        return connector.fetcher(portal)
    return Fetcher(Outbound.for_connector(connector.config, portal.settings), {})


def _source(given: Notice | LocalFile, folder: Path, portal: Portal,
            connector: Connector) -> Path:  # fmt: skip
    if isinstance(given, LocalFile):
        target = folder / given.path.name
        shutil.copyfile(given.path, target)
        return target
    if not given.file_url:
        raise ConnectorNoticeInvalid(name=given.catalog_id, reason="the notice names no file URL")
    outbound, headers = fetcher_of(portal, connector)
    fetched: Fetched = outbound.get(given.file_url, headers=headers)
    name = Path(unquote(urlsplit(fetched.url).path)).name or "data.csv"
    target = folder / (SAFE.sub("_", name) or "data.csv")
    target.write_bytes(fetched.content)
    return target


def _write_recipe(work: Path, source: Path, entry: IdMapEntry, name: str,
                  given: Notice | LocalFile, registry: Registry) -> Path:  # fmt: skip
    """The id map's recipe with its source pointed at the fetched file, or (none given) the
    standard's layout taken as is: every column under its own name."""
    if entry.recipe:
        data = yaml.safe_load(Path(entry.recipe).read_text(encoding="utf-8"))
        data.setdefault("source", {})["path"] = str(source.relative_to(work))
    else:
        matched = NAME_PATTERN.match(entry.dataset)
        if matched is None:
            raise IntakeUnmapped(name=name, dataset=entry.dataset)
        data = {"version": 1, "title": _title(given, entry.dataset),
                "source": {"path": str(source.relative_to(work))},
                "target": {"dataset": matched["slug"], "lgcode": matched["lgcode"]},
                "columns": _as_is(registry, matched["slug"], source)}  # fmt: skip
    path = work / RECIPE_FILE
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _as_is(registry: Registry, slug: str, source: Path) -> dict[str, Any]:
    """Each of the standard's fields the file has, taken under its own name (the file is in
    the standard's layout; validation says what is missing or wrong)."""
    if slug not in registry:
        return {}  # the recipe's check names the unknown dataset
    fields = registry.get(slug).field_names
    with read_table(source, known=fields) as table:
        present = set(table.layout.names)
    return {name: {"from": name} for name in fields if name in present}


def _title(given: Notice | LocalFile, dataset: str) -> str:
    raw = given.raw if isinstance(given, Notice) else {}
    return str(raw.get("title") or dataset)


def _keep_draft(portal: Portal, name: str, work: Path, result: IntakeResult) -> IntakeResult:
    drafts = connector_dir(portal, name) / "drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    target = drafts / work.name
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    result.folder = str(target)
    (target / REPORT_FILE).write_text(json.dumps(result.to_dict() | {"report": result.report},
                                                 ensure_ascii=False, indent=2), encoding="utf-8")  # fmt: skip
    return result


def drafts(portal: Portal, name: str) -> list[dict[str, Any]]:
    """The drafts a connector kept (newest first): each intake's summary."""
    folder = connector_dir(portal, name) / "drafts"
    found = sorted(folder.glob(f"*/{REPORT_FILE}"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [json.loads(p.read_text(encoding="utf-8")) for p in found]


def run_intake_job(portal: Portal, payload: dict[str, Any]) -> dict[str, Any]:
    """The "connector-intake" job: take in the notice of `payload` for its connector."""
    from portal.connectors.registry import connector_named

    connector = connector_named(portal.connectors, str(payload["connector"]))
    notice = Notice.from_dict(payload["notice"])
    return take_in(portal, notice, connector=connector).to_dict()


def register_jobs(jobs: Jobs) -> None:
    jobs.register(INTAKE_JOB, run_intake_job)


def enqueue_notice(portal: Portal, connector: Connector, notice: Notice) -> Any:
    """The notice's intake job; the same notice again returns the same job."""
    payload = {"connector": connector.config.name, "notice": notice.to_dict()}
    return portal.jobs.enqueue(INTAKE_JOB, payload, key=f"{connector.config.name}:{notice.key}",
                               owner=f"connector:{connector.config.name}")  # fmt: skip
