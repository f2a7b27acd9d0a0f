package complaints

import (
	"bytes"
	"context"
	"database/sql"
	"strings"
	"testing"

	"aduan/domain"
	"aduan/store"
)

// mediaStore is the few calls Media makes, in memory.
type mediaStore struct {
	Store
	complaints map[string]store.Complaint
	media      map[int64]store.Media
	blobs      map[int64][]byte
}

func (s mediaStore) Complaint(_ context.Context, code string) (store.Complaint, error) {
	c, ok := s.complaints[code]
	if !ok {
		return c, store.ErrNotFound
	}
	return c, nil
}

func (s mediaStore) Media(_ context.Context, id int64) (store.Media, error) {
	m, ok := s.media[id]
	if !ok {
		return m, store.ErrNotFound
	}
	return m, nil
}

func (s mediaStore) MediaBlob(_ context.Context, id int64) ([]byte, error) {
	b, ok := s.blobs[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return b, nil
}

func ns(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

var (
	mAdmin      = domain.Actor{Username: "admin", Role: domain.RoleAdmin}
	mSupervisor = domain.Actor{Username: "supervisor", Role: domain.RoleSupervisor}
	mPokja      = domain.Actor{Username: "pokja-logistik", Role: domain.RolePokja, Pokja: "logistik"}
	mOtherPokja = domain.Actor{Username: "pokja-hunian", Role: domain.RolePokja, Pokja: "hunian"}
	mPartner    = domain.Actor{Username: "mitra-ypii", Role: domain.RolePartner, Partner: "ypii"}
	mOtherPart  = domain.Actor{Username: "mitra-pmi", Role: domain.RolePartner, Partner: "pmi"}
)

func mediaService() (*Service, []byte) {
	jpeg := []byte("\xff\xd8\xff\xe0 a picture")
	const open, secret, other = "ADU-AAAA-0001", "ADU-AAAA-0002", "ADU-AAAA-0003"
	db := mediaStore{
		complaints: map[string]store.Complaint{
			open:   {Code: open, Status: domain.StatusAtPartner, Pokja: ns("logistik"), Partner: ns("ypii")},
			secret: {Code: secret, Status: domain.StatusAtPokja, Pokja: ns("logistik"), Confidential: true},
			other:  {Code: other, Status: domain.StatusAtPokja, Pokja: ns("logistik")},
		},
		media: map[int64]store.Media{
			1: {ID: 1, MessageID: 11, Code: ns(open), Kind: domain.MessageImage, Channel: "whatsapp", MimeType: "image/jpeg", State: "stored"},
			2: {ID: 2, MessageID: 12, Code: ns(other), Kind: domain.MessageImage, Channel: "whatsapp", MimeType: "image/jpeg", State: "stored"},
			3: {ID: 3, MessageID: 13, Code: ns(open), Kind: domain.MessageAudio, Channel: "whatsapp", State: "pending"},
			4: {ID: 4, MessageID: 14, Code: ns(open), Kind: domain.MessageDocument, Channel: "whatsapp", State: "failed"},
			5: {ID: 5, MessageID: 15, Code: ns(open), Kind: domain.MessageImage, Channel: "whatsapp", MimeType: "image/png", State: "stored"},
			6: {ID: 6, MessageID: 16, Kind: domain.MessageImage, Channel: "whatsapp", MimeType: "image/png", State: "stored"},
			7: {ID: 7, MessageID: 17, Code: ns(secret), Kind: domain.MessageDocument, Channel: "whatsapp",
				MimeType: "application/pdf", Filename: ns("surat visum.pdf"), State: "stored"},
		},
		blobs: map[int64][]byte{1: jpeg, 2: jpeg, 6: jpeg, 7: []byte("%PDF-1.4")},
	}
	return New(db, nil, Config{}), jpeg
}

// TestMediaAccess: a file opens for whoever may read its complaint's text, and only
// through its own complaint.
func TestMediaAccess(t *testing.T) {
	s, jpeg := mediaService()
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		viewer domain.Actor
		code   string
		id     int64
		kind   Kind
		msgHas string
	}{
		{"admin", mAdmin, "ADU-AAAA-0001", 1, "", ""},
		{"supervisor", mSupervisor, "ADU-AAAA-0001", 1, "", ""},
		{"the complaint's pokja", mPokja, "ADU-AAAA-0001", 1, "", ""},
		{"the assigned partner", mPartner, "ADU-AAAA-0001", 1, "", ""},
		{"another pokja", mOtherPokja, "ADU-AAAA-0001", 1, KindForbidden, "tidak ditugaskan"},
		{"another partner", mOtherPart, "ADU-AAAA-0001", 1, KindForbidden, "tidak ditugaskan"},
		{"no role", domain.Actor{Username: "x"}, "ADU-AAAA-0001", 1, KindForbidden, ""},
		{"another pokja, another complaint's file", mOtherPokja, "ADU-AAAA-0001", 2, KindForbidden, ""},
		{"another complaint's file", mAdmin, "ADU-AAAA-0001", 2, KindNotFound, "Berkas tidak ditemukan"},
		{"an unattached message's file", mAdmin, "ADU-AAAA-0001", 6, KindNotFound, "Berkas tidak ditemukan"},
		{"an unknown file", mAdmin, "ADU-AAAA-0001", 99, KindNotFound, "Berkas tidak ditemukan"},
		{"an unknown complaint", mAdmin, "ADU-ZZZZ-9999", 1, KindNotFound, "Kode aduan"},
		{"pending", mPokja, "ADU-AAAA-0001", 3, KindNotFound, "belum selesai diambil dari WhatsApp"},
		{"failed", mPokja, "ADU-AAAA-0001", 4, KindNotFound, "tidak dapat diambil dari WhatsApp"},
		{"stored without a blob", mAdmin, "ADU-AAAA-0001", 5, KindNotFound, "Berkas tidak ditemukan"},
		{"confidential: admin", mAdmin, "ADU-AAAA-0002", 7, "", ""},
		{"confidential: supervisor", mSupervisor, "ADU-AAAA-0002", 7, "", ""},
		{"confidential: the assigned pokja", mPokja, "ADU-AAAA-0002", 7, KindForbidden, "rahasia"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := s.Media(ctx, tc.viewer, tc.code, tc.id)
			if KindOf(err) != tc.kind {
				t.Fatalf("kind %q (%v), want %q", KindOf(err), err, tc.kind)
			}
			if err != nil {
				if msg := AsError(err).Message; !strings.Contains(msg, tc.msgHas) {
					t.Errorf("message %q, want it to say %q", msg, tc.msgHas)
				}
				if f.Data != nil {
					t.Errorf("a refusal carries %d bytes", len(f.Data))
				}
				return
			}
			if f.ID != tc.id || f.Code != tc.code || f.Size != int64(len(f.Data)) || len(f.Data) == 0 {
				t.Errorf("file %+v", f)
			}
			if tc.id == 1 && (!bytes.Equal(f.Data, jpeg) || f.MimeType != "image/jpeg" || !f.Inline()) {
				t.Errorf("the picture: %q as %s, inline %v", f.Data, f.MimeType, f.Inline())
			}
			if tc.id == 7 && (f.Inline() || f.DownloadName() != "surat visum.pdf") {
				t.Errorf("the document: inline %v, name %q", f.Inline(), f.DownloadName())
			}
		})
	}
}

