package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"aduan/config"
	"aduan/store"
)

// openDB connects to PostgreSQL and applies pending migrations, so every process can
// start on a fresh database.
func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.Database.URL)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		slog.Info("applied migrations", "count", n)
	}
	return db, nil
}

// dialTemporal connects to the Temporal frontend. TEMPORAL_API_KEY (Temporal Cloud) or
// TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (mTLS) switch on TLS for a real cluster.
func dialTemporal(cfg config.Config) (client.Client, error) {
	opts := client.Options{
		HostPort:  cfg.Temporal.Address,
		Namespace: cfg.Temporal.Namespace,
		// The SDK is chatty at info level; warnings and errors are what an operator needs.
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})).With("component", "temporal")),
	}
	t := cfg.Temporal
	if key := t.APIKey; key != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(key)
		opts.ConnectionOptions.TLS = &tls.Config{}
	}
	if certFile, keyFile := t.TLSCert, t.TLSKey; certFile != "" && keyFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("temporal TLS: %w", err)
		}
		opts.ConnectionOptions.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	c, err := client.Dial(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.Temporal.Address, err)
	}
	return c, nil
}
