package payloadcodec

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"

	"aduan/keyring"
)

const (
	key1 = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	key2 = "k2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
)

type note struct {
	Title string `json:"title"`
	Note  string `json:"note"`
}

var sample = note{Title: "Beras belum sampai di Botteng", Note: "Mohon dicek gudang Simboro"}

func ring(t *testing.T, spec string) *keyring.Ring {
	t.Helper()
	r, err := keyring.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRoundTrip: what the data converter writes holds none of the text and names the key;
// it reads back as it was.
func TestRoundTrip(t *testing.T) {
	dc := DataConverter(ring(t, key1))
	p, err := dc.ToPayload(sample)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(p.Metadata[converter.MetadataEncoding]); got != EncodingEncrypted {
		t.Errorf("encoding %q, want %q", got, EncodingEncrypted)
	}
	if got := string(p.Metadata[MetadataKeyID]); got != "k1" {
		t.Errorf("key id %q, want k1", got)
	}
	raw, _ := p.Marshal()
	for _, s := range []string{sample.Title, sample.Note, "Botteng", "json/plain"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("the encoded payload shows %q", s)
		}
	}
	var back note
	if err := dc.FromPayload(p, &back); err != nil || back != sample {
		t.Errorf("read back %+v, %v", back, err)
	}
}

// TestBeforeTheCodec: a payload written before the codec (plain JSON, no encryption
// metadata) still reads.
func TestBeforeTheCodec(t *testing.T) {
	plain, err := converter.GetDefaultDataConverter().ToPayload(sample)
	if err != nil {
		t.Fatal(err)
	}
	var back note
	if err := DataConverter(ring(t, key1)).FromPayload(plain, &back); err != nil || back != sample {
		t.Errorf("plain payload read as %+v, %v", back, err)
	}
	// And nil, bytes and proto payloads go through too.
	for _, v := range []any{nil, []byte("x"), &commonpb.WorkflowType{Name: "Complaint"}} {
		p, err := converter.GetDefaultDataConverter().ToPayload(v)
		if err != nil {
			t.Fatal(err)
		}
		out, err := New(ring(t, key1)).Decode([]*commonpb.Payload{p})
		if err != nil || out[0] != p {
			t.Errorf("%T: decoded to %v, %v", v, out, err)
		}
	}
}

// TestRotation: payloads sealed with k1 read after k2 became current; new ones are sealed
// with k2; with k1 gone from the ring, its payloads fail naming k1.
func TestRotation(t *testing.T) {
	before, _ := DataConverter(ring(t, key1)).ToPayload(sample)
	rotated := DataConverter(ring(t, "*"+key2+","+key1))
	var back note
	if err := rotated.FromPayload(before, &back); err != nil || back != sample {
		t.Errorf("k1 payload after rotation: %+v, %v", back, err)
	}
	after, _ := rotated.ToPayload(sample)
	if got := string(after.Metadata[MetadataKeyID]); got != "k2" {
		t.Errorf("new payload sealed with %q, want k2", got)
	}
	err := DataConverter(ring(t, key2)).FromPayload(before, &back)
	if !errors.Is(err, keyring.ErrUnknownKey) || !strings.Contains(err.Error(), "k1") {
		t.Errorf("k1 payload without k1: %v", err)
	}
}

// TestDecodeRefuses: a tampered payload, or a sealed one without its key id, is an error
// that shows nothing of the payload.
func TestDecodeRefuses(t *testing.T) {
	c := New(ring(t, key1))
	p, _ := DataConverter(ring(t, key1)).ToPayload(sample)
	tampered := &commonpb.Payload{Metadata: p.Metadata, Data: append([]byte(nil), p.Data...)}
	tampered.Data[20] ^= 0xff
	noID := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(EncodingEncrypted)}, Data: p.Data}
	for name, in := range map[string]*commonpb.Payload{"tampered": tampered, "no key id": noID} {
		_, err := c.Decode([]*commonpb.Payload{in})
		if err == nil {
			t.Errorf("%s: decoded", name)
			continue
		}
		if strings.Contains(err.Error(), "Botteng") {
			t.Errorf("%s: the error shows the payload: %v", name, err)
		}
	}
}

// TestEncodeOnce: encoding a sealed payload again leaves it as it is.
func TestEncodeOnce(t *testing.T) {
	c := New(ring(t, key1))
	plain, _ := converter.GetDefaultDataConverter().ToPayload(sample)
	once, err := c.Encode([]*commonpb.Payload{plain})
	if err != nil {
		t.Fatal(err)
	}
	twice, err := c.Encode(once)
	if err != nil || twice[0] != once[0] {
		t.Errorf("encoded twice: %v", err)
	}
}

// TestDecodeAll: a history holding sealed and plain payloads reads whole; Count tells them
// apart.
func TestDecodeAll(t *testing.T) {
	r := ring(t, key1)
	sealed, _ := DataConverter(r).ToPayloads(sample)
	plain, _ := converter.GetDefaultDataConverter().ToPayloads("before")
	h := &historypb.History{Events: []*historypb.HistoryEvent{
		{Attributes: &historypb.HistoryEvent_WorkflowExecutionStartedEventAttributes{
			WorkflowExecutionStartedEventAttributes: &historypb.WorkflowExecutionStartedEventAttributes{Input: sealed}}},
		{Attributes: &historypb.HistoryEvent_ActivityTaskScheduledEventAttributes{
			ActivityTaskScheduledEventAttributes: &historypb.ActivityTaskScheduledEventAttributes{Input: plain}}},
	}}
	ctx := context.Background()
	if enc, pl, err := Count(ctx, h); err != nil || enc != 1 || pl != 1 {
		t.Errorf("Count = %d encrypted, %d plain, %v; want 1, 1", enc, pl, err)
	}
	if err := New(r).DecodeAll(ctx, h); err != nil {
		t.Fatal(err)
	}
	var back note
	in := h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetInput()
	if err := converter.GetDefaultDataConverter().FromPayloads(in, &back); err != nil || back != sample {
		t.Errorf("decoded input %+v, %v", back, err)
	}
	if enc, _, _ := Count(ctx, h); enc != 0 {
		t.Errorf("%d payloads still sealed", enc)
	}
}
