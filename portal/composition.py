"""The composition root: `Portal.open(settings)` builds, once, what the CLI, the API, the
pages, workers and tests share — the registry of standards, the catalogue and its read view,
the rows store and the local-government directory — and answers the questions they all ask
of them (a dataset, its standard, its rows)."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.catalogue import Catalogue, EmbeddedCatalogue, open_catalogue
from portal.catalogue.base import Package, PackageMissing
from portal.catalogue.meta import STANDARD_FILTER, PortalMeta
from portal.catalogue.views import CatalogueView, Search, view_of
from portal.errors import PortalError
from portal.localgov import Directory
from portal.localgov import load as load_directory
from portal.rows import Loaded, RowsStore
from portal.rows.published import content_hash, csv_resource, definition_of, rows_store
from portal.settings import Settings
from portal.standards import Definition, Registry
from portal.store import Store

log = logging.getLogger(__name__)


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
    view: CatalogueView
    rows: RowsStore
    directory: Directory
    store: Store

    @classmethod
    def open(cls, settings: Settings, catalogue_kind: str | None = None) -> Portal:
        """The portal the settings describe; `catalogue_kind` ("embedded", "ckan") overrides
        theirs, as `--catalogue` does on the command line."""
        store = Store.open(settings.effective_database_url)
        store.ensure_current()  # an empty database is set up; a newer one refused
        catalogue = open_catalogue(settings, catalogue_kind)
        return cls(
            store=store,
            settings=settings,
            registry=Registry(settings.datasets_dir),
            catalogue=catalogue,
            view=view_of(catalogue),
            rows=rows_store(settings),
            directory=load_directory(),
        )

    def close(self) -> None:
        self.store.close()

    def package(self, name: str) -> Package:
        package = self.view.show(name)
        if package is None:
            raise PackageMissing(name=name)
        return package

    def definition(self, package: Package) -> Definition | None:
        return definition_of(self.registry, package)

    def published(self, slug: str | None = None, *, load: bool = False) -> list[Package]:
        """The datasets published in a standard's layout (of one standard, if given);
        with `load`, their rows are made current for a query across them, and a dataset
        whose rows cannot be loaded is left out (and logged): it must not stop the others."""
        fq = {STANDARD_FILTER: slug} if slug else {}
        found = self.view.search(Search(fq=fq, rows=1000))["results"]
        packages = [p for p in found if PortalMeta.from_package(p).standard]
        if not load:
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
        """The dataset's rows, loaded from its published CSV if they are missing or out of
        date — once, however many requests ask at the same time (RowsStore.load_from)."""
        definition = self.definition(package)
        resource = csv_resource(package)
        if definition is None or resource is None:
            raise NoData(name=package["name"])
        lgcode = PortalMeta.from_package(package).lgcode or ""
        loaded = self.rows.load_from(
            package["name"], definition, lgcode, content_hash(package, resource),
            lambda staged: self._fetch(resource, staged),
        )  # fmt: skip
        return definition, loaded

    def _fetch(self, resource: dict[str, Any], staged: Path) -> None:
        """The published CSV, copied to `staged` for loading."""
        if isinstance(self.catalogue, EmbeddedCatalogue):
            shutil.copyfile(self.catalogue.resource_path(resource), staged)
        else:
            staged.write_bytes(self.catalogue.resource_bytes(resource))
