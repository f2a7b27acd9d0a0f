package e2e

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"aduan/domain"
)

// The public pages: /publik (published answers, filters, paging), /publik/{code},
// /publik/feed.atom, /publik/embed and the complainant's /lacak/{code}. They show only
// what the admin wrote for the public; never the complainant's name, phone, e-mail or
// text, nor an internal note or answer.

// letters is a random word of n lowercase letters (no digits: a run of digits in a
// public text may be taken for a phone number and redacted at publish).
func letters(n int) string {
	h := []byte(randomHex((n + 1) / 2))
	for i, c := range h {
		if c >= '0' && c <= '9' {
			h[i] = 'g' + (c - '0')
		}
	}
	return string(h[:n])
}

// published is a complaint taken through the API to a published answer.
type published struct {
	Code, Title, Answer             string
	Name, Phone, Email, Text, Notes string
}

// publishVia submits a complaint with personal data from Simboro/Botteng, triages it to
// pokja, has the pokja answer (an internal answer) and publishes title and answer.
func publishVia(t *testing.T, pokja, category, title, answer string) published {
	t.Helper()
	salt := letters(6)
	p := published{Title: title, Answer: answer, Name: "Ibu Rahmawati " + salt, Phone: webPhone(),
		Email: "rahma." + salt + "@example.net", Text: uniqueText(t) + " Rumah kami belum dapat terpal " + salt,
		Notes: "Catatan internal " + salt}
	p.Code = submitBody(t, map[string]any{"text": p.Text, "name": p.Name, "phone": p.Phone, "email": p.Email,
		"kecamatan": "simboro", "desa": "botteng"}, nil)
	step(t, "admin", p.Code, "triage", map[string]any{"pokja": pokja, "category": category, "priority": "normal",
		"title": "Judul internal " + salt, "note": p.Notes}, domain.StatusAtPokja)
	step(t, "pokja-"+pokja, p.Code, "answer", map[string]any{"answer": "Jawaban internal pokja " + salt},
		domain.StatusReadyToPublish)
	step(t, "admin", p.Code, "publish", map[string]any{"public_title": title, "public_answer": answer},
		domain.StatusPublished)
	return p
}

// secrets is what no public page may show of p.
func (p published) secrets() map[string]string {
	phone := domain.NormalizePhone(p.Phone)
	return map[string]string{"name": p.Name, "phone as typed": p.Phone, "phone": phone,
		"phone without 0": strings.TrimPrefix(phone, "0"), "e-mail": p.Email, "text": p.Text,
		"internal note": p.Notes, "internal title": "Judul internal", "internal answer": "Jawaban internal pokja"}
}

// wantPublicPage is wantPage and the head every public page has: title, Open Graph.
func wantPublicPage(t *testing.T, r response, status int, title string) string {
	t.Helper()
	body := wantPage(t, r, status)
	wantContains(t, "the page's head", body, "<title>"+title, `<meta name="viewport" content="width=device-width,initial-scale=1">`,
		`<meta property="og:title" content="`+title, `<meta property="og:description" content="`,
		`<meta property="og:type" content="`, `<meta property="og:url" content="http://test/`,
		`<meta property="og:site_name" content="Call Center Aduan Kabupaten Mamuju">`)
	if r.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("a public page may be framed: X-Frame-Options %q, CSP %q", r.Header.Get("X-Frame-Options"),
			r.Header.Get("Content-Security-Policy"))
	}
	return body
}

// absentAll checks that none of the secrets shows in body.
func absentAll(t *testing.T, what, body string, secrets map[string]string) {
	t.Helper()
	for kind, s := range secrets {
		if s != "" && strings.Contains(body, s) {
			t.Errorf("%s shows the %s (%q)", what, kind, s)
		}
	}
}

// Atom is what the tests read of the feed.
type atomTestFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []atomTestEntry `xml:"entry"`
}

type atomTestEntry struct {
	ID        string `xml:"id"`
	Title     string `xml:"title"`
	Updated   string `xml:"updated"`
	Published string `xml:"published"`
	Link      struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Summary struct {
		Type string `xml:"type,attr"`
		Text string `xml:",chardata"`
	} `xml:"summary"`
	Content struct {
		Type string `xml:"type,attr"`
		Text string `xml:",chardata"`
	} `xml:"content"`
}

