"""What the routes share, made once in `create_app(settings)`: the catalogue, its view,
the rows store and the standards — passed to routes as a FastAPI dependency."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from portal.api.limits import RateLimiter
from portal.api.views import CatalogueView, CkanView, EmbeddedView, Search
from portal.catalogue import Catalogue, CkanCatalogue, EmbeddedCatalogue, open_catalogue
from portal.catalogue.base import Package, PackageMissing, extras
from portal.errors import PortalError
from portal.localgov import Directory
from portal.localgov import load as load_directory
from portal.rows import Loaded, RowsStore
from portal.settings import Settings
from portal.standards import Definition, Registry


class NoData(PortalError):
    code = "no-data"
    status = 404
    template_en = "the dataset {name} has no CSV of a standard dataset to query"
    template_ja = "データセット {name} には標準データセットのCSVがありません"


@dataclass
class Services:
    settings: Settings
    registry: Registry
    catalogue: Catalogue
    view: CatalogueView
    rows: RowsStore
    directory: Directory
    limiter: RateLimiter

    @classmethod
    def start(cls, settings: Settings) -> Services:
        catalogue = open_catalogue(settings)
        view: CatalogueView = (
            CkanView(catalogue) if isinstance(catalogue, CkanCatalogue) else EmbeddedView(catalogue)  # type: ignore[arg-type]
        )
        return cls(
            settings=settings,
            registry=Registry(settings.datasets_dir),
            catalogue=catalogue,
            view=view,
            rows=RowsStore(settings.data_dir / "rows"),
            directory=load_directory(),
            limiter=RateLimiter(
                settings.rate_limit, settings.rate_limit_keyed, set(settings.api_keys)
            ),
        )

    def package(self, name: str) -> Package:
        package = self.view.show(name)
        if package is None:
            raise PackageMissing(name=name)
        return package

    def definition(self, package: Package) -> Definition | None:
        meta = extras(package)
        slug = meta.get("portal_standard")
        if not slug:
            return None
        version = (
            "legacy" if meta.get("portal_standard_version", "").startswith("legacy") else "current"
        )
        key = f"legacy/{slug}" if version == "legacy" else slug
        return self.registry.get(key) if key in self.registry else None

    def published(self, slug: str | None = None, *, load: bool = False) -> list[Package]:
        """The datasets published in a standard's layout (of one standard, if given);
        with `load`, their rows are made current for a query across them."""
        fq = {"extras_portal_standard": slug} if slug else {}
        found = self.view.search(Search(fq=fq, rows=1000))["results"]
        packages = [p for p in found if extras(p).get("portal_standard")]
        for package in packages if load else []:
            self.rows_of(package)
        return packages

    def rows_of(self, package: Package) -> tuple[Definition, Loaded]:
        """The dataset's rows, loaded from its published CSV if they are missing or out of date."""
        definition = self.definition(package)
        csv_resource = next(
            (r for r in package.get("resources", []) if r.get("format") == "CSV"), None
        )
        if definition is None or csv_resource is None:
            raise NoData(name=package["name"])
        digest = extras(package).get("portal_content_hash", csv_resource["id"])
        loaded = self.rows.loaded(package["name"])
        if loaded is None or loaded.content_hash != digest:
            loaded = self._load(package, definition, csv_resource, digest)
        return definition, loaded

    def _load(
        self, package: Package, definition: Definition, resource: dict[str, Any], digest: str
    ) -> Loaded:
        lgcode = extras(package).get("portal_lgcode", "")
        if isinstance(self.catalogue, EmbeddedCatalogue):
            return self.rows.load(
                package["name"], definition, lgcode, self.catalogue.resource_path(resource), digest
            )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "data.csv"
            path.write_bytes(self.catalogue.resource_bytes(resource))
            return self.rows.load(package["name"], definition, lgcode, path, digest)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


ServicesDep = Annotated[Services, Depends(services)]
