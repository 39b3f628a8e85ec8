# --help dan halaman manual oneway dalam Bahasa Indonesia.
#
# Teks bantuan berbahasa Inggris adalah komentar dokumentasi di src/cli.rs (sumber bantuan clap);
# di sini terjemahannya, satu kunci per perintah dan per opsi: about-PERINTAH,
# long-about-PERINTAH, help-PERINTAH-OPSI (OPSI = nama field-nya di cli.rs), value-TIPE-NILAI.
# Sebuah tes (cli::tests) memastikan setiap opsi setiap perintah punya terjemahan di sini.
# Yang ditulis clap sendiri tetap berbahasa Inggris: [default: …], [possible values: …], galatnya.
# Glosarium: lihat id.ftl.

help-heading-usage = Pemakaian:
help-heading-commands = Perintah
help-heading-options = Opsi
help-heading-arguments = Argumen
help-flag-help = Tampilkan bantuan ini
help-flag-version = Tampilkan versi

about-oneway = Praktikum UDP dalam satu program: server, klien, dan pembaca capture yang menjelaskan apa yang melintas di jaringan.
long-about-oneway =
    Praktikum UDP dalam satu program: server, klien, dan pembaca capture yang menjelaskan apa yang melintas di jaringan.

    Kode keluar: 0 selesai (termasuk capture tanpa UDP dan pipe stdout yang ditutup); 1 tidak dapat diselesaikan (capture tak terbaca atau rusak, galat socket, tidak ada balasan tepat waktu); 2 galat pemakaian.
help-oneway-color = Warna: `auto` memberi warna di terminal, kecuali NO_COLOR diisi atau TERM bernilai dumb
help-oneway-lang = Bahasa yang dipakai oneway untuk berbicara kepada orang: `en` atau `id` (Bahasa Indonesia); bawaannya dari LC_ALL, LC_MESSAGES, atau LANG (`id_ID.UTF-8` berarti Bahasa Indonesia), selain itu Bahasa Inggris. jsonl, csv, dan Parquet tidak pernah berubah

value-colorwhen-auto = Jika stdout adalah terminal, NO_COLOR kosong atau tidak diisi, dan TERM bukan `dumb`
value-colorwhen-always = Selalu
value-colorwhen-never = Tidak pernah

about-serve = Jalankan server UDP yang mencetak setiap datagram beserta pengirimnya, lalu menjawabnya.
help-serve-bind = Alamat tempat mendengarkan (IPv4 atau IPv6, misalnya `::`)
help-serve-port = Port UDP tempat mendengarkan (0 memilih port yang bebas)
help-serve-reply = Jawaban untuk setiap datagram
help-serve-count = Berhenti setelah N datagram.
help-serve-format = Format log per datagram di stdout (`--log lab`: baris-baris milik server praktikum)
help-serve-rate_limit = Paling banyak sekian balasan per detik untuk satu alamat sumber (lonjakan hingga dua kalinya), atau `off`; di atas batas itu datagram dicatat di log tetapi tidak dijawab
value-reply-greet = `Hello, ('ADDR', PORT). You said: MESSAGE`, byte demi byte seperti jawaban server praktikum.
value-reply-echo = Payload-nya, tanpa diubah.
value-reply-none = Tidak menjawab apa pun: benar-benar satu arah.
value-logformat-text = Satu baris teks per datagram.
value-logformat-jsonl = Satu objek JSON per datagram.
value-logformat-lab = Baris server python praktikum: `Received message from ('172.19.0.3', 57314): MESSAGE`.

