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
