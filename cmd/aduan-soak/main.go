// Command aduan-soak runs Aduan for a long stretch of mixed traffic with a worker SIGKILL
// and a Temporal restart at seeded random moments, then checks that every complaint is
// accounted for, that `aduan verify` finds no drift and that the worker's and API's
// memory and descriptors stayed flat (`make soak`; package soak). With --write-doc it
// rewrites the "Soak" section of docs/PERFORMANCE.md and nothing else. It is a command of
// its own, like aduan-bench, because it links Temporal's test suite (the dev server).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"aduan/config"
	"aduan/soak"
)

func main() {
	// The configuration is read once, here, and a bad value stops the soak.
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aduan-soak:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	passed, err := run(ctx, cfg, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aduan-soak:", err)
		os.Exit(1)
	}
	if !passed {
		os.Exit(1)
	}
}

// run parses the flags, soaks and reports; false when the soak found problems.
func run(ctx context.Context, env config.Config, args []string) (bool, error) {
	fs := flag.NewFlagSet("aduan-soak", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `aduan-soak — mixed traffic with faults on a stack of its own (Temporal dev server, a fresh
PostgreSQL database on the server of DATABASE_URL, aduan worker and aduan api as child processes),
then every complaint accounted for, no drift, memory and descriptors flat

Usage: aduan-soak [flags]

Flags:
`)
		fs.PrintDefaults()
	}
	duration := fs.Duration("duration", 30*time.Minute, "how long traffic runs (settling comes after)")
	seed := fs.Uint64("seed", 0, "seed of the fault schedule and the traffic mix (0: drawn, and printed)")
	clients := fs.Int("clients", 8, "clients running lifecycles at once")
	aduan := fs.String("aduan", "bin/aduan", "the aduan binary the worker and API run from")
	writeDoc := fs.Bool("write-doc", false, "rewrite the Soak section of --doc")
	doc := fs.String("doc", "docs/PERFORMANCE.md", "the file whose Soak section --write-doc rewrites")
	command := fs.String("command", "", "how the soak was run, for the report (default: aduan-soak and its flags)")
	workDir := fs.String("work-dir", "", "keep the processes' logs here (default: a temp dir, removed when the soak passes)")
	_ = fs.Parse(args)
	if *duration < time.Minute || *clients < 1 {
		return false, fmt.Errorf("--duration must be at least 1m and --clients at least 1")
	}
	if _, err := os.Stat(*aduan); err != nil {
		return false, fmt.Errorf("--aduan %s: %w (build it with: make build)", *aduan, err)
	}
	if *seed == 0 {
		*seed = rand.Uint64() % 1_000_000
	}
	if *command == "" {
		*command = strings.TrimSpace("aduan-soak " + strings.Join(args, " "))
	}
	// The soak's own HTTP and SDK chatter: warnings only.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	rep, err := soak.Run(ctx, soak.Options{AduanBin: *aduan, TemporalCLI: env.Dev.TemporalCLI,
		DatabaseURL: env.Database.URL, Duration: *duration, Seed: *seed, Clients: *clients, WorkDir: *workDir,
		Log: os.Stderr})
	if err != nil {
		return false, err
	}
	rep.Command = *command
	section := rep.Markdown()
	fmt.Println(section)
	if *writeDoc {
		if err := soak.WriteSection(*doc, section); err != nil {
			return false, err
		}
		fmt.Printf("the Soak section of %s rewritten (took %s)\n", *doc, rep.Took.Round(time.Second))
	}
	return rep.Passed(), nil
}
