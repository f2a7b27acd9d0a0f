// Package domain holds the vocabulary of a complaint that every layer shares:
// statuses, roles, actions, categories and their Indonesian labels. It does no I/O,
// so workflow code may import it.
package domain

// Status is where a complaint stands; see API.md "Statuses".
type Status string

const (
	StatusReceived       Status = "received"
	StatusAwaitingInfo   Status = "awaiting_info"
	StatusAtPokja        Status = "at_pokja"
	StatusAtPartner      Status = "at_partner"
	StatusPokjaReview    Status = "pokja_review"
	StatusReadyToPublish Status = "ready_to_publish"
	StatusPublished      Status = "published"
	StatusClosed         Status = "closed"
	StatusRejected       Status = "rejected"
)

// AllStatuses lists every status in lifecycle order.
var AllStatuses = []Status{
	StatusReceived, StatusAwaitingInfo, StatusAtPokja, StatusAtPartner, StatusPokjaReview,
	StatusReadyToPublish, StatusPublished, StatusClosed, StatusRejected,
}

var statusLabels = map[Status]string{
	StatusReceived:       "Diterima",
	StatusAwaitingInfo:   "Menunggu informasi pelapor",
	StatusAtPokja:        "Ditangani pokja",
	StatusAtPartner:      "Diteruskan ke lembaga mitra",
	StatusPokjaReview:    "Ditinjau pokja",
	StatusReadyToPublish: "Siap diterbitkan",
	StatusPublished:      "Dijawab dan diterbitkan",
	StatusClosed:         "Selesai",
	StatusRejected:       "Ditolak",
}

// Label is the status name a user reads.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	_, ok := statusLabels[s]
	return ok
}

// Final statuses end the lifecycle: nobody has the ball.
func (s Status) Final() bool { return s == StatusClosed || s == StatusRejected }

// BallWith says which role has to act next in this status ("" when nobody on staff does).
func (s Status) BallWith() Role {
	switch s {
	case StatusReceived, StatusReadyToPublish:
		return RoleAdmin
	case StatusAtPokja, StatusPokjaReview:
		return RolePokja
	case StatusAtPartner:
		return RolePartner
	}
	return ""
}
