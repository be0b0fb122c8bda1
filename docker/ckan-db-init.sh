#!/bin/bash
# Runs once, on an empty PostgreSQL volume: CKAN's roles and databases.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<-EOSQL
    CREATE ROLE ckan_default NOSUPERUSER CREATEDB CREATEROLE LOGIN PASSWORD 'pass';
    CREATE ROLE datastore_default NOSUPERUSER NOCREATEDB NOCREATEROLE LOGIN PASSWORD 'pass';
    CREATE DATABASE ckan_default OWNER ckan_default ENCODING 'utf-8';
    CREATE DATABASE datastore_default OWNER ckan_default ENCODING 'utf-8';
EOSQL
