"""The composition root: `Portal.open(settings)` builds, once, what the CLI, the API, the
pages, workers and tests share — the portal's database (set up or refused here), the
catalogue, the rows store, the registry of standards, the local-government directory and the
workspace of validation and conversion — hands publishing its `Publisher`, and answers the
questions they all ask (a dataset, its standard, its rows)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from portal.catalogue import Catalogue, open_catalogue
from portal.catalogue.base import Package, PackageMissing
from portal.catalogue.history import PublishLog
from portal.catalogue.legacy import import_legacy
from portal.catalogue.meta import STANDARD_FILTER, PortalMeta
from portal.catalogue.publish import Naming, Published, Publisher
from portal.catalogue.search import Search
from portal.catalogue.versions import VERSIONS_DIR
from portal.errors import PortalError
from portal.localgov import Directory
from portal.localgov import load as load_directory
from portal.rows import Loaded, RowsStore, RowsUnavailable
from portal.rows.published import ROWS_DIR, content_hash, csv_resource, definition_of
from portal.rows.store import open_rows_store
from portal.rows.sync import Synced, sync_rows
from portal.settings import Settings
from portal.standards import Definition, Registry
from portal.store import Store
from portal.workspace import Workspace

if TYPE_CHECKING:
    from portal.connectors.base import Connector
    from portal.jobs import Jobs

log = logging.getLogger(__name__)
PublishedHook = Callable[[Published], None]


class RowsNotLoaded(PortalError):
    """Published, but its rows are not in this portal's rows store (yet)."""

    code = "rows-not-loaded"
    status = 503
    template_en = (
        "the rows of {name} are not loaded yet: it was published where this server does not see"
    )
    template_ja = "{name} の行データはまだ読み込まれていません（このサーバーが見ていない場所で公開されました）"
    hint_en = ("the server loads them within PORTAL_ROWS_SYNC_SECONDS; an operator can load them now"
               " with `portal rows rebuild`")  # fmt: skip
    hint_ja = ("サーバーが PORTAL_ROWS_SYNC_SECONDS 以内に読み込みます。運用担当者は"
               " `portal rows rebuild` ですぐに読み込めます")  # fmt: skip


class NoData(PortalError):
    code = "no-data"
    status = 404
    template_en = "the dataset {name} has no CSV of a standard dataset to query"
    template_ja = "データセット {name} には標準データセットのCSVがありません"


