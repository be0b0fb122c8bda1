#!/bin/bash
# Sourced by the CKAN image after its own set-up: apply plugin migrations (activity),
# and give DataPusher a token.
ckan -c "$CKAN_INI" db pending-migrations --apply
if [[ $CKAN__PLUGINS == *"datapusher"* ]] && [ -z "$CKAN__DATAPUSHER__API_TOKEN" ]; then
  ckan config-tool "$CKAN_INI" "ckan.datapusher.api_token=$(ckan -c "$CKAN_INI" user token add "$CKAN_SYSADMIN_NAME" datapusher | tail -n 1 | tr -d '\t')"
fi
