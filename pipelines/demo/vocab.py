"""Words for the demo city: Kota Blitar's complaint topics, streets, places and people.

Everything here is invented but shaped like the real thing. Topic templates use
placeholders filled per complaint: {jalan} (street), {tempat} (landmark),
{kel} (kelurahan), {lama} (how long). Department ``@kelurahan`` / ``@kecamatan``
means the kelurahan / kecamatan office of the complaint's location.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Idul Fitri (Lebaran) dates the seasonal model centres on.
LEBARAN = (dt.date(2023, 4, 22), dt.date(2024, 4, 10), dt.date(2025, 3, 31), dt.date(2026, 3, 20), dt.date(2027, 3, 10))
LEBARAN_WINDOW = (-14, 10)  # days before / after
RAINY_MONTHS = (11, 12, 1, 2, 3, 4)
PPDB_MONTHS = (6, 7)
SAPA_MAS_WALI_LAUNCH = dt.date(2025, 11, 1)


@dataclass(frozen=True)
class Topic:
    key: str
    category: str
    weight: float
    departments: tuple[tuple[str, float], ...]
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    impacts: tuple[str, ...] = ()
    classifications: tuple[tuple[str, float], ...] = (("Pengaduan", 0.93), ("Aspirasi", 0.05), ("Permintaan Informasi", 0.02))
    rain: float = 1.0  # multiplier in the rainy season
    lebaran: float = 1.0  # multiplier around Lebaran
    ppdb: float = 1.0  # multiplier in June-July
    emergency: bool = False  # often reported by Call Center 112
    rekap_phrases: tuple[str, ...] = field(default=())
    category_labels: tuple[str, ...] = ()  # other spellings of the category people use for this topic


DISHUB = "Dinas Perhubungan"
DISPERKIM = "Dinas Perumahan dan Kawasan Permukiman"
DPUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
DLH = "Dinas Lingkungan Hidup"
SATPOL = "Satuan Polisi Pamong Praja"
KOMINFO = "Dinas Komunikasi, Informatika dan Statistik"
BPBD = "Badan Penanggulangan Bencana Daerah"

TOPICS: tuple[Topic, ...] = (
    Topic(
        "parkir_liar", "Perhubungan", 9.0, ((DISHUB, 0.82), (SATPOL, 0.18)),
        titles=(
            "Juru parkir liar di {jalan}",
            "Parkir liar di depan {tempat}",
            "Tarif parkir tidak wajar di sekitar {tempat}",
            "Jukir liar minta uang parkir di {jalan}",
            "Parkir sembarangan menutup jalan di {jalan}",
            "Jukir tanpa karcis di {tempat}",
        ),
        problems=(
            "Di {jalan} ada juru parkir liar yang memungut Rp5.000 padahal tarif resminya Rp2.000.",
            "Kendaraan diparkir di kedua sisi {jalan} sehingga jalan menyempit dan sering macet.",
            "Juru parkir di depan {tempat} tidak memakai rompi resmi dan tidak memberikan karcis.",
            "Setiap malam banyak mobil parkir di trotoar {jalan}, pejalan kaki terpaksa turun ke badan jalan.",
            "Menjelang lebaran parkir di sekitar {tempat} semrawut dan juru parkirnya tidak resmi.",
            "Saya dimintai uang parkir dua kali oleh orang yang berbeda di {jalan}.",
        ),
        impacts=(
            "Warga merasa dirugikan dan lalu lintas jadi tersendat.",
            "Pengunjung jadi enggan datang karena parkirnya tidak tertib.",
        ),
        lebaran=2.6,
        rekap_phrases=("jukir liar di {jalan}", "parkir liar depan {tempat}", "tarif parkir mahal di {jalan}"),
        category_labels=('Parkir', 'Juru Parkir'),
    ),
    Topic(
        "pju", "Energi dan Sumber Daya Alam", 9.0, ((DISPERKIM, 0.65), (DISHUB, 0.35)),
        titles=(
            "Lampu PJU mati di {jalan}",
            "Penerangan jalan umum padam di {jalan}",
            "Mohon perbaikan PJU di Kelurahan {kel}",
            "Lampu jalan berkedip-kedip di {jalan}",
            "Permohonan pemasangan PJU baru di {jalan}",
            "Tiang PJU miring di dekat {tempat}",
        ),
        problems=(
            "Lampu PJU di {jalan} sudah mati {lama}.",
            "Beberapa titik lampu jalan di sepanjang {jalan} padam sehingga jalan gelap gulita pada malam hari.",
            "Tiang PJU di dekat {tempat} miring dan kabelnya menjuntai ke bawah.",
            "Lampu jalan di gang dekat rumah kami di Kelurahan {kel} menyala di siang hari dan mati di malam hari.",
            "Di {jalan} belum ada penerangan jalan sama sekali padahal jalannya ramai.",
        ),
        impacts=(
            "Jalan menjadi rawan kecelakaan dan rawan kejahatan.",
            "Anak-anak yang pulang mengaji malam hari jadi takut lewat.",
        ),
        rekap_phrases=("PJU mati di {jalan}", "lampu jalan padam {jalan}", "minta pasang PJU di Kel. {kel}"),
        category_labels=('PJU', 'Penerangan Jalan Umum', 'Lampu Jalan'),
    ),
    Topic(
        "pohon_besar", "Lingkungan Hidup dan Kehutanan", 6.0, ((DLH, 0.8), (DISPERKIM, 0.2)),
        titles=(
            "Permohonan penebangan pohon besar di {jalan}",
            "Pohon besar rawan tumbang di {jalan}",
            "Mohon perantingan pohon di depan {tempat}",
            "Ranting pohon menyentuh kabel listrik di {jalan}",
        ),
        problems=(
            "Di {jalan} ada pohon trembesi besar yang batangnya sudah keropos dan condong ke jalan.",
            "Ranting pohon di depan {tempat} sudah menjuntai dan menyentuh kabel listrik.",
            "Pohon mahoni di pinggir {jalan} akarnya merusak trotoar dan saluran air.",
            "Dahan pohon besar di dekat rumah warga di Kelurahan {kel} sering patah saat angin kencang.",
        ),
        impacts=(
            "Warga khawatir pohon tumbang saat musim hujan.",
            "Pengendara yang lewat di bawahnya terancam bahaya.",
        ),
        rain=1.7,
        rekap_phrases=("pohon besar rawan tumbang di {jalan}", "minta perantingan pohon {jalan}"),
        category_labels=('Pohon', 'Lingkungan Hidup'),
    ),
    Topic(
        "pohon_tumbang", "Penanggulangan Bencana", 2.5, ((BPBD, 0.7), (DLH, 0.3)),
        titles=(
            "Pohon tumbang menutup {jalan}",
            "Pohon tumbang menimpa rumah warga di Kelurahan {kel}",
            "Laporan pohon roboh di {jalan}",
        ),
        problems=(
            "Hujan deras disertai angin sore tadi membuat pohon di {jalan} tumbang dan menutup sebagian badan jalan.",
            "Sebuah pohon besar roboh menimpa atap rumah warga di Kelurahan {kel}.",
            "Pohon tumbang di dekat {tempat} menimpa kabel listrik dan sepeda motor yang diparkir.",
        ),
        impacts=("Mohon segera dievakuasi karena lalu lintas terhambat.",),
        rain=4.0,
        emergency=True,
        rekap_phrases=("pohon tumbang di {jalan}", "pohon roboh menimpa rumah Kel. {kel}"),
        category_labels=('Pohon Tumbang', 'Bencana'),
    ),
    Topic(
        "drainase", "Pekerjaan Umum dan Penataan Ruang", 7.0, ((DPUPR, 0.85), (DISPERKIM, 0.15)),
        titles=(
            "Saluran air tersumbat di {jalan}",
            "Genangan air saat hujan di {jalan}",
            "Drainase meluap ke rumah warga di Kelurahan {kel}",
            "Gorong-gorong buntu di {jalan}",
            "Tutup saluran jebol di {jalan}",
        ),
        problems=(
            "Setiap hujan deras, air dari saluran di {jalan} meluap ke jalan dan masuk ke rumah warga.",
            "Saluran drainase di depan {tempat} penuh sampah dan lumpur sehingga air tidak mengalir.",
            "Gorong-gorong di {jalan} tertutup sedimen, genangan setinggi ± 30 cm bertahan berjam-jam.",
            "Tutup saluran di {jalan} jebol dan berbahaya bagi pengendara.",
        ),
        impacts=(
            "Warga sudah kerja bakti tetapi saluran tetap buntu.",
            "Genangan ini sudah terjadi {lama} setiap kali hujan.",
        ),
        rain=2.6,
        rekap_phrases=("saluran buntu di {jalan}", "genangan air {jalan}", "drainase meluap Kel. {kel}"),
        category_labels=('Drainase', 'Jalan dan Drainase'),
    ),
    Topic(
        "jalan_rusak", "Pekerjaan Umum dan Penataan Ruang", 6.0, ((DPUPR, 1.0),),
        titles=(
            "Jalan berlubang di {jalan}",
            "Perbaikan jalan rusak di {jalan}",
            "Aspal mengelupas di {jalan}",
            "Paving rusak di gang Kelurahan {kel}",
        ),
        problems=(
            "Jalan di {jalan} berlubang cukup dalam dan sudah ada pengendara motor yang jatuh.",
            "Aspal di {jalan} mengelupas setelah pekerjaan galian kabel dan tidak ditutup kembali.",
            "Paving di gang kampung Kelurahan {kel} ambles dan tergenang air saat hujan.",
            "Jalan di depan {tempat} bergelombang dan banyak lubang yang tertutup genangan.",
        ),
        impacts=("Kondisi ini membahayakan pengguna jalan, terutama malam hari.",),
        rain=1.4,
        rekap_phrases=("jalan berlubang di {jalan}", "aspal rusak {jalan}"),
        category_labels=('Jalan Rusak', 'Infrastruktur', 'PUPR'),
    ),
    Topic(
        "ketertiban_umum", "Ketentraman, Ketertiban Umum, dan Perlindungan Masyarakat", 8.0,
        ((SATPOL, 0.75), ("@kelurahan", 0.15), ("@kecamatan", 0.10)),
        titles=(
            "PKL berjualan di trotoar {jalan}",
            "Balap liar setiap malam di {jalan}",
            "Gangguan ketertiban di sekitar {tempat}",
            "Pengamen dan anak jalanan di simpang {jalan}",
            "Suara musik keras hingga larut malam di Kelurahan {kel}",
        ),
        problems=(
            "Pedagang kaki lima di {jalan} memakai seluruh trotoar sehingga pejalan kaki harus berjalan di badan jalan.",
            "Hampir setiap malam minggu ada balap liar di {jalan} sampai dini hari.",
            "Di sekitar {tempat} sering ada sekelompok remaja yang minum minuman keras dan membuat keributan.",
            "Banyak pengamen di lampu merah {jalan}, sebagian memaksa pengendara memberi uang.",
            "Sebuah café di Kelurahan {kel} memutar musik keras sampai lewat tengah malam.",
        ),
        impacts=(
            "Warga sekitar tidak bisa beristirahat dengan tenang.",
            "Hal ini sangat meresahkan warga sekitar.",
        ),
        lebaran=2.0,
        rekap_phrases=("PKL di trotoar {jalan}", "balap liar di {jalan}", "musik keras malam hari Kel. {kel}"),
        category_labels=('Ketertiban Umum', 'Trantibum', 'PKL'),
    ),
    Topic(
        "wifi_publik", "Teknologi Informasi dan Komunikasi", 5.0, ((KOMINFO, 1.0),),
        titles=(
            "Wifi publik tidak bisa tersambung di {tempat}",
            "Jaringan wifi gratis mati di Kelurahan {kel}",
            "Wifi taman sangat lambat",
            "Permohonan titik wifi publik di Kelurahan {kel}",
        ),
        problems=(
            "Wifi publik di {tempat} tidak bisa dipakai {lama}, bisa tersambung tetapi tidak ada internet.",
            "Sinyal wifi gratis di balai Kelurahan {kel} sangat lemah dan sering putus.",
            "Kami mengusulkan penambahan titik wifi publik di Kelurahan {kel} untuk anak-anak belajar daring.",
        ),
        impacts=("Pelajar dan pelaku UMKM sangat terbantu kalau wifi ini berfungsi.",),
        classifications=(("Pengaduan", 0.8), ("Aspirasi", 0.17), ("Permintaan Informasi", 0.03)),
        rekap_phrases=("wifi publik mati di {tempat}", "wifi gratis lemot Kel. {kel}"),
        category_labels=('Wifi Publik', 'Jaringan Wifi', 'Internet'),
    ),
    Topic(
        "reklame", "Industri dan Perdagangan", 4.0,
        (("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 0.45), (SATPOL, 0.35), ("Badan Pendapatan Daerah", 0.2)),
        titles=(
            "Reklame liar di {jalan}",
            "Baliho roboh di {jalan}",
            "Spanduk tanpa izin dipaku di pohon {jalan}",
            "Papan reklame menutupi rambu di {jalan}",
        ),
        problems=(
            "Banyak spanduk dan baliho dipaku di pohon sepanjang {jalan} tanpa izin.",
            "Papan reklame besar di {jalan} miring setelah angin kencang dan membahayakan pengguna jalan.",
            "Reklame di dekat {tempat} menutupi rambu lalu lintas sehingga pengendara tidak melihatnya.",
        ),
        impacts=("Kota jadi terlihat kumuh.",),
        rekap_phrases=("reklame liar {jalan}", "baliho miring di {jalan}"),
        category_labels=('Reklame',),
    ),
    Topic(
        "air_minum", "Perumahan", 4.0, ((DISPERKIM, 0.7), (DPUPR, 0.3)),
        titles=(
            "Air PDAM tidak mengalir di Kelurahan {kel}",
            "Air keruh di {jalan}",
            "Pipa air bocor di {jalan}",
        ),
        problems=(
            "Air di rumah kami di Kelurahan {kel} tidak mengalir {lama}, hanya keluar sedikit pada malam hari.",
            "Air yang keluar dari kran keruh dan berbau, tidak bisa dipakai memasak.",
            "Pipa di pinggir {jalan} bocor dan airnya terbuang ke jalan.",
        ),
        impacts=("Warga terpaksa membeli air galon untuk kebutuhan sehari-hari.",),
        rekap_phrases=("air PDAM mati Kel. {kel}", "pipa bocor di {jalan}"),
        category_labels=('Air Minum',),
    ),
    Topic(
        "sanitasi", "Perumahan", 3.0, ((DISPERKIM, 0.6), (DLH, 0.4)),
        titles=(
            "Septic tank meluap di Kelurahan {kel}",
            "Limbah cair dibuang ke selokan di {jalan}",
            "Permohonan bantuan jamban sehat",
        ),
        problems=(
            "Limbah dari septic tank tetangga meluap ke saluran depan rumah dan baunya menyengat.",
            "Ada usaha tahu di {jalan} yang membuang limbah cair langsung ke selokan.",
            "Beberapa keluarga di Kelurahan {kel} masih belum memiliki jamban sehat.",
        ),
        impacts=("Bau busuk tercium sampai ke dalam rumah.",),
        rekap_phrases=("limbah dibuang ke selokan {jalan}", "septic tank meluap Kel. {kel}"),
        category_labels=('Sanitasi', 'Perkim'),
    ),
    Topic(
        "sampah", "Lingkungan Hidup dan Kehutanan", 5.0, ((DLH, 0.8), ("@kelurahan", 0.2)),
        titles=(
            "Sampah menumpuk di {jalan}",
            "TPS penuh di dekat {tempat}",
            "Pembuangan sampah liar di Kelurahan {kel}",
            "Truk sampah tidak datang",
        ),
        problems=(
            "Sampah di TPS dekat {tempat} tidak diangkut {lama} dan baunya sampai ke permukiman.",
            "Ada warga yang membuang sampah sembarangan di lahan kosong di {jalan}.",
            "Jadwal pengangkutan sampah di Kelurahan {kel} tidak menentu.",
        ),
        impacts=("Banyak lalat dan tikus di sekitar tumpukan sampah.",),
        rain=1.2,
        rekap_phrases=("sampah menumpuk di {jalan}", "TPS penuh dekat {tempat}"),
        category_labels=('Sampah', 'Kebersihan'),
    ),
    Topic(
        "adminduk", "Kependudukan", 5.0, (("Dinas Kependudukan dan Pencatatan Sipil", 0.85), ("@kelurahan", 0.15)),
        titles=(
            "KTP elektronik belum jadi",
            "Pengurusan akta kelahiran lama",
            "Antrean pelayanan KK terlalu panjang",
            "Data kependudukan tidak sinkron",
        ),
        problems=(
            "Saya merekam KTP elektronik {lama} tetapi sampai sekarang belum dicetak.",
            "Pengurusan akta kelahiran anak kami belum selesai padahal berkas sudah lengkap.",
            "Antrean di kantor Dispendukcapil sangat panjang dan nomor antrean habis sebelum jam sembilan pagi.",
            "Data di KK saya berbeda dengan data di aplikasi sehingga tidak bisa mendaftar BPJS.",
        ),
        impacts=("Saya membutuhkan dokumen ini untuk melamar pekerjaan.",),
        classifications=(("Pengaduan", 0.8), ("Permintaan Informasi", 0.18), ("Aspirasi", 0.02)),
        rekap_phrases=("KTP belum jadi", "akta kelahiran belum selesai", "data KK tidak sinkron"),
        category_labels=('Adminduk', 'KTP', 'Administrasi Kependudukan'),
    ),
    Topic(
        "kesehatan", "Kesehatan", 4.0, (("Dinas Kesehatan", 0.55), ("RSUD Mardi Waluyo", 0.45)),
        titles=(
            "Pelayanan puskesmas lambat",
            "Keluhan pelayanan di RSUD Mardi Waluyo",
            "Permohonan fogging demam berdarah di Kelurahan {kel}",
            "Petugas kesehatan kurang ramah",
        ),
        problems=(
            "Antrean di puskesmas sangat lama, kami menunggu lebih dari tiga jam.",
            "Di lingkungan kami di Kelurahan {kel} sudah ada dua warga terkena DBD, mohon dilakukan fogging.",
            "Keluarga pasien di IGD RSUD Mardi Waluyo kurang mendapat informasi tentang kondisi pasien.",
            "Petugas pendaftaran berbicara kasar kepada pasien lansia.",
        ),
        impacts=("Kami berharap pelayanan kesehatan bisa lebih baik.",),
        rain=1.2,
        rekap_phrases=("antrean puskesmas lama", "minta fogging DBD Kel. {kel}", "pelayanan IGD RSUD"),
        category_labels=('Puskesmas', 'Layanan Kesehatan'),
    ),
    Topic(
        "pendidikan", "Pendidikan dan Kebudayaan", 3.0, (("Dinas Pendidikan", 1.0),),
        titles=(
            "Kendala pendaftaran PPDB",
            "Pungutan di sekolah",
            "Zonasi PPDB tidak sesuai",
            "Atap kelas bocor",
        ),
        problems=(
            "Situs pendaftaran PPDB tidak bisa diakses sejak pagi.",
            "Sekolah meminta sumbangan seragam dan buku dengan jumlah yang memberatkan orang tua.",
            "Rumah kami dekat dengan sekolah tetapi anak kami tidak diterima lewat jalur zonasi.",
            "Atap ruang kelas di sebuah SD di Kelurahan {kel} bocor setiap hujan.",
        ),
        impacts=("Orang tua murid resah menunggu kepastian.",),
        classifications=(("Pengaduan", 0.75), ("Permintaan Informasi", 0.2), ("Aspirasi", 0.05)),
        ppdb=3.5,
        rekap_phrases=("kendala PPDB", "pungutan sekolah", "atap kelas bocor"),
        category_labels=('Pendidikan', 'PPDB', 'Sekolah'),
    ),
    Topic(
        "bansos", "Sosial dan Kesejahteraan", 3.0, (("Dinas Sosial", 0.8), ("@kelurahan", 0.2)),
        titles=(
            "Bantuan sosial tidak tepat sasaran",
            "Belum menerima BPNT",
            "Pendataan DTKS di Kelurahan {kel}",
        ),
        problems=(
            "Keluarga kami termasuk tidak mampu tetapi tidak pernah menerima bantuan sosial.",
            "Ada penerima bansos di lingkungan kami yang sebenarnya mampu.",
            "Nama orang tua saya hilang dari DTKS tanpa pemberitahuan.",
        ),
        impacts=("Mohon dilakukan pendataan ulang.",),
        rekap_phrases=("bansos tidak tepat sasaran", "belum terima BPNT"),
        category_labels=('Bansos', 'Bantuan Sosial'),
    ),
    Topic(
        "pasar", "Industri dan Perdagangan", 3.0,
        (("Dinas Koperasi, Usaha Mikro, Perindustrian dan Perdagangan", 1.0),),
        titles=(
            "Kondisi Pasar Legi kumuh",
            "Harga bahan pokok naik menjelang lebaran",
            "Atap los pasar bocor",
        ),
        problems=(
            "Lantai Pasar Legi becek dan saluran airnya mampet.",
            "Harga minyak goreng dan telur di pasar terus naik {lama}.",
            "Atap los sayur di pasar bocor sehingga dagangan basah saat hujan.",
        ),
        impacts=("Pedagang dan pembeli sama-sama dirugikan.",),
        lebaran=1.8,
        rekap_phrases=("pasar becek", "atap los pasar bocor"),
        category_labels=('Pasar', 'Perdagangan'),
    ),
    Topic(
        "perizinan", "Pelayanan Publik", 2.0, (("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 1.0),),
        titles=("Izin usaha lama diproses", "Kendala pengurusan PBG"),
        problems=(
            "Pengajuan izin usaha saya lewat OSS belum diverifikasi {lama}.",
            "Pengurusan PBG untuk rumah tinggal saya tidak ada kepastian waktu.",
        ),
        classifications=(("Pengaduan", 0.7), ("Permintaan Informasi", 0.3)),
        rekap_phrases=("izin usaha lama", "PBG belum terbit"),
        category_labels=('Perizinan',),
    ),
    Topic(
        "pajak", "Pelayanan Publik", 2.0, (("Badan Pendapatan Daerah", 1.0),),
        titles=("Tagihan PBB tidak sesuai", "SPPT PBB belum diterima"),
        problems=(
            "Tagihan PBB tahun ini naik hampir dua kali lipat tanpa penjelasan.",
            "Sampai sekarang SPPT PBB kami belum diterima dari kelurahan.",
        ),
        classifications=(("Pengaduan", 0.6), ("Permintaan Informasi", 0.4)),
        rekap_phrases=("tagihan PBB naik", "SPPT belum diterima"),
        category_labels=('Layanan Publik',),
    ),
    Topic(
        "pungli", "Kepegawaian dan Aparatur", 0.6, (("Inspektorat", 0.7), ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 0.3)),
        titles=("Dugaan pungutan liar oleh oknum petugas", "Oknum ASN tidak disiplin"),
        problems=(
            "Saat mengurus surat di sebuah kantor layanan, saya dimintai uang pelicin oleh oknum petugas.",
            "Ada oknum pegawai yang sering tidak berada di kantor pada jam kerja.",
        ),
        classifications=(("Whistle Blowing", 0.6), ("Pengaduan", 0.4)),
        rekap_phrases=("dugaan pungli oknum petugas",),
        category_labels=('Pungli', 'Kepegawaian'),
    ),
    Topic(
        "wisata", "Pariwisata dan Ekonomi Kreatif", 2.0,
        (("Dinas Kepemudaan, Olahraga, Kebudayaan dan Pariwisata", 1.0),),
        titles=("Usulan perbaikan fasilitas Makam Bung Karno", "Fasilitas taman kota rusak", "Usulan event budaya"),
        problems=(
            "Toilet umum di area wisata dekat {tempat} kotor dan airnya mati.",
            "Beberapa permainan anak di {tempat} rusak dan berbahaya.",
            "Kami mengusulkan agar ada festival kuliner rutin di Alun-alun setiap akhir pekan.",
        ),
        classifications=(("Aspirasi", 0.55), ("Pengaduan", 0.4), ("Permintaan Informasi", 0.05)),
        lebaran=1.4,
        rekap_phrases=("toilet wisata kotor", "usulan event budaya"),
        category_labels=('Pariwisata', 'Wisata'),
    ),
    Topic(
        "loker", "Ketenagakerjaan", 1.5, (("Dinas Tenaga Kerja", 1.0),),
        titles=("Informasi pelatihan kerja", "Gaji di bawah UMK", "Informasi job fair"),
        problems=(
            "Kapan ada pelatihan kerja gratis dari pemerintah kota?",
            "Tempat saya bekerja membayar gaji di bawah UMK Kota Blitar.",
            "Mohon informasi jadwal job fair tahun ini.",
        ),
        classifications=(("Permintaan Informasi", 0.65), ("Pengaduan", 0.35)),
        rekap_phrases=("info pelatihan kerja", "gaji di bawah UMK"),
        category_labels=('Tenaga Kerja', 'Lowongan Kerja'),
    ),
    Topic(
        "perempuan_anak", "Sosial dan Kesejahteraan", 1.0,
        (("Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana", 1.0),),
        titles=("Dugaan penelantaran anak di Kelurahan {kel}", "Permohonan pendampingan korban KDRT"),
        problems=(
            "Ada anak di lingkungan kami yang sering ditinggal sendirian dan tidak sekolah.",
            "Tetangga kami diduga menjadi korban kekerasan dalam rumah tangga dan butuh pendampingan.",
        ),
        rekap_phrases=("dugaan penelantaran anak", "pendampingan korban KDRT"),
        category_labels=('Sosial',),
    ),
    Topic(
        "perpustakaan", "Pendidikan dan Kebudayaan", 0.7, (("Dinas Perpustakaan dan Kearsipan", 1.0),),
        titles=("Jam buka perpustakaan", "Koleksi buku perpustakaan"),
        problems=(
            "Perpustakaan tutup lebih awal dari jadwal yang tertulis.",
            "Kami mengusulkan penambahan koleksi buku anak di perpustakaan.",
        ),
        classifications=(("Aspirasi", 0.6), ("Permintaan Informasi", 0.4)),
        rekap_phrases=("perpustakaan tutup lebih awal",),
        category_labels=('Pendidikan',),
    ),
    Topic(
        "pangan", "Topik Lainnya", 0.6, (("Dinas Pertanian dan Pangan", 1.0),),
        titles=("Hewan ternak dibiarkan lepas", "Pupuk bersubsidi langka"),
        problems=(
            "Sapi dan kambing milik warga dibiarkan lepas dan merusak tanaman di {jalan}.",
            "Petani di Kelurahan {kel} kesulitan mendapatkan pupuk bersubsidi.",
        ),
        rekap_phrases=("ternak lepas di {jalan}", "pupuk subsidi langka"),
        category_labels=('Lainnya',),
    ),
    Topic(
        "pembangunan", "Topik Lainnya", 1.0,
        (("Badan Perencanaan Pembangunan Daerah", 0.6), ("Sekretariat DPRD", 0.2), ("Badan Kesatuan Bangsa dan Politik", 0.2)),
        titles=("Usulan pembangunan di Kelurahan {kel}", "Aspirasi warga untuk Musrenbang"),
        problems=(
            "Usulan perbaikan balai RW kami sudah tiga tahun masuk Musrenbang tetapi belum terealisasi.",
            "Kami mengusulkan pembangunan taman bermain di Kelurahan {kel}.",
        ),
        classifications=(("Aspirasi", 0.8), ("Pengaduan", 0.2)),
        rekap_phrases=("usulan Musrenbang Kel. {kel}",),
        category_labels=('Lainnya', 'Umum'),
    ),
    Topic(
        "lainnya", "Topik Lainnya", 2.0, (("Sekretariat Daerah", 0.6), ("@kecamatan", 0.4)),
        titles=("Pertanyaan layanan pemerintah kota", "Keluhan pelayanan kantor kecamatan", "Lain-lain"),
        problems=(
            "Nomor telepon layanan di situs pemerintah kota tidak bisa dihubungi.",
            "Pelayanan di kantor kecamatan tutup sebelum jam pelayanan berakhir.",
            "Saya ingin menanyakan prosedur pengajuan bantuan untuk kegiatan RT.",
        ),
        classifications=(("Pengaduan", 0.55), ("Permintaan Informasi", 0.3), ("Aspirasi", 0.15)),
        rekap_phrases=("pelayanan kantor kecamatan", "tanya prosedur bantuan"),
        category_labels=('Lainnya', 'Lain-lain'),
    ),
)

OPENERS = (
    "", "", "", "Selamat pagi.", "Selamat siang, Admin.", "Mohon izin melaporkan.",
    "Assalamualaikum, saya warga Kelurahan {kel}.", "Yth. Bapak/Ibu Pemerintah Kota Blitar,",
    "Saya ingin menyampaikan keluhan.", "Permisi, mau melapor.", "Selamat malam.",
)
LAMA = (
    "sejak tiga hari yang lalu", "selama seminggu", "selama ± 2 minggu", "lebih dari sebulan",
    "sejak awal bulan", "berbulan-bulan", "sejak kemarin", "hampir dua minggu",
)
GENERIC_IMPACTS = (
    "Hal ini sangat meresahkan warga sekitar.",
    "Kondisi ini sudah sering dikeluhkan warga tetapi belum ada tindakan.",
    "Sebelumnya sudah pernah dilaporkan ke RT/RW tetapi belum ada perubahan.",
    "Kejadian ini berlangsung {lama}.",
    "Masalah ini sudah terjadi {lama} – mohon jangan dibiarkan.",
)
REQUESTS = (
    "Mohon segera ditindaklanjuti.",
    "Mohon dinas terkait segera mengecek ke lokasi.",
    "Mohon bantuan dan solusinya.",
    "Kami berharap ada tindakan secepatnya.",
    "Mohon segera ditangani.",
    "Mohon perhatiannya.",
)
CLOSERS = ("", "", "Terima kasih.", "Matur nuwun.", "Terima kasih atas perhatiannya.", "Salam.")
REKAP_REQUESTS = ("mohon ditindaklanjuti", "mhn dicek", "mohon segera ditangani", "mohon tindak lanjut", "")
CONTACT_SENTENCES = (
    "Bisa hubungi saya di {phone}.",
    "Nomor WA saya {phone}.",
    "Email saya {email} bila perlu konfirmasi.",
    "Data saya: NIK {nik}, HP {phone}.",
)

STREETS = (
    "Jl. Merdeka", "Jl. Sudanco Supriyadi", "Jl. Kalimantan", "Jl. Veteran", "Jl. Mastrip", "Jl. Kenari",
    "Jl. Anggrek", "Jl. Cemara", "Jl. Tanjung", "Jl. Kartini", "Jl. Sultan Agung", "Jl. Ahmad Yani",
    "Jl. Diponegoro", "Jl. HOS Cokroaminoto", "Jl. Slamet Riyadi", "Jl. Bali", "Jl. Sumatra", "Jl. Kelud",
    "Jl. Lawu", "Jl. Semeru", "Jl. Ciliwung", "Jl. Bengawan Solo", "Jl. Maluku", "Jl. Ir. Soekarno",
    "Jl. dr. Wahidin", "Jl. Melati", "Jl. Mawar", "Jl. Pemuda", "Jl. Kapuas", "Jl. Borobudur",
    "Jl. Kenanga", "Jl. Manggar", "Jl. Cempaka", "Jl. Agus Salim", "Jl. Imam Bonjol", "Jl. Bogowonto",
)
PLACES = (
    "Alun-alun Kota Blitar", "Makam Bung Karno", "Pasar Legi", "Pasar Templek", "Stasiun Blitar",
    "Terminal Patria", "Taman Pecut", "Kebon Rojo", "Istana Gebang", "Perpustakaan Bung Karno",
    "RSUD Mardi Waluyo", "Masjid Agung", "Lapangan Kelurahan", "SDN Sananwetan", "Balai RW",
    "GOR Soekarno-Hatta", "Taman Kota", "Kantor Pos Blitar",
)

FIRST_NAMES = (
    "Agus", "Budi", "Siti", "Sri", "Dwi", "Eko", "Rina", "Dewi", "Wahyu", "Andi", "Nur", "Yuli", "Bambang",
    "Joko", "Ika", "Fitri", "Rudi", "Hadi", "Slamet", "Suparmi", "Lestari", "Ahmad", "Muhammad", "Rizky",
    "Putri", "Ayu", "Heru", "Teguh", "Endang", "Sumarni", "Yudi", "Dian", "Rahmat", "Indah", "Bayu",
    "Fajar", "Anik", "Kusnadi", "Sutrisno", "Wulan", "Novi", "Hendra", "Lina", "Arif", "Tri", "Yanto",
    "Mariyam", "Sulastri", "Gilang", "Nadia",
)
LAST_NAMES = (
    "Santoso", "Wijaya", "Prasetyo", "Hidayat", "Susanto", "Setiawan", "Rahayu", "Kurniawan", "Lestari",
    "Saputra", "Utami", "Nugroho", "Purnomo", "Wibowo", "Handayani", "Suryani", "Pratama", "Firmansyah",
    "Anggraini", "Hartono", "Sulistyo", "Maulana", "Wahyuni", "Rahman", "Hakim", "Yulianto", "Sugiarto",
    "Permana", "Kusuma", "Ramadhan",
)
EMAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "gmail.com", "yahoo.co.id", "yahoo.com", "ymail.com", "outlook.com")
PHONE_PREFIXES = (
    "0811", "0812", "0813", "0821", "0822", "0823", "0851", "0852", "0853", "0856", "0857", "0858",
    "0877", "0878", "0881", "0895", "0896", "0897",
)
