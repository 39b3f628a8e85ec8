# Pesan-pesan oneway dalam Bahasa Indonesia.
#
# Kunci dan $argumen sama persis dengan en.ftl (diperiksa oleh tes). Setiap pesan adalah satu
# kalimat utuh; jangan menyambung dua pesan menjadi satu kalimat.
#
# Glosarium (istilah yang dipakai, seperti di mata kuliah):
#   datagram        datagram (tidak diterjemahkan; jamak pun "datagram")
#   frame           frame (satu rekaman dalam capture)
#   capture         capture (berkas hasil penangkapan paket)
#   packet          paket
#   payload         payload (isi datagram)
#   port            port
#   host            host
#   handshake       handshake (jabat tangan TCP: SYN, SYN-ACK, ACK)
#   connection      koneksi
#   connectionless  tanpa koneksi (connectionless)
#   conversation    percakapan (pasangan alamat:port yang bertukar datagram)
#   reply           balasan; to reply = membalas
#   request         permintaan
#   unanswered      tak berbalas
#   retry           pengulangan (percobaan ulang)
#   server, client  server, klien
#   sender          pengirim
#   ICMP error      pesan galat ICMP; port unreachable = port unreachable (nama resmi ICMP)
#   snaplen         snaplen
#   fragment        fragmen (IP)
#   byte            byte
#   section         bagian (section), blok pcapng
#   interface       antarmuka
#   peer            pengirim (server menghitung pengirim yang berbeda)
#   rate limit      batas laju
#   listen          mendengarkan (di sebuah port)
#   resolve         me-resolve (nama host menjadi alamat)
#   malformed       rusak
#   perc            singkatan "percakapan" di judul kolom tabel
#   decimal mark    koma untuk durasi dalam kalimat (0,283 ms); kolom waktu tetap memakai titik
#
# Gaya: kalimat seperti dosen menulis untuk mahasiswa — jelas, baku tetapi tidak kaku.

## Pelajaran dari praktikum

lesson-udp = UDP bersifat connectionless (tanpa koneksi): tidak ada handshake sebelum data dikirim, setiap datagram berdiri sendiri, dan hanya balasan yang memberi tahu pengirim bahwa datagramnya sampai.
lesson-tcp = TCP bersifat connection-oriented (berorientasi koneksi): SYN, SYN-ACK, dan ACK harus melintasi jaringan sebelum byte data pertamanya dikirim; sebaliknya, datagram UDP yang pertama sudah langsung membawa data.

## Ringkasan (render/summary.rs)

summary-capture = Capture: { $format }, { $frames } frame
summary-capture-span = Capture: { $format }, { $frames } frame, dari { $first } sampai { $last } ({ $duration })
summary-udp = UDP: { $datagrams } datagram, payload { $bytes } byte, { $conversations } percakapan
summary-not-udp = Bukan UDP: { $frames } frame ({ $kinds })
summary-kind = { $kind }: { $count }
summary-kind-malformed = rusak: { $count }
summary-kind-unreadable = rekaman tak terbaca: { $count }
summary-filtered-out = Disaring oleh --port/--host: { $n } datagram UDP
summary-cut = Terpotong oleh snaplen: { $n } datagram (hanya sebagian payload-nya yang tertangkap)
summary-bad-length = Field length UDP tidak sesuai dengan panjang paket IP: { $n } datagram
summary-note = Catatan: { $note }.
summary-limit = Batas percakapan tercapai: hanya { $limit } percakapan pertama yang dilacak; { $n } datagram dari percakapan sesudahnya tetap ditampilkan, tetapi tidak dikelompokkan.
summary-conversations = Daftar percakapan:
summary-more = ... dan { $n } percakapan lainnya (lihat tabel).
summary-icmp-unmatched = Pesan galat ICMP tentang datagram UDP yang tidak tercantum di sini: { $n }
summary-traffic = { $packets } dgram / { $bytes } B

