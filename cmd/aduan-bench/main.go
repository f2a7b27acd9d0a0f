// Command aduan-bench measures the whole system on a stack it starts itself (`make
// bench`): intake over the three channels, a disaster burst, the happy-path lifecycle and
// its staff actions, the Temporal actions a complaint costs, and memory and pages over a
// year of complaints, on the dev server and (intake, lifecycle) on the production
// profile's server. It prints a table and writes docs/PERFORMANCE.md. It is a command of
// its own, not part of the aduan binary, because package bench links Temporal's test
// suite (it starts a dev server) and starts the production profile's server.
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
	"aduan/soak"
	"aduan/tempcluster"
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
		fmt.Fprint(fs.Output(), `aduan-bench — measure Aduan on a stack of its own (Temporal dev server and the
production profile's Temporal server, a fresh PostgreSQL database on the server of DATABASE_URL, worker, API)

Usage: aduan-bench [flags]

Flags:
`)
		fs.PrintDefaults()
	}
	runs := fs.Int("runs", d.Runs, "runs per figure (the median is reported, with the smallest and largest)")
	intake := fs.Int("intake", d.Intake, "complaints per intake run (web, WhatsApp and SMS in turn)")
	lifecycle := fs.Int("lifecycle", d.Lifecycle, "complaints per lifecycle run")
	scale := fs.Int("scale", d.Scale, "open complaints for the memory and page figures")
	year := fs.Int("year", d.Year, "closed complaints of a past year loaded before anything is measured (0: none)")
	seed := fs.Int64("seed", d.Seed, "seed of the year's complaints")
	histories := fs.Int("histories", d.Histories, "histories counted per lifecycle run")
	inboxReqs := fs.Int("inbox-requests", d.InboxReqs, "requests per page and pass")
	burst := fs.Int("burst", d.Burst, "messages of the disaster burst (0: no burst)")
	burstOver := fs.Duration("burst-over", d.BurstOver, "the time the burst's messages are spread over")
	sticky := fs.Int("sticky-cache", env.Worker.StickyCache, "worker sticky workflow cache size (default: the worker's, ADUAN_STICKY_CACHE)")
	temporal := fs.String("temporal", "dev,cluster", "Temporal servers: dev (every figure on the CLI's dev server) and/or cluster (intake and lifecycle again on the production profile's server)")
	serverBin := fs.String("temporal-server", "", "the production profile's Temporal server binary (default: $(go env GOPATH)/bin/temporal-server-"+tempcluster.Version+"/server, which make cluster builds)")
	sqlTool := fs.String("temporal-sql-tool", "", "its SQL tool (default: beside the server)")
	profile := fs.String("profile", "", "directory for the CPU profile of one extra lifecycle walk (empty: none)")
	gzip := fs.Bool("grpc-gzip", false, "the Temporal client gzips its gRPC requests (the SDK's default; production's, ADUAN_TEMPORAL_GZIP, is off; true measures with)")
	out := fs.String("out", "docs/PERFORMANCE.md", "report file (empty: none)")
	_ = fs.Parse(args)
	if *runs < 1 || *intake < 1 || *lifecycle < 1 || *scale < 4 || *year < 0 || *burst < 0 || *burstOver <= 0 {
		return errors.New("--runs, --intake and --lifecycle must be ≥ 1, --scale ≥ 4, --year and --burst ≥ 0 and --burst-over > 0")
	}
	if (*serverBin == "") != (*sqlTool == "") {
		return errors.New("--temporal-server and --temporal-sql-tool go together")
	}
	cfg := d
	cfg.Runs, cfg.Intake, cfg.Lifecycle, cfg.Scale, cfg.Histories, cfg.InboxReqs, cfg.StickyCache =
		*runs, *intake, *lifecycle, *scale, *histories, *inboxReqs, *sticky
	cfg.Year, cfg.Seed, cfg.Burst, cfg.BurstOver = *year, *seed, *burst, *burstOver
	cfg.ServerBin, cfg.SQLTool, cfg.ProfileDir, cfg.GRPCGzip = *serverBin, *sqlTool, *profile, *gzip
	cfg.Temporal = nil
	for _, p := range strings.Split(*temporal, ",") {
		switch p = strings.TrimSpace(p); p {
		case bench.ProfileDev, bench.ProfileCluster:
			cfg.Temporal = append(cfg.Temporal, p)
		default:
			return fmt.Errorf("--temporal: %q is neither %s nor %s", p, bench.ProfileDev, bench.ProfileCluster)
		}
	}
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
		// The soak's section (make soak) is the soak's to rewrite: kept as it is.
		kept := soakSection(*out)
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		rep.WriteMarkdown(f, sum)
		if kept != "" {
			fmt.Fprintf(f, "\n%s\n", kept)
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Printf("\nwritten to %s (took %s)\n", *out, rep.Took.Round(1e9))
	}
	return nil
}

// soakSection is the part of the file at path between the soak's markers, markers
// included, or "".
func soakSection(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	text := string(b)
	i, j := strings.Index(text, soak.BeginMarker), strings.Index(text, soak.EndMarker)
	if i < 0 || j < i {
		return ""
	}
	return text[i : j+len(soak.EndMarker)]
}
