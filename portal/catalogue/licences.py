"""The open licences by name and link (licences.yaml), the one table the portal reads them
from: the spellings settings and metadata accept, what the dataset page shows ("CC BY 4.0"
linked to its deed in the reader's language, not `cc-by`), what DCAT links (dct:license), and
what the CKAN Action API answers (package_show's license_title/license_url/isopen,
license_list)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, kw_only=True)
class CkanLicence:
    """A licence as CKAN's license_list describes it; the fields are in CKAN's order and the
    defaults are the flags the portal's licences share (CKAN writes them as strings)."""

    title: str
    url: str
    od_conformance: str = "approved"
    osd_conformance: str = "not reviewed"
    domain_content: str
    domain_data: str
    domain_software: str
    family: str = ""
    is_generic: str = "False"
    maintainer: str = ""
    status: str = "active"

    @property
    def isopen(self) -> bool:
        """CKAN's License.isopen: approved by the Open Definition or the OSD."""
        return "approved" in (self.od_conformance, self.osd_conformance)


@dataclass(frozen=True)
class Licence:
    id: str  # cc-by | cc-by-sa | cc-zero
    aliases: tuple[str, ...]  # other spellings accepted for it (lower case): cc-by-4.0, cc0…
    name_ja: str
    name_en: str
    short: str  # CC BY 4.0
    url: str  # the licence's canonical URL
    deed_ja: str
    deed_en: str
    ckan: CkanLicence

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_ja

    def deed(self, lang: str) -> str:
        """The human-readable summary (deed) in the reader's language."""
        return self.deed_en if lang == "en" else self.deed_ja

    def ckan_entry(self) -> dict[str, Any]:
        """The licence as CKAN's license_list answers it."""
        return {"id": self.id, **asdict(self.ckan)}


@cache
def licences() -> dict[str, Licence]:
    """Every licence the portal publishes under, by its CKAN id."""
    text = resources.files("portal.catalogue").joinpath("licences.yaml").read_text("utf-8")
    return {key: Licence(id=key, aliases=tuple(value.pop("aliases", ())),
                         ckan=CkanLicence(**value.pop("ckan")), **value)
            for key, value in yaml.safe_load(text).items()}  # fmt: skip


@cache
def spellings() -> dict[str, str]:
    """Every spelling accepted for a licence (lower case: its id and its aliases) → its id."""
    return {spelling: found.id for found in licences().values()
            for spelling in (found.id, *found.aliases)}  # fmt: skip


def licence(license_id: str | None) -> Licence | None:
    """The licence a package's license_id names (any spelling settings accept: cc-by-4.0,
    CC0…); None for one the portal does not know (a package someone else published)."""
    key = spellings().get((license_id or "").strip().lower())
    return licences().get(key) if key else None
