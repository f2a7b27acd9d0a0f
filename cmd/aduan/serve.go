package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"aduan/accounts"
	"aduan/activities"
	"aduan/api"
	"aduan/api/public"
	"aduan/api/staffpages"
	"aduan/api/webhooks"
	"aduan/complaints"
	"aduan/config"
	"aduan/demo"
	"aduan/metrics"
	"aduan/notify"
	"aduan/publish"
	"aduan/store"
	"aduan/worker"
)

func runMigrate(ctx context.Context, cfg config.Config, _ []string) error {
	db, err := store.Open(ctx, cfg.Database.URL)
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

func runSeedDemo(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("seed-demo", flag.ExitOnError)
	tokens := fs.String("tokens", ".data/demo-tokens.json", "file to keep the demo staff tokens in")
	logins := fs.String("logins", ".data/demo-logins.json", "file to keep the demo staff logins (password, TOTP secret) in")
	_ = fs.Parse(args)
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, _, err := demo.SeedLogins(ctx, db, *tokens, *logins); err != nil {
		return err
	}
	fmt.Printf("demo directory seeded; staff tokens in %s, logins in %s\n", *tokens, *logins)
	return nil
}

// connect opens PostgreSQL (migrated) and Temporal; close releases both.
func connect(ctx context.Context, cfg config.Config) (db *store.DB, tc client.Client, close func(), err error) {
	return connectMeasured(ctx, cfg, nil)
}

// connectMeasured is connect with the Temporal client's metrics recorded in m (nil: none).
func connectMeasured(ctx context.Context, cfg config.Config, m *metrics.Metrics) (db *store.DB, tc client.Client, close func(), err error) {
	db, err = openDB(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	tc, err = dialTemporalMeasured(cfg, m.Temporal())
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, tc, func() { tc.Close(); db.Close() }, nil
}

func runAPI(ctx context.Context, cfg config.Config, _ []string) error {
	m := metrics.New()
	defer m.Close()
	db, tc, closeAll, err := connectMeasured(ctx, cfg, m)
	if err != nil {
		return err
	}
	defer closeAll()
	return serveAPI(ctx, cfg, tc, db, m)
}

func runWorker(ctx context.Context, cfg config.Config, _ []string) error {
	m := metrics.New()
	defer m.Close()
	db, tc, closeAll, err := connectMeasured(ctx, cfg, m)
	if err != nil {
		return err
	}
	defer closeAll()
	return runWorkerUntil(ctx, cfg, tc, db, m)
}

// runDev is what `make run` starts: migrations, the demo directory, the worker and the
// API in one process, against the dev server the script has started.
func runDev(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("dev", flag.ExitOnError)
	tokensFile := fs.String("tokens", ".data/demo-tokens.json", "file to keep the demo staff tokens in")
	loginsFile := fs.String("logins", ".data/demo-logins.json", "file to keep the demo staff logins (password, TOTP secret) in")
	_ = fs.Parse(args)
	// One process, one registry: the API's /metrics and the worker's endpoint serve the same.
	m := metrics.New()
	defer m.Close()
	db, tc, closeAll, err := connectMeasured(ctx, cfg, m)
	if err != nil {
		return err
	}
	defer closeAll()
	if _, _, err := demo.SeedLogins(ctx, db, *tokensFile, *loginsFile); err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	errs := make(chan error, 2)
	go func() { errs <- runWorkerUntil(ctx, cfg, tc, db, m) }()
	go func() { errs <- serveAPI(ctx, cfg, tc, db, m) }()
	slog.Info("aduan dev is up", "api", cfg.HTTP.PublicURL, "tokens", *tokensFile, "logins", *loginsFile)
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
func serveAPI(ctx context.Context, cfg config.Config, tc client.Client, db *store.DB, m *metrics.Metrics) error {
	h := cfg.HTTP
	core := complaints.New(db, tc, complaints.Config{TaskQueue: cfg.Temporal.TaskQueue, PublicBaseURL: h.PublicURL,
		IntakePerMinute: h.IntakePerMinute, IntakeBurst: h.IntakeBurst})
	core.Start()
	defer core.Stop()
	handler := api.New(core, api.Options{TrustedProxies: h.TrustedProxies,
		Webhooks: webhooks.Config{WAVerifyToken: cfg.WhatsApp.VerifyToken, WAAppSecret: cfg.WhatsApp.AppSecret,
			SMSSecret: cfg.SMS.Secret, SMSAndroidSigningKey: cfg.SMS.AndroidWebhookKey,
			TwilioAuthToken: cfg.SMS.TwilioAuthToken, TwilioPublicURL: h.PublicURL},
		Public: public.Config{BaseURL: h.PublicURL, EmbedFrameAncestors: h.EmbedFrameAncestors},
		Staff: staffpages.Config{Accounts: accounts.New(db, accounts.Config{}), SecureCookies: h.SecureCookies,
			TemporalUIURL: cfg.Temporal.UIURL, TemporalNamespace: cfg.Temporal.Namespace},
		Codec: codecEndpoint(cfg), Metrics: m})
	return serveHTTP(ctx, cfg, handler)
}

// serveHTTP serves the API until ctx ends, then drains in-flight requests.
func serveHTTP(ctx context.Context, cfg config.Config, handler http.Handler) error {
	srv := api.NewServer(cfg.HTTP.Addr, handler)
	errs := make(chan error, 1)
	go func() { errs <- srv.ListenAndServe() }()
	slog.Info("API listening", "addr", cfg.HTTP.Addr)
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

// runWorkerUntil runs the Temporal worker, the intake relay and the worker's endpoint
// (ADUAN_WORKER_ADDR: /metrics with the figures from PostgreSQL, /healthz, /readyz) until
// ctx ends. Then it stops gracefully: it takes no new work and returns once the
// activities and the loops' items in hand are done, or ADUAN_WORKER_STOP_TIMEOUT has
// passed (what was cut off is retried elsewhere; package worker, stop.go).
func runWorkerUntil(ctx context.Context, cfg config.Config, tc client.Client, db *store.DB, m *metrics.Metrics) error {
	p := cfg.Publish
	sites, err := publish.Sites(publish.Settings{WebhookURL: p.WebhookURL, WebhookSecret: p.WebhookSecret,
		WordPressURL: p.WordPressURL, WordPressUser: p.WordPressUser, WordPressAppPassword: p.WordPressAppPassword,
		WordPressCategoryID: p.WordPressCategoryID})
	if err != nil {
		return fmt.Errorf("publishing to the regency websites: %w", err)
	}
	if err := m.Register(metrics.NewStoreCollector(db)); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	health, err := worker.ListenHealth(cfg.Worker.Addr, worker.HealthHandler(db, tc, m.Handler()))
	if err != nil {
		return fmt.Errorf("worker endpoint (ADUAN_WORKER_ADDR): %w", err)
	}
	// The endpoint outlives ctx until the worker has stopped: a stopping worker is
	// still scraped and alive.
	hctx, stopHealth := context.WithCancel(context.Background())
	defer stopHealth()
	healthDone := make(chan error, 1)
	go func() { healthDone <- health.Serve(hctx) }()
	slog.Info("worker endpoint listening", "addr", health.Addr().String())
	// Process-wide, and only before the first worker starts.
	sdkworker.SetStickyWorkflowCacheSize(cfg.Worker.StickyCache)
	notifier := &activities.Notifier{DB: db, Senders: notify.NewSenders(notifySettings(cfg), db.LastInbound),
		BaseURL: cfg.HTTP.PublicURL, QuietHours: cfg.Worker.QuietHours}
	// A stop gives the activities running and the loops' items in hand this long.
	graceful := worker.WithStopTimeout(cfg.Worker.StopTimeout)
	versioned, err := deploymentOption(cfg)
	if err != nil {
		return err
	}
	publisher := &activities.Publisher{DB: db, Sites: sites, BaseURL: cfg.HTTP.PublicURL}
	w := worker.NewWithPublisher(tc, db, cfg.Temporal.TaskQueue, notifier, publisher, append(versioned, graceful)...)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	slog.Info("worker started", "task_queue", cfg.Temporal.TaskQueue, "sticky_cache", cfg.Worker.StickyCache)
	bctx, stopBackground := context.WithCancel(ctx)
	background := make(chan struct{})
	go func() {
		defer close(background)
		worker.RunBackground(bctx, tc, db, cfg.Temporal.TaskQueue, notifier, worker.RelayEvery,
			worker.WithWhatsAppMedia(cfg.WhatsApp.APIBase, cfg.WhatsApp.Token), worker.WithPublisher(publisher), graceful)
	}()
	select {
	case <-ctx.Done():
	case err = <-healthDone: // the endpoint failed on its own
		err = fmt.Errorf("worker endpoint: %w", err)
	}
	// Both stop taking work at once and finish what they hold within the stop timeout.
	slog.Info("worker stopping; finishing the work in hand", "timeout", cfg.Worker.StopTimeout)
	stopBackground()
	w.Stop()
	<-background
	slog.Info("worker stopped")
	if err == nil {
		stopHealth()
		err = <-healthDone
	}
	return err
}

// notifySettings are the senders' settings from the configuration.
func notifySettings(cfg config.Config) notify.Settings {
	wa, sms, m := cfg.WhatsApp, cfg.SMS, cfg.SMTP
	return notify.Settings{
		SMTP: notify.SMTPConfig{Addr: m.Addr, From: m.From, User: m.User, Password: m.Password},
		WhatsApp: notify.WhatsAppConfig{APIBase: wa.APIBase, PhoneNumberID: wa.PhoneNumberID, Token: wa.Token,
			TemplateUpdate: wa.TemplateUpdate, TemplateLanguage: wa.TemplateLanguage},
		SMS:         notify.SMSConfig{URL: sms.GatewayURL, APIKey: sms.APIKey},
		SMSProvider: sms.Provider,
		SMSAndroid:  notify.AndroidSMSConfig{URL: sms.AndroidURL, User: sms.AndroidUser, Password: sms.AndroidPassword},
		SMSTwilio: notify.TwilioSMSConfig{APIBase: sms.TwilioAPIBase, AccountSID: sms.TwilioAccountSID,
			AuthToken: sms.TwilioAuthToken, From: sms.TwilioFrom, MessagingServiceSID: sms.TwilioMessagingServiceSID,
			StatusCallback: cfg.HTTP.PublicURL + webhooks.TwilioStatusPath},
	}
}
