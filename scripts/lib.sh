# Shared helpers for the project's scripts: find or install the pinned Temporal CLI and
# make sure PostgreSQL answers. Sourced, not run.

TEMPORAL_VERSION=v1.5.1
# The linters make test runs, pinned like the CLI.
STATICCHECK_VERSION=v0.8.2
WORKFLOWCHECK_VERSION=v0.6.0
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable}"

# ensure_temporal sets TEMPORAL_CLI to the pinned Temporal CLI, building it with
# `go install` when it is missing (about 3 minutes the first time).
ensure_temporal() {
  local gobin
  gobin="$(go env GOBIN)"
  [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
  TEMPORAL_CLI="${TEMPORAL_CLI:-$gobin/temporal}"
  if [ ! -x "$TEMPORAL_CLI" ]; then
    echo "==> installing Temporal CLI $TEMPORAL_VERSION (go install; a few minutes the first time)"
    GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_VERSION"
    TEMPORAL_CLI="$gobin/temporal"
  fi
  export TEMPORAL_CLI
}

# ensure_postgres makes sure the server in DATABASE_URL answers (starting the machine's
# cluster when it is local and down) and that the database exists.
ensure_postgres() {
  local hostport host port db admin_url
  hostport="$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^/?]*).*#\2#')"
  host="${hostport%%:*}"; port="${hostport##*:}"
  [ "$port" = "$hostport" ] && port=5432
  db="$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://[^/]*/([^?]*).*#\1#')"
  if ! pg_isready -q -h "$host" -p "$port"; then
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      echo "==> starting PostgreSQL"
      for v in $(ls /etc/postgresql); do
        pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
      done
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
    pg_isready -q -h "$host" -p "$port" || { echo "PostgreSQL at $host:$port does not answer" >&2; return 1; }
  fi
  admin_url="$(printf '%s' "$DATABASE_URL" | sed -E "s#/$db([?]|\$)#/postgres\1#")"
  if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    echo "==> creating database $db"
    psql "$admin_url" -qc "CREATE DATABASE \"$db\""
  fi
}

# ensure_chromium installs Debian's headless-capable Chromium for the browser test of the
# web form (/lapor) when it is missing and we may install packages (root, apt-get). Quiet
# and idempotent; without it the browser test is skipped (or fails when integration is
# required).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Chromium (apt-get; for the web form's browser test)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core \
        >/dev/null 2> >(grep -v '^debconf: delaying' >&2); }; then
      echo "==> installing Chromium failed: the browser test will not run" >&2
    fi
  else
    echo "==> no /usr/bin/chromium and cannot install it (not root or no apt-get): the browser test will not run" >&2
  fi
}

# ensure_prometheus installs Debian's Prometheus when /usr/bin/prometheus or promtool is
# missing and we may install packages (root, apt-get): promtool checks the alert rules
# (deploy/prometheus) and the metrics test scrapes Aduan with a Prometheus of its own.
# Only the binaries are used: the package's own service (which would listen on :9090) is
# stopped and disabled right after the install. Quiet and idempotent.
ensure_prometheus() {
  [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing Prometheus (apt-get; promtool and the metrics test)"
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus \
        >/dev/null 2> >(grep -v '^debconf: delaying' >&2); }; then
      echo "==> installing Prometheus failed: the alert rules are not checked, the metrics test will not run" >&2
      return 0
    fi
    if [ -d /run/systemd/system ]; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
    elif [ -x /etc/init.d/prometheus ]; then
      /etc/init.d/prometheus stop >/dev/null 2>&1 || true
    fi
  else
    echo "==> no /usr/bin/prometheus and cannot install it (not root or no apt-get): the alert rules are not checked, the metrics test will not run" >&2
  fi
}

# ensure_axe installs axe-core (the accessibility checker the browser test runs in each staff
# page) from the npm registry into .tools/ (ignored by git), pinned, and exports
# ADUAN_AXE_JS. Without npm the check is skipped (or fails when integration is required).
AXE_VERSION=4.14.1
ensure_axe() {
  local js="$PWD/.tools/node_modules/axe-core/axe.min.js"
  if [ ! -f "$js" ] || ! grep -q "axe v$AXE_VERSION" "$js"; then
    if command -v npm >/dev/null; then
      echo "==> installing axe-core $AXE_VERSION (npm; for the staff console's accessibility check)"
      npm install --no-save --no-audit --no-fund --silent --prefix .tools "axe-core@$AXE_VERSION" >/dev/null ||
        echo "==> installing axe-core failed: the accessibility check will not run" >&2
    else
      echo "==> no npm: the accessibility check will not run" >&2
    fi
  fi
  [ -f "$js" ] && export ADUAN_AXE_JS="$js"
  return 0
}

