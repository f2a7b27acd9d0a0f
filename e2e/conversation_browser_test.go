package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"
)

// TestBrowserConversation: a WhatsApp conversation as the console shows it to the
// operator: the greeting kept, the photo with its caption shown, the voice note with a
// player; axe finds no serious problem. With ADUAN_SCREENSHOTS=1 it saves
// docs/console-conversation.png.
func TestBrowserConversation(t *testing.T) {
	axeJS := loadAxe(t)
	b := startChromium(t)
	base := channelServer(t, nil)
	phone := uniquePhone()

	postWA(t, base, waDelivery(phone, waText(phone, wid(), "Assalamualaikum")))
	photoID, voiceID := "photo-"+randomHex(6), "voice-"+randomHex(6)
	photoSum := sink.addMedia(photoID, "image/jpeg", ricePhoto(t))
	postWA(t, base, waDelivery(phone, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"%d","type":"image",
		"image":{"caption":"Foto beras rusak di posko Desa Bebanga, tidak layak dimakan","mime_type":"image/jpeg","sha256":%q,"id":%q}}`,
		phone, wid(), time.Now().Unix(), photoSum, photoID)))
	voiceSum := sink.addMedia(voiceID, "audio/ogg", append([]byte("OggS"), make([]byte, 2048)...))
	postWA(t, base, waDelivery(phone, fmt.Sprintf(`{"from":%q,"id":%q,"timestamp":"%d","type":"audio",
		"audio":{"mime_type":"audio/ogg; codecs=opus","sha256":%q,"id":%q,"voice":true}}`, phone, wid(), time.Now().Unix(), voiceSum, voiceID)))
	codes := complaintsOf(t, phone)
	if len(codes) != 1 {
		t.Fatalf("the conversation opened %v", codes)
	}
	code := codes[0]
	if !eventually(20*time.Second, func() bool {
		v := view(t, "admin", code)
		return len(v.Messages) == 3 && v.Messages[1].Media != nil && v.Messages[1].Media.State == "stored" &&
			v.Messages[2].Media != nil && v.Messages[2].Media.State == "stored"
	}) {
		t.Fatalf("the files were not kept: %+v", view(t, "admin", code).Messages)
	}

	admin := b.userTab(t, map[string]any{"width": 1100, "height": 800, "deviceScaleFactor": 1, "mobile": false})
	admin.login(t, "admin")
	admin.navigate(t, baseURL+"/staf/aduan/"+code)
	p := admin.text(t)
	for _, want := range []string{"Assalamualaikum", "Foto beras rusak di posko Desa Bebanga", "pesan suara", "Pesan ke pelapor"} {
		if !strings.Contains(p, want) {
			t.Errorf("the complaint page lacks %q: %.1200s", want, p)
		}
	}
	var media struct {
		Image  float64 `json:"image"`
		Player bool    `json:"player"`
	}
	admin.evaluate(t, `(() => { const i = document.querySelector('img[src*="/media/"]');
		return {image: i && i.complete ? i.naturalWidth : 0, player: !!document.querySelector('audio[controls][src*="/media/"]')}; })()`, &media)
	if media.Image < 100 || !media.Player {
		t.Errorf("the photo shows %v px wide, the voice note has a player: %v", media.Image, media.Player)
	}
	admin.axe(t, axeJS, "complaint page with a conversation")
	admin.screenshot(t, "console-conversation.png")
}

// ricePhoto is a small JPEG standing in for the citizen's photo.
func ricePhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 320; x++ {
			// Grains of rice on a dark sack: a pattern, so the picture reads as one.
			c := color.RGBA{90, 70, 50, 255}
			if (x*7+y*13)%23 < 6 {
				c = color.RGBA{225, 220, 200, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
