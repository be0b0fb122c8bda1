"""The JSON notice a subscriber receives for a dataset's new version: the dataset, the
version, the download URLs (the stable /files/<dataset>/<file> ones, which always serve the
current version, and the version's own, which never change) and the row-level change summary
against the version before (changes.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.catalogue.versions import (
    DatasetVersion,
    current_file_url,
    version_file_url,
    version_folder,
)
from portal.subscriptions.changes import summarize
from portal.subscriptions.feeds import dataset_feed_path

EVENT = "dataset.version"
NOTICE_VERSION = 1  # the notice's own shape: raised when a field changes meaning


def notice(subscription_id: str, package: Package, history: list[DatasetVersion], number: int,
           archive: Path, root: str) -> dict[str, Any]:  # fmt: skip
    """The notice of version `number` of `package` (history: its versions, newest first)."""
    name = package["name"]
    this = next(v for v in history if v.number == number)
    before = max((v.number for v in history if v.number < number), default=None)
    folder = version_folder(archive, name, number)
    changes = summarize(version_folder(archive, name, before) if before else None, folder)
    org = package.get("organization") or {}
    api = f"{root}/api/v1/datasets/{quote(name)}"
    return {
        "event": EVENT, "notice_version": NOTICE_VERSION, "subscription": subscription_id,
        "dataset": {"name": name, "title": package.get("title", ""),
                    "organization": {"name": org.get("name"), "title": org.get("title")},
                    "standard": PortalMeta.from_package(package).standard,
                    "page": f"{root}/datasets/{quote(name)}", "api": api,
                    "feed": root + dataset_feed_path(name)},
        "version": {"number": number, "previous": before,
                    "at": this.at.isoformat(timespec="seconds"), "rows": this.rows,
                    "validation": {"valid": this.valid, "errors": this.errors},
                    "content_hash": this.content_hash, "rollback_of": this.rollback_of},
        "downloads": downloads(package, folder, number, root)
        | {"version_csv": f"{api}/versions/{number}/download.csv"},
        "changes": changes.to_dict(),
    }  # fmt: skip


def downloads(package: Package, folder: Path, number: int, root: str) -> dict[str, Any]:
    """Each file's two addresses: `current` (stable) and `version` (this version's)."""
    name = package["name"]
    files = [r["name"] for r in package.get("resources", []) if r.get("name")]
    current = {f: root + current_file_url(name, f) for f in files}
    kept = [f for f in [*files, "datapackage.json"] if (folder / f).is_file()]
    return {
        "current": current,
        "version": {f: root + version_file_url(name, number, f) for f in kept},
    }


def body_of(notice: dict[str, Any]) -> bytes:
    """The bytes that are signed and sent: compact UTF-8 JSON (Japanese as is)."""
    return json.dumps(notice, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
