package reqid

import (
	"context"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{
		"test-0a1B._x":            true,
		strings.Repeat("a", 64):   true,
		strings.Repeat("a", 65):   false,
		"":                        false,
		"a b":                     false,
		"a\r\nX-Evil: 1":          false,
		"ünï":                     false,
		"9f86d081884c7d659a2feaa": true,
	} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
	id := New()
	if len(id) != 32 || !Valid(id) || id == New() {
		t.Errorf("New() = %q: want 32 fresh hex digits", id)
	}
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	if From(ctx) != "" {
		t.Errorf("an empty context carries %q", From(ctx))
	}
	if got := From(With(ctx, "abc")); got != "abc" {
		t.Errorf("From(With(abc)) = %q", got)
	}
}

// header is a Temporal header as the SDK's readers and writers see it.
type header map[string]*commonpb.Payload

func (h header) Set(k string, v *commonpb.Payload) { h[k] = v }
func (h header) Get(k string) (*commonpb.Payload, bool) {
	v, ok := h[k]
	return v, ok
}
func (h header) ForEachKey(f func(string, *commonpb.Payload) error) error {
	for k, v := range h {
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}

// TestPropagatorClient: a client's context goes into the header and comes back out; a
// header that is not a valid id carries none, and nothing fails.
func TestPropagatorClient(t *testing.T) {
	p := Propagator(nil)
	h := header{}
	if err := p.Inject(With(context.Background(), "req-1"), h); err != nil {
		t.Fatal(err)
	}
	if got := FromHeader(nil, &commonpb.Header{Fields: h}); got != "req-1" {
		t.Errorf("FromHeader = %q, want req-1", got)
	}
	ctx, err := p.Extract(context.Background(), h)
	if err != nil || From(ctx) != "req-1" {
		t.Errorf("Extract: %q, %v", From(ctx), err)
	}
	empty := header{}
	_ = p.Inject(context.Background(), empty)
	if len(empty) != 0 {
		t.Errorf("a context without an id wrote %v", empty)
	}
	bad, _ := converter.GetDefaultDataConverter().ToPayload("two words")
	for _, h := range []header{{HeaderKey: bad}, {HeaderKey: &commonpb.Payload{Data: []byte("{")}}} {
		ctx, err := p.Extract(context.Background(), h)
		if err != nil || From(ctx) != "" {
			t.Errorf("a bad header: %q, %v", From(ctx), err)
		}
	}
}

func echoActivity(ctx context.Context) (string, error) { return From(ctx), nil }

// idsWorkflow reports the id in its own context, in an activity scheduled from it, and
// in one scheduled from a detached context.
func idsWorkflow(ctx workflow.Context) ([]string, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	var inActivity, detached string
	if err := workflow.ExecuteActivity(ctx, echoActivity).Get(ctx, &inActivity); err != nil {
		return nil, err
	}
	if err := workflow.ExecuteActivity(Detach(ctx), echoActivity).Get(ctx, &detached); err != nil {
		return nil, err
	}
	return []string{FromWorkflow(ctx), inActivity, detached}, nil
}

// TestPropagatorWorkflow: the id of a workflow's start reaches the workflow and the
// activities it schedules, but not those scheduled from a detached context.
func TestPropagatorWorkflow(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetContextPropagators([]workflow.ContextPropagator{Propagator(nil)})
	h := header{}
	_ = Propagator(nil).Inject(With(context.Background(), "start-7"), h)
	env.SetHeader(&commonpb.Header{Fields: h})
	env.RegisterActivity(echoActivity)
	env.ExecuteWorkflow(idsWorkflow)
	var got []string
	if err := env.GetWorkflowResult(&got); err != nil {
		t.Fatal(err)
	}
	if want := []string{"start-7", "start-7", ""}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ids %q, want %q", got, want)
	}
}
