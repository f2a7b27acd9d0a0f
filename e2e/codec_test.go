package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"aduan/api/codec"
	"aduan/domain"
	"aduan/keyring"
	"aduan/payloadcodec"
)

// The tests' payload keys (testdata/payload_keys_test.txt, also read by the replay test of
// the histories recorded with the codec): the shared client and its worker, the child
// processes and the API's codec endpoint all use them, so every e2e test runs through the
// codec.
var (
	e2eKeys          = readKeys("../testdata/payload_keys_test.txt")
	e2eRing          = mustRing(e2eKeys)
	e2eCodec         = payloadcodec.New(e2eRing)
	e2eDataConverter = payloadcodec.DataConverter(e2eRing)
	// e2eCodecEndpoint is the shared API's /staf/codec, for a Temporal UI at e2eUIOrigin.
	e2eCodecEndpoint = codec.Config{Codec: e2eCodec, UIURL: e2eUIOrigin}
)

const e2eUIOrigin = "http://temporal-ui.test:8233"

// readKeys is the ring's text in file (its # lines are comments).
func readKeys(file string) string {
	raw, err := os.ReadFile(file)
	if err != nil {
		panic(fmt.Sprintf("e2e: payload keys: %v", err))
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	panic("e2e: no payload keys in " + file)
}

func mustRing(spec string) *keyring.Ring {
	r, err := keyring.Parse(spec)
	if err != nil {
		panic(fmt.Sprintf("e2e: payload keys: %v", err))
	}
	return r
}

// decodedHistory is the complaint's history with its payloads opened: what a test that
// looks for text in history (or for its absence) reads.
func decodedHistory(t testing.TB, code string) *historypb.History {
	t.Helper()
	h := history(t, code)
	if err := e2eCodec.DecodeAll(context.Background(), h); err != nil {
		t.Fatalf("decode the history of %s: %v", code, err)
	}
	return h
}

// rawHistory is the complaint's history as the server keeps it: GetWorkflowExecutionHistory
// straight on the gRPC service, no data converter in between, every page as its bytes.
func rawHistory(t testing.TB, code string) (*historypb.History, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := &historypb.History{}
	var raw []byte
	var token []byte
	for {
		res, err := tc.WorkflowService().GetWorkflowExecutionHistory(ctx, &workflowservice.GetWorkflowExecutionHistoryRequest{
			Namespace: "default", Execution: &commonpb.WorkflowExecution{WorkflowId: domain.WorkflowID(code)},
			HistoryEventFilterType: enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT, NextPageToken: token})
		if err != nil {
			t.Fatalf("history of %s: %v", code, err)
		}
		page, err := proto.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, page...)
		h.Events = append(h.Events, res.GetHistory().GetEvents()...)
		if token = res.NextPageToken; len(token) == 0 {
			return h, raw
		}
	}
}

