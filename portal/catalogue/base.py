"""One catalogue interface, two back ends (embedded in the portal's database, CKAN).

Like ckanapi's RemoteCKAN and LocalCKAN, both back ends answer the same calls with
CKAN-shaped dicts, so the publisher, the contract tests, the API and the pages do not care
which one is behind them: writes (organization_ensure, package_put, package_delete), the
publisher's reads (package_show, package_list, package_search by field values) and the
public's (search with facets, public_show, public_packages, organizations, resource files).
Writes are atomic in both: a dataset is either its old version or its new one, never a mix.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from portal.errors import PortalError

if TYPE_CHECKING:
    from portal.catalogue.search import Search

Package = dict[str, Any]


class CatalogueUnavailable(PortalError):
    """The catalogue did not answer (down, restarting, network cut, 5xx): worth retrying."""

    code = "catalogue-unavailable"
    status = 503
    template_en = "the catalogue at {where} did not answer: {detail}"
    template_ja = "カタログ（{where}）が応答しません: {detail}"
    hint_en = "try again later; nothing was changed in the catalogue, so any previous version is still published"
    hint_ja = "時間をおいて再実行してください。カタログは何も変更されていません（前の版が公開されたままです）"


class CatalogueRejected(PortalError):
    code = "catalogue-rejected"
    status = 422
    template_en = "the catalogue refused the dataset {name}: {detail}"
    template_ja = "カタログがデータセット {name} を受け付けませんでした: {detail}"


class CatalogueForbidden(PortalError):
    code = "catalogue-forbidden"
    status = 403
    template_en = "not allowed to change {name} in the catalogue at {where}"
    template_ja = "カタログ（{where}）で {name} を変更する権限がありません"
    hint_en = "check CKAN_API_TOKEN: its user must be able to edit the organization's datasets"
    hint_ja = "CKAN_API_TOKEN を確認してください（組織のデータセットを編集できるユーザーのトークンが必要です）"


class PackageChanged(PortalError):
    """Someone else changed the dataset between our read and our write."""

    code = "package-changed"
    status = 409
    template_en = "the dataset {name} was changed by someone else while publishing"
    template_ja = "公開中にデータセット {name} が他で変更されました"


class PackageMissing(PortalError):
    code = "package-not-found"
    status = 404
    template_en = "there is no dataset {name} in the catalogue"
    template_ja = "カタログにデータセット {name} はありません"


class OrganizationMissing(PortalError):
    code = "organization-not-found"
    status = 404
    template_en = "there is no organization {name} in the catalogue"
    template_ja = "カタログに組織 {name} はありません"


@dataclass(frozen=True)
class FileSpec:
    """A file to publish as a resource."""

    name: str  # the resource name, also the file name
    path: Path
    format: str  # CSV, JSON, GeoJSON, …
    mimetype: str
    description: str = ""


class Catalogue(ABC):
    kind: ClassVar[str]
    where: str  # the URL or folder, for messages
    writes: int  # write calls made, so a no-op republish can be shown to write nothing

    @abstractmethod
    def status_show(self) -> dict[str, Any]: ...

    @abstractmethod
    def organization_ensure(self, name: str, title: str) -> None:
        """Create the organization if it does not exist (no write when it does)."""

    @abstractmethod
    def organization_list(self) -> list[str]: ...

    @abstractmethod
    def package_show(self, name: str) -> Package | None:
        """The dataset with its resources and extras, or None."""

    def packages_shown(self, names: list[str]) -> dict[str, Package | None]:
        """package_show of each name, read together where the catalogue can (CKAN: one
        search); what a batch publish looks ahead with."""
        return {name: self.package_show(name) for name in names}

    @abstractmethod
    def package_list(self) -> list[str]: ...

    @abstractmethod
    def package_search(self, fq: dict[str, str] | None = None, rows: int = 1000) -> list[Package]:
        """Datasets whose fields equal the `fq` values (tags: any tag), newest first."""

    @abstractmethod
    def package_put(self, package: Package, files: list[FileSpec], seen: Package | None) -> Package:
        """Create or replace a dataset with all its resources, atomically.

        `seen` is the version the caller read (None: the dataset must not exist yet);
        if the catalogue's version is no longer that one, PackageChanged is raised and
        nothing is written."""

    @abstractmethod
    def package_delete(self, name: str) -> None: ...

    @abstractmethod
    def resource_bytes(self, resource: dict[str, Any]) -> bytes: ...

    def local_file(self, resource: dict[str, Any]) -> Path | None:
        """The resource's file on this machine, to stream as it is; None when the catalogue
        keeps its files elsewhere (CKAN): ask resource_bytes."""
        return None

    # What the public sees: datasets that are not private.

    @abstractmethod
    def search(self, s: Search) -> dict[str, Any]:
        """{"count", "results", "facets"} as CKAN's package_search gives them."""

    @abstractmethod
    def public_packages(self) -> list[Package]:
        """Every public dataset with its resources, newest first."""

    @abstractmethod
    def organizations(self) -> list[dict[str, Any]]:
        """Every organization, as organization_list with all_fields gives them."""

    def organization(self, name: str) -> dict[str, Any] | None:
        return next((o for o in self.organizations() if name in (o["name"], o.get("id"))), None)

    def public_show(self, name: str) -> Package | None:
        """The dataset as the public sees it: None when it is missing or private."""
        package = self.package_show(name)
        return package if package and not package.get("private") else None

    def refuse_if_read_only(self, doing: str) -> None:
        """Raise the clear error now if this catalogue cannot be written (a read-only mount),
        before a publish or delete reads or writes anything. CKAN answers for itself."""
        return None

    def history(self, name: str) -> list[dict[str, Any]]:
        """The catalogue's own record of changes to a dataset, newest first."""
        return []

    def reclaim(self) -> list[str]:
        """Remove stored files no dataset points to any more (once nothing can still be
        reading them); the names removed. CKAN manages its own files: nothing to do."""
        return []


def extras(package: Package) -> dict[str, str]:
    return {e["key"]: e["value"] for e in package.get("extras", [])}