// feed reads /publik/feed.atom, which must be well-formed Atom.
func feed(t *testing.T) (atomTestFeed, string) {
	t.Helper()
	r := webGet(t, baseURL, "/publik/feed.atom")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("GET /publik/feed.atom: HTTP %d, Content-Type %q: %.500s", r.Status, r.Header.Get("Content-Type"), r.Raw)
	}
	var f atomTestFeed
	if err := xml.Unmarshal(r.Raw, &f); err != nil {
		t.Fatalf("the feed is not well-formed XML: %v\n%s", err, r.Raw)
	}
	// Well-formed throughout: the strict decoder reads every token.
	d := xml.NewDecoder(strings.NewReader(string(r.Raw)))
	for {
		if _, err := d.Token(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("the feed breaks at a token: %v", err)
			}
			break
		}
	}
	if f.ID == "" || f.Title == "" || f.Updated == "" {
		t.Errorf("feed without id, title or updated: %+v", f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("feed updated %q: %v", f.Updated, err)
	}
	rels := map[string]string{}
	for _, l := range f.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != "http://test/publik/feed.atom" || rels["alternate"] != "http://test/publik" {
		t.Errorf("feed links %+v", f.Links)
	}
	if len(f.Entries) > 50 {
		t.Errorf("the feed has %d entries, want at most 50", len(f.Entries))
	}
	return f, string(r.Raw)
}

func (f atomTestFeed) entry(code string) *atomTestEntry {
	for i, e := range f.Entries {
		if e.ID == "http://test/publik/"+code {
			return &f.Entries[i]
		}
	}
	return nil
}

