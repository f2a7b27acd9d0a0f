package complaints

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"unicode"

	"aduan/domain"
	"aduan/store"
)

// The files citizens send with their messages (pictures, voice notes, videos,
// documents), kept by the worker's media fetcher (package media). Staff open them with
// the rights of the complaint's text: whoever may read the complaint's text and messages
// may open its files; a confidential complaint's files are for admins and supervisors
// only. They never reach Temporal, the public pages or the feed.

// Messages of the media use case.
const (
	msgNoMedia           = "Berkas tidak ditemukan."
	msgMediaConfidential = "Berkas aduan rahasia hanya dapat dibuka admin Call Center dan supervisor."
	msgMediaFailed       = "Berkas ini tidak dapat diambil dari %s, sehingga tidak tersimpan."
	msgMediaPending      = "Berkas belum selesai diambil dari %s. Silakan coba lagi sebentar lagi."
)

// MediaFile is a message's file, to hand to a staff user. The console serves it at
// /staf/aduan/{code}/media/{id}, the JSON API at /api/v1/staff/complaints/{code}/media/{id}
// (id: MediaInfo.ID of the staff view's message).
type MediaFile struct {
	ID        int64
	MessageID int64
	Code      string
	Kind      domain.MessageKind
	// MimeType is the type the file was checked and kept as (no parameters, lower case).
	MimeType string
	// Filename is the document's name as the citizen's app gave it ("" when none).
	Filename string
	Size     int64
	// Voice marks a voice note recorded in the app.
	Voice bool
	Data  []byte
}

// Inline reports whether a browser may show the file in place (a picture, a sticker, a
// voice note or other audio, a video) rather than save it (a document, whatever its type).
func (f MediaFile) Inline() bool { return inlineKind(f.Kind, f.MimeType) }

// DownloadName is the name to save the file under: the document's own (without path or
// control characters), else berkas-<id> with its type's extension.
func (f MediaFile) DownloadName() string {
	name := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == '/', r == '\\', r == '"':
			return -1
		}
		return r
	}, f.Filename)
	name = strings.Trim(strings.TrimSpace(name), ".")
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120])
	}
	if name == "" {
		name = "berkas-" + strconv.FormatInt(f.ID, 10) + mediaExtensions[f.MimeType]
	}
	return name
}

// mediaExtensions are the file name extensions of the types Aduan keeps.
var mediaExtensions = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
	"audio/ogg": ".ogg", "audio/aac": ".aac", "audio/mp4": ".m4a", "audio/mpeg": ".mp3", "audio/amr": ".amr",
	"audio/opus": ".opus", "video/mp4": ".mp4", "video/3gpp": ".3gp",
	"application/pdf": ".pdf", "text/plain": ".txt", "application/msword": ".doc",
	"application/vnd.ms-excel": ".xls", "application/vnd.ms-powerpoint": ".ppt",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}

// inlineKind reports whether a file of kind and type is shown in place.
func inlineKind(kind domain.MessageKind, mimeType string) bool {
	switch kind {
	case domain.MessageImage, domain.MessageSticker:
		return strings.HasPrefix(mimeType, "image/")
	case domain.MessageAudio:
		return strings.HasPrefix(mimeType, "audio/")
	case domain.MessageVideo:
		return strings.HasPrefix(mimeType, "video/")
	}
	return false
}

// seesMessages reports whether viewer may read a complaint's text and messages, and so
// open its files (the rule of staffViewOf: a confidential complaint's are withheld from
// all but admins and supervisors).
func seesMessages(viewer domain.Actor, c store.Complaint) bool {
	return !c.Confidential || domain.SeesEverything(viewer)
}

// providerName is how a message says where a file comes from.
func providerName(channel string) string {
	switch channel {
	case "whatsapp":
		return "WhatsApp"
	case "sms":
		return "penyedia SMS"
	}
	return "penyedia pesan"
}

// Media is the file mediaID of one of complaint code's messages, for viewer: KindNotFound
// for an unknown complaint, a file of another complaint, or a file not kept (yet, or at
// all: the message says which); KindForbidden when viewer may not see the complaint (as
// its page), or may not read its text (a confidential complaint's files are for admins
// and supervisors).
func (s *Service) Media(ctx context.Context, viewer domain.Actor, code string, mediaID int64) (MediaFile, error) {
	row, err := s.load(ctx, code)
	if err != nil {
		return MediaFile{}, err
	}
	if !domain.CanView(viewer, row.CaseState()) {
		return MediaFile{}, &Error{Kind: KindForbidden, Message: msgNotAssigned}
	}
	if !seesMessages(viewer, row) {
		return MediaFile{}, &Error{Kind: KindForbidden, Message: msgMediaConfidential}
	}
	m, err := s.db.Media(ctx, mediaID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!m.Code.Valid || m.Code.String != row.Code)) {
		return MediaFile{}, notFound(msgNoMedia)
	}
	if err != nil {
		return MediaFile{}, unavailable(err)
	}
	switch m.State {
	case store.MediaStateStored:
	case store.MediaStatePending:
		return MediaFile{}, notFound(fmt.Sprintf(msgMediaPending, providerName(m.Channel)))
	default:
		return MediaFile{}, notFound(fmt.Sprintf(msgMediaFailed, providerName(m.Channel)))
	}
	data, err := s.db.MediaBlob(ctx, m.ID)
	if errors.Is(err, store.ErrNotFound) {
		slog.Warn("media: a stored file has no blob", "media_id", m.ID)
		return MediaFile{}, notFound(msgNoMedia)
	}
	if err != nil {
		return MediaFile{}, unavailable(err)
	}
	return MediaFile{ID: m.ID, MessageID: m.MessageID, Code: row.Code, Kind: m.Kind, MimeType: m.MimeType,
		Filename: m.Filename.String, Size: int64(len(data)), Voice: m.Voice, Data: data}, nil
}
