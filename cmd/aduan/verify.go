package main

import (
	"context"
	"flag"
	"fmt"

	"aduan/config"
	"aduan/verify"
)

// runVerify compares every complaint's projection with its workflow: `aduan verify
// [--repair]`. It exits non-zero while drift remains.
func runVerify(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	repair := fs.Bool("repair", false, "re-project drifted complaints from their workflows")
	_ = fs.Parse(args)
	db, tc, closeAll, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeAll()
	r, err := verify.Check(ctx, db, tc, *repair)
	if err != nil {
		return err
	}
	for _, d := range r.Drifts {
		fmt.Println("drift:", d)
	}
	fmt.Printf("checked %d complaints: %d drifted, %d repaired, %d waiting for their workflow to start\n",
		r.Checked, r.Drifted, r.Repaired, r.NotStarted)
	if r.Drifted > r.Repaired {
		return fmt.Errorf("%d complaints drift from their workflows", r.Drifted-r.Repaired)
	}
	return nil
}
