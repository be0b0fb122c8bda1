"""`publish()`: a converted dataset into the catalogue — created, updated, or left alone.

The content hash decides: unchanged → no write at all; changed → one atomic
replace; new → create. Unavailable catalogues are retried with backoff; if the
dataset was changed by someone else meanwhile, the state is read again. Every
publish and delete, done or not, is recorded in the publish log.

Who published: until the portal has accounts, the OS account the command runs as
(from its uid: $LOGNAME and $USER are whatever the caller sets). It is recorded in
the publish log, which the public never sees; the catalogue, and so the public API,
shows the organization instead (`portal_published_by`).

A `Publisher` is what publishing uses — the catalogue, the standards, the local-government
directory, the publish log, the rows store and the naming templates — built once by the
composition root (`Portal.publisher()`), so nothing here reads the settings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pwd
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from portal.catalogue import versions
from portal.catalogue.base import (
    Catalogue,
    CatalogueUnavailable,
    FileSpec,
    Package,
    PackageChanged,
    PackageMissing,
)
from portal.catalogue.history import LogEntry, PublishLog
from portal.catalogue.mapping import Converted, build_package, content_hash, package_name
from portal.catalogue.meta import PortalMeta
from portal.datadir import FILE_GRACE_SECONDS, sweep
from portal.errors import PortalError
from portal.localgov import Directory
from portal.rows import RowsStore
from portal.rows.published import drop_deleted, load_published
from portal.settings import Settings
from portal.standards import Registry

if TYPE_CHECKING:
    from portal.catalogue.lookahead import Lookahead

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Naming:
    """How a published dataset and its organization are named, and its licence."""

    package_name: str  # a template: {lgcode}, {slug}
    organization: str  # a template: {lgcode}
    license: str

    @classmethod
    def of(cls, settings: Settings) -> Naming:
        return cls(settings.package_name, settings.organization, settings.license)


@dataclass
class Publisher:
    """What publishing and deleting use (see the module's docstring)."""

    catalogue: Catalogue
    registry: Registry
    directory: Directory
    log: PublishLog
    naming: Naming
    rows: RowsStore
    # Where each version's converted folder is archived (PORTAL_DATA_DIR/versions); None: no
    # versions are recorded (portal.catalogue.versions).
    archive: Path | None = None
    # Called after each publish that wrote (the coverage snapshot, issue 14); what it raises
    # is logged, never the publish's failure: the dataset is published either way.
    after_publish: Callable[[Published], None] | None = None


class InvalidNotPublished(PortalError):
    code = "invalid-not-published"
    status = 422
    template_en = "{name} did not pass validation ({errors} errors); it was not published"
    template_ja = "{name} は検証でエラーが{errors}件あるため公開しませんでした"
    hint_en = "fix the errors (see the validation report) or publish with --allow-invalid (it is then marked 要修正)"
    hint_ja = "検証レポートのエラーを直すか、--allow-invalid で公開してください（「要修正」と表示されます）"


@dataclass
class Plan:
    name: str
    action: str  # create | update | unchanged
    package: Package
    files: list[FileSpec]
    digest: str
    current: Package | None
    valid: bool
    converted: Converted


@dataclass
class Published:
    plan: Plan
    result: Package | None
    attempts: int = 0
    seconds: float = 0.0
    writes: int = 0
    notes: list[str] = field(default_factory=list)
    version: int | None = None  # the version this publish recorded

    @property
    def action(self) -> str:
        return self.plan.action

    @property
    def announced(self) -> Package | None:
        """The package when this publish recorded a new public version — what after-publish
        watchers (subscribers' notices, NGSI pushes) announce — else None."""
        package = self.result or self.plan.package
        if self.version is None or package.get("private"):
            return None
        return package


def os_account() -> str:
    """The OS account this process runs as, by its uid (not $LOGNAME, which is forgeable)."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid without a passwd entry (containers)
        return f"uid {uid}"


class EmptyReplacesRows(PortalError):
    code = "empty-replaces-rows"
    status = 409
    template_en = (
        "{name} was not replaced: the new file has no rows, the published version has {rows}"
    )
    template_ja = "{name} を置き換えませんでした: 新しいファイルには行がなく、公開中の版には {rows} 行あります"
    hint_en = "check that the right file was converted; to publish an empty list on purpose, add --allow-empty"
    hint_ja = "変換したファイルが正しいか確認してください。意図して空の一覧を公開する場合は --allow-empty を付けてください"


@dataclass
class Options:
    dry_run: bool = False
    allow_invalid: bool = False
    allow_empty: bool = False  # replace a dataset that has rows with one that has none
    who: str = field(default_factory=os_account)  # for the private publish log only
    attempts: int = 5
    first_wait: float = 0.5  # seconds; doubled after each failed attempt
    sleep: Callable[[float], None] = time.sleep
    rollback_of: int | None = None  # the version this publish restores (versions.rollback)


def dataset_name(converted: Converted, publisher: Publisher) -> str:
    definition = publisher.registry.get(converted.dataset)
    return package_name(publisher.naming.package_name, converted.lgcode, definition)


def plan(folder: Path, publisher: Publisher, lookahead: Lookahead | None = None) -> Plan:
    """What publishing `folder` would do, read from the catalogue without writing."""
    converted = Converted.read(folder)
    definition = publisher.registry.get(converted.dataset)
    body = publisher.directory.lookup(converted.lgcode)
    naming = publisher.naming
    name = package_name(naming.package_name, converted.lgcode, definition)
    organization = naming.organization.format(lgcode=converted.lgcode)
    package = build_package(converted, definition, body, name, organization, naming.license)
    files = converted.files()
    digest = content_hash(files, package)
    current = (lookahead.current if lookahead else publisher.catalogue.package_show)(name)
    if current is None:
        action = "create"
    else:
        same = PortalMeta.from_package(current).content_hash == digest and not _shows_a_person(
            current, organization
        )
        action = "unchanged" if same else "update"
    return Plan(
        name, action, package, files, digest, current, converted.validation["valid"], converted
    )


def _refuse_emptying(the_plan: Plan, options: Options) -> None:
    """A header-only file (a wrong export, a filter that kept nothing) must not silently
    replace a published list: an empty replacement needs --allow-empty."""
    if the_plan.action != "update" or options.allow_empty or the_plan.current is None:
        return
    new_rows = PortalMeta.from_package(the_plan.package).rows
    old_rows = PortalMeta.from_package(the_plan.current).rows
    if new_rows == 0 and old_rows:
        raise EmptyReplacesRows(name=the_plan.name, rows=old_rows)


def _shows_a_person(current: Package, organization: str) -> bool:
    """Published before the publisher was kept private: its `portal_published_by` names an
    OS account, so it is republished once even if its content did not change."""
    return PortalMeta.from_package(current).published_by not in (None, organization)


def publish(folder: Path, publisher: Publisher, options: Options | None = None,
            lookahead: Lookahead | None = None) -> Published:  # fmt: skip
    """Publish one converted folder; `lookahead`: the batch it is part of (Lookahead)."""
    options = options or Options()
    catalogue, log = publisher.catalogue, publisher.log
    started, writes_before = time.perf_counter(), catalogue.writes
    if not options.dry_run:
        catalogue.refuse_if_read_only("publish")  # before anything is read or written
    the_plan = _retry(lambda: plan(folder, publisher, lookahead), options)
    result = Published(the_plan, the_plan.current)
    try:
        if not the_plan.valid and not options.allow_invalid:
            raise InvalidNotPublished(
                name=the_plan.name, errors=the_plan.converted.validation["stats"]["errors"]
            )
        _refuse_emptying(the_plan, options)
        if the_plan.action != "unchanged" and not options.dry_run:
            result.result = _put(the_plan, publisher, options, result)
    except PortalError as exc:
        _record_failure(log, _entry(the_plan, catalogue, options, "failed", str(exc.message_en)))
        raise
    if result.result is not None and not options.dry_run:
        result.notes += _load_rows(the_plan, result.result, publisher)
        if the_plan.action != "unchanged" and publisher.archive is not None:
            result.version = versions.record(result, publisher, options.who, options.rollback_of)
    result.seconds = time.perf_counter() - started
    result.writes = catalogue.writes - writes_before
    outcome = (
        "planned"
        if options.dry_run
        else ("done" if the_plan.action != "unchanged" else "unchanged")
    )
    log.record(_entry(the_plan, catalogue, options, outcome, ""))
    if not options.dry_run:
        reclaim(publisher)
    if outcome == "done" and publisher.after_publish is not None:
        _after_publish(publisher.after_publish, result)
    return result


def _record_failure(log: PublishLog, entry: LogEntry) -> None:
    """The failure in the publish log — unless the log cannot be written either (the same
    full disk): then the error being reported must not be hidden by the log's own."""
    try:
        log.record(entry)
    except (SQLAlchemyError, OSError):
        logger.exception("the publish log could not record the failure of %s", entry.package)


def _after_publish(hook: Callable[[Published], None], result: Published) -> None:
    try:
        hook(result)
    except Exception:  # a hook's failure must not read as the publish's
        logger.exception("after publishing %s", result.plan.name)


def reclaim(publisher: Publisher) -> list[str]:
    """What earlier runs left behind, once its grace period is over: the catalogue's files
    no dataset points to (previous versions, copies of a killed or failed publish) and the
    rows store's staging copies of a load that never finished."""
    removed = publisher.catalogue.reclaim()
    try:
        removed += sweep(publisher.rows.files, set(), FILE_GRACE_SECONDS, "*.loading")
    except OSError:
        pass  # a clean-up that cannot run now runs after the next publish
    return removed


def delete(name: str, publisher: Publisher, who: str | None = None) -> Package:
    """Delete a dataset, recorded in the publish log (who, when, and the content hash of what
    was deleted, so the version can be identified later); the package as it was. Its rows
    leave the rows store with it."""
    catalogue, log = publisher.catalogue, publisher.log
    catalogue.refuse_if_read_only("delete")
    current = catalogue.package_show(name)
    if current is None:
        raise PackageMissing(name=name)
    meta = PortalMeta.from_package(current)
    digest = (
        meta.content_hash
        or hashlib.sha256(
            json.dumps(current, ensure_ascii=False, sort_keys=True).encode()
        ).hexdigest()
    )  # not published by the portal: the hash of the catalogue's record
    entry = LogEntry(
        who=who or os_account(), catalogue=f"{catalogue.kind} {catalogue.where}", package=name,
        action="delete", outcome="done", content_hash=digest,
        valid=meta.validation is not None and meta.validation.valid, errors=None, warnings=None,
    )  # fmt: skip
    try:
        catalogue.package_delete(name)
    except PortalError as exc:
        _record_failure(log, replace(entry, outcome="failed", message=exc.message_en))
        raise
    log.record(entry)
    drop_deleted(publisher.rows, name)  # its rows leave the API with it
    reclaim(publisher)
    return current


def _load_rows(the_plan: Plan, package: Package, publisher: Publisher) -> list[str]:
    """The rows store's hook: the rows the API serves are loaded now, never by a request."""
    csv = next(f.path for f in the_plan.files if f.format == "CSV")
    note = load_published(publisher.registry, publisher.rows, package, csv)
    return [note] if note else []


def _put(the_plan: Plan, publisher: Publisher, options: Options, result: Published) -> Package:
    catalogue = publisher.catalogue
    body = publisher.directory.lookup(the_plan.converted.lgcode)
    package = dict(the_plan.package)
    published = PortalMeta(
        content_hash=the_plan.digest,
        published_at=datetime.now(UTC),
        # The organization, not the OS user: the extras are public (see the docstring).
        published_by=package["owner_org"],
    )
    package["extras"] = [*package["extras"], *published.to_extras()]
    seen = the_plan.current

    def attempt() -> Package:
        nonlocal seen
        result.attempts += 1
        catalogue.organization_ensure(package["owner_org"], body.full_name)
        try:
            return catalogue.package_put(package, the_plan.files, seen)
        except (PackageChanged, CatalogueUnavailable):
            # The write may have happened with its answer lost, or someone else wrote:
            # look again before deciding.
            now = _retry(lambda: catalogue.package_show(the_plan.name), options)
            if now is not None and PortalMeta.from_package(now).content_hash == the_plan.digest:
                return now
            seen = now
            raise

    return _retry(attempt, options, also=(PackageChanged,))


def _retry(
    call: Callable[[], Any], options: Options, also: tuple[type[Exception], ...] = ()
) -> Any:
    wait = options.first_wait
    retryable: tuple[type[Exception], ...] = (CatalogueUnavailable, *also)
    for number in range(1, options.attempts + 1):
        try:
            return call()
        except retryable:
            if number == options.attempts:
                raise
            options.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


def _entry(
    the_plan: Plan, catalogue: Catalogue, options: Options, outcome: str, message: str
) -> LogEntry:
    stats = the_plan.converted.validation["stats"]
    return LogEntry(
        who=options.who,
        catalogue=f"{catalogue.kind} {catalogue.where}",
        package=the_plan.name,
        action=the_plan.action,
        outcome=outcome,
        content_hash=the_plan.digest,
        valid=the_plan.valid,
        errors=stats["errors"],
        warnings=stats["warnings"],
        report=str(the_plan.converted.folder / f"{the_plan.converted.stem}.validation.html"),
        message=message,
    )
