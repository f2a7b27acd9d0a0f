// Package verify compares every complaint's PostgreSQL projection with its workflow's live
// state and reports drift; with repair it re-projects the row from the workflow. The
// fault tests end with it, and operators run it as `aduan verify [--repair]`.
package verify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"aduan/domain"
	"aduan/store"
	"aduan/workflows"
)

// Drift is one difference between a projection and its workflow.
type Drift struct {
	Code       string `json:"code"`
	Field      string `json:"field"`
	Projection string `json:"projection"`
	Workflow   string `json:"workflow"`
}

func (d Drift) String() string {
	return fmt.Sprintf("%s: %s is %q in PostgreSQL but %q in the workflow", d.Code, d.Field, d.Projection, d.Workflow)
}

// Report is what a check found.
type Report struct {
	Checked int `json:"checked"`
	// NotStarted counts complaints whose workflow the relay has yet to start.
	NotStarted int `json:"not_started"`
	// Archived counts finished complaints (closed, rejected) whose workflow is gone: it
	// completed and the namespace's retention deleted its history. Their projection is
	// all there is, as intended, so they are neither checked nor drift.
	Archived int `json:"archived"`
	// Drifted counts complaints with at least one drift; Repaired those re-projected.
	Drifted  int     `json:"drifted"`
	Repaired int     `json:"repaired"`
	Drifts   []Drift `json:"drifts"`
}

// Check compares every complaint; with repair it re-projects the drifted ones.
func Check(ctx context.Context, db *store.DB, c client.Client, repair bool) (Report, error) {
	var r Report
	after := ""
	for {
		page, err := db.Projections(ctx, after, 200)
		if err != nil {
			return r, err
		}
		if len(page) == 0 {
			return r, nil
		}
		for _, p := range page {
			after = p.Code
			if !p.WorkflowStarted {
				r.NotStarted++
				continue
			}
			state, err := liveState(ctx, c, p.Code)
			var missing *serviceerror.NotFound
			if err != nil && errors.As(err, &missing) && p.Status.Final() {
				r.Archived++
				continue
			}
			r.Checked++
			if err != nil {
				if ctx.Err() != nil {
					return r, ctx.Err()
				}
				// A workflow that cannot answer (gone, or its task failing) is drift too;
				// the check goes on with the others.
				live := "unanswerable: " + err.Error()
				if errors.As(err, &missing) {
					live = "not found"
				}
				r.Drifted++
				r.Drifts = append(r.Drifts, Drift{Code: p.Code, Field: "workflow", Projection: "started", Workflow: live})
				continue
			}
			drifts := Compare(p, state)
			if len(drifts) == 0 {
				continue
			}
			r.Drifted++
			r.Drifts = append(r.Drifts, drifts...)
			if repair {
				if err := db.RepairProjection(ctx, state); err != nil {
					return r, fmt.Errorf("repair %s: %w", p.Code, err)
				}
				r.Repaired++
			}
		}
	}
}

func liveState(ctx context.Context, c client.Client, code string) (domain.CaseState, error) {
	qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := c.QueryWorkflow(qctx, domain.WorkflowID(code), "", workflows.QueryState)
	if err != nil {
		return domain.CaseState{}, err
	}
	var s domain.CaseState
	return s, v.Get(&s)
}

// Compare lists how a stored projection differs from the workflow's state.
func Compare(p store.Projected, s domain.CaseState) []Drift {
	var out []Drift
	eq := func(field, stored, live string) {
		if stored != live {
			out = append(out, Drift{Code: p.Code, Field: field, Projection: stored, Workflow: live})
		}
	}
	eq("status", string(p.Status), string(s.Status))
	eq("pokja", p.Pokja.String, s.Pokja)
	eq("partner", p.Partner.String, s.Partner)
	eq("category", p.Category.String, s.Category)
	eq("priority", p.Priority.String, s.Priority)
	eq("title", p.Title.String, s.Title)
	eq("public_title", p.PublicTitle.String, s.PublicTitle)
	eq("public_answer", p.PublicAnswer.String, s.PublicAnswer)
	eq("reject_reason", p.RejectReason.String, s.RejectReason)
	eq("duplicate_of", p.DuplicateOf.String, s.DuplicateOf)
	eq("confidential", fmt.Sprint(p.Confidential), fmt.Sprint(s.Confidential))
	eq("overdue", fmt.Sprint(p.Overdue), fmt.Sprint(s.Overdue))
	eq("overall_overdue", fmt.Sprint(p.OverallOverdue), fmt.Sprint(s.OverallOverdue))
	eq("reopen_count", fmt.Sprint(p.ReopenCount), fmt.Sprint(s.ReopenCount))
	eq("last_seq", fmt.Sprint(p.LastSeq), fmt.Sprint(s.Seq))
	eq("deadline", timeText(p.Deadline), timeText(s.Deadline))
	// The audit trail: one event for every number from 1 to the workflow's last.
	if p.Events != s.Seq || p.MaxSeq != s.Seq {
		out = append(out, Drift{Code: p.Code, Field: "events",
			Projection: fmt.Sprintf("%d events, highest %d", p.Events, p.MaxSeq), Workflow: fmt.Sprintf("%d", s.Seq)})
	}
	return out
}

func timeText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano)
}
