package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"go.temporal.io/sdk/client"

	"aduan/config"
	"aduan/worker"
)

// buildID is this binary's Worker Deployment version: ADUAN_BUILD_ID, else the VCS
// revision it was built from (with "-dirty" for uncommitted changes).
func buildID(cfg config.Config) (string, error) {
	if cfg.Worker.BuildID != "" {
		return cfg.Worker.BuildID, nil
	}
	info, ok := debug.ReadBuildInfo()
	if ok {
		var rev, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			return rev + dirty, nil
		}
	}
	return "", errors.New("ADUAN_WORKER_DEPLOYMENT is set but this binary has no build id (built outside git): set ADUAN_BUILD_ID")
}

// deploymentOption is the worker's Worker Deployment version, when ADUAN_WORKER_DEPLOYMENT asks for one.
func deploymentOption(cfg config.Config) ([]worker.Option, error) {
	if cfg.Worker.Deployment == "" {
		return nil, nil
	}
	id, err := buildID(cfg)
	if err != nil {
		return nil, err
	}
	return []worker.Option{worker.WithDeployment(cfg.Worker.Deployment, id)}, nil
}

const deploymentUsage = `usage: aduan deployment promote   make this binary's build the deployment's current version
       aduan deployment show      print the deployment's current version and this binary's build`

// runDeployment manages the Worker Deployment of ADUAN_WORKER_DEPLOYMENT: `promote`
// makes this binary's build current (new complaints start on it, running ones move to it
// at their next step), once a worker of that build polls; `show` says what is current.
func runDeployment(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) != 1 || (args[0] != "promote" && args[0] != "show") {
		return errors.New(deploymentUsage)
	}
	if cfg.Worker.Deployment == "" {
		return errors.New("ADUAN_WORKER_DEPLOYMENT is not set: the workers are unversioned")
	}
	id, err := buildID(cfg)
	if err != nil {
		return err
	}
	tc, err := dialTemporal(cfg)
	if err != nil {
		return err
	}
	defer tc.Close()
	h := tc.WorkerDeploymentClient().GetHandle(cfg.Worker.Deployment)
	if args[0] == "show" {
		d, err := h.Describe(ctx, client.WorkerDeploymentDescribeOptions{})
		if err != nil {
			return err
		}
		current := "(none: unversioned workers)"
		if cur := d.Info.RoutingConfig.CurrentVersion; cur != nil {
			current = cur.BuildID
		}
		fmt.Printf("deployment %s: current build %s; this binary is build %s\n", cfg.Worker.Deployment, current, id)
		return nil
	}
	// A version exists once one of its workers has polled: wait for it a while.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_, err = h.SetCurrentVersion(ctx, client.WorkerDeploymentSetCurrentVersionOptions{BuildID: id})
		if err == nil {
			fmt.Printf("deployment %s: build %s is current\n", cfg.Worker.Deployment, id)
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("make build %s current (is a worker of this build running?): %w", id, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}
