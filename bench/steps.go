package bench

import (
	"context"
	"fmt"
)

// Each staff action measured on its own, the way its baseline is: m complaints are
// submitted and their workflows started first (not timed), then every action of the happy
// path in turn is sent to all of them on conc clients, one action kind per phase. So an
// action's figure holds its own work only: no submits or workflow starts interleave with
// it, as none do with the bare Updates; and a triage reaches a workflow that runs already,
// as it does at a desk, where the complaint came in minutes before (the walk's triage,
// sent right after its submit, usually starts the workflow itself).

// Steps submits m complaints on conc clients, waits until the system has caught up
// (every workflow started), then times the happy path's actions one kind at a time.
func Steps(ctx context.Context, s *Stack, m, conc int) (map[string]Latency, error) {
	hc := newClient(conc)
	defer hc.CloseIdleConnections()
	codes := make([]string, m)
	if _, err := hammer(ctx, m, conc, func(ctx context.Context, i int) error {
		var err error
		codes[i], err = submit(ctx, hc, s.BaseURL, "steps")
		return err
	}); err != nil {
		return nil, fmt.Errorf("steps: submit: %w", err)
	}
	if _, err := Quiesce(ctx, s); err != nil {
		return nil, err
	}
	out := make(map[string]Latency, len(happyPath))
	for _, a := range happyPath {
		s.settle(ctx)
		l, err := hammer(ctx, m, conc, func(ctx context.Context, i int) error {
			return act(ctx, hc, s, codes[i], a.Action, a.User, a.Body)
		})
		if err != nil {
			return out, fmt.Errorf("steps: %s: %w", a.Action, err)
		}
		out[a.Action] = l
	}
	return out, nil
}
