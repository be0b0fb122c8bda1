"""The standard datasets (自治体標準オープンデータセット and legacy 推奨データセット) as data."""

from portal.standards.definition import Definition
from portal.standards.registry import Registry

__all__ = ["Definition", "Registry"]
