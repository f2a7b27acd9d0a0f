#!/usr/bin/env bash
# `make cluster`: the production profile on one machine. The Temporal server (v1.29.1, the
# version the pinned CLI embeds) on PostgreSQL with SQL visibility, its schemas set up by
# Temporal's SQL tool, the Temporal UI pointed at it, the namespace and Aduan's search
# attributes registered by `aduan setup-temporal`, then two `aduan worker` and two
# `aduan api` processes behind one address (nginx). Ctrl-C stops everything; the data
# stays in PostgreSQL (databases temporal, temporal_visibility, aduan_cluster).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

export TEMPORAL_PORT_BASE="${TEMPORAL_PORT_BASE:-7233}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT_BASE}"
export TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export TEMPORAL_METRICS_ADDR="${TEMPORAL_METRICS_ADDR:-127.0.0.1:8000}"
export TEMPORAL_DYNAMIC_CONFIG="$PWD/deploy/temporal/dynamicconfig.yaml"
LB_PORT="${ADUAN_CLUSTER_PORT:-8080}"
API_PORTS=(8081 8082)
WORKER_PORTS=(8091 8092)
# Aduan's own database for this profile: not make run's, whose complaints live in the
# dev server's history.
export DATABASE_URL="${ADUAN_CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/aduan_cluster?sslmode=disable}"
export ADUAN_PUBLIC_URL="${ADUAN_PUBLIC_URL:-http://localhost:$LB_PORT}"
export ADUAN_TRUSTED_PROXIES="${ADUAN_TRUSTED_PROXIES:-127.0.0.1}"
export TEMPORAL_UI_URL="${TEMPORAL_UI_URL:-http://localhost:$TEMPORAL_UI_PORT}"
export TEMPORAL_UI_CODEC_ENDPOINT="${TEMPORAL_UI_CODEC_ENDPOINT:-http://localhost:$LB_PORT/staf/codec}"
export TEMPORAL_UI_COOKIE_INSECURE=true # plain http on localhost
export ADUAN_WA_VERIFY_TOKEN="${ADUAN_WA_VERIFY_TOKEN:-demo-verify}"
export ADUAN_WA_APP_SECRET="${ADUAN_WA_APP_SECRET:-demo-wa-secret}"
export ADUAN_SMS_SECRET="${ADUAN_SMS_SECRET:-demo-sms-secret}"
dir=.data/cluster
mkdir -p "$dir" bin

for p in "$TEMPORAL_PORT_BASE" "$TEMPORAL_UI_PORT" "$LB_PORT" "${API_PORTS[@]}" "${WORKER_PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "port $p is taken (is make run still running?); stop it or set TEMPORAL_PORT_BASE / ADUAN_CLUSTER_PORT" >&2
    exit 1
  fi
done

ensure_payload_keys
ensure_temporal          # the CLI, for its health check
ensure_postgres
ensure_temporal_server
ensure_temporal_ui
ensure_nginx
echo "==> building aduan"
# With the git revision inside: the worker's build id when ADUAN_WORKER_DEPLOYMENT is set.
go build -buildvcs=auto -o bin/aduan ./cmd/aduan

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "==> stopping (workers and APIs first, then the Temporal server)"
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  for p in "${pids[@]:2}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]:2}"; do wait "$p" 2>/dev/null || true; done
  for p in "${pids[@]:0:2}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

echo "==> Temporal's databases (scripts/temporal-db.sh)"
bash scripts/temporal-db.sh
echo "==> starting the Temporal server (log: $dir/temporal.log)"
"$TEMPORAL_SERVER_BIN" --root "$PWD" --config deploy/temporal --env production --allow-no-auth start \
  >>"$dir/temporal.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 90); do
  "$TEMPORAL_CLI" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { tail -20 "$dir/temporal.log"; echo "the Temporal server stopped" >&2; exit 1; }
  sleep 1
done
echo "==> starting the Temporal UI (log: $dir/temporal-ui.log)"
"$TEMPORAL_UI_BIN" --root "$PWD" --config deploy/temporal-ui --env production start >>"$dir/temporal-ui.log" 2>&1 &
pids+=($!)

echo "==> namespace and search attributes (aduan setup-temporal)"
bin/aduan setup-temporal
bin/aduan migrate
bin/aduan seed-demo --tokens "$dir/demo-tokens.json" --logins "$dir/demo-logins.json" >/dev/null

for i in 0 1; do
  ADUAN_WORKER_ADDR="127.0.0.1:${WORKER_PORTS[$i]}" bin/aduan worker >>"$dir/worker-$((i + 1)).log" 2>&1 &
  pids+=($!)
  ADUAN_HTTP_ADDR="127.0.0.1:${API_PORTS[$i]}" bin/aduan api >>"$dir/api-$((i + 1)).log" 2>&1 &
  pids+=($!)
done

sed -e "s#@DIR@#$PWD/$dir#g" -e "s#@PORT@#$LB_PORT#g" -e "s#@API1@#127.0.0.1:${API_PORTS[0]}#g" \
  -e "s#@API2@#127.0.0.1:${API_PORTS[1]}#g" deploy/nginx/cluster.conf >"$dir/nginx.conf"
mkdir -p "$dir/nginx"
"$NGINX_BIN" -p "$PWD/$dir/nginx" -c "$PWD/$dir/nginx.conf"
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$LB_PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
for p in "${WORKER_PORTS[@]}"; do
  for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:$p/readyz" >/dev/null 2>&1 && break; sleep 1; done
done

cat <<MSG

  Aduan is running on the production profile.
    API (nginx)     http://localhost:$LB_PORT/api/v1   → two aduan api, ports ${API_PORTS[*]}
    Staff pages     http://localhost:$LB_PORT/staf/masuk   (logins: $dir/demo-logins.json)
    Workers         two aduan worker: metrics and health on http://127.0.0.1:${WORKER_PORTS[0]} and :${WORKER_PORTS[1]}
                    (/metrics, /healthz, /readyz); the APIs' metrics on each API port's /metrics
    Temporal gRPC   $TEMPORAL_ADDRESS   (server v$(echo "$TEMPORAL_SERVER_VERSION" | tr -d v) on PostgreSQL; metrics http://$TEMPORAL_METRICS_ADDR/metrics)
    Temporal UI     http://localhost:$TEMPORAL_UI_PORT
    PostgreSQL      Aduan: $DATABASE_URL
                    Temporal: databases temporal and temporal_visibility (role temporal)
    Logs            $dir/*.log

  Press Ctrl-C to stop. Data is kept for the next run.

MSG
# Runs until Ctrl-C, or until one of the processes stops (then everything stops).
while :; do
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "==> a process stopped (pid $p); see $dir/*.log" >&2; exit 1; }
  done
  sleep 2
done
