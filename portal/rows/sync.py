"""The rows store made to match the catalogue: every public dataset in a standard's layout
loaded at its published content, nothing else kept.

Publishing loads a dataset's rows itself, so a request never has to; this is for what a
publish on this portal did not load: datasets published to CKAN from another machine (or
harvested), a SQLite rows store that is a local read model of a shared catalogue, a load
that failed at publish, a new server. `portal serve` runs it at start-up and then every
PORTAL_ROWS_SYNC_SECONDS in the background; `portal rows rebuild` runs it with `rebuild`,
reloading everything from the catalogue.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from portal.catalogue.base import Catalogue, Package
from portal.catalogue.meta import PortalMeta
from portal.rows import RowsStore, RowsUnavailable
from portal.rows.published import content_hash, csv_resource, definition_of
from portal.standards import Registry

log = logging.getLogger(__name__)


@dataclass
class Synced:
    """What a sync did: names loaded, dropped, and those whose rows could not be loaded."""

    loaded: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    failed: dict[str, RowsUnavailable] = field(default_factory=dict)
    current: int = 0  # datasets whose rows were already those published


def sync_rows(
    catalogue: Catalogue, registry: Registry, rows: RowsStore, *, rebuild: bool = False
) -> Synced:
    """Load what is missing or stale, drop what is no longer published; with `rebuild`,
    reload every dataset from its published CSV (after a restore, or to be sure)."""
    done = Synced()
    published: set[str] = set()
    for package in catalogue.public_packages():
        definition, resource = definition_of(registry, package), csv_resource(package)
        if definition is None or resource is None:
            continue
        name, wanted = package["name"], content_hash(package, resource)
        published.add(name)
        current = rows.loaded(name)
        if current is not None and current.content_hash == wanted and not rebuild:
            done.current += 1
            if not current.csv_path.is_file():  # loaded by another machine: the download's copy
                _copy_here(catalogue, resource, current.csv_path)
            continue
        if rebuild:
            rows.drop(name)
        try:
            rows.load_from(name, definition, _lgcode(package), wanted,
                           partial(fetch, catalogue, resource))  # fmt: skip
        except RowsUnavailable as exc:
            done.failed[name] = exc
            continue
        done.loaded.append(name)
    for loaded in rows.all_loaded():
        if loaded.name not in published:
            rows.drop(loaded.name)
            done.dropped.append(loaded.name)
    if done.loaded or done.dropped or done.failed:
        log.info("rows synced: %d loaded, %d dropped, %d failed, %d current", len(done.loaded),
                 len(done.dropped), len(done.failed), done.current)  # fmt: skip
    return done


def fetch(catalogue: Catalogue, resource: dict[str, Any], staged: Path) -> None:
    """The published file, copied to `staged`: from the file store, or downloaded."""
    local = catalogue.local_file(resource)
    if local is not None:
        shutil.copyfile(local, staged)
    else:
        staged.write_bytes(catalogue.resource_bytes(resource))


def _copy_here(catalogue: Catalogue, resource: dict[str, Any], target: Path) -> None:
    """The published CSV beside this server's rows store, put in place whole."""
    staged = target.with_name(target.name + ".loading")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fetch(catalogue, resource, staged)
        staged.replace(target)
    except OSError as exc:  # the download answers from the catalogue meanwhile
        log.warning("no local copy of %s: %s", target.name, exc)
    finally:
        staged.unlink(missing_ok=True)


def _lgcode(package: Package) -> str:
    return PortalMeta.from_package(package).lgcode or ""
