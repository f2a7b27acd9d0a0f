// Package payloadcodec encrypts what Aduan sends to Temporal: a payload codec
// (converter.PayloadCodec) that seals every workflow and activity payload with the current
// key of the key ring (ADUAN_PAYLOAD_KEYS, package keyring), AES-256-GCM, and opens any
// payload sealed with a key still in the ring. Staff-written text (titles, notes,
// questions, answers) then sits in Temporal's history, its database and its backups as
// ciphertext; the Temporal UI shows it to supervisors and admins through the codec
// endpoint (package api/codec).
//
// A sealed payload carries two metadata entries, in the clear:
//
//	encoding           binary/encrypted
//	encryption-key-id  the id of the key that sealed it (k2)
//
// and, as data, nonce||ciphertext of the whole original payload (its own metadata, such
// as json/plain, and its data). A payload without that encoding passes through Decode as
// it is: those written before the codec, and search attributes, which the SDK writes with
// the default converter and the codec never sees (they hold no personal data).
package payloadcodec

import (
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"

	"aduan/keyring"
)

// Metadata of a sealed payload. The names are the ones Temporal's samples use, which the
// Temporal UI and CLI show as they are.
const (
	EncodingEncrypted = "binary/encrypted"
	MetadataKeyID     = "encryption-key-id"
)

// purpose is authenticated with every payload (keyring.Seal): a payload's ciphertext
// cannot be passed off as a TOTP secret's, or the other way round.
const purpose = "aduan/temporal-payload/v1"

// Codec seals and opens payloads with a key ring.
type Codec struct {
	ring *keyring.Ring
}

var _ converter.PayloadCodec = (*Codec)(nil)

// New is the codec of ring.
func New(ring *keyring.Ring) *Codec { return &Codec{ring: ring} }

// DataConverter is Temporal's default converter (JSON, protobuf, bytes) with every
// payload sealed by the codec of ring: what every client and worker of Aduan uses
// (client.Options.DataConverter; workers take their client's).
func DataConverter(ring *keyring.Ring) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), New(ring))
}

// Encrypted says whether p is a sealed payload.
func Encrypted(p *commonpb.Payload) bool {
	return string(p.GetMetadata()[converter.MetadataEncoding]) == EncodingEncrypted
}

// Encode seals each payload with the current key. One sealed already is left as it is,
// so encoding twice (the codec endpoint asked again) seals once.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if Encrypted(p) {
			out[i] = p
			continue
		}
		plain, err := proto.Marshal(p)
		if err != nil {
			return payloads, fmt.Errorf("payload codec: %w", err)
		}
		id, sealed, err := c.ring.Seal(plain, purpose)
		if err != nil {
			return payloads, fmt.Errorf("payload codec: %w", err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{converter.MetadataEncoding: []byte(EncodingEncrypted), MetadataKeyID: []byte(id)},
			Data:     sealed,
		}
	}
	return out, nil
}

// ErrNoKeyID is a sealed payload without its key id.
var ErrNoKeyID = errors.New("payload codec: an encrypted payload without " + MetadataKeyID)

// Decode opens each sealed payload and passes the others through. An error says which
// key was missing or that a payload did not authenticate; it never holds payload data.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if !Encrypted(p) {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		if id == "" {
			return payloads, ErrNoKeyID
		}
		plain, err := c.ring.Open(id, p.GetData(), purpose)
		if err != nil {
			return payloads, fmt.Errorf("payload codec: %w", err)
		}
		inner := &commonpb.Payload{}
		if err := proto.Unmarshal(plain, inner); err != nil {
			return payloads, fmt.Errorf("payload codec: key %q: the opened payload does not parse", id)
		}
		out[i] = inner
	}
	return out, nil
}
