#!/usr/bin/env bash
# `make clean-data`: forget the demo's state, so the next `make run` starts afresh: the
# Temporal dev server's history and the demo tokens (.data/), and the database of
# DATABASE_URL (dropped; the next start creates and migrates it again). Needed when a
# workflow change is not compatible with the histories an older `make run` left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rm -rf .data
db="$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://[^/]*/([^?]*).*#\1#')"
admin_url="$(printf '%s' "$DATABASE_URL" | sed -E "s#/$db([?]|\$)#/postgres\1#")"
if psql "$admin_url" -qtAc "SELECT 1" >/dev/null 2>&1; then
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
  echo "==> removed .data/ and dropped database $db"
else
  echo "==> removed .data/ (PostgreSQL does not answer; database $db left as it is)"
fi