# Kolom tabel percakapan.
column-conv = perc
column-a = A (pengirim pertama)
column-b = B
column-ab = A->B
column-ba = B->A
column-start = mulai
column-duration = durasi
column-replies = balasan
column-unanswered = tak berbalas

## Cerita satu percakapan

story-title = Percakapan { $id }: { $a } <-> { $b }
story-first = frame { $frame }: { $a } langsung mengirim { $bytes } byte data di paket pertama; tidak ada handshake sebelumnya.
story-reply = frame { $frame }: { $replier } membalas frame { $request } (dari { $asker }){ $retries }.
story-reply-after = frame { $frame }: { $replier } membalas frame { $request } (dari { $asker }) { $after } kemudian{ $retries }.
story-icmp-instead = tidak ada datagram yang kembali; yang datang justru pesan galat ICMP:
story-one-way = tidak ada datagram yang kembali: komunikasi satu arah, dan tidak ada yang memberi tahu { $a } apakah datagramnya sampai.
story-repeats = { $n } datagram mengulang payload yang sama dengan datagram sebelumnya tanpa dibalas: percobaan ulang atau duplikat.
story-in-all = seluruhnya { $n } datagram: { $answered } dibalas, { $unanswered } tak berbalas.

# Percobaan ulang sebelum datagram yang dibalas.
retries = (didahului { $n } percobaan ulang)
retries-earlier = (didahului { $n } percobaan ulang; percobaan pertama { $earlier } sebelumnya)
retries-at = (didahului { $n } percobaan ulang; percobaan pertama di frame { $frame })

## Pesan galat ICMP (nama jenisnya tetap nama resmi ICMP)

icmp-sentence = frame { $frame }: { $from } menjawab dengan ICMP { $what }: tidak ada yang mendengarkan di { $target }.
icmp-sentence-many = frame { $frame }: { $from } menjawab dengan ICMP { $what }: tidak ada yang mendengarkan di { $target }. (seluruhnya { $count } pesan galat ICMP)
icmp-port-unreachable = port unreachable
icmp-host-unreachable = host unreachable
icmp-network-unreachable = network unreachable
icmp-protocol-unreachable = protocol unreachable
icmp-fragmentation-needed = fragmentation needed
icmp-destination-unreachable = destination unreachable
icmp-address-unreachable = address unreachable
icmp-no-route = no route

## TCP sebagai pembanding

tcp-title = TCP sebagai pembanding: { $n } koneksi
tcp-more = ... dan { $n } lainnya.
tcp-connection = { $client } -> { $server }: { $handshake }; { $data }.
tcp-step = { $step } (frame { $frame })
tcp-step-after = { $step } (frame { $frame }, +{ $after })
tcp-no-handshake = handshake-nya tidak terekam dalam capture (koneksinya sudah dimulai sebelumnya)
tcp-first-data = data pertama ({ $bytes } byte) di frame { $frame }
tcp-first-data-after = data pertama ({ $bytes } byte) di frame { $frame }, { $after } setelah SYN
tcp-no-data = tidak ada data

## Yang bukan UDP (baris "Bukan UDP" di ringkasan)

skip-ip-protocol = protokol IP { $number }
skip-fragment = fragmen IP yang tidak dirakit ulang
skip-fragment-reassembled = fragmen IP dari datagram yang dirakit ulang di frame berikutnya
skip-ethertype = EtherType { $number }
skip-loopback-family = keluarga alamat loopback { $number }
skip-ppp-protocol = protokol PPP { $number }
skip-wifi-management = frame manajemen 802.11
skip-wifi-control = frame kontrol 802.11
skip-wifi-null = data kosong (null data) 802.11
skip-wifi-protected = data 802.11 terenkripsi
skip-wifi-no-snap = data 802.11 tanpa LLC/SNAP
skip-pcapng-custom = blok kustom pcapng
skip-systemd-journal = blok ekspor jurnal systemd
skip-link-type = tipe link { $number } (tidak didukung)

## Format capture

