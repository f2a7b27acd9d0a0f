package worker

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"

	sdkworker "go.temporal.io/sdk/worker"

	"aduan/domain"
	"aduan/keyring"
	"aduan/payloadcodec"
	"aduan/workflows"
)

// TestReplayRecordedHistories replays histories of real lifecycles, recorded from the dev
// server by the e2e tests (ADUAN_RECORD_HISTORIES=1 go test ./e2e/), against today's
// workflow code: testdata/history_*.json, one per lifecycle. A failure means a change is
// not deterministic for running complaints: guard it with workflow.GetVersion.
//
// The replayer opens payloads with the e2e tests' keys (testdata/payload_keys_test.txt),
// as a worker does with ADUAN_PAYLOAD_KEYS: histories recorded with the payload codec
// (history_codec_*.json, and any recorded since) replay through it, and those written
// before it (plain payloads: history_before_codec_happy_path.json is kept as one) still
// replay. Both kinds must be there.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("../testdata/history_*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d recorded histories in testdata/, want at least 3", len(files))
	}
	dc := payloadcodec.DataConverter(testKeys(t))
	var sealed, plain []string
	for _, f := range files {
		name := filepath.Base(f)
		if encrypted(t, f) {
			sealed = append(sealed, name)
		} else {
			plain = append(plain, name)
		}
		t.Run(name, func(t *testing.T) {
			r, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{DataConverter: dc})
			if err != nil {
				t.Fatal(err)
			}
			r.RegisterWorkflowWithOptions(workflows.Complaint, workflow.RegisterOptions{Name: workflows.WorkflowName})
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
	t.Logf("with sealed payloads: %v; plain (before the codec): %v", sealed, plain)
	if len(sealed) == 0 {
		t.Error("no history recorded with the payload codec (history_codec_*.json)")
	}
	if len(plain) == 0 {
		t.Error("no history written before the payload codec (history_before_codec_happy_path.json)")
	}
}

// TestReplayCoversBothAnnouncements: publications are replayed both ways, as
// versionAnnounceQueued divides them: announced by the AnnouncePublication activity
// (recorded before the change) and queued by the publish's projection, with no activity
// (history_announce_queued_happy_path.json, recorded since). The activity's name and the Update's are not
// payloads, so they read the same in sealed and plain histories.
func TestReplayCoversBothAnnouncements(t *testing.T) {
	files, err := filepath.Glob("../testdata/history_*.json")
	if err != nil {
		t.Fatal(err)
	}
	var byActivity, queued []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !named(raw, "publish") {
			continue
		}
		if named(raw, domain.ActivityAnnounce) {
			byActivity = append(byActivity, filepath.Base(f))
		} else {
			queued = append(queued, filepath.Base(f))
		}
	}
	t.Logf("announced by the activity: %v; queued by the projection: %v", byActivity, queued)
	if len(byActivity) == 0 || len(queued) == 0 {
		t.Errorf("want recorded publications of both kinds; by the activity %v, queued %v", byActivity, queued)
	}
}

// named says whether a JSON history names name (an Update's or an activity's): protojson
// spaces its output at random, one or two spaces after the colon.
func named(raw []byte, name string) bool {
	return regexp.MustCompile(`"name":\s*"` + regexp.QuoteMeta(name) + `"`).Match(raw)
}

// TestReplayNeedsTheKeys: a history recorded with the codec does not replay without its
// keys, so the test above really goes through the codec.
func TestReplayNeedsTheKeys(t *testing.T) {
	files, _ := filepath.Glob("../testdata/history_codec_*.json")
	if len(files) == 0 {
		t.Fatal("no history recorded with the payload codec (history_codec_*.json)")
	}
	other, err := keyring.Parse(keyring.NewKey("e2e-2"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := sdkworker.NewWorkflowReplayerWithOptions(sdkworker.WorkflowReplayerOptions{
		DataConverter: payloadcodec.DataConverter(other)})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(workflows.Complaint, workflow.RegisterOptions{Name: workflows.WorkflowName})
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, files[0]); err == nil {
		t.Errorf("%s replays with another key of the same id", files[0])
	}
}

// encrypted says whether the history in file holds sealed payloads.
func encrypted(t *testing.T, file string) bool {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	n, _, err := payloadcodec.Count(context.Background(), h)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return n > 0
}

// testKeys is the e2e tests' key ring (the file's # lines are comments).
func testKeys(t *testing.T) *keyring.Ring {
	t.Helper()
	raw, err := os.ReadFile("../testdata/payload_keys_test.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			r, err := keyring.Parse(line)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	t.Fatal("no keys in testdata/payload_keys_test.txt")
	return nil
}
