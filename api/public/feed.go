package public

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
)

// The Atom 1.0 feed (RFC 4287) of the newest published answers, /publik/feed.atom, for
// the regency's and Kominfosandi's websites and feed readers. encoding/xml escapes every
// text, so an answer holding markup stays text and the feed stays well-formed.

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr"`
	ID       string      `xml:"id"`
	Title    atomText    `xml:"title"`
	Subtitle atomText    `xml:"subtitle"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published"`
	Links     []atomLink     `xml:"link"`
	Category  []atomCategory `xml:"category"`
	Summary   atomText       `xml:"summary"`
	Content   atomText       `xml:"content"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// feedSize is how many answers the Atom feed carries.
const feedSize = 50

// feed is GET /publik/feed.atom: the newest published answers.
func (h handlers) feed(c *gin.Context) {
	res, err := h.core.Publications(c.Request.Context(), complaints.PublicQuery{Page: 1, PerPage: feedSize})
	if err != nil {
		respond.Error(c, err)
		return
	}
	base := h.baseURL(c)
	n := h.names(c)
	feed := atomFeed{Lang: "id", ID: base + "/publik", Title: atomText{"text", "Jawaban Aduan Warga – Kabupaten Mamuju"},
		Subtitle: atomText{"text", "Jawaban resmi " + siteName + " atas aduan warga, tanpa data pribadi pelapor."},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/publik/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/publik"}},
		Author: atomPerson{Name: siteName, URI: base + "/publik"}}
	updated := time.Unix(0, 0)
	for _, r := range res.Items {
		it := n.item(r)
		pub := r.UpdatedAt
		if r.PublishedAt != nil {
			pub = *r.PublishedAt
		}
		// What the entry shows changes only when it is published: later internal steps
		// (feedback, overdue marks) do not make it new again.
		if pub.After(updated) {
			updated = pub
		}
		e := atomEntry{ID: base + "/publik/" + r.Code, Title: atomText{"text", it.Title}, Updated: atomTime(pub),
			Published: atomTime(pub), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + it.Path}},
			Summary: atomText{"text", it.Summary}, Content: atomText{"text", it.Answer}}
		if r.Category != "" {
			e.Category = []atomCategory{{Term: r.Category, Label: it.Category}}
		}
		feed.Entries = append(feed.Entries, e)
	}
	if len(res.Items) == 0 {
		updated = time.Now()
	}
	feed.Updated = atomTime(updated)
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Terjadi kesalahan di server."))
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
