#!/usr/bin/env bash
# `make bench`: measure intake, the happy-path lifecycle, the Temporal actions a complaint
# costs and the scale figures on a stack the benchmark starts itself (its own Temporal dev
# server, a fresh PostgreSQL database dropped at the end, worker and API). Prints a table
# and writes docs/PERFORMANCE.md. Flags go to bin/aduan-bench (e.g. --scale 2000 --runs 1).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres

go build -o bin/aduan-bench ./cmd/aduan-bench
export ADUAN_BENCH_COMMAND="make bench${*:+ BENCH_FLAGS=\"$*\"}"
exec bin/aduan-bench "$@"
