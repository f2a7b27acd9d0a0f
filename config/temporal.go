package config

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
)

// Temporal's defaults when neither a variable nor the profile file names them.
const (
	DefaultTemporalAddress   = "127.0.0.1:7233"
	DefaultTemporalNamespace = "default"
)

// renamedTemporal are the variables Aduan read before it took the SDK's names; a process
// that still has them stops and says the new name, rather than silently dropping TLS.
var renamedTemporal = map[string]string{
	"TEMPORAL_TLS_CERT": "TEMPORAL_TLS_CLIENT_CERT_PATH",
	"TEMPORAL_TLS_KEY":  "TEMPORAL_TLS_CLIENT_KEY_PATH",
}

// environLookup answers the SDK's envconfig from the environment Parse reads; an empty
// value counts as not set, as everywhere in this package.
type environLookup map[string]string

func (e environLookup) Environ() []string {
	out := make([]string, 0, len(e))
	for k, v := range e {
		if v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

func (e environLookup) LookupEnv(key string) (string, bool) {
	v := e[key]
	return v, v != ""
}

// resolveTemporal reads the Temporal client's settings the SDK's way (profile file, then
// variables), fills Address and Namespace with what will be used, and checks that the
// result makes a client: certificates that load, a CA that parses, TLS not half set.
func (c *Config) resolveTemporal(m map[string]string, v *validator) {
	for old, now := range renamedTemporal {
		if m[old] != "" {
			v.add(old, "is no longer read; it is now %s (the Temporal SDK's and CLI's name)", now)
		}
	}
	if s := m["TEMPORAL_TLS"]; s != "" {
		switch strings.ToLower(s) {
		case "true", "false", "1", "0":
		default:
			v.add("TEMPORAL_TLS", "%q is not true or false", s)
		}
	}
	prof, err := envconfig.LoadClientConfigProfile(envconfig.LoadClientConfigProfileOptions{EnvLookup: environLookup(m)})
	if err != nil {
		v.add(profileVar(m), "%v", err)
		return
	}
	if prof.Address == "" {
		prof.Address = DefaultTemporalAddress
	}
	if prof.Namespace == "" {
		prof.Namespace = DefaultTemporalNamespace
	}
	c.Temporal.Address, c.Temporal.Namespace = prof.Address, prof.Namespace
	if _, err := prof.ToClientOptions(envconfig.ToClientOptionsRequest{}); err != nil {
		v.add(tlsVar(m), "%v", err)
		return
	}
	c.temporalProfile = &prof
}

// profileVar names the variable to blame for a profile that cannot be read.
func profileVar(m map[string]string) string {
	if m["TEMPORAL_CONFIG_FILE"] != "" || m["TEMPORAL_PROFILE"] == "" {
		return "TEMPORAL_CONFIG_FILE"
	}
	return "TEMPORAL_PROFILE"
}

// tlsVar names the variable to blame for TLS settings that make no client: the first TLS
// variable set, else the profile file that set them.
func tlsVar(m map[string]string) string {
	for _, k := range []string{"TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_KEY_PATH",
		"TEMPORAL_TLS_SERVER_CA_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_DATA", "TEMPORAL_TLS_CLIENT_KEY_DATA",
		"TEMPORAL_TLS_SERVER_CA_CERT_DATA"} {
		if m[k] != "" {
			return k
		}
	}
	return "TEMPORAL_CONFIG_FILE"
}

// TemporalClientOptions are the client options the SDK's configuration describes
// (address, namespace, API key, TLS); the caller adds the data converter, logger and
// the rest. It fails only on a Config that Load did not produce.
func (c Config) TemporalClientOptions() (client.Options, error) {
	if c.temporalProfile == nil {
		return client.Options{}, fmt.Errorf("temporal client settings were not loaded")
	}
	opts, err := c.temporalProfile.ToClientOptions(envconfig.ToClientOptionsRequest{})
	if err != nil {
		return opts, err
	}
	if !c.Temporal.Gzip {
		opts.ConnectionOptions.GrpcCompression = &client.GrpcCompressionNone{}
	}
	return opts, nil
}
