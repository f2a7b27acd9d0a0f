package api

import (
	"encoding/xml"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"aduan/store"
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

// publikFeed is GET /publik/feed.atom: the newest published answers.
func (s *server) publikFeed(c *gin.Context) {
	rows, _, err := s.DB.Publications(c.Request.Context(), store.PublicFilter{Page: 1, PerPage: feedSize})
	if err != nil {
		unavailable(c, err)
		return
	}
	base := s.baseURL(c)
	n := s.names(c)
	feed := atomFeed{Lang: "id", ID: base + "/publik", Title: atomText{"text", "Jawaban Aduan Warga – Kabupaten Mamuju"},
		Subtitle: atomText{"text", "Jawaban resmi " + siteName + " atas aduan warga, tanpa data pribadi pelapor."},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/publik/feed.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/publik"}},
		Author: atomPerson{Name: siteName, URI: base + "/publik"}}
	updated := time.Unix(0, 0)
	for _, r := range rows {
		it := n.item(publicationOf(r))
		pub := r.UpdatedAt
		if r.PublishedAt != nil {
			pub = *r.PublishedAt
		}
		// What the entry shows changes only when it is published: later internal steps
		// (feedback, overdue marks) do not make it new again.
		upd := pub
		if upd.After(updated) {
			updated = upd
		}
		e := atomEntry{ID: base + "/publik/" + r.Code, Title: atomText{"text", it.Title}, Updated: atomTime(upd),
			Published: atomTime(pub), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: base + it.Path}},
			Summary: atomText{"text", it.Summary}, Content: atomText{"text", it.Answer}}
		if cat := str(r.Category); cat != "" {
			e.Category = []atomCategory{{Term: cat, Label: it.Category}}
		}
		feed.Entries = append(feed.Entries, e)
	}
	if len(rows) == 0 {
		updated = time.Now()
	}
	feed.Updated = atomTime(updated)
	out, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		logError(c, "atom feed", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Terjadi kesalahan di server."))
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), out...))
}
