package reqid

import (
	"aduan/domain"
	"context"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"
)

// HeaderKey is the Temporal header the id travels in, on workflow starts, Updates and
// the activities a workflow schedules. It is written with the client's data converter,
// so it is sealed with the payload keys like every other payload (the Temporal UI shows
// it once it decodes through the codec endpoint).
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
// dc writes and reads the header (the client's data converter; nil: the SDK's default).
func Propagator(dc converter.DataConverter) workflow.ContextPropagator {
	if dc == nil {
		dc = converter.GetDefaultDataConverter()
	}
	return propagator{dc: dc}
}

type propagator struct{ dc converter.DataConverter }

// workflowKey is the id's key in a workflow context (named in domain, which the
// workflow package may import).
type workflowKey = domain.RequestIDKey

func (p propagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	set(p.dc, w, From(ctx))
	return nil
}

func (p propagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	if id := get(p.dc, r); id != "" {
		return With(ctx, id), nil
	}
	return ctx, nil
}

func (p propagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	set(p.dc, w, FromWorkflow(ctx))
	return nil
}

// ExtractToWorkflow always sets the id, "" when the header has none: an Update sent
// without an id must not pass for the request that started the workflow.
func (p propagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	return workflow.WithValue(ctx, workflowKey{}, get(p.dc, r)), nil
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

func set(dc converter.DataConverter, w workflow.HeaderWriter, id string) {
	if id == "" {
		return
	}
	p, err := dc.ToPayload(id)
	if err != nil {
		return // a string always converts
	}
	w.Set(HeaderKey, p)
}

func get(dc converter.DataConverter, r workflow.HeaderReader) string {
	p, ok := r.Get(HeaderKey)
	if !ok {
		return ""
	}
	return decode(dc, p)
}

// decode reads an id from its header payload; anything but a valid id is none.
func decode(dc converter.DataConverter, p *commonpb.Payload) string {
	if dc == nil {
		dc = converter.GetDefaultDataConverter()
	}
	var id string
	if err := dc.FromPayload(p, &id); err != nil || !Valid(id) {
		return ""
	}
	return id
}

// FromHeader is the id a history event's header carries (an Update's, a start's, a
// scheduled activity's), read with dc (the clients' data converter), or "".
func FromHeader(dc converter.DataConverter, h *commonpb.Header) string {
	if h == nil {
		return ""
	}
	p, ok := h.GetFields()[HeaderKey]
	if !ok {
		return ""
	}
	return decode(dc, p)
}
