#!/bin/bash
# Run once by the postgres image, when its data volume is first initialised: per service a login
# role owning a database of the same name that no other role may connect to, as `inclusion up`
# creates them (inclusion_cli.infra.postgres.ensure_service_databases). Passwords come from
# <SERVICE>_DB_PASSWORD, the same ones docker-compose.yml puts in each DATABASE_URL.
set -euo pipefail

for service in ${INCLUSION_SERVICES:?INCLUSION_SERVICES names the services}; do
  password_variable="${service^^}_DB_PASSWORD"
  password="${!password_variable:?${password_variable} is not set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v service="$service" -v password="$password" <<'SQL'
CREATE ROLE :"service" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"service" TO :"service";
SQL
done