format-pcap-micro = pcap (mikrodetik)
format-pcap-nano = pcap (nanodetik)
format-pcap-modified = pcap (varian modifikasi Kuznetzov)
format-gzip = { $format }, terkompresi gzip

## Tabel datagram (inspect/view.rs)

column-number = #
column-time = waktu
column-source = sumber
column-destination = tujuan
column-length = panjang
column-payload = payload
column-note = catatan
note-reply = membalas { $frame }
note-reply-after = membalas { $frame } setelah { $after }
note-reassembled = dirakit ulang dari fragmen IP
note-same-as = sama dengan { $frame }
note-cut = terpotong: hanya { $got } dari { $length } byte yang tertangkap
note-bad-length = field length UDP salah: { $value }
note-malformed = rusak: { $why }
note-unreadable = tak terbaca: { $why }

## Mengikuti satu percakapan (render/follow.rs)

follow-title = Percakapan { $id }: A = { $a }, B = { $b }
follow-datagram = { $arrow }  frame { $frame }  { $time }  { $bytes } byte
follow-reply = membalas frame { $frame }
follow-reply-after = membalas frame { $frame } setelah { $after }
follow-same-as = sama dengan frame { $frame }
follow-cut = (hanya { $n } byte yang tertangkap)
follow-icmp = ICMP  frame { $frame }  { $time }  dari { $from }
follow-icmp-what = { $what }: tidak ada yang mendengarkan di { $target }
follow-total = A->B: { $ab } datagram, { $abbytes } byte; B->A: { $ba } datagram, { $babytes } byte

## Galat dan diagnostik inspect (setelah "oneway: ")

error-empty = masukan kosong: bukan capture pcap atau pcapng
error-not-capture = bukan capture pcap atau pcapng (diawali dengan { $magic })
error-unsupported = { $what } tidak didukung
error-bad-header = header berkas { $format } tidak terbaca: { $why }
error-truncated = capture terpotong: frame { $frame } pada offset byte { $offset } tidak lengkap
error-damaged = capture rusak pada offset byte { $offset } (frame { $frame }): { $why }
error-read = galat saat membaca pada offset byte { $offset }
why-header-ends = berkas berakhir di tengah header-nya
why-caplen = panjang tertangkap rekaman ini, { $caplen }, melebihi batas maksimum { $max }
why-caplen-peers = panjang tertangkap rekaman ini, { $caplen }, melebihi batas maksimum { $max } (tcpdump dan tshark juga berhenti di sini)
why-no-interface = antarmuka { $interface } tidak dideskripsikan di bagian (section) ini
why-spb-first = ada simple packet block sebelum antarmuka mana pun
why-first-not-shb = blok pertamanya bukan section header
why-byte-order-magic = section header dengan byte-order magic { $magic }
why-block-too-short = blok dengan panjang total { $length }, lebih pendek dari 12 byte bingkainya
why-block-not-multiple = blok dengan panjang total { $length }, bukan kelipatan 4
why-block-too-long = blok dengan panjang total { $length }, melebihi { $max } byte yang diizinkan untuk satu blok di sini
why-trailing-length = blok yang panjang di ujungnya ({ $trailing }) berbeda dari panjang di awalnya ({ $leading })
why-shb-short = section header yang lebih pendek dari field tetapnya
why-version = section pcapng versi { $version } (hanya versi 1.x yang dibaca, seperti tshark)
why-idb-short = blok antarmuka yang lebih pendek dari field tetapnya
why-packet-short = blok paket yang lebih pendek dari field tetapnya
why-packet-cannot-hold = blok paket berukuran { $size } byte tidak mungkin memuat { $caplen } byte yang katanya tertangkap
why-packet-caplen = panjang tertangkap paket ini, { $caplen }, melebihi batas maksimum { $max }
why-spb-short = simple packet block yang lebih pendek dari field tetapnya
error-cannot-open = tidak dapat membuka { $path }
error-cannot-read = { $path }: tidak dapat dibaca
error-cannot-write = tidak dapat menulis { $path }
error-output-is-input = { $path }: keluaran (-o) adalah salah satu masukan: menulisnya akan merusak capture sebelum dibaca
error-stopped-before-input = { $path }: dihentikan sebelum ada masukan
error-follow-filtered = { $path }: percakapan { $id } tersaring oleh --port/--host
error-no-conversation = { $path }: tidak ada percakapan { $id } (hanya ada { $all })
error-live-permission = menangkap paket di { $name } memerlukan root atau capability CAP_NET_RAW
error-packet-socket = tidak dapat membuka packet socket
error-attach-filter = tidak dapat memasang filter capture
error-capturing-on = menangkap paket di { $name }
error-no-interface = tidak ada antarmuka bernama { $name }
live-capture-on = capture langsung di { $name } ({ $link })
live-listening = { $capture }; tekan Ctrl-C untuk berhenti
live-closing =
    { $captured } paket tertangkap
    { $dropped } paket dibuang oleh kernel

