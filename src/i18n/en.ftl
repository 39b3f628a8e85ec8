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

## The summary (render/summary.rs)

summary-capture = Capture: { $format }, { $frames ->
        [one] { $frames } frame
       *[other] { $frames } frames
    }
summary-capture-span = Capture: { $format }, { $frames ->
        [one] { $frames } frame
       *[other] { $frames } frames
    }, { $first } to { $last } ({ $duration })
summary-udp = UDP: { $datagrams ->
        [one] { $datagrams } datagram
       *[other] { $datagrams } datagrams
    }, { $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    } of payload, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }
summary-not-udp = Not UDP: { $frames ->
        [one] { $frames } frame
       *[other] { $frames } frames
    } ({ $kinds })
summary-kind = { $kind }: { $count }
summary-kind-malformed = malformed: { $count }
summary-kind-unreadable = unreadable records: { $count }
summary-filtered-out = Left out by --port/--host: { $n ->
        [one] { $n } UDP datagram
       *[other] { $n } UDP datagrams
    }
summary-cut = Cut by the snaplen: { $n ->
        [one] { $n } datagram
       *[other] { $n } datagrams
    } (only part of the payload was captured)
summary-bad-length = UDP length field disagrees with the IP length: { $n ->
        [one] { $n } datagram
       *[other] { $n } datagrams
    }
summary-note = Note: { $note }.
summary-limit = Conversation limit reached: only the first { $limit } conversations are tracked; { $n ->
        [one] { $n } datagram
       *[other] { $n } datagrams
    } of later ones are listed but not grouped.
summary-conversations = Conversations:
summary-more = ... and { $n ->
        [one] { $n } conversation
       *[other] { $n } conversations
    } more (see the table).
summary-icmp-unmatched = ICMP errors about UDP datagrams that are not listed here: { $n }
summary-traffic = { $packets ->
        [one] { $packets } dgram
       *[other] { $packets } dgrams
    } / { $bytes } B

# The conversation table's columns.
column-conv = conv
column-a = A (first sender)
column-b = B
column-ab = A->B
column-ba = B->A
column-start = start
column-duration = duration
column-replies = replies
column-unanswered = unanswered

## A conversation's story

story-title = Conversation { $id }: { $a } <-> { $b }
story-first = frame { $frame }: { $a } sent { $bytes ->
        [one] { $bytes } byte of data
       *[other] { $bytes } bytes of data
    } in the very first packet: no handshake came before it.
story-reply = frame { $frame }: { $replier } replied to frame { $request } (from { $asker }){ $retries }.
story-reply-after = frame { $frame }: { $replier } replied to frame { $request } (from { $asker }) { $after } later{ $retries }.
story-icmp-instead = no datagram came back; an ICMP error did instead:
story-one-way = no datagram came back: one-way, and nothing told { $a } whether it arrived.
story-repeats = { $n ->
        [one] { $n } datagram repeated
       *[other] { $n } datagrams repeated
    } the same payload as the one before it, unanswered: retries or duplicates.
story-in-all = in all { $n ->
        [one] { $n } datagram
       *[other] { $n } datagrams
    }, { $answered } answered, { $unanswered } unanswered.

# The retries before the datagram a reply answered, after the reply's note or sentence.
retries = ({ $n ->
        [one] { $n } retry
       *[other] { $n } retries
    } before it)
retries-earlier = ({ $n ->
        [one] { $n } retry
       *[other] { $n } retries
    } before it, first try { $earlier } earlier)
retries-at = ({ $n ->
        [one] { $n } retry
       *[other] { $n } retries
    } before it, first try at frame { $frame })

## ICMP errors, and what they say (the names are ICMP's own)

icmp-sentence = frame { $frame }: { $from } answered with ICMP { $what }: nothing listened on { $target }.
icmp-sentence-many = frame { $frame }: { $from } answered with ICMP { $what }: nothing listened on { $target }. ({ $count } ICMP errors in all)
icmp-port-unreachable = port unreachable
icmp-host-unreachable = host unreachable
icmp-network-unreachable = network unreachable
icmp-protocol-unreachable = protocol unreachable
icmp-fragmentation-needed = fragmentation needed
icmp-destination-unreachable = destination unreachable
icmp-address-unreachable = address unreachable
icmp-no-route = no route

## TCP, for contrast

tcp-title = TCP, for contrast: { $n ->
        [one] { $n } connection
       *[other] { $n } connections
    }
tcp-more = ... and { $n } more.
tcp-connection = { $client } -> { $server }: { $handshake }; { $data }.
tcp-step = { $step } (frame { $frame })
tcp-step-after = { $step } (frame { $frame }, +{ $after })
tcp-no-handshake = no handshake in the capture (it began earlier)
tcp-first-data = first data ({ $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    }) at frame { $frame }
tcp-first-data-after = first data ({ $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    }) at frame { $frame }, { $after } after the SYN
tcp-no-data = no data

## What was not UDP (the summary's "Not UDP" line)

skip-ip-protocol = IP protocol { $number }
skip-fragment = IP fragment not reassembled
skip-fragment-reassembled = IP fragment of a later reassembled datagram
skip-ethertype = EtherType { $number }
skip-loopback-family = loopback address family { $number }
skip-ppp-protocol = PPP protocol { $number }
skip-wifi-management = 802.11 management
skip-wifi-control = 802.11 control
skip-wifi-null = 802.11 null data
skip-wifi-protected = 802.11 protected (encrypted) data
skip-wifi-no-snap = 802.11 data without LLC/SNAP
skip-pcapng-custom = pcapng custom block
skip-systemd-journal = systemd journal export block
skip-link-type = link type { $number } (unsupported)

