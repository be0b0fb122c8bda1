"""A converted standard dataset (the folder `portal convert` writes) as a catalogue dataset.

Name `{lgcode}-{slug}` (ASCII, as CKAN requires), Japanese title and description,
the city's organization, the tags BODIK recognises (自治体標準ODS + the dataset's
name), an open licence, and extras that say which standard, which version, what
content and whether it validated.

What the department said about it (DatasetMetadata, from the recipe's `metadata:` block via
datapackage.json) goes where CKAN has a field for it — title, notes, maintainer (担当課),
maintainer_email, tags, license_id — and into extras otherwise (contact_phone, contact_url,
frequency). Without it the package is exactly what it was before metadata existed, so its
content hash, and so every published dataset, stays unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.catalogue.base import FileSpec, Package
from portal.catalogue.meta import PortalMeta, Validation
from portal.catalogue.metadata import DatasetMetadata
from portal.errors import Location, PortalError
from portal.localgov import LocalGov
from portal.search.extras import search_extras
from portal.standards import Definition

INVALID_TAG = "要修正"
MEDIA = {
    ".csv": ("CSV", "text/csv"),
    ".json": ("JSON", "application/json"),
    ".geojson": ("GeoJSON", "application/geo+json"),
    ".html": ("HTML", "text/html"),
}


class NotPublishable(PortalError):
    code = "not-publishable"
    status = 422
    exit_code = 2
    template_en = "{path}: {detail}"
    template_ja = "{path}: {detail_ja}"
    hint_en = "publish the folder `portal convert` wrote (it holds datapackage.json), or a recipe"
    hint_ja = (
        "`portal convert` の出力フォルダ（datapackage.json があるもの）かレシピを指定してください"
    )


@dataclass
class Converted:
    """What a converted folder holds, read back."""

    folder: Path
    package: dict[str, Any]  # datapackage.json
    dataset: str
    lgcode: str
    recipe: str
    stem: str
    validation: dict[str, Any]
    metadata: DatasetMetadata = DatasetMetadata()

    @classmethod
    def read(cls, folder: Path) -> Converted:
        path = folder / "datapackage.json"
        if not path.is_file():
            raise NotPublishable(
                path=str(folder),
                detail="no datapackage.json here",
                detail_ja="datapackage.json がありません",
            )
        package = json.loads(path.read_text(encoding="utf-8"))
        meta = package.get("portal", {})
        stem = Path(package["resources"][0]["path"]).stem
        report = folder / f"{stem}.validation.json"
        if not meta.get("dataset") or not report.is_file():
            raise NotPublishable(path=str(folder), detail="not written by `portal convert` (no portal section or validation report)",
                                 detail_ja="`portal convert` の出力ではありません（検証レポートがありません）")  # fmt: skip
        validation = json.loads(report.read_text(encoding="utf-8"))
        metadata = DatasetMetadata.parse(meta.get("metadata"), Location(file=str(path)))
        return cls(
            folder,
            package,
            meta["dataset"],
            meta["lgcode"],
            meta.get("recipe", ""),
            stem,
            validation,
            metadata,
        )

    def data_path(self) -> Path:
        """The converted CSV (the first resource)."""
        return self.folder / self.package["resources"][0]["path"]

    def files(self) -> list[FileSpec]:
        """The resources: the data files, datapackage.json and the validation report."""
        names = [r["path"] for r in self.package["resources"]] + [
            "datapackage.json",
            f"{self.stem}.validation.html",
        ]
        out = []
        for name in names:
            path = self.folder / name
            kind, mime = MEDIA.get(path.suffix, ("JSON", "application/json"))
            if name == "datapackage.json":
                kind, description = (
                    "JSON",
                    "Frictionless Data Package: the files and the CSV's Table Schema",
                )
            elif name.endswith(".validation.html"):
                description = "検証レポート / validation report"
            else:
                description = {
                    "CSV": "UTF-8, 標準の項目順 / the standard's columns",
                    "GeoJSON": "緯度・経度の点 / points",
                }.get(kind, "")
            out.append(
                FileSpec(name=name, path=path, format=kind, mimetype=mime, description=description)
            )
        return out


def package_name(template: str, lgcode: str, definition: Definition) -> str:
    return template.format(lgcode=lgcode, slug=definition.slug.replace("_", "-")).lower()


def content_hash(files: list[FileSpec], metadata: dict[str, Any]) -> str:
    """What decides whether anything changed: every file's bytes and the metadata we set."""
    digest = hashlib.sha256(json.dumps(metadata, ensure_ascii=False, sort_keys=True).encode())
    for f in sorted(files, key=lambda f: f.name):
        digest.update(f.name.encode())
        with f.path.open("rb") as fh:  # read in blocks: a data file can be gigabytes
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()