// TestPublicPages: a published answer is on /publik (and its filters find it), on its own
// page, on the complainant's tracking page, in the feed and in the embed; nothing of the
// complainant shows anywhere.
func TestPublicPages(t *testing.T) {
	t.Parallel()
	salt := letters(8)
	title := "Perbaikan jalan desa Botteng " + salt
	answer := "Jalan desa telah diperbaiki oleh dinas terkait.\nTerima kasih atas laporannya " + salt + "."
	p := publishVia(t, "logistik", "infrastruktur", title, answer)
	secrets := p.secrets()

	// The list: found by its words, by its code, and by each filter.
	q := "/publik?q=" + salt
	body := wantPublicPage(t, webGet(t, baseURL, q), http.StatusOK, "Jawaban Aduan Warga")
	wantContains(t, "/publik?q=", body, `<a href="/publik/`+p.Code+`">`+title+`</a>`, "<b>1 jawaban</b> sesuai saringan",
		"Kec. Simboro, Botteng", "Infrastruktur", "Jalan desa telah diperbaiki", `value="`+salt+`"`)
	absentAll(t, "/publik", body, secrets)
	wantContains(t, "/publik?q=code", wantPage(t, webGet(t, baseURL, "/publik?q="+p.Code), http.StatusOK), title)
	for query, want := range map[string]bool{
		"&kecamatan=simboro": true, "&kecamatan=tapalang-barat": false,
		"&kategori=infrastruktur": true, "&kategori=kesehatan": false, "&category=infrastruktur": true,
		"&pokja=logistik": true, "&pokja=hunian": false,
		"&kecamatan=simboro&kategori=infrastruktur&pokja=logistik": true,
	} {
		body := wantPage(t, webGet(t, baseURL, q+query), http.StatusOK)
		if got := strings.Contains(body, title); got != want {
			t.Errorf("/publik?q=…%s lists the answer: %v, want %v", query, got, want)
		}
		if !want {
			wantContains(t, "an empty result", body, "<b>0 jawaban</b>", "Tidak ada jawaban yang sesuai")
		}
	}
	// Selected filters stay selected.
	wantContains(t, "the filter form", wantPage(t, webGet(t, baseURL, q+"&pokja=logistik&kecamatan=simboro"), http.StatusOK),
		`<option value="logistik" selected>Pokja Logistik dan Bantuan</option>`, `<option value="simboro" selected>Simboro</option>`)

	// The unfiltered list, newest first: the new answer is on page 1; a page past the end
	// is empty and links back.
	body = wantPage(t, webGet(t, baseURL, "/publik"), http.StatusOK)
	wantContains(t, "/publik", body, title, `<form method="get" action="/publik">`, `name="kategori"`, `name="pokja"`)
	if strings.Contains(body, `"perlindungan"`) {
		t.Errorf("/publik offers a confidential category as a filter")
	}
	wantContains(t, "/publik?page=999", wantPage(t, webGet(t, baseURL, "/publik?page=999&q="+salt), http.StatusOK),
		"<b>1 jawaban</b>", `rel="prev"`)

	// The answer's own page.
	r := webGet(t, baseURL, "/publik/"+p.Code)
	body = wantPublicPage(t, r, http.StatusOK, title+" – Jawaban Aduan Kabupaten Mamuju")
	wantContains(t, "/publik/{code}", body, "<h1>"+title+"</h1>", answer, p.Code, "WITA", "Kecamatan Simboro",
		"Botteng", "Pokja Logistik dan Bantuan", "Infrastruktur", `<meta property="og:type" content="article">`,
		`<meta property="og:url" content="http://test/publik/`+p.Code+`">`)
	absentAll(t, "/publik/{code}", body, secrets)
	// A lower-case code finds it too.
	wantContains(t, "/publik/{code} in lower case", wantPage(t, webGet(t, baseURL, "/publik/"+strings.ToLower(p.Code)), http.StatusOK), title)

	// The tracking page: status, the timeline in WITA, the answer, and where to give
	// feedback; the form itself only on the complainant's own link (issue 14).
	r = webGet(t, baseURL, "/lacak/"+p.Code)
	body = wantPublicPage(t, r, http.StatusOK, "Lacak Aduan "+p.Code)
	wantContains(t, "/lacak/{code}", body, p.Code, "Dijawab dan diterbitkan", "Diterima", "Ditangani pokja",
		"Siap diterbitkan", "WITA", title, answer, `<meta name="robots" content="noindex">`, `id="tanggapan-petunjuk"`)
	absentAll(t, "/lacak/{code}", body, secrets)
	link := wantPublicPage(t, webGet(t, baseURL, "/lacak/"+p.Code+"/tanggapan/"+feedbackTokenOf(t, p.Code, p.Code)),
		http.StatusOK, "Lacak Aduan "+p.Code)
	wantContains(t, "the feedback link", link, `<form method="post" action="/lacak/`+p.Code+`/tanggapan"`,
		`<button type="submit" name="puas" value="ya">Ya, masalah saya selesai</button>`,
		`<button type="submit" name="puas" value="tidak" class="alt">Belum selesai</button>`, `name="komentar"`)
	absentAll(t, "the feedback link", link, secrets)
	if strings.Contains(body, "Batas waktu") {
		t.Errorf("/lacak of a published complaint shows a deadline")
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("/lacak/{code} Cache-Control %q, want private", cc)
	}

	// The feed.
	f, raw := feed(t)
	e := f.entry(p.Code)
	if e == nil {
		t.Fatalf("the feed lacks %s", p.Code)
	}
	if e.Title != title || e.Content.Text != answer || e.Content.Type != "text" || e.Summary.Type != "text" ||
		e.Link.Href != "http://test/publik/"+p.Code || e.Published == "" || e.Updated == "" {
		t.Errorf("feed entry %+v", e)
	}
	if _, err := time.Parse(time.RFC3339, e.Published); err != nil {
		t.Errorf("entry published %q: %v", e.Published, err)
	}
	absentAll(t, "the feed", raw, secrets)

	// The embed: framable by any site, with the newest answers linking to their pages.
	r = webGet(t, baseURL, "/publik/embed?n=50")
	body = wantPage(t, r, http.StatusOK)
	if xfo := r.Header.Get("X-Frame-Options"); xfo != "" {
		t.Errorf("the embed sends X-Frame-Options %q: it cannot be framed", xfo)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("the embed's CSP %q lacks frame-ancestors *", csp)
	}
	wantContains(t, "the embed", body, `href="http://test/publik/`+p.Code+`" target="_blank" rel="noopener">`+title,
		`<meta property="og:site_name" content="Call Center Aduan Kabupaten Mamuju">`)
	absentAll(t, "the embed", body, secrets)
	if n := strings.Count(wantPage(t, webGet(t, baseURL, "/publik/embed?n=1"), http.StatusOK), "<li>"); n != 1 {
		t.Errorf("/publik/embed?n=1 shows %d answers", n)
	}
}

