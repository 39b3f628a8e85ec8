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
#
# Gaya: kalimat seperti dosen menulis untuk mahasiswa — jelas, baku tetapi tidak kaku.

## Pelajaran dari praktikum

lesson-udp = UDP bersifat connectionless (tanpa koneksi): tidak ada handshake sebelum data dikirim, setiap datagram berdiri sendiri, dan hanya balasan yang memberi tahu pengirim bahwa datagramnya sampai.
lesson-tcp = TCP bersifat connection-oriented (berorientasi koneksi): SYN, SYN-ACK, dan ACK melintas lebih dulu sebelum byte data pertamanya; datagram UDP yang pertama sudah langsung membawa data.

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
