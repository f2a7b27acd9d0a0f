package complaints

import (
	"context"
	"testing"
	"time"

	"aduan/reqid"
	"aduan/workflows"
)

// TestStarterCarriesRequestID: the background start of a complaint's workflow carries
// the id of the request that took the complaint in, so its start header names it.
func TestStarterCarriesRequestID(t *testing.T) {
	got := make(chan string, 1)
	st := newStarter(1, 4, time.Second, func(ctx context.Context, in workflows.Input) error {
		got <- reqid.From(ctx)
		return nil
	})
	st.Start()
	defer st.Stop()
	st.enqueue(reqid.With(context.Background(), "intake-42"), inputFor("ADU-RQID-0001"))
	select {
	case id := <-got:
		if id != "intake-42" {
			t.Errorf("the start's context carries %q, want intake-42", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("not started within 5 s")
	}
}
