package main

import (
	"context"
	"fmt"
	"log/slog"

	"go.temporal.io/sdk/client"

	"aduan/api/codec"
	"aduan/config"
	"aduan/payloadcodec"
	"aduan/store"
)

// openDB connects to PostgreSQL and applies pending migrations, so every process can
// start on a fresh database. With ADUAN_PAYLOAD_KEYS the staff's TOTP secrets are sealed
// at rest with them.
func openDB(ctx context.Context, cfg config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.Database.URL)
	if err != nil {
		return nil, err
	}
	if ring, _ := cfg.Keys.Ring(); ring != nil { // config.Load refused a bad ring
		db.UseKeys(ring)
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if n > 0 {
		slog.Info("applied migrations", "count", n)
	}
	if on, err := db.Autovacuum(ctx); err == nil && !on {
		slog.Warn("PostgreSQL runs with autovacuum off: the inbox, searches and report will slow down as complaints change; turn it on (autovacuum = on, PostgreSQL's default)")
	}
	return db, nil
}

// dialTemporal connects to the Temporal frontend. TEMPORAL_API_KEY (Temporal Cloud) or
// TEMPORAL_TLS_* (see config.Temporal) switch on TLS for a real cluster. Every
// payload the client and its workers send is sealed with ADUAN_PAYLOAD_KEYS (package
// payloadcodec), which is therefore required here: a process without it would write
// plain text beside the others' ciphertext, and could not read theirs.
func dialTemporal(cfg config.Config) (client.Client, error) {
	return dialTemporalMeasured(cfg, nil)
}

// dialTemporalMeasured is dialTemporal with the SDK's metrics (requests, workflow and
// activity tasks, pollers) recorded through mh (package metrics; nil: none).
func dialTemporalMeasured(cfg config.Config, mh client.MetricsHandler) (client.Client, error) {
	ring, _ := cfg.Keys.Ring()
	if ring == nil {
		return nil, config.ErrNoPayloadKeys
	}
	// Address, namespace, API key and TLS come from the SDK's configuration (see
	// config.Temporal); the rest is Aduan's.
	opts, err := cfg.TemporalClientOptions()
	if err != nil {
		return nil, err
	}
	opts.DataConverter = payloadcodec.DataConverter(ring)
	// The SDK is chatty at info level; warnings and errors are what an operator needs.
	opts.Logger = sdkLogger(cfg)
	opts.ContextPropagators = contextPropagators(opts.DataConverter)
	opts.MetricsHandler = mh
	c, err := client.Dial(opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.Temporal.Address, err)
	}
	return c, nil
}

// codecEndpoint is the Temporal UI's codec endpoint (/staf/codec) with the payload keys;
// none without them.
func codecEndpoint(cfg config.Config) codec.Config {
	ring, _ := cfg.Keys.Ring()
	if ring == nil {
		return codec.Config{}
	}
	return codec.Config{Codec: payloadcodec.New(ring), UIURL: cfg.Temporal.UIURL}
}
