"""A catalogue dataset's rows: which definition and content they are, and the hooks that
keep the rows store in step with the catalogue — loaded when a dataset is published (so no
request waits for a load), dropped when it is deleted."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.errors import PortalError
from portal.rows.store import Loaded, RowsStore
from portal.standards import Definition, Registry

log = logging.getLogger(__name__)
ROWS_DIR = "rows"  # under settings.data_dir


def definition_of(registry: Registry, package: Package) -> Definition | None:
    """The standard dataset version the package is published in, if the portal knows it."""
    meta = PortalMeta.from_package(package)
    if not meta.standard:
        return None
    key = f"legacy/{meta.standard}" if meta.legacy else meta.standard
    return registry.get(key) if key in registry else None


def csv_resource(package: Package) -> dict[str, Any] | None:
    return next((r for r in package.get("resources", []) if r.get("format") == "CSV"), None)


def content_hash(package: Package, resource: dict[str, Any]) -> str:
    """What the loaded rows must match: the published content's hash."""
    found = PortalMeta.from_package(package).content_hash
    return resource["id"] if found is None else found


def load_published(
    registry: Registry, store: RowsStore, package: Package, csv_path: Path
) -> str | None:
    """Publishing's hook: the rows of the dataset just published (`csv_path`, the CSV it
    published) go into the local rows store. The catalogue already holds the dataset, so a
    failure does not undo the publish: it is returned (and logged), and the API answers
    for the dataset as it can (it tries the load again, or says the rows are unavailable)."""
    definition = definition_of(registry, package)
    resource = csv_resource(package)
    if definition is None or resource is None:
        return None
    lgcode = PortalMeta.from_package(package).lgcode or ""
    try:
        loaded: Loaded = store.load(
            package["name"], definition, lgcode, csv_path, content_hash(package, resource)
        )
    except (PortalError, OSError, sqlite3.Error, SQLAlchemyError) as exc:
        message = exc.message_en if isinstance(exc, PortalError) else f"{type(exc).__name__}: {exc}"
        log.warning("rows of %s not loaded at publish: %s", package["name"], message)
        return f"rows not loaded for the API: {message}"
    log.info("rows of %s: %d ready for the API", loaded.name, loaded.rows)
    return None


def drop_deleted(store: RowsStore, name: str) -> None:
    """Deleting's hook: the dataset's rows leave the rows store with it. The catalogue no
    longer has it, so a failure here is logged, not raised: its own routes answer 404."""
    try:
        store.drop(name)
    except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
        log.warning("rows of deleted %s not dropped: %s: %s", name, type(exc).__name__, exc)