## Galat pemakaian (exit 2)

usage-port-number = port { $port } bukan bilangan antara 0 dan 65535 (untuk mengirimnya sebagai teks: -m { $port })
usage-not-a-port = { $text } bukan port: tulis `oneway send HOST PORT PESAN`, atau berikan pesannya dengan -m
usage-second-port = { $target } sudah menyebut port { $port }, sehingga { $second } akan menjadi port kedua: untuk mengirim teks "{ $second }" ke sana, tulis `oneway send { $target } -m { $second }`
usage-two-ports = ada dua port, { $one } { $p } dan { $other } { $q }: berikan satu saja
usage-two-messages = ada dua pesan, { $first } dan -m { $second }: berikan satu saja
usage-write-needs-interface = --write menyimpan capture langsung: opsi ini memerlukan --interface
usage-parquet-terminal = Parquet berformat biner dan stdout adalah terminal: tulis ke berkas dengan -o BERKAS (atau salurkan lewat pipe)
## Tabel

table-icmp-for-frame = ICMP { $what } untuk frame { $frame }
table-icmp-for-datagram = ICMP { $what } untuk sebuah datagram ke { $target }
table-left-out = (tidak ditampilkan agar muat dalam { $width } kolom: { $columns }; --wide menampilkan semua kolom)

## Yang dikesampingkan pembaca capture (pcapng)

note-pcapng-untimed-one = antarmuka { $interface } pada bagian { $section } memiliki resolusi waktu (if_tsresol) lebih halus dari nanodetik atau tidak sah: paketnya ditampilkan tanpa waktu
note-pcapng-untimed-many = { $n } antarmuka (yang pertama: antarmuka { $interface } pada bagian { $section }) memiliki resolusi waktu (if_tsresol) yang tidak dapat dibaca: paketnya ditampilkan tanpa waktu
note-pcapng-before-1970 = { $n ->
   *[other] { $n } paket (yang pertama: frame { $first }) memiliki waktu sebelum 1970 setelah if_tsoffset antarmukanya: ditampilkan tanpa waktu
}
note-pcapng-options-set-aside = opsi pcapng dikesampingkan ({ $why }): oneway hanya membaca if_tsresol, if_tsoffset, dan if_fcslen, dan paket-paketnya dibaca seperti biasa
note-pcapng-not-utf8 = { $n ->
   *[other] { $n } opsi teks bukan UTF-8
}
note-pcapng-bad-length = { $n ->
   *[other] { $n } opsi if_tsresol, if_tsoffset, atau if_fcslen dengan panjang yang tidak diizinkan spesifikasi
}
note-pcapng-overrun = { $n ->
   *[other] { $n } daftar opsi yang melewati akhir bloknya
}
note-pcapng-too-many-interfaces = { $n ->
   *[other] { $n } blok antarmuka setelah { $max } antarmuka yang disimpan per bagian dikesampingkan: paketnya tidak terbaca
}

## send (stderr, setelah "oneway: "; balasan di stdout tetap memakai kata-kata klien praktikum)

