"""CKAN DataStore actions (read-only) over the portal's rows store: datastore_search and
datastore_info, so clients written against CKAN's DataStore read rows unchanged."""

from __future__ import annotations

from portal.api.ckan_params import Action

DATASTORE_ACTIONS: dict[str, Action] = {}
