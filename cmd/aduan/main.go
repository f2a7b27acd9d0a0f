// Command aduan is Aduan's one binary: the API, the worker, migrations, user management,
// Temporal setup and the all-in-one development mode, chosen by subcommand.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `aduan — complaint case management on Temporal

Usage: aduan <command> [flags]

Commands:
  dev             migrate, seed the demo directory, and run worker and API in one process
  api             run the HTTP API
  worker          run the Temporal worker (and the intake relay)
  migrate         apply database migrations
  seed-demo       write the demo directory and demo staff tokens
  user create     create or update a staff user and print a new token
  user token      issue another token for a staff user
  policy show     print the deadline policy in force (JSON)
  policy default  print the built-in default policy, a starting point for editing
  policy set FILE store a new policy version (applies to stages that start after it)
  verify          compare every complaint's PostgreSQL projection with its workflow (--repair re-projects)
  bench           measure intake, lifecycle, Temporal cost and scale on a stack of its own
  setup-temporal  register Aduan's search attributes on a Temporal cluster
  search-attribute-flags  print the dev server's flags (search attributes, SQLite WAL settings)

Configuration comes from the environment: DATABASE_URL, TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, ADUAN_HTTP_ADDR and more (see README).
`

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "dev":
		err = runDev(ctx, args)
	case "api":
		err = runAPI(ctx, args)
	case "worker":
		err = runWorker(ctx, args)
	case "migrate":
		err = runMigrate(ctx, args)
	case "seed-demo":
		err = runSeedDemo(ctx, args)
	case "user":
		err = runUser(ctx, args)
	case "policy":
		err = runPolicy(ctx, args)
	case "verify":
		err = runVerify(ctx, args)
	case "bench":
		err = runBench(ctx, args)
	case "setup-temporal":
		err = runSetupTemporal(ctx, args)
	case "search-attribute-flags":
		err = runSearchAttributeFlags(ctx, args)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "aduan:", err)
		os.Exit(1)
	}
}
