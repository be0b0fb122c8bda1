"""The published test catalogue and the portal serving it, shared with the API tests."""

from tests.api.conftest import api_settings, app, server  # noqa: F401