// TestCodecHistoryIsCiphertext: a complaint triaged with a title and a note, forwarded with
// a note, answered by the partner and published: its history read straight from the
// server holds none of that text, every payload but the search attributes is sealed, and
// the codec endpoint opens them for a supervisor only. The history is recorded with
// ADUAN_RECORD_HISTORIES=1 as testdata/history_codec_publish.json, which go test
// ./worker/ replays through the codec.
func TestCodecHistoryIsCiphertext(t *testing.T) {
	t.Parallel()
	salt := randomHex(4)
	secrets := map[string]string{
		"title":          "Judul sandi " + salt,
		"triage note":    "Catatan triase sandi " + salt,
		"forward note":   "Catatan penerusan sandi " + salt,
		"partner answer": "Jawaban mitra sandi " + salt,
		"public answer":  "Jawaban publik sandi " + salt,
	}
	code := submit(t, uniqueText(t))
	step(t, "admin", code, "triage", map[string]any{"pokja": "logistik", "category": "bantuan_logistik", "priority": "normal",
		"title": secrets["title"], "note": secrets["triage note"]}, domain.StatusAtPokja)
	step(t, "pokja-logistik", code, "forward", map[string]any{"partner": "ypii", "note": secrets["forward note"]}, domain.StatusAtPartner)
	partnerAnswer(t, code, "mitra-ypii", secrets["partner answer"])
	step(t, "pokja-logistik", code, "approve", map[string]any{}, domain.StatusReadyToPublish)
	step(t, "admin", code, "publish", map[string]any{"public_title": "Penyaluran beras " + salt,
		"public_answer": secrets["public answer"]}, domain.StatusPublished)

	h, raw := rawHistory(t, code)
	rawJSON, _ := protojson.Marshal(h)
	for what, s := range secrets {
		if bytes.Contains(raw, []byte(s)) || bytes.Contains(rawJSON, []byte(s)) {
			t.Errorf("the raw history shows the %s %q", what, s)
		}
	}
	// Every payload is sealed but the search attributes (plain by design: no personal data).
	sealed, plain := 0, 0
	err := proxy.VisitPayloads(context.Background(), h, proxy.VisitPayloadsOptions{SkipSearchAttributes: true,
		Visitor: func(vc *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
			for _, p := range ps {
				if payloadcodec.Encrypted(p) {
					sealed++
					if id := string(p.Metadata[payloadcodec.MetadataKeyID]); id != e2eRing.Current() {
						t.Errorf("a payload sealed with %q, want the current key %q", id, e2eRing.Current())
					}
				} else {
					plain++
					t.Errorf("a plain payload in %T: %q", vc.Parent, p.Metadata)
				}
			}
			return ps, nil
		}})
	if err != nil || sealed == 0 {
		t.Errorf("%d sealed, %d plain payloads (%v)", sealed, plain, err)
	}

	// The text is there, sealed: the history opens with the keys (so the checks above
	// would have found it in plain text).
	decoded := proto.Clone(h).(*historypb.History)
	if err := e2eCodec.DecodeAll(context.Background(), decoded); err != nil {
		t.Fatalf("decode: %v", err)
	}
	opened, _ := proto.Marshal(decoded)
	for what, s := range secrets {
		if !bytes.Contains(opened, []byte(s)) {
			t.Errorf("the decoded history lacks the %s: the absence checks prove nothing", what)
		}
	}

	// The Temporal UI's view: the codec endpoint decodes the payload holding the title for a
	// supervisor, refuses everyone else.
	p := payloadHolding(t, h, secrets["title"])
	body, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	sup, pokja := loginAs(t, "supervisor"), loginAs(t, "pokja-logistik")
	res, answer := codecCall(t, sup, "decode", body)
	if res.StatusCode != http.StatusOK || !strings.Contains(decodedText(t, answer), secrets["title"]) {
		t.Errorf("supervisor: %d %.300s", res.StatusCode, answer)
	}
	if res.Header.Get("Access-Control-Allow-Origin") != e2eUIOrigin || res.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("supervisor: CORS headers %v", res.Header)
	}
	if res, answer := codecCall(t, newBrowser(t), "decode", body); res.StatusCode != http.StatusUnauthorized ||
		strings.Contains(answer, salt) {
		t.Errorf("without a session: %d %.300s", res.StatusCode, answer)
	}
	if res, answer := codecCall(t, pokja, "decode", body); res.StatusCode != http.StatusForbidden || strings.Contains(answer, salt) {
		t.Errorf("pokja: %d %.300s", res.StatusCode, answer)
	}
	// The browser's preflight from the UI.
	req, _ := http.NewRequest(http.MethodOptions, baseURL+codec.Path+"/decode", nil)
	req.Header.Set("Origin", e2eUIOrigin)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-namespace")
	if res, _ := sup.do(req); res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != e2eUIOrigin {
		t.Errorf("preflight: %d %v", res.StatusCode, res.Header)
	}

	recordHistory(t, code, "codec_publish")
}

// payloadHolding is the first payload of h that holds s once opened.
func payloadHolding(t testing.TB, h *historypb.History, s string) *commonpb.Payload {
	t.Helper()
	var found *commonpb.Payload
	_ = proxy.VisitPayloads(context.Background(), h, proxy.VisitPayloadsOptions{SkipSearchAttributes: true,
		Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
			for _, p := range ps {
				if found != nil {
					break
				}
				if open, err := e2eCodec.Decode([]*commonpb.Payload{p}); err == nil && bytes.Contains(open[0].GetData(), []byte(s)) {
					found = p
				}
			}
			return ps, nil
		}})
	if found == nil {
		t.Fatalf("no payload of the history holds %q", s)
	}
	return found
}

// codecCall posts body to the codec endpoint as the Temporal UI does (from its origin,
// with the browser's cookies).
func codecCall(t testing.TB, b *staffBrowser, op string, body []byte) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, baseURL+codec.Path+"/"+op+"?preserveStorageRefs=true", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Namespace", "default")
	req.Header.Set("Origin", e2eUIOrigin)
	return b.do(req)
}

// decodedText is the data of the payloads of a codec answer, as text.
func decodedText(t testing.TB, answer string) string {
	t.Helper()
	var ps commonpb.Payloads
	if err := protojson.Unmarshal([]byte(answer), &ps); err != nil {
		t.Fatalf("codec answer %.300s: %v", answer, err)
	}
	var out strings.Builder
	for _, p := range ps.Payloads {
		if payloadcodec.Encrypted(p) {
			t.Errorf("the codec answered a sealed payload")
		}
		var v any
		if err := converter.GetDefaultDataConverter().FromPayload(p, &v); err == nil {
			fmt.Fprint(&out, v)
		}
	}
	return out.String()
}
