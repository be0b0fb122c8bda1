"""Which standard dataset a table is, from its header alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from portal.layout import normalise_label
from portal.standards.definition import Definition
from portal.standards.registry import Registry

LAYOUTS_FILE = Path(__file__).with_name("layouts.yaml")
ACCEPT = 0.8  # Dice similarity of the header sets from which a file *is* that dataset
RESEMBLE = 0.25  # … below which it does not even resemble it


@dataclass
class Detection:
    definition: Definition | None  # the dataset the file is (score ≥ ACCEPT)
    score: float
    missing: list[str] = field(default_factory=list)  # the standard's fields not in the header
    unmatched: list[str] = field(default_factory=list)  # header labels not in the standard
    layout: str | None = None  # a known non-standard layout (layouts.yaml)
    layout_title: str | None = None
    resembles: Definition | None = None  # closest dataset when the file is not one

    def to_dict(self) -> dict[str, Any]:
        target = self.definition or self.resembles
        return {
            "dataset": self.definition.key if self.definition else None,
            "resembles": self.resembles.key if self.resembles else None,
            "title_ja": target.title_ja if target else None,
            "score": round(self.score, 3),
            "layout": self.layout,
            "layout_title": self.layout_title,
            "missing": self.missing,
            "unmatched": self.unmatched,
        }


@lru_cache(maxsize=1)
def known_layouts(path: Path = LAYOUTS_FILE) -> dict[str, dict[str, Any]]:
    loaded: dict[str, dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def dice(header: set[str], names: set[str]) -> float:
    if not header or not names:
        return 0.0
    return 2 * len(header & names) / (len(header) + len(names))


def compare(header: list[str], definition: Definition) -> Detection:
    labels = [h for h in header if h.strip()]
    norm = {normalise_label(h) for h in labels}
    names = {normalise_label(n): n for n in definition.field_names}
    return Detection(
        definition=definition,
        score=dice(norm, set(names)),
        missing=[n for k, n in names.items() if k not in norm],
        unmatched=[h for h in labels if normalise_label(h) not in names],
    )


def detect(header: list[str], registry: Registry) -> Detection:
    """The dataset the header belongs to, or what it resembles and why it is not it."""
    candidates = [compare(header, d) for d in registry.all() if d.fields]
    # Ties: a real current layout beats the legacy list standing in for it.
    candidates.sort(
        key=lambda c: (
            c.score,
            c.definition is not None and c.definition.basis != "legacy-fallback",
        ),
        reverse=True,
    )
    best = candidates[0] if candidates else Detection(None, 0.0)
    if best.score >= ACCEPT:
        return best
    norm = {normalise_label(h) for h in header if h.strip()}
    for name, layout in known_layouts().items():
        score = dice(norm, {normalise_label(h) for h in layout["header"]})
        if score >= ACCEPT:
            target = registry.get(layout["converts_to"])
            return Detection(
                None, score, layout=name, layout_title=layout["title_ja"], resembles=target
            )
    resembles = best.definition if best.score >= RESEMBLE else None
    return Detection(None, best.score, best.missing, best.unmatched, resembles=resembles)
