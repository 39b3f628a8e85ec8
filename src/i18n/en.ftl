# oneway's messages in English: the source catalogue.
#
# Every human-facing string of oneway is a message here and in id.ftl, with the same keys and
# the same $arguments (a test checks both). A message is a whole sentence: never join two
# messages to make one. Plurals: { $n -> [one] … *[other] … } (CLDR rules of the language).
# Arguments are inserted as given: numbers, addresses, frames; payloads are escaped before.
# Leading or trailing spaces that matter are written { " " }.

## The lesson of the lab

lesson-udp = UDP is connectionless: no handshake comes before the data, each datagram stands alone, and only a reply tells the sender that a datagram arrived.
lesson-tcp = TCP is connection-oriented: SYN, SYN-ACK and ACK cross the link before its first byte of data; UDP's first datagram already carries data.

## The table

table-icmp-for-frame = ICMP { $what } for frame { $frame }
table-icmp-for-datagram = ICMP { $what } for a datagram to { $target }
# Under a table fitted to a terminal; $columns: the titles of the columns left out, as the table names them.
table-left-out = (left out to fit { $width } columns: { $columns }; --wide shows every column)

## What the capture reader set aside (pcapng)

note-pcapng-untimed-one = interface { $interface } of section { $section } has a time resolution (if_tsresol) finer than nanoseconds or invalid: its packets are shown without a time
note-pcapng-untimed-many = { $n } interfaces (the first: interface { $interface } of section { $section }) have a time resolution (if_tsresol) that cannot be decoded: their packets are shown without a time
note-pcapng-before-1970 = { $n ->
    [one] 1 packet (frame { $first }) has a time before 1970 after its interface's if_tsoffset: shown without a time
   *[other] { $n } packets (the first: frame { $first }) have a time before 1970 after their interface's if_tsoffset: shown without a time
}
note-pcapng-options-set-aside = pcapng options set aside ({ $why }): oneway reads only if_tsresol, if_tsoffset and if_fcslen, and the packets are read as usual
note-pcapng-not-utf8 = { $n ->
    [one] 1 text option not UTF-8
   *[other] { $n } text options not UTF-8
}
note-pcapng-bad-length = { $n ->
    [one] 1 if_tsresol, if_tsoffset or if_fcslen option of a length the specification does not allow
   *[other] { $n } if_tsresol, if_tsoffset or if_fcslen options of a length the specification does not allow
}
note-pcapng-overrun = { $n ->
    [one] 1 option list running past the end of its block
   *[other] { $n } option lists running past the end of their block
}
note-pcapng-too-many-interfaces = { $n ->
    [one] 1 interface block past the { $max } interfaces kept per section set aside: its packets are unreadable
   *[other] { $n } interface blocks past the { $max } interfaces kept per section set aside: their packets are unreadable
}
