#!/usr/bin/env bash
# `make test`: every test, including those against a real Temporal dev server (started
# by the tests themselves on a free port) and a real PostgreSQL (a fresh database per run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres
ensure_chromium
ensure_prometheus
ensure_temporal_server
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

echo "==> promtool: the alert rules, their unit tests and the example Prometheus configuration"
command -v promtool >/dev/null || { echo "no promtool (Debian's prometheus package; see ensure_prometheus)"; exit 1; }
promtool check rules deploy/prometheus/alerts.yml
promtool test rules deploy/prometheus/alerts_test.yml
promtool check config deploy/prometheus/prometheus.yml

echo "==> go test"
export ADUAN_REQUIRE_INTEGRATION=1
go test -count=1 -timeout 20m "$@" ./...

# The production profile: the same lifecycle, SLA and fault tests (worker kill, Temporal
# restart, PostgreSQL down, two of each) on the Temporal server on PostgreSQL that make
# cluster runs, plus what only it has: the restore drill, setup-temporal, TLS.
echo "==> the production profile: Temporal server $TEMPORAL_SERVER_VERSION on PostgreSQL (lifecycle, SLA, faults, restore drill)"
cluster_tests='TestHappyPath|TestRequestInfoLoop|TestRejection|TestDeclineAndSendBack|TestReturnToAdmin|TestReassignExtendNote'
cluster_tests+='|TestConcurrentConflictingActions|TestPartnerLateRemindedThenEscalated|TestOverdue|TestPublishedClosesAndArchives'
cluster_tests+='|TestRelayStartsWorkflow|TestFault|TestRestoreDrill|TestSetupTemporal|TestTemporalOverTLS|TestClaimsTwoWorkers|TestWorkerVersioning'
# Small connection pools for the tests' servers: several run at once on the machine's
# PostgreSQL (max_connections 100), beside Aduan's own pools.
ADUAN_E2E_TEMPORAL=cluster TEMPORAL_SERVER_BIN="$TEMPORAL_SERVER_BIN" TEMPORAL_SQL_TOOL="$TEMPORAL_SQL_TOOL" \
  TEMPORAL_PG_MAX_CONNS=4 TEMPORAL_PG_VISIBILITY_MAX_CONNS=2 \
  go test -count=1 -timeout 20m -run "^($cluster_tests)\$" ./e2e/

# A short fuzzing run of the webhook parsers and the public intake, form and feedback:
# no panic, no 5xx on any input. The budget is a count of inputs, not a duration: with a
# duration, Go 1.26's fuzzing coordinator can report its own deadline as a failure
# ("context deadline exceeded", no crasher; golang/go#75804, fixed in Go 1.27).
echo "==> fuzzing the webhooks and the public intake and feedback (short)"
fuzztime="${ADUAN_FUZZTIME:-10000x}"
go test -run '^$' -fuzz '^FuzzWhatsAppWebhook$' -fuzztime "$fuzztime" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzSMSWebhook$' -fuzztime "$fuzztime" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzAndroidSMSWebhook$' -fuzztime "$fuzztime" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzTwilioSMSWebhook$' -fuzztime "$fuzztime" ./api/webhooks/
go test -run '^$' -fuzz '^FuzzPublicIntake$' -fuzztime "$fuzztime" ./api/rest/
go test -run '^$' -fuzz '^FuzzFeedback$' -fuzztime "$fuzztime" ./api/rest/
go test -run '^$' -fuzz '^FuzzLaporForm$' -fuzztime "$fuzztime" ./api/public/
go test -run '^$' -fuzz '^FuzzLacakFeedback$' -fuzztime "$fuzztime" ./api/public/
