package activities

import (
	"errors"
	"time"
)

// How a sender holds an outbox row while it sends it (store.ClaimNotifications): several
// workers run the outbox loops, and Temporal may run a second attempt of a Notify
// activity while the first still sends (its start-to-close timeout passed, or its worker
// lost Temporal but not the provider). Each send claims its row first, for longer than
// the send can take, so one message is never in flight twice.

// sendTimeout bounds one message's send: each provider's HTTP request is bounded at
// 20 s (notify's defaultHTTPTimeout), SMTP at 30 s.
const sendTimeout = 30 * time.Second

// sendHold is how long a sender holds the row it sends: the send (sendTimeout) and the
// write that records it, with room to spare. A sender that dies mid-send leaves the row
// to be taken again after it.
const sendHold = 90 * time.Second

// ErrInFlight says a message of the occasion is being sent by another sender (another
// attempt of the activity, or another worker): nothing was sent twice, and trying again
// later finds it sent, or free to send if that sender died.
var ErrInFlight = errors.New("another sender has the message in flight")
