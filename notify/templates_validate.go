package notify

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
	"unicode/utf8"

	"aduan/domain"
)

// What a text an admin writes must keep: it parses, it names only the fields of its
// catalog entry (so a staff text can never name a complainant's), and, tried on every
// kind of data it can meet, it says the code and, for a complainant, keeps the tracking
// link, the question or the answer it carries, and the feedback link of the answer
// (never in a text an operator reads out: staff would see the token).

// TemplateMaxLen bounds a text, in characters (the longest default has about 600).
const TemplateMaxLen = 4000

// TemplateError is a text Validate refused. Message says why in Bahasa Indonesia and
// names the template.
type TemplateError struct {
	Name, Message string
}

func (e *TemplateError) Error() string { return e.Message }

func refuse(name, format string, args ...any) *TemplateError {
	return &TemplateError{Name: name, Message: "Templat " + name + " " + fmt.Sprintf(format, args...)}
}

// CleanTemplateText is a text as it is kept: line ends as "\n" (a browser's form sends
// "\r\n"), no space or blank line around it.
func CleanTemplateText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

// Validate checks that src may stand as the text name: nil, or a *TemplateError.
func Validate(name, src string) error {
	spec, ok := specs[name]
	if !ok {
		return &TemplateError{Name: name, Message: "Templat " + name + " tidak dikenal."}
	}
	if strings.TrimSpace(src) == "" {
		return refuse(name, "kosong: tulis teksnya.")
	}
	if n := utf8.RuneCountInString(src); n > TemplateMaxLen {
		return refuse(name, "terlalu panjang: %d huruf, paling banyak %d.", n, TemplateMaxLen)
	}
	t, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return refuse(name, "tidak dapat dibaca: periksa pasangan {{ }} dan setiap {{if}} yang ditutup {{end}} (%s).",
			strings.TrimPrefix(err.Error(), "template: "))
	}
	if len(t.Templates()) > 1 {
		return refuse(name, "tidak boleh memuat {{define}} atau {{block}}.")
	}
	// Each returns a *TemplateError: kept as one, so a nil one is no error.
	if err := checkFields(spec, t.Tree.Root); err != nil {
		return err
	}
	if err := checkSamples(spec, t); err != nil {
		return err
	}
	return nil
}

// checkFields refuses a field the text's entry does not offer, the whole view ({{.}}) and
// other templates ({{template}}).
func checkFields(spec *Spec, root parse.Node) *TemplateError {
	allowed := map[string]bool{}
	for _, f := range spec.Fields {
		allowed[f] = true
	}
	var problem *TemplateError
	field := func(f string) {
		if problem != nil || allowed[f] {
			return
		}
		switch {
		case spec.Audience == AudienceStaff && isComplainantField(f):
			problem = refuse(spec.Name, "untuk staf tidak boleh memakai {{.%s}}: isi itu hanya untuk pelapor.", f)
		case len(spec.Fields) == 0:
			problem = refuse(spec.Name, "memakai {{.%s}}, padahal teks ini tidak memakai kolom apa pun.", f)
		default:
			problem = refuse(spec.Name, "memakai {{.%s}}, yang tidak ada untuk teks ini. Yang dapat dipakai: %s.", f,
				fieldList(spec.Fields))
		}
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		if n == nil || problem != nil {
			return
		}
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(&n.BranchNode)
		case *parse.RangeNode:
			walk(&n.BranchNode)
		case *parse.WithNode:
			walk(&n.BranchNode)
		case *parse.BranchNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			field(n.Ident[0])
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.VariableNode:
			if n.Ident[0] == "$" && len(n.Ident) > 1 {
				field(n.Ident[1])
			}
		case *parse.DotNode:
			problem = refuse(spec.Name, "memakai {{.}}; sebutkan kolomnya, mis. {{.Code}}.")
		case *parse.TemplateNode:
			problem = refuse(spec.Name, "tidak boleh memuat {{template}}.")
		}
	}
	walk(root)
	return problem
}

// isComplainantField says whether f is one only a complainant's text may see.
func isComplainantField(f string) bool {
	switch f {
	case "Question", "AnswerTitle", "Answer", "FeedbackLink", "Reply", "Call", "Confirm":
		return true
	}
	return false
}

func fieldList(fields []string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = "{{." + f + "}}"
	}
	return strings.Join(out, ", ")
}

// The data a text is tried on.
const (
	sampleCode     = "ADU-7K3Q-XW2M"
	sampleBase     = "https://aduan.example.go.id"
	sampleQuestion = "Di dusun mana tepatnya bantuan belum sampai?"
	sampleTitle    = "Distribusi beras di Botteng"
	sampleAnswer   = "Distribusi dijadwalkan hari Jumat di balai desa."
)

// sampleDigest is a digest of two reminders.
func sampleDigest() digestView {
	return digestViewOf([]string{
		"Pengingat: aduan " + sampleCode + " (Ditangani pokja) harus ditindaklanjuti sebelum Senin, 07-12-2026 16:00 WITA.\nPokja: Pokja Logistik",
		"Pengingat: aduan ADU-AAAA-BBBB (Ditangani lembaga mitra) menunggu tindak lanjut.",
	}, sampleBase)
}

