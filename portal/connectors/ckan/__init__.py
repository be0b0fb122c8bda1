"""Harvest from another CKAN (BODIK ODCS, a prefecture's CKAN): open-licence standard
datasets, re-validated here and imported with their provenance."""

from portal.connectors.ckan.plugin import CkanHarvestPlugin

PLUGIN = CkanHarvestPlugin()
