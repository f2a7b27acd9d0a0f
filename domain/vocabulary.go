package domain

// Channels a complaint can arrive on.
var Channels = []string{"web", "whatsapp", "sms", "phone", "desk"}

// StaffChannels are the channels an admin registers by hand.
var StaffChannels = []string{"phone", "desk"}

// Priorities in order of urgency.
var Priorities = []string{"urgent", "high", "normal"}

// RejectReasons accepted by the reject action.
var RejectReasons = []string{"spam", "duplicate", "out_of_scope"}

// Category is a topic of complaints; Sensitive ones are confidential automatically.
type Category struct {
	ID        string `json:"id" db:"id"`
	Name      string `json:"name" db:"name"`
	Sensitive bool   `json:"sensitive" db:"sensitive"`
}

// Categories is the fixed list from API.md with Indonesian names.
var Categories = []Category{
	{"bantuan_logistik", "Bantuan logistik (pangan dan barang bantuan)", false},
	{"hunian", "Hunian dan perbaikan rumah", false},
	{"air_sanitasi", "Air bersih dan sanitasi", false},
	{"kesehatan", "Kesehatan", false},
	{"pendidikan", "Pendidikan", false},
	{"infrastruktur", "Infrastruktur", false},
	{"data_penerima", "Data penerima bantuan", false},
	{"informasi", "Permintaan informasi", false},
	{"perlindungan", "Perlindungan (kekerasan, eksploitasi)", true},
	{"penyalahgunaan", "Penyalahgunaan oleh petugas bantuan atau pemerintah", true},
	{"lainnya", "Lainnya", false},
}

// CategoryByID finds a category.
func CategoryByID(id string) (Category, bool) {
	for _, c := range Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// IsSensitive reports whether a category makes a complaint confidential.
func IsSensitive(category string) bool {
	c, ok := CategoryByID(category)
	return ok && c.Sensitive
}

// OneOf reports whether v is in list.
func OneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
