package bench

// The words of a year of complaints (LoadYear): what citizens of a regency hit by floods,
// landslides and an earthquake write, by category, with the places they name; what the
// call centre titles them, and what the pokja and partners answer. Texts are Indonesian,
// as the real ones are, so a text search meets realistic selectivity: a disaster word in
// a fifth of the complaints, a problem in a few percent, a village's name in under one.

// yearProblems are, per category, the problems a complainant reports; each has a short
// form for the title (before "|") and the way a complainant writes it.
var yearProblems = map[string][]string{
	"bantuan_logistik": {
		"Bantuan beras belum diterima|bantuan beras belum kami terima sampai sekarang",
		"Paket sembako tidak sampai|paket sembako yang dijanjikan tidak pernah sampai ke rumah kami",
		"Kekurangan terpal dan selimut|pengungsi kekurangan terpal dan selimut, malam hari sangat dingin",
		"Pembagian bantuan tidak merata|pembagian bantuan logistik tidak merata, sebagian keluarga tidak dapat",
		"Air minum kemasan habis di posko|air minum kemasan di posko pengungsian sudah habis",
		"Susu dan makanan bayi kurang|susu formula dan makanan bayi di posko sangat kurang",
		"Dapur umum berhenti beroperasi|dapur umum di posko sudah tidak memasak lagi sejak kemarin",
	},
	"hunian": {
		"Rumah rusak berat|rumah kami rusak berat dan tidak bisa ditempati lagi",
		"Atap rumah bocor|atap rumah bocor dan seng beterbangan diterpa angin kencang",
		"Hunian sementara belum dibangun|hunian sementara yang dijanjikan belum juga dibangun",
		"Dinding rumah retak|dinding rumah retak besar, kami takut tinggal di dalam",
		"Bantuan stimulan perbaikan rumah belum cair|dana stimulan perbaikan rumah belum cair",
		"Tenda pengungsian bocor|tenda pengungsian bocor setiap kali hujan deras",
	},
	"air_sanitasi": {
		"Air bersih tidak mengalir|air bersih tidak mengalir ke rumah warga",
		"Sumur tercemar|sumur warga tercemar lumpur dan airnya berbau",
		"Jamban darurat penuh|jamban darurat di pengungsian sudah penuh dan tidak dikuras",
		"Tangki air tidak diisi|tangki air bersih di dusun tidak diisi ulang",
		"Pipa air putus|pipa air bersih putus dan belum diperbaiki",
		"Sampah menumpuk di posko|sampah menumpuk di sekitar posko dan menimbulkan bau",
	},
	"kesehatan": {
		"Warga demam dan diare di pengungsian|banyak warga terutama anak-anak demam dan diare di pengungsian",
		"Obat-obatan habis di puskesmas|obat-obatan di puskesmas pembantu sudah habis",
		"Ibu hamil butuh pemeriksaan|ibu hamil di pengungsian belum pernah diperiksa bidan",
		"Tidak ada tenaga kesehatan|tidak ada tenaga kesehatan yang datang ke posko kami",
		"Lansia sakit belum dirujuk|lansia yang sakit keras belum dirujuk ke rumah sakit",
		"Penyakit kulit menyebar|penyakit kulit dan gatal-gatal menyebar di pengungsian",
	},
	"pendidikan": {
		"Sekolah rusak|gedung sekolah rusak sehingga anak-anak belajar di bawah tenda",
		"Anak belum bisa sekolah|anak-anak pengungsi belum bisa kembali sekolah",
		"Buku dan seragam hanyut|buku dan seragam sekolah anak-anak hanyut terbawa arus",
		"Guru tidak datang ke sekolah darurat|guru tidak datang ke sekolah darurat selama seminggu",
	},
	"infrastruktur": {
		"Jalan rusak tertimbun longsor|jalan desa rusak dan tertimbun material longsor",
		"Jembatan putus|jembatan penghubung dusun putus sehingga warga terisolasi",
		"Listrik padam|listrik padam sejak tiga hari dan belum ada perbaikan",
		"Tiang listrik roboh|tiang listrik roboh ke jalan dan membahayakan warga",
		"Drainase tersumbat|drainase tersumbat sehingga jalan tergenang setiap hujan",
		"Jalan berlubang|jalan poros berlubang besar dan sudah beberapa kali terjadi kecelakaan",
		"Sinyal telepon hilang|sinyal telepon hilang sehingga warga sulit menghubungi keluarga",
	},
	"data_penerima": {
		"Nama tidak terdaftar sebagai penerima|nama kami tidak terdaftar sebagai penerima bantuan padahal rumah rusak",
		"Data penerima ganda|ada data penerima ganda sementara tetangga yang berhak tidak terdata",
		"Bantuan tunai belum cair|bantuan langsung tunai untuk korban bencana belum cair",
		"NIK ditolak saat pendataan|NIK kami ditolak saat pendataan korban bencana",
	},
	"informasi": {
		"Jadwal pembagian bantuan|kami ingin tahu jadwal pembagian bantuan berikutnya",
		"Cara mendaftar hunian sementara|bagaimana cara mendaftar untuk mendapat hunian sementara",
		"Lokasi posko kesehatan|di mana lokasi posko kesehatan terdekat",
		"Syarat bantuan perbaikan rumah|apa saja syarat untuk mendapat bantuan perbaikan rumah",
	},
	"perlindungan": {
		"Kekerasan di pengungsian|terjadi kekerasan terhadap perempuan di tenda pengungsian",
		"Anak dipekerjakan|anak-anak pengungsi dipekerjakan oleh orang yang tidak dikenal",
		"Pelecehan di tempat mandi umum|ada pelecehan di tempat mandi umum pengungsian pada malam hari",
	},
	"penyalahgunaan": {
		"Petugas meminta uang|oknum petugas meminta uang agar nama kami dimasukkan dalam daftar",
		"Bantuan dipotong oknum|bantuan tunai dipotong oleh oknum aparat desa",
		"Bantuan dijual kembali|barang bantuan dijual kembali di pasar oleh oknum",
	},
	"lainnya": {
		"Hewan ternak hilang|hewan ternak kami hilang terbawa banjir dan belum ada pendataan",
		"Perahu nelayan rusak|perahu nelayan rusak dihantam gelombang tinggi",
		"Kebun dan sawah terendam|kebun dan sawah warga terendam dan gagal panen",
	},
}

