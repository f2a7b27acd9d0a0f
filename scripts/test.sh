#!/usr/bin/env bash
# `make test`: every test, including those against a real Temporal dev server (started
# by the tests themselves on a free port) and a real PostgreSQL (a fresh database per run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres
ensure_chromium

echo "==> gofmt and go vet"
unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
go vet ./...

echo "==> go test"
export ADUAN_REQUIRE_INTEGRATION=1
go test -count=1 -timeout 20m "$@" ./...

# A short fuzzing run of the webhook parsers: no panic, no 5xx on any input.
echo "==> fuzzing the webhooks (short)"
go test -run '^$' -fuzz '^FuzzWhatsAppWebhook$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzSMSWebhook$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/webhooks/
