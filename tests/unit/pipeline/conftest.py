"""The standard datasets and the local-government directory, read once for the pipeline's
tests (suggest, choice, publisher, vocabularies)."""

from __future__ import annotations

import pytest

from portal.localgov import Directory
from portal.localgov import load as load_directory
from portal.standards import Registry
from tests.conftest import DATASETS_DIR


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry(DATASETS_DIR)


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_directory()
