package payloadcodec

import (
	"context"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/proxy"
	"google.golang.org/protobuf/proto"
)

// DecodeAll opens, in place, every sealed payload inside msg: a history or a response read
// from the server by a client that does not decode (GetWorkflowHistory returns payloads as
// the server keeps them). The tests read histories this way.
func (c *Codec) DecodeAll(ctx context.Context, msg proto.Message) error {
	return proxy.VisitPayloads(ctx, msg, proxy.VisitPayloadsOptions{
		Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
			return c.Decode(ps)
		},
	})
}

// Count says how many payloads inside msg are sealed and how many are not (search
// attributes included: they are never sealed).
func Count(ctx context.Context, msg proto.Message) (encrypted, plain int, err error) {
	err = proxy.VisitPayloads(ctx, msg, proxy.VisitPayloadsOptions{
		Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
			for _, p := range ps {
				if Encrypted(p) {
					encrypted++
				} else {
					plain++
				}
			}
			return ps, nil
		},
	})
	return encrypted, plain, err
}