// TestPublicPagesUnpublished: an unpublished complaint and a confidential one are on no
// public list, in no feed, and their /publik page is an Indonesian 404; the complainant
// still tracks an open one, with its deadline.
func TestPublicPagesUnpublished(t *testing.T) {
	t.Parallel()
	open := newAtPokja(t)
	conf := confidentialIntake(t, "Saya diancam petugas pembagi bantuan "+letters(6), "Ibu Rahasia", webPhone())
	// Even a confidential row with a public answer (which the workflow never writes) stays out.
	salt := letters(8)
	if _, err := testDB.Exec(`UPDATE complaints SET published_at = now(), public_title = $2, public_answer = $2
		WHERE code = $1`, conf, "Rahasia "+salt); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{open, conf} {
		body := wantPublicPage(t, webGet(t, baseURL, "/publik/"+code), http.StatusNotFound, "Jawaban tidak ditemukan")
		wantContains(t, "the 404 page", body, "Belum ada jawaban yang diterbitkan dengan kode ini")
		wantContains(t, "/publik?q=code", wantPage(t, webGet(t, baseURL, "/publik?q="+code), http.StatusOK), "<b>0 jawaban</b>")
	}
	if body := wantPage(t, webGet(t, baseURL, "/publik?q="+salt), http.StatusOK); strings.Contains(body, salt+"</a>") {
		t.Errorf("/publik lists a confidential complaint")
	}
	f, raw := feed(t)
	if f.entry(open) != nil || f.entry(conf) != nil || strings.Contains(raw, salt) {
		t.Errorf("the feed carries an unpublished or confidential complaint")
	}
	if strings.Contains(wantPage(t, webGet(t, baseURL, "/publik/embed?n=20"), http.StatusOK), salt) {
		t.Errorf("the embed shows a confidential complaint")
	}

	body := wantPublicPage(t, webGet(t, baseURL, "/lacak/"+open), http.StatusOK, "Lacak Aduan "+open)
	wantContains(t, "/lacak of an open complaint", body, "Ditangani pokja", "Batas waktu tahap ini", "WITA")
	if strings.Contains(body, "tanggapan") {
		t.Errorf("/lacak of an unpublished complaint offers the feedback form")
	}
	// The confidential complaint's page shows no answer, whatever its row holds.
	if strings.Contains(wantPage(t, webGet(t, baseURL, "/lacak/"+conf), http.StatusOK), salt) {
		t.Errorf("/lacak shows a confidential complaint's answer")
	}
	for _, c := range []string{"ADU-0000-0000", "bukan-kode"} {
		wantContains(t, "/lacak of an unknown code", wantPublicPage(t, webGet(t, baseURL, "/lacak/"+c), http.StatusNotFound,
			"Kode tidak ditemukan"), "Kode aduan ini tidak kami kenal")
	}
	// /lacak asks for the code and goes to its page.
	wantContains(t, "/lacak", wantPublicPage(t, webGet(t, baseURL, "/lacak"), http.StatusOK, "Lacak Aduan"),
		`<form method="get" action="/lacak">`, `name="kode"`)
	if r := webGet(t, baseURL, "/lacak?kode="+url.QueryEscape(strings.ToLower(open))); r.Status != http.StatusSeeOther ||
		r.Header.Get("Location") != "/lacak/"+open {
		t.Errorf("/lacak?kode=: %d to %q", r.Status, r.Header.Get("Location"))
	}
	wantPage(t, webGet(t, baseURL, "/lacak?kode=xyz"), http.StatusBadRequest)
}

// TestPublicPagesXSS: markup in a public title and answer is shown escaped on every page
// and stays text in the feed, which remains well-formed.
func TestPublicPagesXSS(t *testing.T) {
	t.Parallel()
	salt := letters(8)
	title := `<script>alert(1)</script> Judul "><img src=x onerror=alert(1)> ` + salt
	answer := "Jawaban <script>alert(1)</script> & \"><img src=x onerror=alert(1)> ]]> </content> " + salt
	p := publishVia(t, "logistik", "bantuan_logistik", title, answer)
	raw := []string{"<script>alert", "<img src=x", `"><img`, "</content> " + salt}
	for path, status := range map[string]int{"/publik?q=" + salt: 200, "/publik/" + p.Code: 200, "/lacak/" + p.Code: 200,
		"/publik/embed?n=20": 200} {
		body := wantPage(t, webGet(t, baseURL, path), status)
		for _, s := range raw {
			if strings.Contains(body, s) {
				t.Errorf("%s shows %q unescaped", path, s)
			}
		}
		wantContains(t, path, body, "&lt;script&gt;alert(1)&lt;/script&gt;")
		absentAll(t, path, body, p.secrets())
	}
	f, rawFeed := feed(t)
	e := f.entry(p.Code)
	if e == nil {
		t.Fatalf("the feed lacks %s", p.Code)
	}
	if e.Title != title || e.Content.Text != answer {
		t.Errorf("the feed changed the texts: %q / %q", e.Title, e.Content.Text)
	}
	for _, s := range raw {
		if strings.Contains(rawFeed, s) {
			t.Errorf("the feed holds %q unescaped", s)
		}
	}
	// Markup in the address is not echoed either.
	for _, path := range []string{"/publik/" + url.PathEscape(`"><img src=x onerror=alert(5)>`),
		"/lacak/" + url.PathEscape(`<img src=x onerror=alert(6)>`)} {
		body := wantPage(t, webGet(t, baseURL, path), http.StatusNotFound)
		if strings.Contains(body, "<img src=x") || strings.Contains(body, "<script>alert") {
			t.Errorf("%s echoes markup", path)
		}
	}
}

