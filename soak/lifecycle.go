package soak

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"
)

// lifecycle takes one complaint in on a channel and along one of the paths, as far as
// the path goes or until traffic stops.
func (c *clientRun) lifecycle() {
	rec := c.t.newRecord(pick(c.rng, channelWeights))
	token := ""
	if rec.Channel == chWeb {
		token = c.intakeWeb(rec)
	} else {
		c.intakeMessage(rec)
	}
	if rec.Code == "" {
		return
	}
	c.track(rec, 0.5)
	rec.Path = c.nextPath()
	if rec.Path == pathSilent && rec.Channel == chWeb {
		// A question to someone who left no contact reaches nobody: its clock is held, so
		// the complaint would never close for silence. The web complainant answers.
		rec.Path = pathQuestion
	}
	w := &work{rec: rec, token: token, pokja: []string{"logistik", "hunian"}[c.rng.IntN(2)],
		partner: []string{"ypii", "pmi"}[c.rng.IntN(2)]}
	switch rec.Path {
	case pathReject:
		reason := []string{"spam", "out_of_scope"}[c.rng.IntN(2)]
		c.act(rec, "admin", "reject", map[string]any{"reason": reason, "note": "Uji ketahanan: ditolak."}, "rejected")
	case pathSilent:
		c.act(rec, "admin", "request_info", map[string]any{"question": "Di dusun mana tepatnya?"}, "awaiting_info")
	case pathQuestion:
		if c.act(rec, "admin", "request_info", map[string]any{"question": "Di dusun mana tepatnya?"}, "awaiting_info") &&
			c.reply(rec) && c.triage(w) && c.answer(w) && c.publish(w) {
			c.afterPublish(w)
		}
	case pathAnswer:
		if c.triage(w) && c.answer(w) && c.publish(w) {
			c.afterPublish(w)
		}
	case pathHappy:
		if c.triage(w) && c.forward(w) {
			c.fromPartner(w)
		}
	case pathLate:
		if !c.triage(w) || !c.forward(w) {
			return
		}
		// The partner answers 20–100 s late (meanwhile it is reminded, marked overdue and
		// escalated, and the overall limit may pass). The wait goes on aside, so that
		// this client keeps its pace: a short soak with few clients would otherwise fall
		// quiet while they all wait.
		late := &clientRun{t: c.t, ctx: c.ctx, rng: rand.New(rand.NewPCG(c.rng.Uint64(), 1))}
		d := 20*time.Second + time.Duration(c.rng.IntN(80))*time.Second
		c.t.aside.Add(1)
		go func() {
			defer c.t.aside.Done()
			if late.wait(d) {
				late.fromPartner(w)
			}
		}()
	}
}

// work is a complaint on its way and who works on it.
type work struct {
	rec            *record
	token          string // the web complainant's feedback token
	pokja, partner string
}

func (c *clientRun) triage(w *work) bool {
	category := map[string]string{"logistik": "bantuan_logistik", "hunian": "hunian"}[w.pokja]
	priority := []string{"normal", "normal", "high", "urgent"}[c.rng.IntN(4)]
	return c.act(w.rec, "admin", "triage", map[string]any{"pokja": w.pokja, "category": category,
		"priority": priority, "title": "Uji ketahanan " + category}, "at_pokja")
}

func (c *clientRun) forward(w *work) bool {
	return c.act(w.rec, "pokja-"+w.pokja, "forward", map[string]any{"partner": w.partner, "note": "Mohon dicek."}, "at_partner")
}

func (c *clientRun) answer(w *work) bool {
	return c.act(w.rec, "pokja-"+w.pokja, "answer", map[string]any{"answer": "Bantuan dijadwalkan pekan ini."}, "ready_to_publish")
}

func (c *clientRun) publish(w *work) bool {
	return c.act(w.rec, "admin", "publish", map[string]any{"public_title": "Penyaluran bantuan",
		"public_answer": "Bantuan dijadwalkan pekan ini."}, "published")
}

