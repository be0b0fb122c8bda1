"""Atom 1.0 feeds (RFC 4287) of changes, from the versions' history: one per dataset
(/datasets/{name}/feed.atom) and one per standard (/standards/{slug}/feed.atom, every
published dataset of that standard). An entry is a version: when, what changed (added /
removed / changed rows), the organization, links to that version's files.

Written with the standard library's ElementTree (no feed library is a dependency); the tests
parse the result and check what RFC 4287 requires of a feed and its entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote
from xml.etree import ElementTree as ET

from portal.catalogue.base import Package
from portal.catalogue.versions import DatasetVersion, version_file_url, versions

if TYPE_CHECKING:
    from portal.composition import Portal

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
MAX_FEED_ENTRIES = 50  # the newest versions; older ones stay in the versions API
GENERATOR = "municipal-open-data-portal"

ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class FeedHead:
    id: str
    title: str
    self_url: str
    alternate: str
    alternate_type: str


def dataset_feed_path(name: str) -> str:
    return f"/datasets/{quote(name)}/feed.atom"


def standard_feed_path(slug: str) -> str:
    return f"/standards/{quote(slug)}/feed.atom"


def dataset_feed(portal: Portal, name: str, root: str) -> bytes:
    """The dataset's versions, newest first (PackageMissing for a dataset the public cannot see)."""
    package = portal.package(name)
    title = package.get("title") or name
    head = FeedHead(id=f"{root}/datasets/{quote(name)}", title=f"{title} — 更新履歴 / changes",
                    self_url=root + dataset_feed_path(name),
                    alternate=f"{root}/datasets/{quote(name)}", alternate_type="text/html")  # fmt: skip
    found = versions(portal.store, name)[:MAX_FEED_ENTRIES]
    return render(head, [(package, v) for v in found], root)


def standard_feed(portal: Portal, slug: str, root: str) -> bytes:
    """Every version of every published dataset of the standard, newest first
    (DatasetNotFound for a slug the registry does not know)."""
    definition = portal.registry.get(slug)
    found = [(p, v) for p in portal.published(slug) for v in versions(portal.store, p["name"])]
    found.sort(key=lambda pair: pair[1].at, reverse=True)
    api = f"{root}/api/v1/standards/{quote(slug)}"
    head = FeedHead(id=api, title=f"{definition.title_ja} — 更新履歴 / changes ({slug})",
                    self_url=root + standard_feed_path(slug), alternate=api,
                    alternate_type="application/json")  # fmt: skip
    return render(head, found[:MAX_FEED_ENTRIES], root)


def render(head: FeedHead, entries: Iterable[tuple[Package, DatasetVersion]], root: str) -> bytes:
    listed = list(entries)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", head.id)
    _text(feed, "title", head.title)
    newest = max((v.at for _, v in listed), default=datetime.now(UTC))
    _text(feed, "updated", _moment(newest))
    _link(feed, "self", head.self_url, ATOM_TYPE)
    _link(feed, "alternate", head.alternate, head.alternate_type)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")  # entries name their own organization
    _text(author, "name", GENERATOR)
    _text(feed, "generator", GENERATOR)
    for package, version in listed:
        _entry(feed, package, version, root)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _entry(feed: ET.Element, package: Package, version: DatasetVersion, root: str) -> None:
    name = version.name
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    datapackage = root + version_file_url(name, version.number, "datapackage.json")
    _text(entry, "id", datapackage)  # a version's files never change: a stable, unique id
    title = package.get("title") or name
    _text(entry, "title", f"{title} 第{version.number}版 (version {version.number})")
    _text(entry, "updated", _moment(version.at))
    _text(entry, "published", _moment(version.at))
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    _text(author, "name", (package.get("organization") or {}).get("title") or version.org)
    _link(entry, "alternate", f"{root}/datasets/{quote(name)}/history", "text/html")
    _link(entry, "related", datapackage, "application/json")
    csv = f"{root}/api/v1/datasets/{quote(name)}/versions/{version.number}/download.csv"
    _link(entry, "enclosure", csv, "text/csv")
    _text(entry, "summary", change_text(version))


def change_text(version: DatasetVersion) -> str:
    """What the version changed, in Japanese and English."""
    ja = f"追加 {version.added} 件・削除 {version.removed} 件・変更 {version.changed} 件"
    en = f"added {version.added}, removed {version.removed}, changed {version.changed} rows"
    if version.rollback_of is not None:
        ja += f"（第{version.rollback_of}版に戻しました）"
        en += f" (restores version {version.rollback_of})"
    valid = "検証: 適合" if version.valid else f"検証: エラー {version.errors} 件"
    valid_en = "valid" if version.valid else f"{version.errors} validation errors"
    return f"{ja}。{valid} / {en}; {valid_en}. {version.rows} 行 / rows."


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, rel: str, href: str, kind: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": kind})


def _moment(at: datetime) -> str:
    """An RFC 3339 date-time in UTC, as Atom requires."""
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
