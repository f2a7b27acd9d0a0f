package main

import (
	"context"
	"flag"
	"fmt"
	"time"

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
	if r.Archived > 0 {
		fmt.Printf("%d finished complaints whose workflow history retention has deleted (not checked)\n", r.Archived)
	}
	// Complainants whose message never arrived: reported, not a failure of the check
	// (the resender has tried every way there is; someone must call them).
	lost, err := db.UndeliveredToComplainants(ctx)
	if err != nil {
		return err
	}
	for _, u := range lost {
		fmt.Printf("undelivered: %s %s via %s (%s): %s\n", u.Code, u.Kind, u.Channel,
			u.At.UTC().Format("2006-01-02 15:04Z"), u.Problem)
	}
	fmt.Printf("%d messages to complainants never arrived\n", len(lost))
	// Published answers whose announcement (the answer to the complainant, the push to
	// the websites) failed for good, or is still not done after the retries of an hour.
	stuck, err := db.AnnouncementProblems(ctx, time.Hour)
	if err != nil {
		return err
	}
	for _, a := range stuck {
		state := "still being retried"
		if a.Done {
			state = "given up"
		}
		fmt.Printf("announcement: %s (published %s), %s after %d attempts: %s\n", a.Code,
			a.QueuedAt.UTC().Format("2006-01-02 15:04Z"), state, a.Attempts, a.Problem)
	}
	fmt.Printf("%d publications not fully announced\n", len(stuck))
	if r.Drifted > r.Repaired {
		return fmt.Errorf("%d complaints drift from their workflows", r.Drifted-r.Repaired)
	}
	return nil
}
