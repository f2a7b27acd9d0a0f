package accounts

import "testing"

func TestCheckChannels(t *testing.T) {
	cases := []struct {
		name   string
		in     Channels
		want   Channels
		fields []string
	}{
		{"whatsapp with a mobile number", Channels{Channel: "whatsapp", Phone: " +62 812-3456-7890 ", Digest: true},
			Channels{Channel: "whatsapp", Phone: "6281234567890", Digest: true}, nil},
		{"sms, number written locally", Channels{Channel: "sms", Phone: "0812 3456 7890"}, Channels{Channel: "sms", Phone: "6281234567890"}, nil},
		{"e-mail", Channels{Channel: "email", Email: " kadis@mamujukab.go.id "}, Channels{Channel: "email", Email: "kadis@mamujukab.go.id"}, nil},
		{"console only, nothing else needed", Channels{Channel: "console"}, Channels{Channel: "console"}, nil},
		{"whatsapp without a number", Channels{Channel: "whatsapp"}, Channels{}, []string{"phone"}},
		{"sms to a landline", Channels{Channel: "sms", Phone: "0426 21234"}, Channels{}, []string{"phone"}},
		{"a number that is no number", Channels{Channel: "console", Phone: "nomor saya"}, Channels{}, []string{"phone"}},
		{"e-mail without an address", Channels{Channel: "email", Phone: "081234567890"}, Channels{}, []string{"email"}},
		{"a bad address", Channels{Channel: "whatsapp", Phone: "081234567890", Email: "bukan-email"}, Channels{}, []string{"email"}},
		{"no channel", Channels{Phone: "081234567890"}, Channels{}, []string{"channel"}},
		{"an unknown channel", Channels{Channel: "log"}, Channels{}, []string{"channel"}},
	}
	for _, c := range cases {
		got, f := CheckChannels(c.in)
		if len(f) != len(c.fields) {
			t.Errorf("%s: fields %v, want %v", c.name, f, c.fields)
			continue
		}
		for _, name := range c.fields {
			if f[name] == "" {
				t.Errorf("%s: fields %v, want %s", c.name, f, name)
			}
		}
		if c.fields == nil && got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
