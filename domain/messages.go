package domain

// What citizens send over WhatsApp and SMS, as Aduan keeps it.

// MessageKind is what an inbound message carries.
type MessageKind string

const (
	MessageText     MessageKind = "text"
	MessageImage    MessageKind = "image"
	MessageVideo    MessageKind = "video"
	MessageDocument MessageKind = "document"
	MessageAudio    MessageKind = "audio" // a voice note or an audio file
	MessageSticker  MessageKind = "sticker"
	MessageLocation MessageKind = "location"
	MessageContacts MessageKind = "contacts"
	// MessageButton is a press of a reply button (interactive or a template's quick reply).
	MessageButton MessageKind = "button"
	// MessageOther is a kind Aduan cannot use (a reaction, a poll, an unknown type): it is
	// kept as a note, and the citizen is told what we can take.
	MessageOther MessageKind = "other"
)

// MessageKinds lists every kind, for validation.
var MessageKinds = []MessageKind{MessageText, MessageImage, MessageVideo, MessageDocument, MessageAudio,
	MessageSticker, MessageLocation, MessageContacts, MessageButton, MessageOther}

// HasMedia reports whether the kind carries a file to fetch.
func (k MessageKind) HasMedia() bool {
	switch k {
	case MessageImage, MessageVideo, MessageDocument, MessageAudio, MessageSticker:
		return true
	}
	return false
}

// MediaLimit is the largest file Aduan keeps of a kind (0: none kept). WhatsApp's own
// limits are higher for documents (100 MB); a larger file is refused with a message
// asking for a photo of its page or a shorter one, as PostgreSQL is the store.
func MediaLimit(k MessageKind) int64 {
	switch k {
	case MessageImage:
		return 5 << 20
	case MessageSticker:
		return 512 << 10
	case MessageAudio, MessageVideo:
		return 16 << 20
	case MessageDocument:
		return 20 << 20
	}
	return 0
}

// MediaTypes are the MIME types Aduan keeps per kind (WhatsApp's supported ones).
var MediaTypes = map[MessageKind][]string{
	MessageImage:   {"image/jpeg", "image/png", "image/webp"},
	MessageSticker: {"image/webp"},
	MessageAudio:   {"audio/ogg", "audio/aac", "audio/mp4", "audio/mpeg", "audio/amr", "audio/opus"},
	MessageVideo:   {"video/mp4", "video/3gpp"},
	MessageDocument: {"application/pdf", "text/plain", "application/msword", "application/vnd.ms-excel",
		"application/vnd.ms-powerpoint",
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"image/jpeg", "image/png"},
}

// MediaTypeAllowed reports whether mime (without parameters, lower case) is kept for k.
func MediaTypeAllowed(k MessageKind, mime string) bool {
	for _, t := range MediaTypes[k] {
		if t == mime {
			return true
		}
	}
	return false
}
