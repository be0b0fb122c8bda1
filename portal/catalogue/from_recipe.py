"""`publish_recipe()`: convert a recipe's source, then publish what was written.

`portal publish <recipe>` and every test that builds a catalogue from recipes do
these two steps; here they are one call, so that they stay the same everywhere.
"""

from __future__ import annotations

from pathlib import Path

from portal.catalogue.publish import Options, Published, Publisher, publish
from portal.pipeline import convert
from portal.settings import Settings


def publish_recipe(
    recipe_path: Path,
    publisher: Publisher,
    settings: Settings,
    options: Options | None = None,
    *,
    staging: Path | None = None,
) -> Published:
    """Convert the recipe's source into `staging` (by default the folder `portal convert`
    writes: <data dir>/converted/<recipe name>), then publish that folder.
    A conversion that fails raises before anything reaches the catalogue. `settings`: what
    the conversion reads (the standards, the reference material, the data directory)."""
    converted = convert(recipe_path, settings, staging)
    return publish(converted.files["csv"].parent, publisher, options)
