"""The standard datasets a portal knows: every folder under `datasets/`."""

from __future__ import annotations

from pathlib import Path

from portal.errors import DatasetNotFound
from portal.standards.definition import META_FILE, Definition

LEGACY_DIR = "legacy"


class Registry:
    """Definitions keyed by folder: `aed` (current) and `legacy/aed`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_key = {key: Definition.read(root, key) for key in self._keys(root)}

    @staticmethod
    def _keys(root: Path) -> list[str]:
        metas = sorted(root.glob(f"*/{META_FILE}")) + sorted(
            root.glob(f"{LEGACY_DIR}/*/{META_FILE}")
        )
        return [p.parent.relative_to(root).as_posix() for p in metas]

    def all(self) -> list[Definition]:
        return sorted(self._by_key.values(), key=_order)

    def get(self, key: str, version: str | None = None) -> Definition:
        """By key (`aed`, `legacy/aed`) or by slug and version (`aed`, "legacy")."""
        if version == "legacy" and not key.startswith(f"{LEGACY_DIR}/"):
            key = f"{LEGACY_DIR}/{key}"
        try:
            return self._by_key[key]
        except KeyError:
            raise DatasetNotFound(key=key) from None

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self._by_key)


def _order(d: Definition) -> tuple[int, str, str]:
    # Current versions in spec order (A-01 … H), legacy after them in their own order.
    return (0 if d.version == "current" else 1, d.number, d.slug)
