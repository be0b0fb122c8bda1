"""The published test catalogue and the portal serving it, shared with the API tests."""

import os
import tempfile
from pathlib import Path

from tests.api.conftest import api_settings, app, server  # noqa: F401

# Where the browser tests keep a screenshot of every step (a CI job can collect the folder).
ARTIFACTS = Path(
    os.environ.get("PORTAL_TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "portal-test-artifacts"
)
