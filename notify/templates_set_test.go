package notify

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"aduan/domain"
)

// TestCatalogCoversEveryText: the catalog lists every default text and nothing else, each
// entry says what it is and when it goes, and every default passes Validate.
func TestCatalogCoversEveryText(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range Catalog() {
		if seen[s.Name] {
			t.Errorf("%s listed twice", s.Name)
		}
		seen[s.Name] = true
		if DefaultText(s.Name) == "" {
			t.Errorf("%s has no default text", s.Name)
		}
		if s.Title == "" || s.When == "" || s.Audience == "" || s.Form == "" {
			t.Errorf("%s: incomplete entry %+v", s.Name, s)
		}
		if err := Validate(s.Name, DefaultText(s.Name)); err != nil {
			t.Errorf("the default of %s is refused: %v", s.Name, err)
		}
		if s.Form == FormNotification && s.Subject == "" {
			t.Errorf("%s has no e-mail subject", s.Name)
		}
		if got, ok := Lookup(s.Name); !ok || got.Name != s.Name {
			t.Errorf("Lookup(%s): %+v %v", s.Name, got, ok)
		}
	}
	for name := range sources {
		if !seen[name] {
			t.Errorf("notification text %s is not in the catalog", name)
		}
	}
	for name := range replySources {
		if !seen[name] {
			t.Errorf("reply text %s is not in the catalog", name)
		}
	}
	if !seen["digest.staff"] {
		t.Error("the daily digest is not in the catalog")
	}
	if _, ok := Lookup("nothing.staff"); ok {
		t.Error("Lookup found a text that does not exist")
	}
	// Every kind a notification is sent for has its own texts, for whoever hears of it.
	for _, kind := range append(append([]domain.NotifyKind{}, allKinds...), complainantKinds...) {
		if !seen[string(kind)+".staff"] && !seen[string(kind)+".pelapor"] {
			t.Errorf("kind %s has no text of its own", kind)
		}
	}
}

// TestViewsKeepAudiencesApart: what a staff text sees has none of a complainant's fields,
// and each entry's fields are its audience's view's.
func TestViewsKeepAudiencesApart(t *testing.T) {
	fieldsOf := func(v any) map[string]bool {
		out := map[string]bool{}
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			out[rt.Field(i).Name] = true
		}
		return out
	}
	staff, complainant, reply, digest := fieldsOf(staffView{}), fieldsOf(complainantView{}), fieldsOf(replyView{}), fieldsOf(digestView{})
	for _, view := range []map[string]bool{staff, digest} {
		for f := range view {
			if isComplainantField(f) {
				t.Errorf("a staff view has the complainant's field %s", f)
			}
		}
	}
	for _, f := range []string{"Question", "AnswerTitle", "Answer", "FeedbackLink", "Reply", "Call", "Confirm"} {
		if staff[f] || !complainant[f] {
			t.Errorf("field %s: staff %v, complainant %v", f, staff[f], complainant[f])
		}
	}
	if complainant["Pokja"] || complainant["Partner"] || complainant["DuplicateOf"] {
		t.Error("a complainant's text sees the groups or the other complaint's code")
	}
	for _, s := range Catalog() {
		view := complainant
		switch {
		case s.Form == FormDigest:
			view = digest
		case s.Form != FormNotification:
			view = reply
		case s.Audience == AudienceStaff:
			view = staff
		}
		for _, f := range s.Fields {
			if !view[f] {
				t.Errorf("%s offers %s, which its view lacks", s.Name, f)
			}
		}
	}
}

