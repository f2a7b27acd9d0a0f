// Package e2e holds Aduan's end-to-end tests: the HTTP API, the Temporal worker and
// PostgreSQL wired together as cmd/aduan wires them, against a Temporal dev server the
// tests start themselves and a fresh PostgreSQL database per run. The package has no
// code of its own; run it with `go test ./e2e/` (ADUAN_REQUIRE_INTEGRATION=1 turns a
// missing Temporal CLI into a failure instead of a skip).
package e2e