# ensure_go_tool NAME PACKAGE@VERSION sets the variable NAME's upper-case form (e.g.
# STATICCHECK) to the tool's path, installing it with `go install` when it is missing.
ensure_go_tool() {
  local name="$1" pkg="$2" gobin path
  gobin="$(go env GOBIN)"
  [ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
  path="$gobin/$name"
  if [ ! -x "$path" ]; then
    echo "==> installing $pkg (go install)"
    (cd / && GOFLAGS=-mod=mod go install "$pkg")
  fi
  printf -v "$(echo "$name" | tr '[:lower:]' '[:upper:]')" '%s' "$path"
}

# ensure_payload_keys exports ADUAN_PAYLOAD_KEYS (README "Encrypted payloads"). When it is
# not set, it is the demo's own key, made once into .data/payload-keys (ignored by git)
# and kept there: the Temporal history and the TOTP secrets in the database written under
# it stay readable at the next run, and `make clean-data` forgets all three together.
ensure_payload_keys() {
  if [ -z "${ADUAN_PAYLOAD_KEYS:-}" ]; then
    if [ ! -s .data/payload-keys ]; then
      echo "==> making a demo payload key (.data/payload-keys)"
      mkdir -p .data
      (umask 077 && printf 'demo-%s:%s\n' "$(date -u +%Y%m%d%H%M%S)" "$(head -c 32 /dev/urandom | base64 -w0)" \
        >.data/payload-keys)
    fi
    ADUAN_PAYLOAD_KEYS="$(cat .data/payload-keys)"
  fi
  export ADUAN_PAYLOAD_KEYS
}

# The Temporal server of the production profile (make cluster, the cluster tests): the
# version the pinned CLI embeds, built with go install into a directory of its own under
# $GOPATH/bin (its binaries are called `server` and `sql`), kept between runs like the CLI.
TEMPORAL_SERVER_VERSION=v1.29.1
TEMPORAL_UI_VERSION=v2.42.1

# ensure_temporal_server sets TEMPORAL_SERVER_BIN and TEMPORAL_SQL_TOOL, building them when
# missing (about 7 minutes the first time).
ensure_temporal_server() {
  local dir
  dir="$(go env GOPATH)/bin/temporal-server-$TEMPORAL_SERVER_VERSION"
  if [ ! -x "$dir/server" ] || [ ! -x "$dir/sql" ]; then
    echo "==> installing Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool (go install; about 7 minutes the first time)"
    (cd /tmp && GOBIN="$dir" GOFLAGS=-mod=mod go install \
      "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION")
  fi
  export TEMPORAL_SERVER_BIN="$dir/server" TEMPORAL_SQL_TOOL="$dir/sql"
}

# temporal_server_schema_dir prints the server module's PostgreSQL schema directory (in
# the module cache, fetched when the cache was cleaned since the build).
temporal_server_schema_dir() {
  local mod
  mod="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "go.temporal.io/server@$TEMPORAL_SERVER_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$mod/schema/postgresql/v12" ] || { echo "no PostgreSQL schema in $mod" >&2; return 1; }
  printf '%s\n' "$mod/schema/postgresql/v12"
}

# ensure_temporal_ui sets TEMPORAL_UI_BIN to the Temporal Web UI server (the version the
# pinned CLI embeds), building it when missing.
ensure_temporal_ui() {
  local dir
  dir="$(go env GOPATH)/bin/temporal-ui-server-$TEMPORAL_UI_VERSION"
  if [ ! -x "$dir/server" ]; then
    echo "==> installing the Temporal UI server $TEMPORAL_UI_VERSION (go install)"
    (cd /tmp && GOBIN="$dir" GOFLAGS=-mod=mod go install "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_VERSION")
  fi
  export TEMPORAL_UI_BIN="$dir/server"
}

# ensure_nginx sets NGINX_BIN to Debian's nginx (make cluster's reverse proxy), installing the
# package when it is missing and we may (root, apt-get). The package's own service is
# stopped: make cluster runs nginx with a configuration of its own.
ensure_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing nginx (apt-get; make cluster's reverse proxy)"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
      /usr/sbin/nginx -s stop 2>/dev/null || true
    else
      echo "no nginx and cannot install it (not root or no apt-get)" >&2; return 1
    fi
  fi
  NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"
  export NGINX_BIN
}
