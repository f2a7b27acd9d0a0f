#!/usr/bin/env bash
# `make soak`: 30 minutes of mixed traffic (intake on the web API and the WhatsApp and SMS
# webhooks, staff actions along the lifecycle, deadlines in seconds, feedback) on a stack
# of its own (Temporal dev server, a fresh PostgreSQL database dropped at the end,
# `aduan worker` and `aduan api` as child processes), with the worker SIGKILLed and
# Temporal restarted at seeded random moments; then every complaint accounted for, no
# drift (`aduan verify`), memory and descriptors flat. Rewrites the Soak section of
# docs/PERFORMANCE.md. Flags go to bin/aduan-soak (e.g. --duration 10m --seed 42).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

ensure_temporal
ensure_postgres

go build -o bin/aduan ./cmd/aduan
go build -o bin/aduan-soak ./cmd/aduan-soak
exec bin/aduan-soak --aduan bin/aduan --write-doc --command "make soak${*:+ SOAK_FLAGS=\"$*\"}" "$@"
