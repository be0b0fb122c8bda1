"""Reading a recipe's YAML within a budget, with the line of every key.

A recipe is a short hand-written file (the bundled ones are under 4 KB), so the reader
refuses what only an attack needs: more than MAX_RECIPE_BYTES, nesting deeper than
MAX_DEPTH, and YAML anchors and aliases (`&name` / `*name`). No recipe needs aliases, and
nine lines of nested aliases expand to a billion nodes ("billion laughs": 84 s and 6.8 GB
before this); refusing them outright is simpler and safer than counting expansions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from portal.pipeline.guards import RecipeProblem

MAX_RECIPE_BYTES = 256 * 1024
MAX_DEPTH = 20  # a recipe nests 5 levels; Python's recursion limit would end near 1000


class _Loader(yaml.SafeLoader):
    """YAML with 1.2 booleans: only true/false. Under YAML 1.1 a column named NO (the
    legacy 推奨 ID column) or ON/OFF would silently become a boolean."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise RecipeProblem(
                "YAML anchors and aliases (&name, *name) are not allowed in a recipe; "
                "write the value out where it is needed",
                "レシピでは YAML のアンカーとエイリアス（&名前、*名前）は使えません。"
                "値をそれぞれの場所に書いてください",
                line,
            )
        if self.depth >= MAX_DEPTH:
            raise RecipeProblem(
                f"nested deeper than {MAX_DEPTH} levels",
                f"入れ子が{MAX_DEPTH}段を超えています",
                line,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_text(path: Path) -> str:
    """The recipe's text; RecipeProblem if it is too big or not UTF-8."""
    with path.open("rb") as handle:
        raw = handle.read(MAX_RECIPE_BYTES + 1)
    if len(raw) > MAX_RECIPE_BYTES:
        raise RecipeProblem(
            f"larger than {MAX_RECIPE_BYTES // 1024} KB: not a recipe",
            f"{MAX_RECIPE_BYTES // 1024} KB を超えています（レシピではありません）",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecipeProblem(
            "not UTF-8 text; save the recipe as UTF-8",
            "UTF-8 のテキストではありません。レシピを UTF-8 で保存してください",
            line,
        ) from None


def parse(text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    """The data and the line of each key; yaml.YAMLError or RecipeProblem on a mistake."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, (_lines(node) if node is not None else {})


def _lines(node: yaml.Node, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Line (1-based) of every mapping key and sequence item in the YAML."""
    out = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out.update(_lines(value, (*path, str(key.value))))
            out[(*path, str(key.value))] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.update(_lines(item, (*path, str(i))))
    return out
