package workflows

import (
	"strings"
	"testing"
	"time"

	"aduan/domain"
)

// The Temporal UI's line shows the deadline in the zone of the policy that planned it
// (the stage plan's), WITA when the plan does not say.
func TestDetailsInPlanZone(t *testing.T) {
	deadline := time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC)
	state := startState(domain.StatusAtPokja)
	state.Deadline = &deadline
	policy := domain.DefaultSLAPolicy()
	planned := policy.PlanStage(domain.StatusAtPokja, "normal", t0, nil)
	if planned.UTCOffsetHours != policy.UTCOffsetHours() {
		t.Fatalf("plan zone %d, want the policy's %d", planned.UTCOffsetHours, policy.UTCOffsetHours())
	}
	for _, c := range []struct {
		stage domain.Plan
		want  string
	}{
		{domain.Plan{}, "tenggat 03-12-2026 09:00 WITA"},
		{planned, "tenggat 03-12-2026 09:00 WITA"},
		{domain.Plan{UTCOffsetHours: 7}, "tenggat 03-12-2026 08:00 WIB"},
		{domain.Plan{UTCOffsetHours: 9}, "tenggat 03-12-2026 10:00 WIT"},
	} {
		w := &complaint{state: state, stage: c.stage}
		if got := w.details(); !strings.Contains(got, c.want) {
			t.Errorf("offset %d: details %q, want %q", c.stage.UTCOffsetHours, got, c.want)
		}
	}
}
