"""The connector examples in the README are connector files the portal accepts, as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.connectors.registry import make_connector, read_config
from portal.settings import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n# \$PORTAL_CONNECTORS_DIR/(\S+\.yaml)\n(.*?)```", README, re.S)


def test_the_readme_has_an_example_for_every_kind() -> None:
    kinds = {re.search(r"^kind: (\w+)", body, re.M).group(1) for _, body in EXAMPLES}  # type: ignore[union-attr]
    assert kinds == {"orden", "ngsi", "ckan"}


@pytest.mark.parametrize(("name", "body"), EXAMPLES, ids=[n for n, _ in EXAMPLES])
def test_a_readme_example_loads_as_a_connector(name: str, body: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    connector = make_connector(read_config(path), path)
    assert connector.config.name == path.stem
