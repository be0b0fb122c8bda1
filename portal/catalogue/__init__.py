"""Catalogues: where published datasets live (embedded SQLite or a CKAN)."""

from portal.catalogue.base import Catalogue, CatalogueUnavailable, FileSpec, Package, PackageChanged
from portal.catalogue.ckan import CkanCatalogue
from portal.catalogue.embedded import EmbeddedCatalogue
from portal.errors import ConfigInvalid
from portal.settings import Settings


def open_catalogue(settings: Settings, kind: str | None = None) -> Catalogue:
    """The catalogue the settings point at: CKAN when CKAN_URL is set, else the embedded one."""
    kind = kind or settings.catalogue
    if kind == "ckan":
        if not settings.ckan_url:
            raise ConfigInvalid(
                detail="--catalogue ckan needs CKAN_URL (and CKAN_API_TOKEN to publish)"
            )
        return CkanCatalogue(settings.ckan_url, settings.ckan_api_token)
    return EmbeddedCatalogue(settings.data_dir / "catalogue")


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