// TestDefaultRepliesUnchanged pins the automatic replies' wording, as it was before the
// texts moved into the catalog.
func TestDefaultRepliesUnchanged(t *testing.T) {
	greet := "Halo, terima kasih sudah menghubungi Call Center Aduan. Silakan tuliskan masalah Anda dalam satu pesan: " +
		"apa yang terjadi, di desa/kelurahan dan kecamatan mana, dan sejak kapan. Anda juga boleh mengirim foto atau pesan suara."
	cases := []struct{ got, want string }{
		{GreetingReply(""), greet},
		{GreetingReply("http://x/lapor"), greet + " Atau isi formulir di http://x/lapor"},
		{UnsupportedReply(), "Maaf, jenis pesan ini belum dapat kami terima. Kirimkan aduan Anda sebagai teks, foto, video, " +
			"dokumen, pesan suara, atau bagikan lokasi."},
		{TooLargeReply(domain.MessageDocument), "Maaf, dokumen ini terlalu besar untuk kami simpan (paling besar 20 MB). Kirimkan foto halaman yang penting saja."},
		{TooLargeReply(domain.MessageVideo), "Maaf, video ini terlalu besar untuk kami simpan (paling besar 16 MB). Kirimkan video yang lebih pendek atau foto."},
		{TooLargeReply(domain.MessageAudio), "Maaf, rekaman ini terlalu besar untuk kami simpan (paling besar 16 MB). Kirimkan pesan suara yang lebih pendek."},
		{TooLargeReply(domain.MessageImage), "Maaf, berkas ini terlalu besar untuk kami simpan. Kirimkan berkas yang lebih kecil."},
		{MediaOnlyText(domain.MessageAudio), "(Pesan suara dari pelapor, tanpa teks. Dengarkan lampirannya.)"},
		{MediaOnlyText(domain.MessageVideo), "(Video dari pelapor, tanpa teks. Lihat lampirannya.)"},
		{MediaOnlyText(domain.MessageDocument), "(Dokumen dari pelapor, tanpa teks. Buka lampirannya.)"},
		{MediaOnlyText(domain.MessageImage), "(Foto dari pelapor, tanpa teks. Lihat lampirannya.)"},
		{MediaOnlyText(domain.MessageSticker), "(Foto dari pelapor, tanpa teks. Lihat lampirannya.)"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("%d: got %q\nwant %q", i, c.got, c.want)
		}
	}
}

