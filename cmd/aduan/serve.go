package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"aduan/activities"
	"aduan/api"
	"aduan/api/public"
	"aduan/api/webhooks"
	"aduan/complaints"
	"aduan/config"
	"aduan/demo"
	"aduan/notify"
	"aduan/publish"
	"aduan/store"
	"aduan/worker"
)

func runMigrate(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("migrations applied: %d\n", n)
	return nil
}

func runSeedDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed-demo", flag.ExitOnError)
	tokens := fs.String("tokens", ".data/demo-tokens.json", "file to keep the demo staff tokens in")
	_ = fs.Parse(args)
	db, err := openDB(ctx, config.FromEnv())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := demo.Seed(ctx, db, *tokens); err != nil {
		return err
	}
	fmt.Printf("demo directory seeded; staff tokens in %s\n", *tokens)
	return nil
}

// connect opens PostgreSQL (migrated) and Temporal; close releases both.
func connect(ctx context.Context, cfg config.Config) (db *store.DB, tc client.Client, close func(), err error) {
	db, err = openDB(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	tc, err = dialTemporal(cfg)
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, tc, func() { tc.Close(); db.Close() }, nil
}

func runAPI(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	db, tc, closeAll, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeAll()
	return serveAPI(ctx, cfg, tc, db)
}

func runWorker(ctx context.Context, _ []string) error {
	cfg := config.FromEnv()
	db, tc, closeAll, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeAll()
	return runWorkerUntil(ctx, cfg, tc, db)
}

// runDev is what `make run` starts: migrations, the demo directory, the worker and the
// API in one process, against the dev server the script has started.
func runDev(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ExitOnError)
	tokensFile := fs.String("tokens", ".data/demo-tokens.json", "file to keep the demo staff tokens in")
	_ = fs.Parse(args)
	cfg := config.FromEnv()
	db, tc, closeAll, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeAll()
	if _, err := demo.Seed(ctx, db, *tokensFile); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	errs := make(chan error, 2)
	go func() { errs <- runWorkerUntil(ctx, cfg, tc, db) }()
	go func() { errs <- serveAPI(ctx, cfg, tc, db) }()
	slog.Info("aduan dev is up", "api", cfg.PublicBaseURL, "tokens", *tokensFile)
	err = <-errs
	if ctx.Err() == nil {
		return err // one part failed on its own
	}
	if err2 := <-errs; err == nil {
		err = err2
	}
	return err
}

// serveAPI runs the core and serves every door over it until ctx ends; then the HTTP
// server drains in-flight requests and the core's starter stops.
func serveAPI(ctx context.Context, cfg config.Config, tc client.Client, db *store.DB) error {
	perMinute, _ := strconv.ParseFloat(os.Getenv("ADUAN_INTAKE_PER_MINUTE"), 64)
	burst, _ := strconv.Atoi(os.Getenv("ADUAN_INTAKE_BURST"))
	var proxies []string
	for _, p := range strings.Split(os.Getenv("ADUAN_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, p)
		}
	}
	core := complaints.New(db, tc, complaints.Config{TaskQueue: cfg.TaskQueue, PublicBaseURL: cfg.PublicBaseURL,
		IntakePerMinute: perMinute, IntakeBurst: burst})
	core.Start()
	defer core.Stop()
	handler := api.New(core, api.Options{TrustedProxies: proxies,
		Webhooks: webhooks.Config{WAVerifyToken: os.Getenv("ADUAN_WA_VERIFY_TOKEN"), WAAppSecret: os.Getenv("ADUAN_WA_APP_SECRET"),
			SMSSecret: os.Getenv("ADUAN_SMS_SECRET")},
		Public: public.Config{BaseURL: cfg.PublicBaseURL, EmbedFrameAncestors: strings.Fields(os.Getenv("ADUAN_EMBED_FRAME_ANCESTORS"))}})
	return serveHTTP(ctx, cfg, handler)
}

// serveHTTP serves the API until ctx ends, then drains in-flight requests.
func serveHTTP(ctx context.Context, cfg config.Config, handler http.Handler) error {
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	errs := make(chan error, 1)
	go func() { errs <- srv.ListenAndServe() }()
	slog.Info("API listening", "addr", cfg.HTTPAddr)
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), config.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// runWorkerUntil runs the Temporal worker and the intake relay until ctx ends.
func runWorkerUntil(ctx context.Context, cfg config.Config, tc client.Client, db *store.DB) error {
	sites, err := publish.FromEnv(os.Getenv)
	if err != nil {
		return fmt.Errorf("publishing to the regency websites: %w", err)
	}
	// Process-wide, and only before the first worker starts.
	sdkworker.SetStickyWorkflowCacheSize(cfg.StickyCache)
	notifier := &activities.Notifier{DB: db, Senders: notify.FromEnv(db.LastInbound), BaseURL: cfg.PublicBaseURL}
	w := worker.NewWithPublisher(tc, db, cfg.TaskQueue, notifier,
		&activities.Publisher{DB: db, Sites: sites, BaseURL: cfg.PublicBaseURL})
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	slog.Info("worker started", "task_queue", cfg.TaskQueue, "sticky_cache", cfg.StickyCache)
	go worker.RunBackground(ctx, tc, db, cfg.TaskQueue, notifier, 5*time.Second)
	<-ctx.Done()
	w.Stop()
	return nil
}