// sampleChannels are the channels a complainant's text can go out on, as the refusals
// name them.
var sampleChannels = []struct{ channel, label string }{
	{ChannelWhatsApp, "WhatsApp"}, {ChannelSMS, "SMS"}, {ChannelEmail, "e-mail"}, {ChannelLog, "pelapor tanpa kontak"},
	{domain.ReachCallBack, "telepon balik"},
}

// checkSamples writes the text on every kind of data it can meet and checks what it
// must keep.
func checkSamples(spec *Spec, t *template.Template) *TemplateError {
	run := func(v any, where string) (string, *TemplateError) {
		var b strings.Builder
		if err := t.Execute(&b, v); err != nil {
			return "", refuse(spec.Name, "gagal diisi%s: %s.", where, strings.TrimPrefix(err.Error(), "template: "))
		}
		if strings.TrimSpace(b.String()) == "" {
			return "", refuse(spec.Name, "menghasilkan teks kosong%s.", where)
		}
		return b.String(), nil
	}
	if spec.Form == FormDigest {
		for _, v := range []digestView{sampleDigest(), digestViewOf(nil, sampleBase)} {
			text, err := run(v, "")
			if err != nil {
				return err
			}
			if err := checkDigest(spec, text, v); err != nil {
				return err
			}
		}
		return nil
	}
	if spec.Form != FormNotification {
		for _, url := range []string{"", sampleBase + "/lapor"} {
			if _, err := run(replyView{FormURL: url}, ""); err != nil {
				return err
			}
		}
		return nil
	}
	deadline := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	kind, _ := splitName(spec.Name)
	for _, ch := range sampleChannels {
		for _, unconfirmed := range []bool{false, true} {
			for _, dl := range []*time.Time{&deadline, nil} {
				for _, filled := range []bool{true, false} {
					d := Data{Code: sampleCode, Status: domain.StatusAwaitingInfo, Pokja: "Pokja Logistik", Partner: "Yayasan Mitra",
						Deadline: dl, BaseURL: sampleBase, Channel: ch.channel, Unconfirmed: unconfirmed}
					if filled {
						d.Question, d.AnswerTitle, d.Answer = sampleQuestion, sampleTitle, sampleAnswer
					}
					where := ""
					if spec.Audience == AudienceComplainant {
						where = " (pada teks untuk " + ch.label + ")"
					}
					text, err := run(viewOf(spec.Audience, d), where)
					if err != nil {
						return err
					}
					if err := checkKept(spec, kind, d, text, where); err != nil {
						return err
					}
				}
			}
			if spec.Audience == AudienceStaff {
				return nil // the channel changes nothing in a staff text
			}
		}
	}
	return nil
}

// checkKept checks one written text for what its kind must keep.
func checkKept(spec *Spec, kind domain.NotifyKind, d Data, text, where string) *TemplateError {
	v := viewOf(spec.Audience, d)
	if spec.Audience == AudienceStaff {
		link := v.(staffView).Link
		if !strings.Contains(strings.ReplaceAll(text, link, ""), d.Code) {
			return refuse(spec.Name, "harus memuat kode aduan {{.Code}}.")
		}
		return nil
	}
	cv := v.(complainantView)
	call := d.Channel == domain.ReachCallBack
	rest := strings.ReplaceAll(text, cv.FeedbackLink, "")
	switch {
	case !strings.Contains(rest, cv.Link):
		return refuse(spec.Name, "harus memuat tautan lacak {{.Link}}%s: dengan itu pelapor memantau aduannya.", where)
	case !strings.Contains(strings.ReplaceAll(rest, cv.Link, ""), d.Code):
		return refuse(spec.Name, "harus memuat kode aduan {{.Code}}%s.", where)
	case kind == domain.NotifyQuestion && d.Question != "" && !strings.Contains(text, d.Question):
		return refuse(spec.Name, "harus memuat pertanyaan admin {{.Question}}%s.", where)
	case (kind == domain.NotifyAnswer || kind == domain.NotifyAnswerPrivate) && d.Answer != "" && !strings.Contains(text, d.Answer):
		return refuse(spec.Name, "harus memuat jawaban {{.Answer}}%s.", where)
	case call && strings.Contains(text, FeedbackTokenPlaceholder):
		return refuse(spec.Name, "tidak boleh memuat {{.FeedbackLink}}%s: tokennya rahasia pelapor, petugas tidak boleh "+
			"melihatnya. Pakai {{if .Call}}…{{else}}…{{end}}.", where)
	case kind == domain.NotifyAnswer && !call && !strings.Contains(text, cv.FeedbackLink):
		return refuse(spec.Name, "harus memuat tautan tanggapan {{.FeedbackLink}}%s: dengan itu pelapor menanggapi jawaban.", where)
	}
	return nil
}