// TestLacakDuplicate: a complaint rejected as a duplicate of a published one tells its
// complainant which complaint carries theirs, with that complaint's status, timeline and
// answer, and nothing of the other complainant.
func TestLacakDuplicate(t *testing.T) {
	t.Parallel()
	salt := letters(8)
	orig := publishVia(t, "logistik", "bantuan_logistik", "Beras untuk Botteng "+salt, "Beras telah dibagikan ulang "+salt+".")
	dup := submit(t, uniqueText(t))
	step(t, "admin", dup, "reject", map[string]any{"reason": "duplicate", "duplicate_of": orig.Code,
		"note": "Sama dengan aduan sebelumnya " + salt}, domain.StatusRejected)
	body := wantPublicPage(t, webGet(t, baseURL, "/lacak/"+dup), http.StatusOK, "Lacak Aduan "+dup)
	// The other complaint is followed without its code (issue 14: the code would let this
	// complainant act on another's complaint).
	wantContains(t, "/lacak of a duplicate", body, "Aduan Anda digabung dengan aduan lain",
		"Aduan yang menggabungkan aduan Anda", "Beras untuk Botteng "+salt, "Beras telah dibagikan ulang "+salt,
		`<span class="st">Dijawab dan diterbitkan`, `id="status-`+dup+`">Ditolak`, "Ditangani pokja")
	if strings.Contains(body, orig.Code) {
		t.Errorf("/lacak of a duplicate names the other complaint's code %s", orig.Code)
	}
	absentAll(t, "/lacak of a duplicate", body, orig.secrets())
	if strings.Contains(body, "Sama dengan aduan sebelumnya") {
		t.Errorf("/lacak shows the admin's internal note")
	}
	if strings.Contains(body, "/tanggapan") {
		t.Errorf("/lacak of a rejected duplicate offers the feedback form")
	}
	// An ordinary rejection says so, without a merge.
	spam := submit(t, uniqueText(t))
	step(t, "admin", spam, "reject", map[string]any{"reason": "spam", "note": "uji"}, domain.StatusRejected)
	body = wantPage(t, webGet(t, baseURL, "/lacak/"+spam), http.StatusOK)
	wantContains(t, "/lacak of a rejected complaint", body, "Ditolak", "tidak berisi aduan")
	if strings.Contains(body, "digabung") {
		t.Errorf("/lacak of a spam complaint speaks of a merge")
	}
}

// TestLacakFeedback: the form on /lacak of a published complaint: "Ya" closes it,
// "Belum selesai" sends it back; a bad choice or a complaint not published is refused
// with a page.
func TestLacakFeedback(t *testing.T) {
	t.Parallel()
	// Posted from the complainant's feedback link (opened once), with its token and CSRF cookie.
	type opened struct {
		hidden url.Values
		cookie *http.Cookie
	}
	links := map[string]opened{}
	post := func(code string, form url.Values) response {
		if code == "ADU-0000-0000" { // no link to open: a browser's own CSRF pair
			csrf := "c3JmLXRva2VuLW9mLXRoZS1icm93c2VyLTAxMjM0NTY3"
			return postFeedback(t, code, url.Values{"csrf_token": {csrf}}, &http.Cookie{Name: "aduan_lacak_csrf", Value: csrf}, form)
		}
		l, ok := links[code]
		if !ok {
			l.hidden, l.cookie = feedbackForm(t, code, feedbackTokenOf(t, code, code))
			links[code] = l
		}
		return postFeedback(t, code, l.hidden, l.cookie, form)
	}
	yes := publishVia(t, "logistik", "bantuan_logistik", "Terpal "+letters(6), "Terpal sudah dibagikan.")
	wantContains(t, "a missing choice", wantPage(t, post(yes.Code, url.Values{"komentar": {"x"}}), http.StatusBadRequest),
		"Pilih jawaban")
	body := wantPage(t, post(yes.Code, url.Values{"puas": {"ya"}, "komentar": {"Terima kasih <b>banyak</b>"}}), http.StatusOK)
	wantContains(t, "the thank-you page", body, "Terima kasih", `href="/lacak/`+yes.Code+`"`)
	if tr := tracking(t, yes.Code); tr.Status != "closed" {
		t.Errorf("after \"Ya\": %s, want closed", tr.Status)
	}
	if strings.Contains(wantPage(t, webGet(t, baseURL, "/lacak/"+yes.Code), http.StatusOK), "/tanggapan") {
		t.Errorf("/lacak of a closed complaint still offers the feedback form")
	}
	wantContains(t, "feedback again", wantPage(t, post(yes.Code, url.Values{"puas": {"ya"}}), http.StatusConflict),
		"Tanggapan belum terkirim")

	no := publishVia(t, "logistik", "bantuan_logistik", "Air bersih "+letters(6), "Tangki air sudah dikirim.")
	wantContains(t, "the not-solved page", wantPage(t, post(no.Code, url.Values{"puas": {"tidak"}, "komentar": {"Belum sampai"}}),
		http.StatusOK), "dikembalikan kepada petugas")
	if tr := tracking(t, no.Code); tr.Status != "at_pokja" {
		t.Errorf("after \"Belum selesai\": %s, want at_pokja", tr.Status)
	}
	wantPage(t, post("ADU-0000-0000", url.Values{"puas": {"ya"}}), http.StatusNotFound)
}

