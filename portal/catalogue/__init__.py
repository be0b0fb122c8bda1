"""Catalogues: where published datasets live (embedded in the portal's database, or a CKAN).

The names below are imported on first use (PEP 562): building `Settings` reads the licence
table in this package (portal.catalogue.licences), and a command that needs no catalogue —
`portal validate` — should not load SQLAlchemy, Alembic and ckanapi for it (0.4 s, 40 MiB).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portal.catalogue.base import (
        Catalogue,
        CatalogueUnavailable,
        FileSpec,
        Package,
        PackageChanged,
    )
    from portal.catalogue.ckan import CkanCatalogue
    from portal.catalogue.embedded import EmbeddedCatalogue
    from portal.settings import Settings
    from portal.store import Store

CATALOGUE_DIR = "catalogue"  # under the data directory: its files/ holds the published files
_WHERE = {
    "Catalogue": "portal.catalogue.base",
    "CatalogueUnavailable": "portal.catalogue.base",
    "FileSpec": "portal.catalogue.base",
    "Package": "portal.catalogue.base",
    "PackageChanged": "portal.catalogue.base",
    "CkanCatalogue": "portal.catalogue.ckan",
    "EmbeddedCatalogue": "portal.catalogue.embedded",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)


def open_catalogue(settings: Settings, store: Store, kind: str | None = None) -> Catalogue:
    """The catalogue the settings point at: CKAN when CKAN_URL is set, else the embedded one
    (in `store`, the portal's database; its files under the data directory)."""
    from portal.catalogue.ckan import CkanCatalogue
    from portal.catalogue.embedded import EmbeddedCatalogue
    from portal.errors import ConfigInvalid

    kind = kind or settings.catalogue
    if kind == "ckan":
        if not settings.ckan_url:
            raise ConfigInvalid(
                detail="--catalogue ckan needs CKAN_URL (and CKAN_API_TOKEN to publish)"
            )
        return CkanCatalogue(settings.ckan_url, settings.ckan_api_token)
    return EmbeddedCatalogue(store, settings.data_dir / CATALOGUE_DIR)


__all__ = [
    "Catalogue",
    "CatalogueUnavailable",
    "CkanCatalogue",
    "EmbeddedCatalogue",
    "FileSpec",
    "Package",
    "PackageChanged",
    "open_catalogue",
]