// TestStoredTextsRender: a stored version's texts replace their defaults, the others stay;
// Render with the zero set is the package's Render.
func TestStoredTextsRender(t *testing.T) {
	d := Data{Code: "ADU-7K3Q-XW2M", Status: domain.StatusReceived, BaseURL: "http://x", Channel: ChannelSMS}
	ack := `Aduan Anda tercatat dengan kode {{.Code}}.{{if .Reply}} Balas pesan ini untuk menambah keterangan.{{end}} Lacak: {{.Link}}`
	set, problems := NewTemplates(4, map[string]string{"ack.pelapor": ack, "greeting": "Halo! Tulis aduan Anda.{{with .FormURL}} Formulir: {{.}}{{end}}"})
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "greeting") {
		// {{.}} inside with is refused: a stored text that no longer passes is left out.
		t.Fatalf("problems %v", problems)
	}
	if set.Version != 4 {
		t.Errorf("version %d", set.Version)
	}
	m, err := set.Render(domain.NotifyAck, AudienceComplainant, d)
	if err != nil || m.Template != "ack.pelapor" ||
		m.Text != "Aduan Anda tercatat dengan kode ADU-7K3Q-XW2M. Balas pesan ini untuk menambah keterangan. Lacak: http://x/lacak/ADU-7K3Q-XW2M" {
		t.Errorf("custom ack: %+v %v", m, err)
	}
	for _, kind := range append(append([]domain.NotifyKind{}, allKinds...), domain.NotifyQuestion, domain.NotifyAnswer) {
		for _, aud := range []Audience{AudienceStaff, AudienceComplainant} {
			got, err1 := set.Render(kind, aud, d)
			want, err2 := Render(kind, aud, d)
			if err1 != nil || err2 != nil || got != want {
				t.Errorf("%s.%s changed without being stored: %q, want %q", kind, aud, got.Text, want.Text)
			}
		}
	}
	if set.Greeting("http://x/lapor") != GreetingReply("http://x/lapor") {
		t.Error("the refused greeting went out")
	}
	if text, custom := set.Text("ack.pelapor"); !custom || text != ack {
		t.Errorf("Text(ack.pelapor): %q %v", text, custom)
	}
	if text, custom := set.Text("reminder.staff"); custom || text != sources["reminder.staff"] {
		t.Errorf("Text(reminder.staff): %v", custom)
	}
	if got := set.Custom(); !reflect.DeepEqual(got, []string{"ack.pelapor"}) {
		t.Errorf("custom %v", got)
	}
	zero, problems := NewTemplates(0, nil)
	if len(problems) != 0 || zero.Version != 0 || len(zero.Custom()) != 0 {
		t.Errorf("no stored texts: %+v %v", zero, problems)
	}
	// Automatic replies and the complaint's text of a file alone, changed.
	set, problems = NewTemplates(5, map[string]string{"unsupported": "Maaf, pesan ini tidak terbaca.",
		"too_large.video": "Video terlalu besar.", "media_only.audio": "(Pesan suara tanpa teks.)",
		"greeting": "Halo.{{if .FormURL}} Formulir: {{.FormURL}}{{end}}"})
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if set.Unsupported() != "Maaf, pesan ini tidak terbaca." || set.TooLarge(domain.MessageVideo) != "Video terlalu besar." ||
		set.MediaOnly(domain.MessageAudio) != "(Pesan suara tanpa teks.)" || set.Greeting("http://x/lapor") != "Halo. Formulir: http://x/lapor" ||
		set.TooLarge(domain.MessageAudio) != TooLargeReply(domain.MessageAudio) {
		t.Errorf("replies: %q %q %q %q", set.Unsupported(), set.TooLarge(domain.MessageVideo), set.MediaOnly(domain.MessageAudio),
			set.Greeting("http://x/lapor"))
	}
}

