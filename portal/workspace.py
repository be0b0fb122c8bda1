"""What validating and converting read, built once: the standard datasets, the
local-government directory, the validation rule sets, the folders a recipe may read its
source from, and where a conversion writes unless told. `Portal.open` builds one; a command
or test that needs no catalogue makes one from the settings (`Workspace.of`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal.localgov import Directory
from portal.localgov import load as load_directory
from portal.settings import Settings
from portal.standards import Registry

CONVERTED_DIR = "converted"  # under the data directory: <recipe name>/ per conversion


@dataclass(frozen=True)
class Workspace:
    registry: Registry
    directory: Directory
    validators_dir: Path  # the rule sets: default, per dataset, per city
    source_roots: tuple[Path, ...]  # besides a recipe's own folder
    converted_dir: Path

    @classmethod
    def of(cls, settings: Settings, registry: Registry | None = None,
           directory: Directory | None = None) -> Workspace:  # fmt: skip
        return cls(
            registry=registry or Registry(settings.datasets_dir),
            directory=directory or load_directory(),
            validators_dir=settings.validators_dir,
            source_roots=tuple(settings.source_roots),
            converted_dir=settings.data_dir / CONVERTED_DIR,
        )