## Capture formats

format-pcap-micro = pcap (microsecond)
format-pcap-nano = pcap (nanosecond)
format-pcap-modified = pcap (modified, Kuznetzov)
format-gzip = { $format }, gzip-compressed

## The datagram table (inspect/view.rs)

column-number = #
column-time = time
column-source = source
column-destination = destination
column-length = len
column-payload = payload
column-note = note
note-reply = reply to { $frame }
note-reply-after = reply to { $frame } after { $after }
note-reassembled = reassembled from IP fragments
note-same-as = same as { $frame }
note-cut = cut: { $got } of { $length } bytes captured
note-bad-length = bad UDP length field { $value }
note-malformed = malformed: { $why }
note-unreadable = unreadable: { $why }

## Following one conversation (render/follow.rs)

follow-title = Conversation { $id }: A = { $a }, B = { $b }
follow-datagram = { $arrow }  frame { $frame }  { $time }  { $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    }
follow-reply = reply to frame { $frame }
follow-reply-after = reply to frame { $frame } after { $after }
follow-same-as = same as frame { $frame }
follow-cut = (only { $n } captured)
follow-icmp = ICMP  frame { $frame }  { $time }  from { $from }
follow-icmp-what = { $what }: nothing listened on { $target }
follow-total = A->B: { $ab ->
        [one] { $ab } datagram
       *[other] { $ab } datagrams
    }, { $abbytes ->
        [one] { $abbytes } byte
       *[other] { $abbytes } bytes
    }; B->A: { $ba ->
        [one] { $ba } datagram
       *[other] { $ba } datagrams
    }, { $babytes ->
        [one] { $babytes } byte
       *[other] { $babytes } bytes
    }

## Errors and diagnostics of inspect (after "oneway: ")

error-empty = the input is empty: not a pcap or pcapng capture
error-not-capture = not a pcap or pcapng capture (it starts with { $magic })
error-unsupported = { $what } is not supported
error-bad-header = unreadable { $format } file header: { $why }
error-truncated = the capture is cut short: frame { $frame } at byte offset { $offset } is incomplete
error-damaged = the capture is damaged at byte offset { $offset } (frame { $frame }): { $why }
error-read = read error at byte offset { $offset }
why-header-ends = the file ends inside its header
why-caplen = the record's captured length { $caplen } is bigger than the maximum of { $max }
why-caplen-peers = the record's captured length { $caplen } is bigger than the maximum of { $max } (tcpdump and tshark stop here too)
why-no-interface = interface { $interface } is not described in this section
why-spb-first = simple packet block before any interface
why-first-not-shb = the first block is not a section header
why-byte-order-magic = a section header whose byte-order magic is { $magic }
why-block-too-short = a block whose total length { $length } is shorter than the 12 bytes of its framing
why-block-not-multiple = a block whose total length { $length } is not a multiple of 4
why-block-too-long = a block whose total length { $length } is more than the { $max } bytes a block may have here
why-trailing-length = a block whose trailing length { $trailing } differs from its leading length { $leading }
why-shb-short = a section header shorter than its fixed fields
why-version = a section of pcapng version { $version } (only 1.x is read, as by tshark)
why-idb-short = an interface block shorter than its fixed fields
why-packet-short = a packet block shorter than its fixed fields
why-packet-cannot-hold = a packet block of { $size } bytes cannot hold the { $caplen } bytes it says it captured
why-packet-caplen = the packet's captured length { $caplen } is bigger than the maximum of { $max }
why-spb-short = a simple packet block shorter than its fixed field
error-cannot-open = cannot open { $path }
error-cannot-read = { $path }: cannot read
error-cannot-write = cannot write { $path }
error-stopped-before-input = { $path }: stopped before any input
error-follow-filtered = { $path }: conversation { $id } is left out by --port/--host
error-no-conversation = { $path }: there is no conversation { $id } (it has { $all })
error-live-permission = capturing on { $name } needs root or the CAP_NET_RAW capability
error-packet-socket = cannot open a packet socket
error-attach-filter = cannot attach the capture filter
error-capturing-on = capturing on { $name }
error-no-interface = there is no interface { $name }
live-capture-on = live capture on { $name } ({ $link })
live-listening = { $capture }; Ctrl-C ends it
live-closing =
    { $captured } packets captured
    { $dropped } packets dropped by kernel

## Usage errors (exit 2)

usage-port-number = port { $port } is not a number from 0 to 65535 (to send it as text: -m { $port })
usage-not-a-port = { $text } is not a port: write `oneway send HOST PORT MESSAGE`, or give the message with -m
usage-second-port = { $target } already names port { $port }, and { $second } would be a second port: to send the text "{ $second }" there, write `oneway send { $target } -m { $second }`
usage-two-ports = two ports given, { $one } { $p } and { $other } { $q }: give one
usage-two-messages = two messages given, { $first } and -m { $second }: give one
usage-write-needs-interface = --write saves a live capture: it needs --interface
usage-parquet-terminal = Parquet is binary and stdout is a terminal: write it to a file with -o FILE (or pipe it on)
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
