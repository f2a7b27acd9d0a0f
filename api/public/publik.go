package public

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"aduan/api/pages"
	"aduan/complaints"
	"aduan/domain"
)

const (
	// perPage answers per page of /publik.
	perPage = 20
	// embedDefault and embedMax bound ?n= of /publik/embed.
	embedDefault, embedMax = 5, 20
)

type option struct {
	ID, Name string
	Selected bool
}

// filter is what the /publik form asks for.
type filter struct {
	Kecamatan, Category, Pokja, Q string
}

func (f filter) query(page int) string {
	v := url.Values{}
	for k, x := range map[string]string{"kecamatan": f.Kecamatan, "kategori": f.Category, "pokja": f.Pokja, "q": f.Q} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/publik"
	}
	return "/publik?" + v.Encode()
}

type listData struct {
	Meta                         meta
	Items                        []item
	Total, Page, Pages           int
	Prev, Next                   string
	Filter                       filter
	Filtered                     bool
	Kecamatan, Categories, Pokja []option
}

// list is GET /publik: published answers, newest first, filtered by kecamatan, category
// (?kategori= or ?category=), pokja and free text.
func (h handlers) list(c *gin.Context) {
	f := filter{Kecamatan: param(c, "kecamatan"), Category: param(c, "kategori"), Pokja: param(c, "pokja"), Q: param(c, "q")}
	if f.Category == "" {
		f.Category = param(c, "category")
	}
	p := page(c)
	res, err := h.core.Publications(c.Request.Context(), complaints.PublicQuery{Kecamatan: f.Kecamatan,
		Category: f.Category, Pokja: f.Pokja, Q: f.Q, Page: p, PerPage: perPage})
	if complaints.KindOf(err) == complaints.KindInvalid {
		h.message(c, http.StatusBadRequest, "Halaman tidak ada", "Halaman daftar jawaban ini tidak ada.")
		return
	}
	if err != nil {
		h.message(c, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Daftar jawaban tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
		return
	}
	n := h.names(c)
	d := listData{Total: res.Total, Page: p, Pages: (res.Total + perPage - 1) / perPage, Filter: f, Filtered: f != filter{}}
	for _, r := range res.Items {
		d.Items = append(d.Items, n.item(r))
	}
	if p > 1 {
		d.Prev = f.query(p - 1)
	}
	if p < d.Pages {
		d.Next = f.query(p + 1)
	}
	for _, k := range n.dir.Kecamatan {
		d.Kecamatan = append(d.Kecamatan, option{k.ID, k.Name, k.ID == f.Kecamatan})
	}
	for _, k := range domain.Categories {
		if !k.Sensitive { // never published
			d.Categories = append(d.Categories, option{k.ID, k.Name, k.ID == f.Category})
		}
	}
	for _, g := range n.dir.Pokja {
		d.Pokja = append(d.Pokja, option{g.ID, g.Name, g.ID == f.Pokja})
	}
	title := "Jawaban Aduan Warga – Kabupaten Mamuju"
	if p > 1 {
		title = "Jawaban Aduan Warga (halaman " + strconv.Itoa(p) + ") – Kabupaten Mamuju"
	}
	d.Meta = h.meta(c, title, "Jawaban resmi Pemerintah Kabupaten Mamuju atas aduan warga tentang bantuan dan layanan "+
		"setelah gempa, tanpa data pribadi pelapor.", "website", f.query(p))
	c.Header("Cache-Control", "public, max-age=60")
	pages.Render(c, http.StatusOK, "publik", d)
}

type detailData struct {
	Meta meta
	Item item
}

// detail is GET /publik/{code}: one published answer.
func (h handlers) detail(c *gin.Context) {
	code := domain.NormalizeCode(c.Param("code"))
	var pub complaints.Publication
	err := error(&complaints.Error{Kind: complaints.KindNotFound})
	if code != "" {
		pub, err = h.core.Publication(c.Request.Context(), code)
	}
	switch complaints.KindOf(err) {
	case "":
	case complaints.KindNotFound:
		h.message(c, http.StatusNotFound, "Jawaban tidak ditemukan",
			"Belum ada jawaban yang diterbitkan dengan kode ini. Periksa kembali kodenya (contoh: ADU-7K3Q-XW2M). "+
				"Bila Anda pelapornya, pantau aduan Anda di halaman Lacak Aduan.")
		return
	default:
		h.message(c, http.StatusServiceUnavailable, "Layanan sedang terganggu",
			"Jawaban tidak dapat dibuka saat ini. Silakan coba lagi sebentar lagi.")
		return
	}
	it := h.names(c).item(pub)
	d := detailData{Item: it, Meta: h.meta(c, it.Title+" – Jawaban Aduan Kabupaten Mamuju", pages.Shorten(it.Answer, 200),
		"article", "/publik/"+code)}
	c.Header("Cache-Control", "public, max-age=60")
	pages.Render(c, http.StatusOK, "publik_detail", d)
}

type embedData struct {
	Meta  meta
	Items []item
	Base  string
}

// embed is GET /publik/embed?n=5: the newest answers as a small page for an <iframe> on
// the regency's website. Its links open in a new tab.
func (h handlers) embed(c *gin.Context) {
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil || n < 1 {
		n = embedDefault
	}
	n = min(n, embedMax)
	res, err := h.core.Publications(c.Request.Context(), complaints.PublicQuery{Page: 1, PerPage: n})
	if err != nil {
		h.message(c, http.StatusServiceUnavailable, "Layanan sedang terganggu", "Jawaban aduan tidak dapat dimuat saat ini.")
		return
	}
	names := h.names(c)
	d := embedData{Base: h.baseURL(c), Meta: h.meta(c, "Jawaban Aduan Terbaru – Kabupaten Mamuju",
		"Jawaban terbaru atas aduan warga Kabupaten Mamuju.", "website", "/publik/embed")}
	for _, r := range res.Items {
		d.Items = append(d.Items, names.item(r))
	}
	c.Header("Cache-Control", "public, max-age=300")
	pages.Render(c, http.StatusOK, "embed", d)
}
