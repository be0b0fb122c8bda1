"""Connectors (issue 15): the portal exchanging data with other platforms — ORDEN-style
catalogs, an NGSI-v2 broker, another CKAN — without ever bypassing its own validation.
Each platform is a plugin folder here (plugin.py, config.py, mapping.py, client.py) exporting
`PLUGIN`; each connector is a YAML file in PORTAL_CONNECTORS_DIR."""
