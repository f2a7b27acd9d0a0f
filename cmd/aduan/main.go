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

	"aduan/config"
)

const usage = `aduan — complaint case management on Temporal

Usage: aduan <command> [flags]

Commands:
  dev             migrate, seed the demo directory, and run worker and API in one process
  api             run the HTTP API
  worker          run the Temporal worker (and the intake relay)
  migrate         apply database migrations
  seed-demo       write the demo directory, demo staff tokens and logins
  user create     create or update a staff user and print a new token
  user token      issue another API token for a staff user (USERNAME [--days N], default 90)
  user invite     print a one-time link (72 h) where a user sets their password
  user deactivate end a user's sessions and revoke their tokens at once; user activate undoes it
  token revoke    revoke one API token (TOKEN-PREFIX) or all of a user's (--all USERNAME)
  policy show     print the deadline policy in force (JSON)
  policy default  print the built-in default policy, a starting point for editing
  policy set FILE store a new policy version (applies to stages that start after it)
  templates       list the outbound texts; meta (what to register at Meta), show NAME, set FILE, reset NAME
  verify          compare every complaint's PostgreSQL projection with its workflow (--repair re-projects)
  setup-temporal  create the namespace and register Aduan's search attributes on a Temporal cluster
  deployment      promote (this binary's build becomes current) | show: Temporal's Worker Deployment
  search-attribute-flags  print the dev server's flags (search attributes, SQLite WAL settings)
  config          print the effective configuration, secrets masked
  directory       import FILE (a kabupaten's kecamatan and desa, CSV); pokja|partner list|add|rename|retire

Configuration comes from the environment: DATABASE_URL, TEMPORAL_ADDRESS,
TEMPORAL_NAMESPACE, ADUAN_HTTP_ADDR and more (README "Configuration", or
aduan config). A bad value stops every command before it starts.
`

// commands are the subcommands; each gets the configuration, read once in main.
var commands = map[string]func(context.Context, config.Config, []string) error{
	"dev":                    runDev,
	"api":                    runAPI,
	"worker":                 runWorker,
	"migrate":                runMigrate,
	"seed-demo":              runSeedDemo,
	"user":                   runUser,
	"token":                  runToken,
	"policy":                 runPolicy,
	"templates":              runTemplates,
	"verify":                 runVerify,
	"setup-temporal":         runSetupTemporal,
	"deployment":             runDeployment,
	"search-attribute-flags": runSearchAttributeFlags,
	"config":                 runConfig,
	"directory":              runDirectory,
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	run, ok := commands[os.Args[1]]
	switch {
	case os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help":
		fmt.Print(usage)
		return
	case !ok:
		fmt.Fprintf(os.Stderr, "unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	// The configuration is read once, here, and a bad value stops every command.
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aduan:", err)
		os.Exit(1)
	}
	setupLogging(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "aduan:", err)
		os.Exit(1)
	}
}
