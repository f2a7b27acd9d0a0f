#!/usr/bin/env bash
# `make test`: every test, including those against a real Temporal dev server (started
# by the tests themselves on a free port) and a real PostgreSQL (a fresh database per run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres
ensure_chromium
ensure_axe
ensure_go_tool staticcheck "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
ensure_go_tool workflowcheck "go.temporal.io/sdk/contrib/tools/workflowcheck@$WORKFLOWCHECK_VERSION"

echo "==> gofmt, go vet, staticcheck, workflowcheck, go mod tidy"
unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
go vet ./...
"$STATICCHECK" ./...
# Temporal's determinism checker: no workflow code reaches time.Now, goroutines, map
# iteration, I/O and the like.
"$WORKFLOWCHECK" ./...
cp go.mod /tmp/aduan-go.mod.$$; cp go.sum /tmp/aduan-go.sum.$$
go mod tidy
if ! cmp -s go.mod /tmp/aduan-go.mod.$$ || ! cmp -s go.sum /tmp/aduan-go.sum.$$; then
  echo "go mod tidy changed go.mod or go.sum; run it and commit the result"
  cp /tmp/aduan-go.mod.$$ go.mod; cp /tmp/aduan-go.sum.$$ go.sum; rm -f /tmp/aduan-go.*.$$; exit 1
fi
rm -f /tmp/aduan-go.*.$$

echo "==> go test"
export ADUAN_REQUIRE_INTEGRATION=1
go test -count=1 -timeout 20m "$@" ./...

# A short fuzzing run of the webhook parsers and the public intake, form and feedback:
# no panic, no 5xx on any input.
echo "==> fuzzing the webhooks and the public intake and feedback (short)"
go test -run '^$' -fuzz '^FuzzWhatsAppWebhook$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzSMSWebhook$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzAndroidSMSWebhook$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzTwilioSMSWebhook$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzPublicIntake$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/rest/
go test -run '^$' -fuzz '^FuzzFeedback$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/rest/
go test -run '^$' -fuzz '^FuzzLaporForm$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/public/
go test -run '^$' -fuzz '^FuzzLacakFeedback$' -fuzztime "${ADUAN_FUZZTIME:-10s}" ./api/public/
