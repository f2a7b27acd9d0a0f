package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCertPair writes a self-signed certificate and its key as PEM files in dir.
func writeCertPair(t *testing.T, dir, name string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, DNSNames: []string{name}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestTemporalDefaults: with nothing set (and no profile file), the dev server's address.
func TestTemporalDefaults(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // no ~/.config/temporalio/temporal.toml
	t.Setenv("XDG_CONFIG_HOME", "")
	c, err := Parse(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.TemporalClientOptions()
	if err != nil {
		t.Fatal(err)
	}
	if opts.HostPort != DefaultTemporalAddress || opts.Namespace != DefaultTemporalNamespace || opts.ConnectionOptions.TLS != nil {
		t.Errorf("defaults: %q %q TLS %v", opts.HostPort, opts.Namespace, opts.ConnectionOptions.TLS)
	}
	if c.Temporal.Address != DefaultTemporalAddress {
		t.Errorf("Temporal.Address = %q", c.Temporal.Address)
	}
}

// TestTemporalTLS: a client certificate, a private CA and a server name make a TLS
// client; an API key alone turns TLS on; TEMPORAL_TLS=false turns it off.
func TestTemporalTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeCertPair(t, dir, "client")
	ca, _ := writeCertPair(t, dir, "ca")
	c, err := Parse(map[string]string{"TEMPORAL_ADDRESS": "temporal.kab.go.id:7233", "TEMPORAL_NAMESPACE": "aduan",
		"TEMPORAL_TLS_CLIENT_CERT_PATH": cert, "TEMPORAL_TLS_CLIENT_KEY_PATH": key,
		"TEMPORAL_TLS_SERVER_CA_CERT_PATH": ca, "TEMPORAL_TLS_SERVER_NAME": "frontend.internal"})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := c.TemporalClientOptions()
	if err != nil {
		t.Fatal(err)
	}
	tls := opts.ConnectionOptions.TLS
	if tls == nil || len(tls.Certificates) != 1 || tls.RootCAs == nil || tls.ServerName != "frontend.internal" {
		t.Fatalf("TLS = %+v", tls)
	}
	if opts.HostPort != "temporal.kab.go.id:7233" || opts.Namespace != "aduan" {
		t.Errorf("address %q namespace %q", opts.HostPort, opts.Namespace)
	}

	c, err = Parse(map[string]string{"TEMPORAL_API_KEY": "k"})
	if err != nil {
		t.Fatal(err)
	}
	if opts, _ := c.TemporalClientOptions(); opts.ConnectionOptions.TLS == nil || opts.Credentials == nil {
		t.Errorf("an API key must turn TLS on and send the key")
	}
	c, err = Parse(map[string]string{"TEMPORAL_API_KEY": "k", "TEMPORAL_TLS": "false"})
	if err != nil {
		t.Fatal(err)
	}
	if opts, _ := c.TemporalClientOptions(); !opts.ConnectionOptions.TLSDisabled {
		t.Errorf("TEMPORAL_TLS=false must turn TLS off")
	}
}

// TestTemporalBadSettings: every half-configured or unreadable setting stops the process
// naming the variable.
func TestTemporalBadSettings(t *testing.T) {
	dir := t.TempDir()
	cert, _ := writeCertPair(t, dir, "client")
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"TEMPORAL_TLS_CLIENT_CERT_PATH": cert}, "TEMPORAL_TLS_CLIENT_KEY_PATH: not set, but TEMPORAL_TLS_CLIENT_CERT_PATH is"},
		{map[string]string{"TEMPORAL_TLS_CLIENT_KEY_PATH": cert}, "TEMPORAL_TLS_CLIENT_CERT_PATH: not set, but TEMPORAL_TLS_CLIENT_KEY_PATH is"},
		{map[string]string{"TEMPORAL_TLS_CLIENT_CERT_PATH": cert, "TEMPORAL_TLS_CLIENT_KEY_PATH": filepath.Join(dir, "none.pem")},
			"TEMPORAL_TLS_CLIENT_CERT_PATH: invalid TLS config"},
		{map[string]string{"TEMPORAL_TLS_SERVER_CA_CERT_PATH": garbage}, "TEMPORAL_TLS_SERVER_CA_CERT_PATH: invalid TLS config"},
		{map[string]string{"TEMPORAL_TLS": "maybe"}, "TEMPORAL_TLS: \"maybe\" is not true or false"},
		{map[string]string{"TEMPORAL_TLS_CERT": cert}, "TEMPORAL_TLS_CERT: is no longer read; it is now TEMPORAL_TLS_CLIENT_CERT_PATH"},
		{map[string]string{"TEMPORAL_PROFILE": "nope", "TEMPORAL_CONFIG_FILE": filepath.Join(dir, "none.toml")}, "TEMPORAL_CONFIG_FILE:"},
		{map[string]string{"TEMPORAL_ADDRESS": "no-port"}, "TEMPORAL_ADDRESS: \"no-port\" is not host:port"},
	} {
		_, err := Parse(tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.env, err, tc.want)
		}
	}
}

// TestTemporalProfileFile: the SDK's TOML profile file is read, and a variable overrides it.
func TestTemporalProfileFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "temporal.toml")
	err := os.WriteFile(file, []byte(`
[profile.default]
address = "localhost:7233"

[profile.regency]
address = "temporal.kab.go.id:7233"
namespace = "aduan-prod"
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "regency"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Temporal.Address != "temporal.kab.go.id:7233" || c.Temporal.Namespace != "aduan-prod" {
		t.Errorf("profile regency: %q %q", c.Temporal.Address, c.Temporal.Namespace)
	}
	c, err = Parse(map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "regency", "TEMPORAL_NAMESPACE": "aduan-test"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Temporal.Namespace != "aduan-test" {
		t.Errorf("the variable must override the profile: %q", c.Temporal.Namespace)
	}
}
