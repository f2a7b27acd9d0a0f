package rest

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"aduan/api/respond"
	"aduan/complaints"
)

// intakeBody is the body of POST /api/v1/complaints (and, with channel, of the staff
// registration of a phone or desk complaint).
type intakeBody struct {
	Channel      string `json:"channel"`
	Text         string `json:"text"`
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	Email        string `json:"email"`
	Anonymous    bool   `json:"anonymous"`
	Confidential bool   `json:"confidential"`
	Kecamatan    string `json:"kecamatan"`
	Desa         string `json:"desa"`
	Category     string `json:"category"`
}

func (b intakeBody) request() complaints.IntakeRequest {
	return complaints.IntakeRequest{Channel: b.Channel, Text: b.Text, Name: b.Name, Phone: b.Phone, Email: b.Email,
		Anonymous: b.Anonymous, Confidential: b.Confidential, Kecamatan: b.Kecamatan, Desa: b.Desa, Category: b.Category}
}

// submit is public intake from the web: 201 with the code and the tracking link.
func (h handlers) submit(c *gin.Context) {
	var body intakeBody
	if !respond.ReadJSON(c, &body) {
		return
	}
	req := body.request()
	req.Channel, req.Client = "web", c.ClientIP()
	res, err := h.core.Intake(c.Request.Context(), req, nil, c.GetHeader("Idempotency-Key"))
	if err != nil {
		respond.Error(c, err)
		return
	}
	out := gin.H{"code": res.Code, "status": "received", "tracking_url": h.core.TrackingURL(res.Code)}
	if res.FeedbackToken != "" {
		// The complainant's own link to answer "was your problem solved?" once answered:
		// handed over here only.
		out["feedback_url"] = h.core.FeedbackURL(res.Code, res.FeedbackToken)
	}
	c.JSON(http.StatusCreated, out)
}

// track is the complainant's tracking view.
func (h handlers) track(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	v, err := h.core.TrackingFor(c.Request.Context(), c.ClientIP(), code)
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, trackingOf(v))
}

// reply is the complainant answering the admin's question, answered with the tracking view.
func (h handlers) reply(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	var body struct {
		Text string `json:"text"`
	}
	if !respond.ReadJSON(c, &body) {
		return
	}
	v, err := h.core.Reply(c.Request.Context(), code, body.Text, c.GetHeader("Idempotency-Key"))
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, trackingOf(v))
}

// feedback is {"satisfied": bool, "comment"?: text, "token": text}, answered with the
// tracking view. The token is the secret of the feedback link sent to the complainant
// with the answer (403 without a valid one): the code alone is public once published.
func (h handlers) feedback(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	var body struct {
		Satisfied *bool  `json:"satisfied"`
		Comment   string `json:"comment"`
		Token     string `json:"token"`
	}
	if !respond.ReadJSON(c, &body) {
		return
	}
	if body.Satisfied == nil {
		respond.Fail(c, http.StatusBadRequest, string(complaints.KindInvalid), "Data tidak lengkap atau tidak valid.",
			map[string]string{"satisfied": "wajib diisi (true atau false)"})
		return
	}
	v, err := h.core.Feedback(c.Request.Context(), code, complaints.FeedbackInput{Satisfied: *body.Satisfied,
		Comment: body.Comment, Token: body.Token, Key: c.GetHeader("Idempotency-Key")})
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, trackingOf(v))
}

func (h handlers) publications(c *gin.Context) {
	p, err := h.core.Publications(c.Request.Context(), complaints.PublicQuery{Kecamatan: c.Query("kecamatan"),
		Category: c.Query("category"), Q: c.Query("q"), Page: page(c)})
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, pageOf(p, publicationOf))
}

func (h handlers) publication(c *gin.Context) {
	code, ok := code(c)
	if !ok {
		return
	}
	p, err := h.core.Publication(c.Request.Context(), code)
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, publicationOf(p))
}

func (h handlers) directory(c *gin.Context) {
	d, err := h.core.Directory(c.Request.Context())
	if err != nil {
		respond.Error(c, err)
		return
	}
	c.JSON(http.StatusOK, directoryOf(d))
}
