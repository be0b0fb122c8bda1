"""Catalogues: where published datasets live (embedded in the portal's database, or a CKAN)."""

from portal.catalogue.base import Catalogue, CatalogueUnavailable, FileSpec, Package, PackageChanged
from portal.catalogue.ckan import CkanCatalogue
from portal.catalogue.embedded import EmbeddedCatalogue
from portal.errors import ConfigInvalid
from portal.settings import Settings
from portal.store import Store

CATALOGUE_DIR = "catalogue"  # under the data directory: its files/ holds the published files


def open_catalogue(settings: Settings, store: Store, kind: str | None = None) -> Catalogue:
    """The catalogue the settings point at: CKAN when CKAN_URL is set, else the embedded one
    (in `store`, the portal's database; its files under the data directory)."""
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