def build_package(
    converted: Converted,
    definition: Definition,
    body: LocalGov,
    name: str,
    organization: str,
    license_id: str,
) -> Package:
    """The dataset as the catalogue will hold it, without the content hash and publish extras."""
    valid = converted.validation["valid"]
    stats = converted.validation["stats"]
    given = converted.metadata
    tags = list(dict.fromkeys([*definition.meta.get("tags", []), *given.keywords]))
    notes = given.description or _standard_notes(definition, body)
    if not valid:
        tags.append(INVALID_TAG)
        notes = (
            f"【要修正】このデータは標準の検証でエラーが{stats['errors']}件あります（検証レポート参照）。\n\n"
            + notes
        )
    package: Package = {
        "name": name,
        "title": given.title or f"{definition.title_ja}（{body.full_name}）",
        "notes": notes,
        "owner_org": organization,
        "license_id": given.license or license_id,
        "tags": [{"name": t} for t in tags],
        "extras": PortalMeta(
            standard=definition.slug,
            standard_version=definition.version,
            spec_revision=str(definition.meta.get("spec_revision", "")),
            standard_number=definition.number,
            lgcode=body.lgcode,
            validation=Validation.of(valid, stats["errors"]),
            recipe=converted.recipe,
            rows=stats["rows"],
        ).to_extras()
        + given.to_extras()
        + search_extras(definition.slug, definition.title_ja, converted.data_path())
        + carried_extras(converted.package),
        "private": False,
    }
    # Only when given: a key more (even empty) would change the hash of every dataset.
    for key, value in (("maintainer", given.department), ("maintainer_email", given.contact_email)):
        if value is not None:
            package[key] = value
    return package


def carried_extras(datapackage: dict[str, Any]) -> list[dict[str, str]]:
    """Extras a connector set on the converted folder (datapackage.json's `portal.extras`:
    a harvested dataset's provenance), published with it; string pairs only. None for a
    folder `portal convert` wrote, so no other dataset's hash changes."""
    listed = datapackage.get("portal", {}).get("extras")
    return [{"key": e["key"], "value": e["value"]} for e in listed or []
            if isinstance(e, dict) and isinstance(e.get("key"), str)
            and isinstance(e.get("value"), str)]  # fmt: skip


def metadata_of(package: Package, definition: Definition | None) -> DatasetMetadata:
    """The department's metadata as a published package shows it; the tags the portal adds
    (the standard's, 要修正) are not keywords."""
    added = {INVALID_TAG, *(definition.meta.get("tags", []) if definition else [])}
    return DatasetMetadata.from_package(package, not_keywords=added)


def _standard_notes(definition: Definition, body: LocalGov) -> str:
    return (
        f"{body.full_name}の{definition.title_ja}です。デジタル庁「自治体標準オープンデータセット」"
        f"（{definition.number}）の形式で公開しています。\n\n"
        f"{definition.title_en} of {body.full_name} ({body.lgcode}), published in the layout of the Digital "
        f"Agency's standard open dataset {definition.number}."
    )