send-too-large = pesannya { $size } byte; satu datagram UDP lewat { $family } memuat paling banyak { $max } byte
send-cannot-read-stdin = tidak dapat membaca pesan dari stdin
send-size = { $size } byte
send-size-more = lebih dari { $size } byte
send-cannot-resolve = tidak dapat me-resolve { $host }
send-no-address-for = tidak dapat me-resolve { $host }: tidak ada alamat
send-no-zone = tidak ada antarmuka jaringan { $zone } untuk zona IPv6
send-cannot-open-socket = tidak dapat membuka socket UDP ({ $local })
send-cannot-bind = tidak dapat memakai port lokal { $port } ({ $local })
send-cannot-reach = tidak dapat menjangkau { $target }
send-no-address = tidak ada alamat tujuan
send-refused = tidak ada yang mendengarkan di { $target } (ICMP port unreachable)
send-tally = { $sent } terkirim, { $replies } balasan, { $lost } hilang
send-tally-icmp = { $n } ICMP port unreachable
send-tally-duplicates = { $n } balasan ganda
send-tally-late = { $n } balasan terlambat
send-rtt = rtt min/median/maks { $min }/{ $median }/{ $max } ms
send-reply-from = catatan: balasan datang dari { $from }, bukan dari { $target }
send-not-sent = datagram { $i } dari { $count } tidak terkirim: tidak ada yang mendengarkan di { $target } (ICMP port unreachable)
send-no-reply = tidak ada balasan dari { $target } dalam { $wait }
send-no-reply-too-long = tidak ada balasan dari { $target } dalam { $wait } (server yang menyapa tidak bisa menjawab pesan lebih dari { $max } byte lewat IPv4: balasannya tidak muat dalam satu datagram)
send-no-reply-to = tidak ada balasan untuk datagram { $i } dari { $count } dalam { $wait }
send-refused-one = datagram { $i } dari { $count }: tidak ada yang mendengarkan di { $target } (ICMP port unreachable)
send-dash-target = "-" bukan host: tujuan ditulis lebih dulu, misalnya `oneway send 127.0.0.1 -`
send-port-zero = port 0 tidak bisa dijadikan tujuan: berikan port server-nya ({ $host }:PORT atau --port)
send-count-zero = --count paling sedikit 1
send-timeout-zero = --timeout harus lebih dari 0
send-duration-max = { $option } paling lama { $max }
send-message-too-large = pesannya { $size }; satu datagram UDP memuat paling banyak { $v4 } byte lewat IPv4, { $v6 } lewat IPv6
send-sent-no-wait = { $n } terkirim (tanpa menunggu balasan)
send-unanswered = { $lost } dari { $sent } datagram tidak mendapat balasan dalam { $wait }
send-stopped = dihentikan oleh sinyal setelah { $sent } dari { $count } datagram
stop-warning-send = peringatan: Ctrl-C tidak dapat ditangkap ({ $error }); Ctrl-C akan menghentikan proses ini tanpa ringkasan
stop-warning-serve = peringatan: Ctrl-C tidak dapat ditangkap ({ $error }); Ctrl-C akan menghentikan server tanpa ringkasan
target-empty-host = tidak ada host pada tujuan { $target }
target-brackets = tujuan { $target }: seharusnya [IPV6] atau [IPV6]:PORT
target-not-ipv6 = tujuan { $target }: { $address } bukan alamat IPv6
target-port = tujuan { $target }: port { $port } bukan bilangan antara 0 dan 65535
target-colons = tujuan { $target }: bukan HOST:PORT dan bukan pula alamat IPv6 (tulis [IPV6]:PORT)
target-zone = tujuan { $target }: zona (%IFACE) hanya boleh mengikuti alamat IPv6

## serve (stderr setelah "oneway: ", dan log teksnya; log jsonl dan lab tidak pernah berubah)

