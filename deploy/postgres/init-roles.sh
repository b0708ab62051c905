#!/bin/sh
# Runs once, when the database volume is first created (docker-entrypoint-initdb.d).
# Two roles (docs/security.md): wel_owner owns the schema and runs the migrations; wel_app is
# what web, worker and beat log in with. After `migrate`, `manage.py grant_app_role wel_app`
# (run as wel_owner) gives wel_app read/write on the tables but only SELECT, INSERT on the audit
# log, so the running application cannot UPDATE, DELETE or TRUNCATE it.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<EOSQL
CREATE ROLE wel_owner LOGIN PASSWORD '${WEL_OWNER_PASSWORD}';
CREATE ROLE wel_app LOGIN PASSWORD '${WEL_APP_PASSWORD}';
ALTER DATABASE "$POSTGRES_DB" OWNER TO wel_owner;
ALTER SCHEMA public OWNER TO wel_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO wel_app;
EOSQL