@dataclass
class Portal:
    settings: Settings
    registry: Registry
    catalogue: Catalogue
    rows: RowsStore
    directory: Directory
    store: Store
    workspace: Workspace
    # name -> (content hash, why) of a rows load this process tried and that failed
    _row_failures: dict[str, tuple[str, RowsUnavailable]] = field(default_factory=dict)
    # After a publish to this portal's own catalogue: coverage's snapshot, then on_published's
    _published_hooks: list[PublishedHook] = field(default_factory=list)
    _jobs: Jobs | None = None
    _connectors: dict[str, Connector] | None = None
    # Inside publishing_batch(): the coverage snapshot waits for the batch's end (None: not
    # in a batch; False/True: in one, nothing/something published yet).
    _snapshot_due: bool | None = None

    @classmethod
    def open(cls, settings: Settings, catalogue_kind: str | None = None) -> Portal:
        """The portal the settings describe; `catalogue_kind` ("embedded", "ckan") overrides
        theirs, as `--catalogue` does on the command line."""
        store = Store.open(settings.effective_database_url)
        store.ensure_current()  # an empty database is set up; a newer one refused
        import_legacy(store, settings.data_dir)  # what a portal before the store kept in files
        catalogue = open_catalogue(settings, store, catalogue_kind)
        registry, directory = Registry(settings.datasets_dir), load_directory()
        portal = cls(
            store=store,
            workspace=Workspace.of(settings, registry, directory),
            settings=settings,
            registry=registry,
            catalogue=catalogue,
            rows=open_rows_store(store, settings.data_dir / ROWS_DIR),
            directory=directory,
        )
        from portal.subscriptions.delivery import watch

        watch(portal)  # subscribers' notices after each publish (issue 15)
        from portal.connectors.ngsi.plugin import watch as push_to_brokers

        push_to_brokers(portal)  # NGSI connectors with push_on_publish (issue 15)
        return portal

    def publisher(self, catalogue: Catalogue | None = None) -> Publisher:
        """What publishing and deleting use, from this portal's parts; to `catalogue` if given
        (another CKAN than the settings', e.g. through a proxy)."""
        return Publisher(catalogue or self.catalogue, self.registry, self.directory,
                         PublishLog(self.store), Naming.of(self.settings), self.rows,
                         self.versions_dir,
                         # coverage's trend, subscribers, brokers: this portal's own catalogue
                         after_publish=None if catalogue else self._after_publish)  # fmt: skip

    def on_published(self, hook: PublishedHook) -> None:
        """Call `hook` after each publish to this portal's catalogue. A hook's failure is
        logged and never fails the publish; slow work goes on the queue (`self.jobs`)."""
        self._published_hooks.append(hook)

    def _after_publish(self, published: Published) -> None:
        for hook in (self._snapshot_coverage, *self._published_hooks):
            try:
                hook(published)
            except Exception:  # the publish is done: a hook's failure must not read as its
                log.exception("after publishing %s: %r failed", published.plan.name, hook)

    @property
    def jobs(self) -> Jobs:
        """The background queue (portal/jobs), built on first use with every job kind."""
        if self._jobs is None:
            from portal.jobs import Jobs, make_huey
            from portal.jobs.kinds import register_all

            self._jobs = Jobs(self.store, make_huey(self.settings), self)
            register_all(self._jobs)
        return self._jobs

    @property
    def connectors(self) -> dict[str, Connector]:
        """The connectors of PORTAL_CONNECTORS_DIR; a bad file is logged and left out (the
        CLI's `portal connectors` reads them strictly)."""
        if self._connectors is None:
            from portal.connectors.registry import load_connectors

            self._connectors = load_connectors(self.settings, strict=False)
        return self._connectors

    @property
    def versions_dir(self) -> Path:
        """Where each published version's converted folder is kept."""
        return self.settings.data_dir / VERSIONS_DIR

    @contextmanager
    def publishing_batch(self) -> Iterator[None]:
        """Publishes of a batch (`portal publish a b c …`): coverage's trend gets one point
        at the batch's end rather than one per dataset — each point reads the whole
        catalogue, so per dataset a national batch cost the square of its size."""
        self._snapshot_due = False
        try:
            yield
        finally:
            due, self._snapshot_due = self._snapshot_due, None
            if due:
                self._after_batch()

    def _after_batch(self) -> None:
        try:
            self._snapshot_coverage(None)
        except Exception:  # the publishes are done: the snapshot's failure is only logged
            log.exception("coverage snapshot after a batch of publishes failed")

    def _snapshot_coverage(self, _published: Published | None) -> None:
        if self._snapshot_due is not None:  # in a batch: once, at its end
            self._snapshot_due = True
            return
        from portal.coverage.model import LOCAL, local_coverage, record_snapshot

        record_snapshot(self.store, local_coverage(self), LOCAL)

    def close(self) -> None:
        self.store.close()

    def package(self, name: str) -> Package:
        package = self.catalogue.public_show(name)
        if package is None:
            raise PackageMissing(name=name)
        return package

    def definition(self, package: Package) -> Definition | None:
        return definition_of(self.registry, package)

    def published(self, slug: str | None = None, *, with_rows: bool = False) -> list[Package]:
        """The datasets published in a standard's layout (of one standard, if given);
        `with_rows`: only those whose rows can answer a query across them now — one whose
        rows are not loaded is left out (and logged): it must not stop the others."""
        fq = {STANDARD_FILTER: slug} if slug else {}
        found = self.catalogue.search(Search(fq=fq, rows=1000))["results"]
        packages = [p for p in found if PortalMeta.from_package(p).standard]
        if not with_rows:
            return packages
        answering = []
        for package in packages:
            try:
                self.rows_of(package)
            except PortalError as exc:
                log.warning("%s left out of a query across datasets: %s", package["name"], exc)
                continue
            answering.append(package)
        return answering

    def rows_of(self, package: Package) -> tuple[Definition, Loaded]:
        """The dataset's rows as loaded at its published content. Never loaded here: a request
        only reads (publishing loads them, and `sync_rows` what a publish elsewhere did not)."""
        definition = self.definition(package)
        resource = csv_resource(package)
        if definition is None or resource is None:
            raise NoData(name=package["name"])
        name, wanted = package["name"], content_hash(package, resource)
        loaded = self.rows.loaded(name)
        if loaded is not None and loaded.content_hash == wanted:
            return definition, loaded
        failed = self._row_failures.get(name)
        if failed is not None and failed[0] == wanted:
            raise failed[1]
        raise RowsNotLoaded(name=name, retry_after=self._sync_wait())

    def published_csv(self, package: Package, loaded: Loaded) -> Path:
        """The CSV the rows were loaded from, on this machine: the rows store's copy, or (rows
        loaded by another server, whose sync has not copied it here yet) the file store's."""
        if loaded.csv_path.is_file():
            return loaded.csv_path
        resource = csv_resource(package)
        local = self.catalogue.local_file(resource) if resource else None
        if local is None:
            raise RowsNotLoaded(name=package["name"], retry_after=self._sync_wait())
        return local

    def _sync_wait(self) -> int:
        return max(1, round(self.settings.rows_sync_seconds))

    def sync_rows(self, *, rebuild: bool = False) -> Synced:
        """The rows store made to match the catalogue (portal/rows/sync.py); a dataset that
        cannot be loaded answers for itself with why, until its next publish."""
        done = sync_rows(self.catalogue, self.registry, self.rows, rebuild=rebuild)
        for name, error in done.failed.items():
            package = self.catalogue.public_show(name)
            resource = csv_resource(package) if package else None
            if package and resource:
                self._row_failures[name] = (content_hash(package, resource), error)
        for name in done.loaded:
            self._row_failures.pop(name, None)
        return done