// TestBrowserPublik: headless Chromium on a 360-px phone shows /publik and /lacak/{code}
// with their inline style, no script and no sideways scrolling. With ADUAN_SCREENSHOTS=1
// it saves docs/publik.png and docs/lacak.png.
func TestBrowserPublik(t *testing.T) {
	t.Parallel()
	p := publishVia(t, "logistik", "bantuan_logistik", "Bantuan beras di Desa Botteng sudah disalurkan ulang",
		"Pokja Logistik bersama lembaga mitra telah menyalurkan ulang 40 paket beras kepada keluarga yang belum "+
			"menerima. Bila masih ada warga yang belum menerima, silakan melapor kembali dengan menyebut kode aduan.")
	b := startChromium(t)
	tab := b.newTab(t)
	tab.call(t, "Page.enable", nil)
	tab.call(t, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": true})
	type pageFacts struct {
		Lang    string  `json:"lang"`
		Scripts int     `json:"scripts"`
		Scroll  int     `json:"scroll"`
		Font    float64 `json:"font"`
		H1      string  `json:"h1"`
		Text    string  `json:"text"`
	}
	facts := func(u string) pageFacts {
		tab.navigate(t, u)
		var f pageFacts
		tab.evaluate(t, `(() => ({
			lang: document.documentElement.lang,
			scripts: document.scripts.length,
			scroll: document.documentElement.scrollWidth,
			font: parseFloat(getComputedStyle(document.body).fontSize),
			h1: document.querySelector('h1').textContent,
			text: document.body.innerText,
		}))()`, &f)
		if f.Lang != "id" || f.Scripts != 0 || f.Scroll > 360 || f.Font < 16 {
			t.Errorf("%s in Chromium: lang %q, %d scripts, %d px wide, font %v px", u, f.Lang, f.Scripts, f.Scroll, f.Font)
		}
		return f
	}
	f := facts(baseURL + "/publik")
	if f.H1 != "Jawaban Aduan Warga" || !strings.Contains(f.Text, "Bantuan beras di Desa Botteng") {
		t.Errorf("/publik in Chromium: %q", f.H1)
	}
	// The screenshot shows the filter form too (and only this test's answer: the others
	// run at the same time).
	f = facts(baseURL + "/publik?q=disalurkan+ulang&kecamatan=simboro")
	if !strings.Contains(f.Text, "1 jawaban sesuai saringan") || !strings.Contains(f.Text, "Pokja yang menjawab") {
		t.Errorf("/publik?q= in Chromium: %s", f.Text)
	}
	tab.screenshot(t, "publik.png")
	// The complainant's own link, which carries the feedback form.
	f = facts(baseURL + "/lacak/" + p.Code + "/tanggapan/" + feedbackTokenOf(t, p.Code, p.Code))
	if !strings.Contains(f.Text, "Dijawab dan diterbitkan") || !strings.Contains(f.Text, "Ya, masalah saya selesai") {
		t.Errorf("/lacak in Chromium: %.400s", f.Text)
	}
	tab.screenshot(t, "lacak.png")
	facts(baseURL + "/publik/" + p.Code)
}
