#!/bin/bash
# Runs once, on an empty PostgreSQL volume: CKAN's roles and databases, and the portal's own.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<-EOSQL
    CREATE ROLE ckan_default NOSUPERUSER CREATEDB CREATEROLE LOGIN PASSWORD 'pass';
    CREATE ROLE datastore_default NOSUPERUSER NOCREATEDB NOCREATEROLE LOGIN PASSWORD 'pass';
    CREATE DATABASE ckan_default OWNER ckan_default ENCODING 'utf-8';
    CREATE DATABASE datastore_default OWNER ckan_default ENCODING 'utf-8';
    CREATE ROLE portal NOSUPERUSER NOCREATEDB NOCREATEROLE LOGIN PASSWORD 'portal';
    CREATE DATABASE portal OWNER portal ENCODING 'utf-8' TEMPLATE template0;
EOSQL