serve-tally = { $datagrams } datagram, { $bytes } byte, { $peers } pengirim berbeda
serve-tally-about = { $datagrams } datagram, { $bytes } byte, sekitar { $peers } pengirim berbeda
serve-tally-limited = { $n } tidak dijawab (batas laju)
serve-tally-refused = { $n } tidak dijawab (aturan pencegah loop)
serve-tally-failed = { $n } balasan tidak terkirim
serve-tally-receive-errors = { $n } galat penerimaan
serve-tally-not-logged = { $n } baris tidak tercatat di log
serve-tally-not-logged-why = { $n } baris tidak tercatat di log ({ $why })
serve-stopped-count = dihentikan oleh --count
serve-stopped-signal = dihentikan oleh sinyal
serve-warning = peringatan: { $what }
serve-warnings-max = peringatan: sudah { $n } peringatan; peringatan berikutnya tidak ditampilkan
# Satu baris per datagram: $size memilih bentuk jamak, $n adalah angka yang ditampilkan.
serve-log-line = { $peer } -> { $size ->
       *[other] { $n } byte
    }: "{ $payload }"
serve-loop-own = { $peer } tidak dijawab: itu alamat dan port server ini sendiri (sebuah loop)
serve-loop-reflector = { $peer } tidak dijawab: port sumber { $port } adalah layanan yang menjawab setiap datagram (sebuah loop)
serve-greeting-too-large = { $peer } tidak dijawab: sapaannya akan berukuran { $size } byte, padahal satu datagram UDP lewat { $family } memuat paling banyak { $max }
serve-rate-limited = batas laju: { $n } datagram tidak dijawab (lebih dari { $rate }/s dari satu alamat; yang terakhir dari { $latest })
serve-cannot-answer = tidak dapat menjawab { $peer } ({ $size } byte): { $error }
serve-listening = mendengarkan di { $local } (udp); batas laju { $rate }/s per alamat sumber, lonjakan hingga { $burst }
serve-listening-no-limit = mendengarkan di { $local } (udp); batas laju tidak aktif
serve-cannot-listen = tidak dapat mendengarkan di { $addr }
serve-cannot-set-timeouts = tidak dapat mengatur batas waktu di { $local }
serve-cannot-pktinfo = tidak dapat meminta alamat tujuan di { $local }
serve-cannot-start-log = tidak dapat memulai penulis log
serve-socket-error = galat socket di { $local }
serve-receive-warning = menerima di { $local }: { $error }
serve-cannot-receive = tidak dapat menerima di { $local }
serve-cut = sebuah datagram yang lebih panjang dari { $max } byte terpotong; tidak dilayani
serve-no-sender = sebuah datagram tanpa alamat pengirim; tidak dilayani
log-cannot-write = peringatan: log tidak dapat ditulis ke { $failure }; server tetap melayani, dan baris yang tidak tercatat dihitung dalam ringkasan
log-not-keeping-up = peringatan: log ({ $name }) tertinggal; server tetap melayani, dan baris yang tidak tercatat dihitung dalam ringkasan
log-not-written = { $name }: belum tertulis saat server berhenti
log-fell-behind = { $name }: log tertinggal
log-reader-gone = { $name }: pembacanya sudah tidak ada ({ $error })

## Laporan HTML (render/html.rs; teks biasa, di-escape saat ditulis)

