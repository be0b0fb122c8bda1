"""Reading the catalogue ahead for a batch publish: one read for many datasets."""

from __future__ import annotations

import math
import time
from pathlib import Path

from portal.catalogue.base import Catalogue, Package
from portal.catalogue.mapping import Converted
from portal.catalogue.publish import Publisher, dataset_name
from portal.errors import PortalError

LOOKAHEAD_NAMES = 100  # datasets read in one go by a batch publish (CKAN: one package_search)
LOOKAHEAD_FRESH_S = 5.0  # how long such a read decides; then the catalogue is read again


class Lookahead:
    """The catalogue's current packages for a batch of datasets about to be published, read
    together (CKAN: one search for LOOKAHEAD_NAMES names instead of as many package_show
    calls), so a republish of a hundred unchanged datasets costs a few reads. What was read
    is used for LOOKAHEAD_FRESH_S seconds at most: a dataset published later in the batch is
    read again, so nothing is decided on an older read than a single publish would make."""

    def __init__(self, catalogue: Catalogue, names: list[str]) -> None:
        self.catalogue, self.names = catalogue, names
        self.known: dict[str, Package | None] = {}
        self.read_at = -math.inf

    @classmethod
    def of(cls, folders: list[Path], publisher: Publisher) -> Lookahead:
        """For the converted folders among `folders` (a recipe's name is known only once it is
        converted: it is read on its own)."""
        names = []
        for folder in folders:
            try:
                names.append(dataset_name(Converted.read(folder), publisher))
            except (PortalError, OSError, ValueError, KeyError):
                continue  # publish() reports it, in its turn
        return cls(publisher.catalogue, names)

    def current(self, name: str) -> Package | None:
        if name not in self.known or time.monotonic() - self.read_at > LOOKAHEAD_FRESH_S:
            if name not in self.names:
                return self.catalogue.package_show(name)
            start = self.names.index(name)
            self.known = self.catalogue.packages_shown(self.names[start : start + LOOKAHEAD_NAMES])
            self.read_at = time.monotonic()
        return self.known.get(name)
