"""Why a dataset is 要修正, in one sentence a citizen reads on its page: the most important
finding of its validation report (「電話番号が空欄の行が100件あります。」), in Japanese and
English, from findings.yaml.

The report is the one archived with the dataset's current version (the JSON beside the
published files, PORTAL_DATA_DIR/versions/<name>/<number>/); a dataset whose report is not
there (published before versions were kept) says nothing more than its error count."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from portal.catalogue.base import Package
from portal.catalogue.meta import PortalMeta
from portal.catalogue.versions import version_folder, versions
from portal.composition import Portal

REPORT_SUFFIX = ".validation.json"


@dataclass(frozen=True)
class Finding:
    """The sentence in both languages."""

    ja: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


@cache
def sentences() -> dict[str, dict[str, str]]:
    text = resources.files("portal.web").joinpath("findings.yaml").read_text("utf-8")
    loaded: dict[str, dict[str, str]] = yaml.safe_load(text)
    return loaded


def archived_report(svc: Portal, package: Package) -> dict[str, Any] | None:
    """The validation report of the version the catalogue shows (matched by content hash)."""
    name, meta = str(package["name"]), PortalMeta.from_package(package)
    current = next(
        (v for v in versions(svc.store, name) if v.content_hash == meta.content_hash), None
    )
    if current is None:
        return None
    folder = version_folder(svc.versions_dir, name, current.number)
    for path in sorted(folder.glob(f"*{REPORT_SUFFIX}")) if folder.is_dir() else []:
        return _read(path)
    return None


def _read(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def most_important(report: dict[str, Any]) -> tuple[dict[str, Any], int] | None:
    """The error group that touches the most rows (the first listed on a tie), and how many
    other kinds of error there are."""
    groups = [g for g in report.get("groups") or [] if g.get("severity") == "error"]
    if not groups:
        return None
    top = max(groups, key=lambda g: int(g.get("count") or 0))
    return top, len(groups) - 1


def explain(report: dict[str, Any]) -> Finding | None:
    """The report's most important finding as one sentence (two with the other kinds)."""
    found = most_important(report)
    if found is None:
        return None
    group, others = found
    count = int(group.get("count") or 0)
    params = {"field": group.get("field") or "", "count": count,
              "title_ja": group.get("title_ja") or group.get("code"),
              "title_en": group.get("title_en") or group.get("code"),
              "rows": "1 row has" if count == 1 else f"{count} rows have",
              "times": "once" if count == 1 else f"{count} times"}  # fmt: skip
    words = sentences()
    fallback = "_default_field" if params["field"] else "_default"
    template = words.get(str(group.get("code")), words[fallback])
    ja, en = template["ja"].format(**params), template["en"].format(**params)
    if others:
        more = words["_more"]
        ja += more["ja"].format(kinds=others)
        en += " " + more["en"].format(kinds=others, are="is" if others == 1 else "are",
                                      s="" if others == 1 else "s")  # fmt: skip
    return Finding(ja, en)


def finding_of(svc: Portal, package: Package) -> Finding | None:
    """Why the dataset is 要修正; None when it is not, or its report is not at hand."""
    validation = PortalMeta.from_package(package).validation
    if validation is None or validation.valid:
        return None
    report = archived_report(svc, package)
    return explain(report) if report else None