// TestValidateRefuses: what an admin may not write, each refused naming the template
// and saying why in Bahasa Indonesia.
func TestValidateRefuses(t *testing.T) {
	long := strings.Repeat("Aduan {{.Code}} ", TemplateMaxLen/10) + "{{.Link}}"
	cases := []struct{ name, text, want string }{
		{"ack.pelapor", "Aduan {{.Code}} diterima. {{if .Reply}}Balas.", "tidak dapat dibaca"},
		{"ack.pelapor", "Aduan {{.Code}} diterima {{.Nama}}. {{.Link}}", "{{.Nama}}, yang tidak ada untuk teks ini"},
		{"ack.pelapor", "Aduan {{.Code}} diterima. {{.Question}} {{.Link}}", "{{.Question}}, yang tidak ada"},
		{"reminder.staff", "Pengingat {{.Code}}: {{.Answer}} {{.Link}}", "untuk staf tidak boleh memakai {{.Answer}}"},
		{"escalation.staff", "Eskalasi {{.Code}}{{if .Call}} telepon{{end}}", "untuk staf tidak boleh memakai {{.Call}}"},
		{"reminder.staff", "Pengingat {{$.FeedbackLink}}", "untuk staf tidak boleh memakai {{.FeedbackLink}}"},
		{"reminder.staff", "Pengingat: ada aduan. {{.Link}}", "harus memuat kode aduan"},
		{"ack.pelapor", "Terima kasih, aduan Anda {{.Code}} sudah kami terima.", "harus memuat tautan lacak {{.Link}}"},
		{"ack.pelapor", "Terima kasih. Pantau di {{.Link}}", "harus memuat kode aduan"},
		{"ack.pelapor", "Aduan {{.Code}} diterima.{{if not .Call}} {{.Link}}{{end}}", "tautan lacak {{.Link}} (pada teks untuk telepon balik)"},
		{"question.pelapor", "Kami perlu keterangan untuk {{.Code}}. {{.Link}}", "harus memuat pertanyaan admin"},
		{"answer.pelapor", "Jawaban {{.Code}}: {{.Answer}} {{.Link}}", "harus memuat tautan tanggapan"},
		{"answer.pelapor", "Jawaban {{.Code}}: {{.Answer}} Tanggapi di {{.FeedbackLink}} {{.Link}}", "tidak boleh memuat {{.FeedbackLink}} (pada teks untuk telepon balik)"},
		{"answer_private.pelapor", "Aduan {{.Code}} selesai. {{.Link}}", "harus memuat jawaban"},
		{"ack.pelapor", "Aduan {{.}} {{.Link}}", "memakai {{.}}"},
		{"ack.pelapor", `{{define "x"}}a{{end}}Aduan {{.Code}} {{.Link}}`, "{{define}}"},
		{"ack.pelapor", `Aduan {{.Code}} {{template "x"}} {{.Link}}`, "tidak boleh memuat {{template}}"},
		{"ack.pelapor", "  \n ", "kosong"},
		{"ack.pelapor", "{{if .Reply}}Aduan {{.Code}} {{.Link}}{{end}}", "menghasilkan teks kosong (pada teks untuk e-mail)"},
		{"ack.pelapor", long, "terlalu panjang"},
		{"greeting", "Halo {{.Code}}", "Yang dapat dipakai: {{.FormURL}}."},
		{"unsupported", "Maaf {{.FormURL}}", "padahal teks ini tidak memakai kolom"},
		{"nothing.pelapor", "Aduan {{.Code}}", "tidak dikenal"},
	}
	for _, c := range cases {
		err := Validate(c.name, c.text)
		var te *TemplateError
		if err == nil {
			t.Errorf("%s %q: accepted", c.name, c.text)
			continue
		}
		te, _ = err.(*TemplateError)
		if te == nil || te.Name != c.name || !strings.HasPrefix(err.Error(), "Templat "+c.name+" ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: %v, want it to name the template and say %q", c.name, c.text, err, c.want)
		}
	}
	// What may be written: the call-back branch without the token, a shorter staff text.
	for name, text := range map[string]string{
		"answer.pelapor": "Jawaban aduan {{.Code}}: {{.Answer}}\n{{if .Call}}Tanggapi di {{.Link}}{{else}}Tanggapi di {{.FeedbackLink}}\nLacak: {{.Link}}{{end}}",
		"reminder.staff": "Pengingat: aduan {{.Code}} ({{.StatusLabel}}){{with .Deadline}} sebelum {{$.Deadline}}{{end}}.",
		"greeting":       "Halo, tulis masalah Anda dalam satu pesan.",
	} {
		if err := Validate(name, text); err != nil {
			t.Errorf("%s refused: %v", name, err)
		}
	}
	if got := CleanTemplateText("  Aduan {{.Code}}\r\nLacak {{.Link}}\r\n\r\n"); got != "Aduan {{.Code}}\nLacak {{.Link}}" {
		t.Errorf("clean: %q", got)
	}
}

