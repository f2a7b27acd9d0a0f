#!/usr/bin/env bash
# Creates (when missing) and upgrades the Temporal server's two PostgreSQL databases with
# Temporal's own SQL tool: persistence (TEMPORAL_PG_DB) and SQL visibility
# (TEMPORAL_PG_VISIBILITY_DB). Idempotent: run it before every start of the server; it
# applies only the schema versions the databases do not have yet.
#
# Reads TEMPORAL_PG_HOST, _PORT, _USER, _PASSWORD, _DB, _VISIBILITY_DB (the same
# variables as deploy/temporal/production.yaml) and, to create the role and the
# databases, PG_ADMIN_URL (a superuser's URL; default postgres@host:port). A regency
# whose DBA made the role and databases beforehand sets PG_ADMIN_URL=none.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

host="${TEMPORAL_PG_HOST:-127.0.0.1}"; port="${TEMPORAL_PG_PORT:-5432}"
user="${TEMPORAL_PG_USER:-temporal}"; password="${TEMPORAL_PG_PASSWORD:-temporal}"
main_db="${TEMPORAL_PG_DB:-temporal}"; vis_db="${TEMPORAL_PG_VISIBILITY_DB:-temporal_visibility}"
admin="${PG_ADMIN_URL:-postgres://postgres@$host:$port/postgres?sslmode=disable}"

# On a server without Go, set TEMPORAL_SQL_TOOL and TEMPORAL_SCHEMA_DIR (the server
# module's schema/postgresql/v12, copied there; docs/DEPLOY.md).
if [ -z "${TEMPORAL_SQL_TOOL:-}" ] || [ -z "${TEMPORAL_SCHEMA_DIR:-}" ]; then
  ensure_temporal_server
fi
schema="${TEMPORAL_SCHEMA_DIR:-$(temporal_server_schema_dir)}"

if [ "$admin" != none ]; then
  # Identifiers come from our own variables; refuse anything that is not a plain name.
  for n in "$user" "$main_db" "$vis_db"; do
    [[ "$n" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "temporal-db: $n is not a plain PostgreSQL name" >&2; exit 1; }
  done
  if ! psql "$admin" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$user'" | grep -q 1; then
    echo "==> creating PostgreSQL role $user"
    # The password goes in as a psql variable (quoted by psql), never into the command line.
    echo "CREATE ROLE $user LOGIN PASSWORD :'pw'" | psql "$admin" -qv ON_ERROR_STOP=1 -v pw="$password" >/dev/null
  fi
  for db in "$main_db" "$vis_db"; do
    if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      echo "==> creating database $db"
      psql "$admin" -qv ON_ERROR_STOP=1 -c "CREATE DATABASE $db OWNER $user" >/dev/null
    fi
  done
fi

# The tool logs every statement; its output is shown only when it fails.
sqltool() {
  local out
  if ! out="$("$TEMPORAL_SQL_TOOL" --plugin postgres12 --ep "$host" -p "$port" -u "$user" --pw "$password" "$@" 2>&1)"; then
    printf '%s\n' "$out" >&2
    echo "temporal-db: $* failed" >&2
    return 1
  fi
}
for pair in "$main_db:temporal" "$vis_db:visibility"; do
  db="${pair%%:*}"; kind="${pair##*:}"
  # setup-schema -v 0.0 creates the version table once; on a database that has it, it
  # would fail, so it runs only on an empty one. update-schema then applies what is new.
  has_version="$(PGPASSWORD="$password" psql "postgres://$user@$host:$port/$db?sslmode=disable" -tAc \
    "SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_version'")"
  if [ "$has_version" != 1 ]; then
    sqltool --db "$db" setup-schema -v 0.0
  fi
  sqltool --db "$db" update-schema -d "$schema/$kind/versioned"
  version="$(PGPASSWORD="$password" psql "postgres://$user@$host:$port/$db?sslmode=disable" -tAc \
    "SELECT curr_version FROM schema_version")"
  echo "==> $db ($kind) at schema version $version"
done