func TestMediaFileNames(t *testing.T) {
	for _, tc := range []struct {
		f    MediaFile
		name string
	}{
		{MediaFile{ID: 3, MimeType: "application/pdf", Filename: "Surat Keterangan.pdf"}, "Surat Keterangan.pdf"},
		{MediaFile{ID: 3, MimeType: "application/pdf", Filename: "../../etc/passwd"}, "etcpasswd"},
		{MediaFile{ID: 3, MimeType: "application/pdf", Filename: "a\"b\r\nc.pdf"}, "abc.pdf"},
		{MediaFile{ID: 3, MimeType: "application/pdf"}, "berkas-3.pdf"},
		{MediaFile{ID: 4, MimeType: "audio/ogg"}, "berkas-4.ogg"},
		{MediaFile{ID: 5, MimeType: "application/x-unknown", Filename: " .. "}, "berkas-5"},
	} {
		if got := tc.f.DownloadName(); got != tc.name {
			t.Errorf("DownloadName of %q = %q, want %q", tc.f.Filename, got, tc.name)
		}
	}
	for _, tc := range []struct {
		kind   domain.MessageKind
		mime   string
		inline bool
	}{
		{domain.MessageImage, "image/jpeg", true},
		{domain.MessageSticker, "image/webp", true},
		{domain.MessageAudio, "audio/ogg", true},
		{domain.MessageVideo, "video/mp4", true},
		{domain.MessageDocument, "image/jpeg", false},
		{domain.MessageDocument, "application/pdf", false},
		{domain.MessageImage, "text/html", false},
	} {
		if got := (MediaFile{Kind: tc.kind, MimeType: tc.mime}).Inline(); got != tc.inline {
			t.Errorf("Inline(%s, %s) = %v", tc.kind, tc.mime, got)
		}
	}
}