// fromPartner is the rest of the happy path once the complaint is at its partner.
func (c *clientRun) fromPartner(w *work) {
	if c.act(w.rec, "mitra-"+w.partner, "partner_answer", map[string]any{"answer": "Distribusi hari Jumat."}, "pokja_review") &&
		c.act(w.rec, "pokja-"+w.pokja, "approve", map[string]any{}, "ready_to_publish") && c.publish(w) {
		c.afterPublish(w)
	}
}

// afterPublish: the complainant says whether the answer solved their problem (or says
// nothing, and the feedback window closes it). One "not solved" sends it back to the
// pokja, which answers again.
func (c *clientRun) afterPublish(w *work) {
	switch r := c.rng.Float64(); {
	case r < 0.4:
		c.feedback(w.rec, w.token, true)
	case r < 0.6:
		if c.feedback(w.rec, w.token, false) && c.answer(w) && c.publish(w) && c.rng.IntN(2) == 0 {
			c.feedback(w.rec, w.token, true)
		}
	}
}

// wait lets time pass with nothing done; false when traffic stopped meanwhile.
func (c *clientRun) wait(d time.Duration) bool {
	select {
	case <-c.ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// intakeWeb submits a web complaint (no contact left: the answer carries the
// complainant's own feedback link) and returns its feedback token.
func (c *clientRun) intakeWeb(rec *record) string {
	places := [][2]string{{"simboro", "botteng"}, {"mamuju", "binanga"}, {"tapalang", "orobatu"}}
	p := places[c.rng.IntN(len(places))]
	body, _ := json.Marshal(map[string]any{"text": fmt.Sprintf("Aduan uji ketahanan %s: bantuan beras belum sampai ke dusun kami.", rec.Key),
		"kecamatan": p[0], "desa": p[1]})
	a, err := c.t.http.send(classIntakeWeb, "POST", "/api/v1/complaints", body, map[string]string{"Idempotency-Key": rec.Key})
	if err != nil {
		c.t.failed("web intake %s: %v", rec.Key, err)
		return ""
	}
	var out struct {
		Code        string `json:"code"`
		FeedbackURL string `json:"feedback_url"`
	}
	if a.status != http.StatusCreated || json.Unmarshal(a.body, &out) != nil || out.Code == "" {
		c.t.odd("web intake %s: HTTP %d %s", rec.Key, a.status, a.body)
		return ""
	}
	rec.Code, rec.Taken = out.Code, true
	if m := linkPattern.FindStringSubmatch(out.FeedbackURL); m != nil {
		return m[1]
	}
	c.t.odd("web intake %s: no feedback link in %s", rec.Key, a.body)
	return ""
}

// intakeMessage sends a complaint by WhatsApp or SMS from a new number and waits for the
// acknowledgement with its code, as the complainant's phone receives it.
func (c *clientRun) intakeMessage(rec *record) {
	text := fmt.Sprintf("Aduan uji ketahanan %s nomor %d: rumah kami rusak dan belum ada bantuan.", c.t.runID, c.t.msgs.Load())
	a, err := c.message(rec, text)
	if err != nil {
		c.t.failed("%s intake from a new number: %v", rec.Channel, err)
		return
	}
	if a.status != http.StatusOK {
		c.t.odd("%s intake: HTTP %d %s", rec.Channel, a.status, a.body)
		return
	}
	rec.Taken = true
	deadline := time.Now().Add(c.t.http.patience)
	for time.Now().Before(deadline) {
		if code := c.t.s.prov.find(rec.Phone, codePattern); code != "" {
			rec.Code = code
			return
		}
		if c.stopped() {
			return // the check after settling looks for it
		}
		time.Sleep(250 * time.Millisecond)
	}
	c.t.failed("%s complaint from %s: no acknowledgement with a code within %s", rec.Channel, "a soak number", c.t.http.patience)
}

// message delivers a text from the complainant's number through the provider's webhook,
// signed as the provider signs it.
func (c *clientRun) message(rec *record, text string) (answer, error) {
	id := fmt.Sprintf("soak%s%d", c.t.runID, c.t.msgs.Add(1))
	if rec.Channel == chWhatsApp {
		body := fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
"messaging_product":"whatsapp","metadata":{"phone_number_id":%q},"contacts":[{"profile":{"name":"Warga Uji"},"wa_id":%q}],
"messages":[{"from":%q,"id":%q,"timestamp":"%d","type":"text","text":{"body":%q}}]}}]}]}`,
			waPhoneID, rec.Phone, rec.Phone, "wamid."+id, time.Now().Unix(), text)
		return c.t.http.send(classWhatsApp, "POST", "/webhooks/whatsapp", body,
			map[string]string{"Content-Type": "application/json", "X-Hub-Signature-256": signed(waSecret, body)})
	}
	body := []byte(url.Values{"from": {rec.Phone}, "text": {text}, "id": {"sms-" + id}}.Encode())
	return c.t.http.send(classSMS, "POST", "/webhooks/sms", body,
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "X-Aduan-Signature": signed(smsSecret, body)})
}

// act takes a staff action after a moment's thought and reports whether it was applied
// with the complaint now in want.
func (c *clientRun) act(rec *record, user, action string, body map[string]any, want string) bool {
	if !c.think() {
		return false
	}
	c.inbox(user, 0.3)
	raw, _ := json.Marshal(body)
	rec.mu.Lock()
	key := fmt.Sprintf("soak-%s-%s-%d", c.t.runID, rec.Code, len(rec.Steps)+1)
	rec.mu.Unlock()
	a, err := c.t.http.send(classAction, "POST", "/api/v1/staff/complaints/"+rec.Code+"/actions/"+action, raw,
		map[string]string{"Authorization": "Bearer " + c.t.s.tokens[user], "Idempotency-Key": key})
	return c.outcome(rec, action, action, a, err, want)
}

// outcome records what became of a request that carried an action, and reports whether
// the lifecycle goes on (applied, and the complaint in want).
func (c *clientRun) outcome(rec *record, what, event string, a answer, err error, want string) bool {
	switch {
	case err != nil:
		rec.add(event, unsure)
		if c.t.http.abort.Err() == nil {
			c.t.failed("%s on %s: %v", what, rec.Code, err)
		}
		return false
	case a.status == http.StatusOK:
		rec.add(event, applied)
		var v struct {
			Status string `json:"status"`
		}
		if json.Unmarshal(a.body, &v) != nil || v.Status != want {
			c.t.odd("%s on %s: answered 200 with status %q, want %q", what, rec.Code, v.Status, want)
			return false
		}
		return true
	case a.status == http.StatusConflict:
		// The complaint moved on (a timer closed it, or an earlier try of this very
		// request was applied before its answer was lost).
		if a.lost > 0 {
			rec.add(event, unsure)
		} else {
			rec.add(event, refused)
		}
		return false
	default:
		rec.add(event, refused)
		c.t.odd("%s on %s: HTTP %d %s", what, rec.Code, a.status, a.body)
		return false
	}
}

// reply is the complainant's answer to the admin's question: through the tracking page's
// endpoint (web) or a short message (WhatsApp, SMS; too short to open a complaint of its
// own should it arrive after the complaint closed).
func (c *clientRun) reply(rec *record) bool {
	if !c.think() {
		return false
	}
	if rec.Channel == chWeb {
		body, _ := json.Marshal(map[string]string{"text": "Dusun Botteng, RT 3 dekat masjid."})
		a, err := c.t.http.send(classPublic, "POST", "/api/v1/complaints/"+rec.Code+"/info", body,
			map[string]string{"Idempotency-Key": "soak-info-" + rec.Code})
		return c.outcome(rec, "reply", "info", a, err, "received")
	}
	return c.asMessage(rec, "RT 3/RW 1", "info", "received")
}

// feedback is the complainant's "solved" or "not solved" on the published answer: with
// the feedback link's token (web: from the intake's answer; WhatsApp/SMS: from the
// answer's message), or for half the WhatsApp/SMS complainants by replying YA or BELUM.
func (c *clientRun) feedback(rec *record, token string, satisfied bool) bool {
	if !c.think() {
		return false
	}
	event, want, word := "feedback", "closed", "YA"
	if !satisfied {
		event, want, word = "reopen", "at_pokja", "BELUM"
	}
	if rec.Channel != chWeb {
		if c.rng.IntN(2) == 0 {
			return c.asMessage(rec, word, event, want)
		}
		// The link comes with the answer, sent in the background after publish.
		for deadline := time.Now().Add(time.Minute); token == "" && time.Now().Before(deadline) && !c.stopped(); {
			if token = c.t.s.prov.find(rec.Phone, linkPattern); token == "" {
				time.Sleep(250 * time.Millisecond)
			}
		}
		if token == "" {
			return false
		}
	}
	rec.mu.Lock()
	key := fmt.Sprintf("soak-feedback-%s-%d", rec.Code, len(rec.Steps)+1)
	rec.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"satisfied": satisfied, "token": token})
	a, err := c.t.http.send(classPublic, "POST", "/api/v1/complaints/"+rec.Code+"/feedback", body,
		map[string]string{"Idempotency-Key": key})
	return c.outcome(rec, "feedback", event, a, err, want)
}

// asMessage sends an action as the complainant's message. The webhook answers 200 once
// the message is stored, whether or not it moved the complaint (it may have closed
// meanwhile): the step is recorded as by message, and the staff view says whether to go on.
func (c *clientRun) asMessage(rec *record, text, event, want string) bool {
	a, err := c.message(rec, text)
	if err != nil || a.status != http.StatusOK {
		if err == nil {
			c.t.odd("%s message on %s: HTTP %d %s", event, rec.Code, a.status, a.body)
		} else if c.t.http.abort.Err() == nil {
			c.t.failed("%s message on %s: %v", event, rec.Code, err)
		}
		rec.add(event, byMessage)
		return false
	}
	rec.add(event, byMessage)
	v, err := c.t.http.send(classRead, "GET", "/api/v1/staff/complaints/"+rec.Code, nil,
		map[string]string{"Authorization": "Bearer " + c.t.s.tokens["admin"]})
	if err != nil || v.status != http.StatusOK {
		return false
	}
	var view struct {
		Status string `json:"status"`
	}
	return json.Unmarshal(v.body, &view) == nil && view.Status == want
}

// track reads the public tracking view, as a complainant checking on their complaint
// does, with probability p.
func (c *clientRun) track(rec *record, p float64) {
	if c.rng.Float64() < p {
		c.read("/api/v1/complaints/"+rec.Code, "")
	}
}

// inbox reads a staff member's task list before they act, with probability p; now and
// then the admin searches too.
func (c *clientRun) inbox(user string, p float64) {
	if c.rng.Float64() < p {
		c.read("/api/v1/staff/tasks", user)
	}
	if c.rng.Float64() < p/10 {
		c.read("/api/v1/staff/complaints?q=ketahanan", "admin")
	}
}

// read sends one GET, once: reads are counted, not retried.
func (c *clientRun) read(path, user string) {
	h := map[string]string{}
	if user != "" {
		h["Authorization"] = "Bearer " + c.t.s.tokens[user]
	}
	status, body, err := c.t.http.once("GET", path, nil, h)
	switch {
	case err != nil:
		c.t.http.tally.add(classRead, "lost connection")
	default:
		c.t.http.tally.add(classRead, fmt.Sprint(status))
		if status != http.StatusOK && !retryable(status) {
			c.t.odd("GET %s: HTTP %d %s", path, status, body)
		}
	}
}