html-heading = UDP dalam { $title }
html-facts = { $frames } frame, { $datagrams } datagram UDP, { $conversations } percakapan.
html-facts-span = { $frames } frame, { $datagrams } datagram UDP, { $conversations } percakapan, mulai { $first } selama { $duration }.
html-made-by = Dibuat oleh oneway { $version }.
html-column-first-reply = balasan pertama
html-no-reply = tidak ada (satu arah)
html-first-reply = frame { $frame }{ $retries }
html-first-reply-after = frame { $frame }, { $after } kemudian{ $retries }
html-icmp-title = Pesan galat ICMP
html-tcp-title = TCP sebagai pembanding
html-tcp-syn = TCP SYN: handshake, belum ada data
html-tcp-data = data TCP
html-diagram-title = Diagram urutan (sequence diagram)
html-diagram-help = Satu garis hidup (lifeline) untuk setiap host; satu baris untuk setiap frame, urut menurut waktu: nomor frame dan waktunya (detik sejak frame pertama), ukuran dan payload-nya di sebelah kiri, port-nya di atas panah. Balasan digambar putus-putus, TCP bertitik, pesan galat ICMP berwarna merah. Arahkan kursor ke sebuah panah untuk melihat payload lengkapnya, klik untuk menuju barisnya di tabel di bawah.
html-tip-frame = frame { $frame } · { $time } s
html-tip-conversation = percakapan { $id }
html-tip-cut = (terpotong: halaman ini memuat paling banyak 4 MiB teks payload)
html-not-drawn = { $n } frame tidak digambar: diagram ini memuat paling banyak { $max } host; tabel di bawah mencantumkan semuanya.
html-frames-title = Frame
# $x, $n, dan $z mewakili escape \xNN, \n, dan \0, ditulis sebagai kode.
html-frames-help = Setiap datagram UDP, pesan galat ICMP, dan segmen TCP dalam cerita ini, beserta seluruh payload-nya sebagai teks: byte yang tidak dapat dicetak ditulis { $x }, { $n }, { $z }….
html-column-frame = frame
html-column-time = waktu (s)
html-column-size = ukuran
html-row-cut = terpotong: halaman ini memuat paling banyak 4 MiB teks payload; oneway inspect --follow { $conversation } menampilkannya utuh
html-not-listed = { $n } frame lainnya tidak dicantumkan: halaman ini menampilkan { $max } yang pertama; oneway inspect mencantumkan semuanya.

## Mengapa sebuah frame rusak (dissect; setelah "rusak: ")

why-link-nesting = header link-layer (PKTAP, PPI) bersarang lebih dari { $max } tingkat
why-ethernet = header Ethernet: { $error }
why-nflog-no-packet = rekaman NFLOG tanpa paket
why-header-cut = { $what } terpotong: perlu { $needed } byte, hanya { $got } yang tertangkap
why-ip-version = lapisan link menyebut IPv{ $named }, tetapi header-nya menyatakan versi { $found }
why-ip-header = header IP: { $error }
why-ipv4-total-length = panjang total IPv4 ({ $total }) lebih kecil dari panjang header-nya ({ $header })
why-ipv6-fragment-header = header fragmen IPv6 tidak terbaca
why-no-network-layer = tidak ada lapisan jaringan
why-ipv6-option = sebuah opsi IPv6 sepanjang { $length } byte melewati batas byte yang tertangkap
why-ipv6-jumbo = panjang payload IPv6 0 dan header hop-by-hop tanpa opsi Jumbo Payload yang sah

## Banyak capture digabung menurut waktu (inspect BERKAS… atau sebuah direktori)

merged-label = { $n } capture
merged-inputs = { $n } berkas digabung menurut waktu
merged-input = berkas { $n }: { $name }
merged-not-read = tidak terbaca
merged-frames = (frame { $id } adalah frame { $frame } dari berkas { $file })
merged-frames-none = (frame ditulis BERKAS:FRAME, nomornya di dalam berkasnya)
inputs-stdin-alone = stdin (-) hanya dapat dibaca sendirian: tidak dapat digabung dengan capture lain
inputs-not-regular = { $file }: bukan berkas biasa: hanya dapat dibaca sendirian, tidak digabung
inputs-empty-dir = { $dir }: tidak ada capture di direktori ini
inputs-skip-dir = sebuah direktori
inputs-skip-special = bukan berkas biasa
inputs-skip-unreadable = tidak dapat dibaca
inputs-twice = peringatan: { $file } diberikan lagi sebagai { $again }: berkas yang sama, dibaca dua kali (setiap datagram lalu mengulang satu datagram)
inputs-cannot-read-dir = { $dir }: direktori tidak dapat dibaca
inputs-skipped = { $dir }: { $n } berkas yang bukan capture dilewati: { $names }
inputs-none = tidak ada capture untuk dibaca
