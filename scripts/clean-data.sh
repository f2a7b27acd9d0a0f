#!/usr/bin/env bash
# `make clean-data`: forget the demo's state, so the next `make run` or `make cluster`
# starts afresh: the Temporal dev server's history, the demo tokens and payload key
# (.data/), the database of DATABASE_URL, and make cluster's three databases (aduan_cluster,
# temporal, temporal_visibility; dropped; the next start creates them again). Needed when
# a workflow change is not compatible with the histories an older run left behind, or
# when .data/payload-keys is gone (what the databases hold was sealed with it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

rm -rf .data
db="$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://[^/]*/([^?]*).*#\1#')"
admin_url="$(printf '%s' "$DATABASE_URL" | sed -E "s#/$db([?]|\$)#/postgres\1#")"
if psql "$admin_url" -qtAc "SELECT 1" >/dev/null 2>&1; then
  for d in "$db" aduan_cluster temporal temporal_visibility; do
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)"
  done
  echo "==> removed .data/ and dropped databases $db, aduan_cluster, temporal, temporal_visibility"
else
  echo "==> removed .data/ (PostgreSQL does not answer; database $db left as it is)"
fi
