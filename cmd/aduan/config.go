package main

import (
	"context"
	"errors"
	"os"

	"aduan/config"
)

// runConfig prints the effective configuration, one `NAME = value` a line under a
// heading per group, secrets masked: `aduan config`.
func runConfig(_ context.Context, cfg config.Config, args []string) error {
	if len(args) > 0 {
		return errors.New("usage: aduan config")
	}
	return cfg.Write(os.Stdout)
}
