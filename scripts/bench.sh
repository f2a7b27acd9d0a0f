#!/usr/bin/env bash
# `make bench`: measure intake (web, WhatsApp, SMS), a disaster burst, the happy-path
# lifecycle and its staff actions, the Temporal actions a complaint costs and the scale
# figures over a year of complaints, on stacks the benchmark starts itself (its own
# Temporal dev server, and the production profile's Temporal server on PostgreSQL for the
# intake and lifecycle ratios; fresh databases dropped at the end; worker and API). Prints
# a table and writes docs/PERFORMANCE.md, with a CPU profile of the lifecycle in
# bin/bench-profile. Flags go to bin/aduan-bench (e.g. --scale 2000 --runs 1 --temporal dev).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres
ensure_temporal_server # the production profile's server (--temporal cluster)

go build -o bin/aduan-bench ./cmd/aduan-bench
export ADUAN_BENCH_COMMAND="make bench${*:+ BENCH_FLAGS=\"$*\"}"
exec bin/aduan-bench --profile bin/bench-profile "$@"
