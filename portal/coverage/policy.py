"""What coverage reads from data: how long a publish stays fresh (freshness.yaml) and which
gap to close first (priority.yaml, or another file the settings name)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from portal.errors import Location, PortalError

NEVER = "never"  # freshness.yaml: a frequency whose datasets never go stale


class CoverageDataInvalid(PortalError):
    """freshness.yaml or a priority file that cannot be used."""

    code = "coverage-data-invalid"
    status = 500
    exit_code = 2
    template_en = "the coverage file cannot be used: {detail}"
    template_ja = "カバレッジの設定ファイルを使えません: {detail}"
    hint_en = "a priority file is a YAML list of standard dataset keys (see portal/coverage/priority.yaml)"
    hint_ja = "優先順位のファイルは標準データセットのキーを並べた YAML のリストです（portal/coverage/priority.yaml 参照）"


def _read_yaml(path: Path | None, packaged: str) -> Any:
    if path is None:
        return yaml.safe_load(
            resources.files("portal.coverage").joinpath(packaged).read_text("utf-8")
        )
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CoverageDataInvalid(Location(file=str(path)), detail=str(exc)) from None


@cache
def _freshness() -> dict[str, Any]:
    data = _read_yaml(None, "freshness.yaml")
    return {"frequencies": data["frequencies"], "default": int(data["default_days"]),
            "standards": {k: int(v) for k, v in data["standards"].items()}}  # fmt: skip


@cache
def _priority(path: str | None) -> tuple[str, ...]:
    data = _read_yaml(Path(path) if path else None, "priority.yaml")
    if not isinstance(data, list) or not all(isinstance(k, str) for k in data):
        raise CoverageDataInvalid(Location(file=path), detail="not a list of dataset keys")
    return tuple(data)


def priority_order(path: str | Path | None = None) -> list[str]:
    """The datasets' keys, the first gap to close first (priority.yaml, or another file).
    A key no standard dataset has is ignored: a file may name datasets a portal lacks."""
    return list(_priority(str(path) if path else None))


def max_age_days(dataset: str, frequency: str | None) -> int | None:
    """How old a publish may be before it is stale: by its update frequency, else the
    standard's default (freshness.yaml); None: never stale."""
    data = _freshness()
    by_frequency = data["frequencies"].get(frequency or "")
    if by_frequency == NEVER:
        return None
    if isinstance(by_frequency, int):
        return by_frequency
    return int(data["standards"].get(dataset, data["default"]))