// TestWhatsAppTemplates: what must be registered at Meta: one UTILITY template in
// Indonesian whose body has its one parameter inside fixed words, short enough for the
// parameter's 900 characters, with an example.
func TestWhatsAppTemplates(t *testing.T) {
	ws := WhatsAppTemplates(WhatsAppConfig{}, Templates{})
	if len(ws) != 1 {
		t.Fatalf("%d templates", len(ws))
	}
	w := ws[0]
	if w.Name != "aduan_pembaruan" || w.Language != "id" || w.Category != "UTILITY" {
		t.Errorf("template %+v", w)
	}
	if strings.Count(w.Body, "{{1}}") != 1 || strings.HasPrefix(w.Body, "{{1}}") || strings.HasSuffix(w.Body, "{{1}}") ||
		strings.Contains(w.Body, "{{2}}") {
		t.Errorf("body %q: want {{1}} once, inside fixed text", w.Body)
	}
	if fixed := utf8.RuneCountInString(strings.Replace(w.Body, "{{1}}", "", 1)); fixed+900 > 1024 {
		t.Errorf("the body's fixed text (%d characters) leaves the parameter less than 900 of 1024", fixed)
	}
	if !strings.HasPrefix(w.Example, "Terima kasih, aduan Anda sudah kami terima dengan kode ADU-7K3Q-XW2M.") ||
		strings.Contains(w.Example, "\n") || utf8.RuneCountInString(w.Example) > 900 {
		t.Errorf("example %q", w.Example)
	}
	for _, name := range []string{"ack.pelapor", "reminder.staff", "greeting"} {
		if !strings.Contains(strings.Join(w.Texts, " "), name) {
			t.Errorf("%s does not go as the template", name)
		}
	}
	if strings.Contains(strings.Join(w.Texts, " "), "media_only") {
		t.Error("a text never sent is listed as going as the template")
	}
	if w := WhatsAppTemplates(WhatsAppConfig{TemplateUpdate: "kabar_aduan", TemplateLanguage: "id"}, Templates{})[0]; w.Name != "kabar_aduan" {
		t.Errorf("configured name: %q", w.Name)
	}
	s, _ := Lookup("reminder.staff")
	if note := s.WhatsAppNote("aduan_pembaruan"); !strings.Contains(note, "Selalu lewat templat aduan_pembaruan") {
		t.Errorf("staff note %q", note)
	}
}

// TestDigestTemplate: the digest's default writes what DigestText writes; a stored wording
// replaces it and must keep the list and end with the link.
func TestDigestTemplate(t *testing.T) {
	for _, reminders := range [][]string{nil, {"Pengingat: aduan ADU-AAAA-BBBB.\nPokja: X\nBuka: http://x/staf/aduan/ADU-AAAA-BBBB"},
		{"  Pengingat: aduan ADU-AAAA-BBBB.", "Pengingat: aduan ADU-CCCC-DDDD sudah lewat tenggat.\nlagi"}} {
		if got, want := (Templates{}).Digest(reminders, "http://x/"), DigestText(reminders, "http://x/"); got != want {
			t.Errorf("digest of %d:\n%q\nwant\n%q", len(reminders), got, want)
		}
	}
	set, problems := NewTemplates(2, map[string]string{"digest.staff": "Pengingat hari ini ({{.Count}}):\n{{.Reminders}}\nSemua: {{.Link}}"})
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if got := set.Digest([]string{"Pengingat: aduan ADU-AAAA-BBBB."}, "http://x"); got !=
		"Pengingat hari ini (1):\n1. Pengingat: aduan ADU-AAAA-BBBB.\nSemua: http://x/staf/notifikasi" {
		t.Errorf("stored digest: %q", got)
	}
	for text, want := range map[string]string{
		"Ringkasan: {{.Count}} pengingat. {{.Link}}":        "harus memuat daftar pengingat",
		"Buka {{.Link}} untuk:\n{{.Reminders}}":             "harus diakhiri tautan {{.Link}}",
		"Ringkasan {{.Code}}:\n{{.Reminders}}\n{{.Link}}":   "Yang dapat dipakai: {{.Count}}, {{.Reminders}}, {{.Link}}",
		"Ringkasan:\n{{.Reminders}}\n{{.Answer}} {{.Link}}": "untuk staf tidak boleh memakai {{.Answer}}",
	} {
		if err := Validate("digest.staff", text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
	if s, _ := Lookup("digest.staff"); s.Subject != "Pengingat" || s.WhatsApp != WhatsAppAlwaysTemplate ||
		!strings.Contains(Example(Templates{}, "digest.staff"), "2. Pengingat: aduan ADU-AAAA-BBBB") {
		t.Errorf("digest entry %+v", s)
	}
}
