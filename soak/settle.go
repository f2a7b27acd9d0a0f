package soak

import (
	"context"
	"fmt"
	"time"

	"aduan/verify"
)

// settleQueries are what "settled" means, each a count that must be 0.
var settleQueries = []struct{ what, query string }{
	{"complaints whose workflow is not started or whose acknowledgement is not sent",
		`SELECT count(*) FROM complaints WHERE NOT workflow_started OR ack_pending`},
	// Staff messages may wait for office hours (quiet hours) or an operator's call; what
	// the complainant is sent goes at once.
	{"messages to complainants due but not sent",
		`SELECT count(*) FROM notifications WHERE recipient = 'pelapor' AND sent_at IS NULL
			AND channel <> 'callback' AND due_at < now() - interval '5 seconds'`},
	{"deadlines passed that no timer acted on",
		`SELECT count(*) FROM complaints WHERE deadline < now() - interval '5 seconds' AND (
			(status IN ('received', 'at_pokja', 'at_partner', 'pokja_review', 'ready_to_publish') AND NOT overdue)
			OR status IN ('awaiting_info', 'published'))`},
	{"overall limits passed that no timer acted on",
		`SELECT count(*) FROM complaints WHERE overall_deadline < now() - interval '5 seconds' AND NOT overall_overdue
			AND status NOT IN ('closed', 'rejected')`},
}

// settle waits, after traffic stopped, until the system has caught up with everything it
// took in: every workflow started and acknowledgement sent, every message to a
// complainant sent, every timer whose time came fired, and verify (what `aduan verify`
// runs) finds every projection equal to its workflow. A timer may fire between verify's
// read of a row and its query of the workflow, so a pass with drift is tried again; real
// drift stays until the timeout. It returns how long it took, the clean verify report and
// the number of verify passes.
func settle(ctx context.Context, s *stack, timeout time.Duration, lg *logger) (time.Duration, verify.Report, int, error) {
	passes := 0
	start := time.Now()
	deadline := start.Add(timeout)
	lastLog := start
	var last verify.Report
	behind := ""
	for {
		behind = ""
		for _, q := range settleQueries {
			var n int
			if err := s.db.GetContext(ctx, &n, q.query); err != nil {
				behind = fmt.Sprintf("%s: %v", q.what, err)
				break
			}
			if n > 0 {
				behind = fmt.Sprintf("%d %s", n, q.what)
				break
			}
		}
		if behind == "" {
			vctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
			r, err := verify.Check(vctx, s.db, s.tc, false)
			cancel()
			passes++
			last = r
			switch {
			case err != nil:
				behind = "verify: " + err.Error()
			case r.NotStarted > 0 || r.Drifted > 0:
				behind = fmt.Sprintf("verify: %d not started, %d drifted (%v)", r.NotStarted, r.Drifted, first(r.Drifts, 3))
			default:
				return time.Since(start), r, passes, nil
			}
		}
		if time.Now().After(deadline) {
			return time.Since(start), last, passes, fmt.Errorf("not settled within %s: %s", timeout, behind)
		}
		if time.Since(lastLog) > 10*time.Second {
			lg.printf("soak: settling: %s", behind)
			lastLog = time.Now()
		}
		select {
		case <-ctx.Done():
			return time.Since(start), last, passes, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func first[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}
