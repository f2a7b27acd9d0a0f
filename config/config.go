// Package config reads Aduan's configuration from the environment.
package config

import (
	"log/slog"
	"os"
	"strconv"
	"time"
)

// Config is every setting of the binaries; see README "Configuration".
type Config struct {
	DatabaseURL       string
	TemporalAddress   string
	TemporalNamespace string
	TaskQueue         string
	HTTPAddr          string
	PublicBaseURL     string
	// StickyCache is how many workflows the worker keeps in memory between their tasks
	// (ADUAN_STICKY_CACHE). It bounds the worker's memory whatever the number of open
	// complaints; a workflow pushed out is replayed from its history when it next wakes.
	StickyCache int
}

// DefaultStickyCache is the worker's sticky cache size unless configured: about 40 MiB of
// workflows, enough for the complaints active in any hour of a regency's day.
const DefaultStickyCache = 1000

// FromEnv reads the configuration, with development defaults.
func FromEnv() Config {
	c := Config{
		DatabaseURL:       env("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aduan?sslmode=disable"),
		TemporalAddress:   env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace: env("TEMPORAL_NAMESPACE", "default"),
		TaskQueue:         env("ADUAN_TASK_QUEUE", "aduan"),
		HTTPAddr:          env("ADUAN_HTTP_ADDR", ":8080"),
	}
	c.PublicBaseURL = env("ADUAN_PUBLIC_URL", "http://localhost"+portOf(c.HTTPAddr))
	c.StickyCache = DefaultStickyCache
	if v := os.Getenv("ADUAN_STICKY_CACHE"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			c.StickyCache = n
		} else {
			slog.Warn("ADUAN_STICKY_CACHE must be a positive whole number; using the default", "value", v, "default", DefaultStickyCache)
		}
	}
	return c
}

func env(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[i:]
		}
	}
	return ""
}

// ShutdownGrace is how long a process waits for in-flight work when asked to stop.
const ShutdownGrace = 10 * time.Second