about-send = Kirim datagram UDP dan cetak balasannya.
help-send-target = Tujuan pengiriman: HOST, HOST:PORT, [IPV6]:PORT; nama host di-resolve [bawaan: 127.0.0.1]
help-send-second = Seperti `nc -u HOST PORT`: bilangan setelah HOST adalah PORT; selain itu adalah PESAN
help-send-third = Pesan setelah HOST PORT; `-` membacanya dari stdin sebagai byte mentah [bawaan: "Hello, UDP server2!"]
help-send-message = Pesannya, apa pun bentuknya (termasuk angka); `-` membaca stdin
help-send-port = Port yang dipakai jika HOST tidak menyebutkannya [bawaan: 12345]
help-send-source_port = Port lokal pengirim (misalnya 57314, seperti pada capture praktikum) [bawaan: sembarang]
help-send-timeout = Lama menunggu setiap balasan, misalnya 2s, 500ms; paling lama 1 hari
help-send-no_wait = Kirim lalu keluar tanpa menunggu balasan (benar-benar satu arah).
help-send-count = Jumlah datagram yang dikirim dari socket yang sama (paling sedikit 1)
help-send-interval = Jarak waktu dari awal satu datagram ke datagram berikutnya jika --count > 1, misalnya 100ms, 0s; paling lama 1 hari. Bawaannya, 100 per detik, dijawab seluruhnya oleh batas laju `serve`

about-inspect = Tampilkan datagram UDP dari capture pcap atau pcapng dan jelaskan pertukarannya.
help-inspect-file = Capture-nya (pcap atau pcapng, terkompresi gzip atau tidak, dikenali dari isinya); `-` membaca stdin. Pipe, FIFO, atau socket ditampilkan seketika, setiap baris langsung di-flush
help-inspect-read = Capture-nya, seperti diketik pengguna tcpdump dan tshark (sama dengan FILE)
help-inspect-interface = Tangkap paket secara langsung di antarmuka ini (`any`: semua antarmuka, sebagai frame Linux cooked); memerlukan root atau CAP_NET_RAW. Ctrl-C menghentikannya dan mencetak ringkasan.
help-inspect-write = Dengan --interface: simpan juga hasil tangkapan ke FILE, sebagai pcap yang bisa dibaca tcpdump.
help-inspect-count = Berhenti setelah N datagram UDP (yang lolos --port dan --host), seperti tcpdump -c.
help-inspect-format = Format keluaran
help-inspect-output = Tulis keluaran ke FILE, bukan ke stdout (menimpa isinya)
help-inspect-summary = Cetak ringkasannya saja (percakapan dan yang dilewati), tanpa setiap datagram.
help-inspect-port = Ambil hanya datagram dengan port ini di salah satu ujungnya (boleh diulang: salah satu dari semuanya).
help-inspect-host = Ambil hanya datagram dengan alamat ini di salah satu ujungnya (boleh diulang: salah satu dari semuanya).
help-inspect-follow = Ikuti satu percakapan (nomornya dari kolom perc): setiap payload secara berurutan, kedua arahnya ditandai, seperti Follow UDP Stream di Wireshark.
help-inspect-time = Kolom waktu tabel: detik sejak frame pertama, tanggal dan jam UTC, atau detik sejak baris sebelumnya
help-inspect-html = Tulis juga halaman HTML mandiri berisi diagram urutan percakapan-percakapannya.
help-inspect-wide = Cetak tabel secara utuh, selebar apa pun, bahkan di terminal (yang secara bawaan dipaskan: kolom payload dan catatan dipotong lebih dulu, alamat tidak pernah)
help-inspect-width = Paskan tabel dan ringkasan dalam N kolom (di terminal: lebarnya; di tempat lain: tidak dipaskan kecuali opsi ini diberikan)
value-format-table = Tabel untuk dibaca orang, lalu ringkasan pertukarannya.
value-format-jsonl = Satu objek JSON per datagram UDP.
value-format-csv = Field yang sama dengan jsonl, baris judul lebih dulu (RFC 4180).
value-format-parquet = Apache Parquet untuk DuckDB, Spark, Polars: satu baris per datagram beserta analisisnya (dengan --summary, per percakapan); memerlukan -o FILE atau pipe.
value-timeformat-relative = Detik sejak frame pertama capture.
value-timeformat-absolute = Tanggal dan jam dalam UTC (RFC 3339).
value-timeformat-delta = Detik sejak baris sebelumnya.

about-completions = Cetak skrip pelengkapan (completion) shell (misalnya `oneway completions bash > /etc/bash_completion.d/oneway`).
help-completions-shell = Shell-nya.

about-manpage = Cetak manual (roff): halaman setiap perintah, atau halaman satu perintah, misalnya `oneway manpage > oneway.1 && man -l oneway.1`, `oneway manpage serve > oneway-serve.1`.
help-manpage-command = Hanya halaman perintah ini.
