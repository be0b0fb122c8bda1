"""`publish_recipe()`: convert a recipe's source, then publish what was written.

`portal publish <recipe>` and every test that builds a catalogue from recipes do
these two steps; here they are one call, so that they stay the same everywhere.
"""

from __future__ import annotations

from pathlib import Path

from portal.catalogue.publish import Options, Published, Publisher, publish
from portal.pipeline import convert
from portal.workspace import Workspace


def publish_recipe(
    recipe_path: Path,
    publisher: Publisher,
    workspace: Workspace,
    options: Options | None = None,
    *,
    staging: Path | None = None,
) -> Published:
    """Convert the recipe's source into `staging` (by default the folder `portal convert`
    writes: <data dir>/converted/<recipe name>), then publish that folder.
    A conversion that fails raises before anything reaches the catalogue."""
    converted = convert(recipe_path, workspace, staging)
    return publish(converted.files["csv"].parent, publisher, options)
