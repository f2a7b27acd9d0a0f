// Command aduan-bench measures the whole system on a stack it starts itself (`make
// bench`): intake, the happy-path lifecycle, the Temporal actions a complaint costs and
// the scale figures. It prints a table and writes docs/PERFORMANCE.md. It is a command of
// its own, not part of the aduan binary, because package bench links Temporal's test
// suite (it starts a dev server).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"aduan/bench"
	"aduan/config"
)

func main() {
	// The configuration is read once, here, and a bad value stops the benchmark.
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aduan-bench:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, cfg, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aduan-bench:", err)
		os.Exit(1)
	}
}

// run parses the flags, measures and reports.
func run(ctx context.Context, env config.Config, args []string) error {
	d := bench.Defaults()
	fs := flag.NewFlagSet("aduan-bench", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `aduan-bench — measure Aduan on a stack of its own (Temporal dev server, a fresh
PostgreSQL database on the server of DATABASE_URL, worker, API)

Usage: aduan-bench [flags]

Flags:
`)
		fs.PrintDefaults()
	}
	runs := fs.Int("runs", d.Runs, "runs per figure (the median is reported)")
	intake := fs.Int("intake", d.Intake, "complaints per intake run")
	lifecycle := fs.Int("lifecycle", d.Lifecycle, "complaints per lifecycle run")
	scale := fs.Int("scale", d.Scale, "open complaints for the scale figures")
	histories := fs.Int("histories", d.Histories, "histories counted per lifecycle run")
	inboxReqs := fs.Int("inbox-requests", d.InboxReqs, "requests per inbox and search pass")
	sticky := fs.Int("sticky-cache", env.Worker.StickyCache, "worker sticky workflow cache size (default: the worker's, ADUAN_STICKY_CACHE)")
	out := fs.String("out", "docs/PERFORMANCE.md", "report file (empty: none)")
	_ = fs.Parse(args)
	if *runs < 1 || *intake < 1 || *lifecycle < 1 || *scale < 4 {
		return errors.New("--runs, --intake and --lifecycle must be ≥ 1 and --scale ≥ 4")
	}
	cfg := d
	cfg.Runs, cfg.Intake, cfg.Lifecycle, cfg.Scale, cfg.Histories, cfg.InboxReqs, cfg.StickyCache =
		*runs, *intake, *lifecycle, *scale, *histories, *inboxReqs, *sticky
	cfg.DatabaseURL = env.Database.URL
	cfg.TemporalCLI = env.Dev.TemporalCLI
	cfg.Command = env.Dev.BenchCommand
	if cfg.Command == "" {
		cfg.Command = strings.TrimSpace("aduan-bench " + strings.Join(args, " "))
	}
	// The API logs every request at info level (so would the baseline); warnings only here.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	rep, err := bench.Run(ctx, cfg, os.Stderr)
	if err != nil {
		return err
	}
	sum := rep.Summarise()
	fmt.Println()
	sum.WriteTable(os.Stdout)
	if *out != "" {
		if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
			return err
		}
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		rep.WriteMarkdown(f, sum)
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Printf("\nwritten to %s (took %s)\n", *out, rep.Took.Round(1e9))
	}
	return nil
}
