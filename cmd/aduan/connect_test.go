package main

import (
	"errors"
	"strings"
	"testing"

	"aduan/config"
	"aduan/keyring"
)

// TestTemporalNeedsPayloadKeys: without ADUAN_PAYLOAD_KEYS no Temporal client is made (it
// would write plain payloads beside the others' ciphertext), and the message names the
// variable; with them the codec endpoint is wired for TEMPORAL_UI_URL.
func TestTemporalNeedsPayloadKeys(t *testing.T) {
	cfg, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = dialTemporal(cfg)
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "configuration: ADUAN_PAYLOAD_KEYS: not set") {
		t.Errorf("dial without keys: %v", err)
	}
	if c := codecEndpoint(cfg); c.Codec != nil {
		t.Errorf("a codec endpoint without keys")
	}

	cfg, err = config.Parse(map[string]string{"ADUAN_PAYLOAD_KEYS": keyring.NewKey("k1"),
		"TEMPORAL_UI_URL": "https://temporal.mamujukab.go.id"})
	if err != nil {
		t.Fatal(err)
	}
	if c := codecEndpoint(cfg); c.Codec == nil || c.UIURL != "https://temporal.mamujukab.go.id" {
		t.Errorf("codec endpoint %+v", c)
	}
}
