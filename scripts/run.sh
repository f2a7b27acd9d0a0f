#!/usr/bin/env bash
# `make run`: the whole system on one machine. Temporal dev server (SQLite under .data/,
# Web UI, our search attributes), PostgreSQL, migrations, demo directory, worker and API.
# Ctrl-C stops everything; the data stays in .data/ and PostgreSQL for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}"
export ADUAN_HTTP_ADDR="${ADUAN_HTTP_ADDR:-:8080}"
# Demo secrets for the provider webhooks, so they can be tried with curl (README).
export ADUAN_WA_VERIFY_TOKEN="${ADUAN_WA_VERIFY_TOKEN:-demo-verify}"
export ADUAN_WA_APP_SECRET="${ADUAN_WA_APP_SECRET:-demo-wa-secret}"
export ADUAN_SMS_SECRET="${ADUAN_SMS_SECRET:-demo-sms-secret}"
# The Web UI of the dev server below, whose origin may call the codec endpoint.
export TEMPORAL_UI_URL="${TEMPORAL_UI_URL:-http://localhost:$TEMPORAL_UI_PORT}"
port="${ADUAN_HTTP_ADDR##*:}"
mkdir -p .data bin
ensure_payload_keys

ensure_temporal
ensure_postgres
echo "==> building aduan"
go build -o bin/aduan ./cmd/aduan

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "==> stopping"
  for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

if "$TEMPORAL_CLI" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "==> a Temporal server already answers at $TEMPORAL_ADDRESS; using it"
else
  echo "==> starting Temporal dev server (log: .data/temporal.log)"
  # shellcheck disable=SC2046
  "$TEMPORAL_CLI" server start-dev --db-filename .data/temporal.db --ip 127.0.0.1 \
    --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" --log-level warn \
    --ui-codec-endpoint "http://localhost:$port/staf/codec" \
    $(bin/aduan search-attribute-flags) >.data/temporal.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do
    "$TEMPORAL_CLI" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && break
    sleep 1
  done
fi

bin/aduan dev --tokens .data/demo-tokens.json &
pids+=($!)
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 1; done

cat <<MSG

  Aduan is running.
    API            http://localhost:$port/api/v1   (health: /healthz, /readyz)
    Temporal UI    http://localhost:$TEMPORAL_UI_PORT   (filter e.g. AduanStatus='at_pokja')
    Temporal gRPC  $TEMPORAL_ADDRESS
    PostgreSQL     $DATABASE_URL
    Staff tokens   .data/demo-tokens.json   ({"username": "token"})
    Staff pages    http://localhost:$port/staf/masuk
    Staff logins   .data/demo-logins.json   (/staf/masuk: {"username": {"password": …, "totp_secret": …}})
    Payload keys   ADUAN_PAYLOAD_KEYS, else .data/payload-keys (workflow payloads are encrypted; the UI
                   decodes them at http://localhost:$port/staf/codec for a signed-in supervisor or admin,
                   with "include cross-origin credentials" on: README "Encrypted payloads")

  Press Ctrl-C to stop. Data is kept for the next run.

MSG
wait -n "${pids[@]}"