// yearDisasters are the events complainants name; the first is the most frequent.
var yearDisasters = []string{"banjir", "longsor", "gempa", "angin kencang", "banjir bandang", "gelombang pasang", "kebakaran"}

// yearDisasterWeights weigh yearDisasters (Mamuju: floods first, then landslides).
var yearDisasterWeights = []float64{10, 5, 3, 2, 2, 1, 0.5}

var yearOpenings = []string{
	"Selamat pagi, saya ingin melapor.", "Assalamualaikum, mohon bantuan.", "Permisi, saya warga", "Tolong pak/bu,",
	"Saya mewakili warga", "Lapor,", "Mohon perhatian,", "", "", "",
}

var yearSince = []string{"sejak %s minggu lalu", "setelah %s kemarin", "pasca %s", "akibat %s", "sesudah %s bulan lalu"}

var yearWhere = []string{"di Dusun %s, Desa %s", "di Desa %s, Kecamatan %s", "di RT %d Desa %s", "di %s", "di sekitar posko %s"}

var yearPleas = []string{
	"Mohon segera ditindaklanjuti.", "Kami sangat berharap bantuan segera datang.", "Terima kasih atas perhatiannya.",
	"Sudah kami laporkan ke kepala desa tapi belum ada tanggapan.", "Ada sekitar %d keluarga yang terdampak.",
	"Mohon dicek langsung ke lapangan.", "Kami sudah menunggu lebih dari seminggu.", "",
}

var yearDusun = []string{"Salumati", "Tambi", "Kalukku", "Batu Putih", "Lembang", "Sumare", "Rangas", "Ahu", "Taan", "Pasa"}

// yearActions are, per category, what the pokja or partner did about it.
var yearActions = map[string][]string{
	"bantuan_logistik": {"beras dan paket sembako telah disalurkan", "terpal dan selimut telah dikirim ke posko",
		"pendataan ulang penerima bantuan logistik telah dilakukan", "stok air minum di posko telah ditambah"},
	"hunian": {"tim teknis telah memeriksa kerusakan rumah", "hunian sementara telah dijadwalkan dibangun bulan ini",
		"dana stimulan perbaikan rumah telah diproses", "tenda pengganti telah dipasang"},
	"air_sanitasi": {"tangki air bersih telah diisi ulang", "pipa air yang putus telah diperbaiki",
		"jamban darurat telah dikuras dan ditambah", "sumur telah dibersihkan dan airnya diperiksa"},
	"kesehatan": {"tim kesehatan keliling telah dikirim", "obat-obatan telah dikirim ke puskesmas pembantu",
		"pasien telah dirujuk ke rumah sakit daerah", "bidan desa telah memeriksa ibu hamil di pengungsian"},
	"pendidikan": {"sekolah darurat telah didirikan", "buku dan seragam pengganti telah dibagikan",
		"dinas pendidikan telah menugaskan guru pengganti"},
	"infrastruktur": {"alat berat telah membersihkan material longsor", "jembatan darurat telah dipasang",
		"PLN telah memulihkan aliran listrik", "drainase telah dibersihkan", "jalan telah ditambal sementara"},
	"data_penerima": {"data penerima telah diperbaiki", "nama pelapor telah dimasukkan dalam daftar penerima",
		"bantuan tunai telah dicairkan melalui bank penyalur"},
	"informasi": {"informasi telah disampaikan kepada pelapor", "jadwal telah diumumkan di kantor desa"},
	"perlindungan": {"pendamping telah ditugaskan dan kasus dirujuk ke unit perlindungan",
		"kasus telah ditangani oleh unit perlindungan perempuan dan anak"},
	"penyalahgunaan": {"inspektorat telah memeriksa laporan dan menindak oknum",
		"bantuan yang dipotong telah dikembalikan kepada penerima"},
	"lainnya": {"pendataan kerugian telah dilakukan", "laporan telah diteruskan ke dinas terkait"},
}

var yearComments = []string{"Terima kasih, sudah diterima.", "Sudah beres, terima kasih banyak.", "Bantuan sudah sampai.",
	"Masih kurang tapi sudah lebih baik.", "", "", ""}
