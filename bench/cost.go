package bench

import (
	"context"
	"fmt"
	"sort"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/proto"

	"aduan/domain"
)

// Cost is figure 3 for one complaint's history, counted by Temporal Cloud's billing rules.
type Cost struct {
	Actions int
	// ByKind says where the actions go ("activity ProjectComplaint" → 5, ...).
	ByKind map[string]int
	// NotBilled lists events that look like actions but are free (version markers).
	NotBilled map[string]int
	Events    int
	Bytes     int
}

// billable classifies one history event: the billed kind ("" when not billed) and, for
// events that are explicitly free, why.
func billable(e *historypb.HistoryEvent) (kind, free string) {
	switch e.GetEventType() {
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
		return "workflow started", ""
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
		return "update " + e.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetName(), ""
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
		return "signal " + e.GetWorkflowExecutionSignaledEventAttributes().GetSignalName(), ""
	case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
		return "activity " + e.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName(), ""
	case enumspb.EVENT_TYPE_TIMER_STARTED:
		return "timer started", ""
	case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
		return "upsert search attributes", ""
	case enumspb.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:
		return "upsert memo", ""
	case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
		return "child workflow", ""
	case enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
		return "signal external", ""
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
		return "continue-as-new", ""
	case enumspb.EVENT_TYPE_MARKER_RECORDED:
		name := e.GetMarkerRecordedEventAttributes().GetMarkerName()
		if name == "Version" {
			return "", "version marker (GetVersion)"
		}
		return "marker " + name, "" // LocalActivity, SideEffect, MutableSideEffect
	}
	return "", ""
}

// CountCost counts a history.
func CountCost(h *historypb.History) Cost {
	c := Cost{ByKind: map[string]int{}, NotBilled: map[string]int{}, Events: len(h.GetEvents()), Bytes: proto.Size(h)}
	for _, e := range h.GetEvents() {
		kind, free := billable(e)
		if kind != "" {
			c.ByKind[kind]++
			c.Actions++
		}
		if free != "" {
			c.NotBilled[free]++
		}
	}
	return c
}

// Breakdown renders ByKind, biggest first.
func (c Cost) Breakdown() string {
	kinds := make([]string, 0, len(c.ByKind))
	for k := range c.ByKind {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool {
		if c.ByKind[kinds[i]] != c.ByKind[kinds[j]] {
			return c.ByKind[kinds[i]] > c.ByKind[kinds[j]]
		}
		return kinds[i] < kinds[j]
	})
	out := ""
	for i, k := range kinds {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%s %d", k, c.ByKind[k])
	}
	return out
}

// settle waits until the workflow has no pending activity or workflow task, so the
// history holds everything the last action set off (publish's notifications).
func settle(ctx context.Context, s *Stack, id string) error {
	deadline := time.Now().Add(20 * time.Second)
	for {
		desc, err := s.Temporal.DescribeWorkflow(ctx, id, "")
		if err != nil {
			return err
		}
		if d := desc.RawResponse; len(d.GetPendingActivities()) == 0 && d.GetPendingWorkflowTask() == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s still has pending work after 20s", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// History fetches one complaint's whole history once it has settled.
func History(ctx context.Context, s *Stack, code string) (*historypb.History, error) {
	id := domain.WorkflowID(code)
	if err := settle(ctx, s, id); err != nil {
		return nil, err
	}
	it := s.Temporal.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		h.Events = append(h.Events, e)
	}
	return h, nil
}

// Costs counts the histories of up to k of the given complaints.
func Costs(ctx context.Context, s *Stack, codes []string, k int) ([]Cost, error) {
	var out []Cost
	for _, code := range codes {
		if len(out) == k {
			break
		}
		if code == "" {
			continue
		}
		h, err := History(ctx, s, code)
		if err != nil {
			return out, fmt.Errorf("history of %s: %w", code, err)
		}
		out = append(out, CountCost(h))
	}
	return out, nil
}
