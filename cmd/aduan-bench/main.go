package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"aduan/bench"
	"aduan/config"
)

// runBench measures the whole system on a stack it starts itself (`make bench`), prints
// a table and writes docs/PERFORMANCE.md.
func runBench(ctx context.Context, args []string) error {
	d := bench.Defaults()
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	runs := fs.Int("runs", d.Runs, "runs per figure (the median is reported)")
	intake := fs.Int("intake", d.Intake, "complaints per intake run")
	lifecycle := fs.Int("lifecycle", d.Lifecycle, "complaints per lifecycle run")
	scale := fs.Int("scale", d.Scale, "open complaints for the scale figures")
	histories := fs.Int("histories", d.Histories, "histories counted per lifecycle run")
	inboxReqs := fs.Int("inbox-requests", d.InboxReqs, "requests per inbox and search pass")
	sticky := fs.Int("sticky-cache", config.FromEnv().StickyCache, "worker sticky workflow cache size (default: the worker's, ADUAN_STICKY_CACHE or 1000)")
	out := fs.String("out", "docs/PERFORMANCE.md", "report file (empty: none)")
	_ = fs.Parse(args)
	if *runs < 1 || *intake < 1 || *lifecycle < 1 || *scale < 4 {
		return errors.New("bench: --runs, --intake and --lifecycle must be ≥ 1 and --scale ≥ 4")
	}
	cfg := d
	cfg.Runs, cfg.Intake, cfg.Lifecycle, cfg.Scale, cfg.Histories, cfg.InboxReqs, cfg.StickyCache =
		*runs, *intake, *lifecycle, *scale, *histories, *inboxReqs, *sticky
	cfg.DatabaseURL = os.Getenv("DATABASE_URL")
	cfg.Command = os.Getenv("ADUAN_BENCH_COMMAND")
	if cfg.Command == "" {
		cfg.Command = "aduan bench " + strings.Join(args, " ")
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
