package reqid

import (
	"aduan/domain"
	"context"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// HeaderKey is the Temporal header the id travels in, on workflow starts, Updates and
// the activities a workflow schedules. It is written in plain JSON, not sealed with the
// payload keys: it is no personal data, and the Temporal UI shows it as it is.
const HeaderKey = "aduan-request-id"

// Propagator carries the id through Temporal: the client writes it from the context of
// a start or an Update into its header; the worker puts a start's or an Update's into
// the workflow context of the workflow or of the Update's handler (the SDK extracts an
// Update's header for its handler: internal_update.go, defaultUpdateHandler), writes it
// into the header of every activity scheduled from that context, and puts an
// activity's into the activity's context. Register it on every client
// (client.Options.ContextPropagators); workers take it from their client.
//
// It never fails a start, an Update or a task: a missing or malformed header carries no
// id. Reading and writing headers adds no event or command to a workflow's history.
func Propagator() workflow.ContextPropagator { return propagator{} }

type propagator struct{}

// workflowKey is the id's key in a workflow context (named in domain, which the
// workflow package may import).
type workflowKey = domain.RequestIDKey

func (propagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	set(w, From(ctx))
	return nil
}

func (propagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	if id := get(r); id != "" {
		return With(ctx, id), nil
	}
	return ctx, nil
}

func (propagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	set(w, FromWorkflow(ctx))
	return nil
}

// ExtractToWorkflow always sets the id, "" when the header has none: an Update sent
// without an id must not pass for the request that started the workflow.
func (propagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	return workflow.WithValue(ctx, workflowKey{}, get(r)), nil
}

// FromWorkflow is the id of the start or Update whose context ctx is, or "".
func FromWorkflow(ctx workflow.Context) string {
	id, _ := ctx.Value(workflowKey{}).(string)
	return id
}

// Detach is ctx without an id: for what the workflow does on its own (its timers'
// reminders and escalations), which no request asked for, however long after the
// request that started it.
func Detach(ctx workflow.Context) workflow.Context {
	return workflow.WithValue(ctx, workflowKey{}, "")
}

func set(w workflow.HeaderWriter, id string) {
	if id == "" {
		return
	}
	p, err := converter.GetDefaultDataConverter().ToPayload(id)
	if err != nil {
		return // a string always converts
	}
	w.Set(HeaderKey, p)
}

func get(r workflow.HeaderReader) string {
	p, ok := r.Get(HeaderKey)
	if !ok {
		return ""
	}
	return decode(p)
}

// decode reads an id from its header payload; anything but a valid id is none.
func decode(p *commonpb.Payload) string {
	var id string
	if err := converter.GetDefaultDataConverter().FromPayload(p, &id); err != nil || !Valid(id) {
		return ""
	}
	return id
}

// FromHeader is the id a history event's header carries (an Update's, a start's, a
// scheduled activity's), or "".
func FromHeader(h *commonpb.Header) string {
	if h == nil {
		return ""
	}
	p, ok := h.GetFields()[HeaderKey]
	if !ok {
		return ""
	}
	return decode(p)
}
