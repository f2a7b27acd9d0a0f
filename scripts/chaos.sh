#!/usr/bin/env bash
# `make chaos`: the long fault tests. Hundreds of lifecycles while the worker and API
# processes are SIGKILLed (repeatedly), the Temporal dev server is restarted and a
# PostgreSQL server of the tests' own is down for 20 s; every complaint must reach its end
# with a clean audit trail and `verify` must find no drift. `make test` runs the short
# versions. Extra arguments go to `go test` (e.g. -run 'Fault/PostgresDown').
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres

export ADUAN_REQUIRE_INTEGRATION=1 ADUAN_CHAOS=1
exec go test -count=1 -v -run 'Fault|Chaos' -timeout 30m "$@" ./e2e/
