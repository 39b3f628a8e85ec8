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
error-output-is-input = { $path }: the output (-o) is one of the inputs: writing it would destroy the capture before it is read
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

## send (stderr, after "oneway: "; the replies on stdout keep the lab client's words)

send-too-large = the message is { $size } bytes; a UDP datagram over { $family } carries at most { $max } bytes
send-cannot-read-stdin = cannot read the message from stdin
send-size = { $size ->
        [one] { $size } byte
       *[other] { $size } bytes
    }
send-size-more = more than { $size } bytes
send-cannot-resolve = cannot resolve { $host }
send-no-address-for = cannot resolve { $host }: no address
send-no-zone = no network interface { $zone } for the IPv6 zone
send-cannot-open-socket = cannot open a UDP socket ({ $local })
send-cannot-bind = cannot bind local port { $port } ({ $local })
send-cannot-reach = cannot reach { $target }
send-no-address = no address to send to
send-refused = nothing listens on { $target } (ICMP port unreachable)
send-tally = { $sent } sent, { $replies ->
        [one] { $replies } reply
       *[other] { $replies } replies
    }, { $lost } lost
send-tally-icmp = { $n } ICMP port unreachable
send-tally-duplicates = { $n ->
        [one] { $n } duplicate reply
       *[other] { $n } duplicate replies
    }
send-tally-late = { $n ->
        [one] { $n } late reply
       *[other] { $n } late replies
    }
send-rtt = rtt min/median/max { $min }/{ $median }/{ $max } ms
send-reply-from = note: the reply came from { $from }, not { $target }
send-not-sent = datagram { $i } of { $count } not sent: nothing listens on { $target } (ICMP port unreachable)
send-no-reply = no reply from { $target } within { $wait }
send-no-reply-too-long = no reply from { $target } within { $wait } (a server that greets cannot answer a message of more than { $max } bytes over IPv4: its reply would not fit in a datagram)
send-no-reply-to = no reply to datagram { $i } of { $count } within { $wait }
send-refused-one = datagram { $i } of { $count }: nothing listens on { $target } (ICMP port unreachable)
send-dash-target = "-" is not a host: the target comes first, e.g. `oneway send 127.0.0.1 -`
send-port-zero = port 0 is not a destination: give the server's port ({ $host }:PORT or --port)
send-count-zero = --count must be at least 1
send-timeout-zero = --timeout must be more than 0
send-duration-max = { $option } must be at most { $max }
send-message-too-large = the message is { $size }; a UDP datagram carries at most { $v4 } bytes over IPv4, { $v6 } over IPv6
send-sent-no-wait = { $n } sent (not waiting for replies)
send-unanswered = { $lost } of { $sent } datagrams got no reply within { $wait }
send-stopped = stopped by signal after { $sent } of { $count } datagrams
stop-warning-send = warning: cannot catch Ctrl-C ({ $error }); it will stop the run without a summary
stop-warning-serve = warning: cannot catch Ctrl-C ({ $error }); it will stop the server without a summary
target-empty-host = no host in target { $target }
target-brackets = target { $target }: expected [IPV6] or [IPV6]:PORT
target-not-ipv6 = target { $target }: { $address } is not an IPv6 address
target-port = target { $target }: port { $port } is not a number from 0 to 65535
target-colons = target { $target }: neither HOST:PORT nor an IPv6 address (write [IPV6]:PORT)
target-zone = target { $target }: a zone (%IFACE) follows an IPv6 address only

## serve (stderr after "oneway: ", and its text log; the jsonl and lab logs never change)

serve-tally = { $datagrams ->
        [one] { $datagrams } datagram
       *[other] { $datagrams } datagrams
    }, { $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    }, { $peers ->
        [one] { $peers } distinct peer
       *[other] { $peers } distinct peers
    }
serve-tally-about = { $datagrams ->
        [one] { $datagrams } datagram
       *[other] { $datagrams } datagrams
    }, { $bytes ->
        [one] { $bytes } byte
       *[other] { $bytes } bytes
    }, about { $peers ->
        [one] { $peers } distinct peer
       *[other] { $peers } distinct peers
    }
serve-tally-limited = { $n } not answered (rate limit)
serve-tally-refused = { $n } not answered (loop rules)
serve-tally-failed = { $n ->
        [one] { $n } reply
       *[other] { $n } replies
    } not sent
serve-tally-receive-errors = { $n ->
        [one] { $n } receive error
       *[other] { $n } receive errors
    }
serve-tally-not-logged = { $n ->
        [one] { $n } line
       *[other] { $n } lines
    } not logged
serve-tally-not-logged-why = { $n ->
        [one] { $n } line
       *[other] { $n } lines
    } not logged ({ $why })
serve-stopped-count = stopped by --count
serve-stopped-signal = stopped by signal
serve-warning = warning: { $what }
serve-warnings-max = warning: { $n } warnings; further ones are not shown
# One line per datagram: $size chooses the plural form, $n is the number shown.
serve-log-line = { $peer } -> { $size ->
        [one] { $n } byte
       *[other] { $n } bytes
    }: "{ $payload }"
serve-loop-own = not answering { $peer }: it is this server's own address and port (a loop)
serve-loop-reflector = not answering { $peer }: source port { $port } is a service that answers every datagram (a loop)
serve-greeting-too-large = not answering { $peer }: the greeting would be { $size } bytes, and a UDP datagram over { $family } carries at most { $max }
serve-rate-limited = rate limit: { $n ->
        [one] { $n } datagram
       *[other] { $n } datagrams
    } not answered (over { $rate }/s from one address; the latest from { $latest })
serve-cannot-answer = cannot answer { $peer } ({ $size } bytes): { $error }
serve-listening = listening on { $local } (udp); rate limit { $rate }/s per source address, bursts of { $burst }
serve-listening-no-limit = listening on { $local } (udp); rate limit off
serve-cannot-listen = cannot listen on { $addr }
serve-cannot-set-timeouts = cannot set timeouts on { $local }
serve-cannot-pktinfo = cannot ask for destination addresses on { $local }
serve-cannot-start-log = cannot start the log's writer
serve-socket-error = socket error on { $local }
serve-receive-warning = receive on { $local }: { $error }
serve-cannot-receive = cannot receive on { $local }
serve-cut = a datagram longer than { $max } bytes was cut; not served
serve-no-sender = a datagram without a sender address; not served
log-cannot-write = warning: cannot write the log to { $failure }; serving goes on, and the lines not logged are counted in the summary
log-not-keeping-up = warning: the log ({ $name }) is not keeping up; serving goes on, and the lines not logged are counted in the summary
log-not-written = { $name }: not written when the server stopped
log-fell-behind = { $name }: the log fell behind
log-reader-gone = { $name }: the reader is gone ({ $error })

## The HTML report (render/html.rs; text, escaped when written)

html-heading = UDP in { $title }
html-facts = { $frames ->
        [one] { $frames } frame
       *[other] { $frames } frames
    }, { $datagrams ->
        [one] { $datagrams } UDP datagram
       *[other] { $datagrams } UDP datagrams
    }, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }.
html-facts-span = { $frames ->
        [one] { $frames } frame
       *[other] { $frames } frames
    }, { $datagrams ->
        [one] { $datagrams } UDP datagram
       *[other] { $datagrams } UDP datagrams
    }, { $conversations ->
        [one] { $conversations } conversation
       *[other] { $conversations } conversations
    }, from { $first } over { $duration }.
html-made-by = Made by oneway { $version }.
html-column-first-reply = first reply
html-no-reply = none (one-way)
html-first-reply = frame { $frame }{ $retries }
html-first-reply-after = frame { $frame } after { $after }{ $retries }
html-icmp-title = ICMP errors
html-tcp-title = TCP, for contrast
html-tcp-syn = TCP SYN: handshake, no data yet
html-tcp-data = TCP data
html-diagram-title = Sequence diagram
html-diagram-help = One lifeline per host; one row per frame, in time order: the frame number and its time (seconds from the first frame), its size and payload at the left, the ports on the arrow. Replies are dashed, TCP dotted, ICMP errors red. Hover an arrow for the whole payload, click it for its row in the table below.
html-tip-frame = frame { $frame } · { $time } s
html-tip-conversation = conversation { $id }
html-tip-cut = (cut: the page holds at most 4 MiB of payload text)
html-not-drawn = { $n ->
        [one] { $n } frame is
       *[other] { $n } frames are
    } not drawn: the diagram has at most { $max } hosts; the table below lists them.
html-frames-title = Frames
# $x, $n and $z stand for the escapes \xNN, \n and \0, written as code.
html-frames-help = Every UDP datagram, ICMP error and TCP segment of the story, with the whole payload as text: bytes that are not printable are written { $x }, { $n }, { $z }….
html-column-frame = frame
html-column-time = time (s)
html-column-size = size
html-row-cut = cut: the page holds at most 4 MiB of payload text; oneway inspect --follow { $conversation } shows it whole
html-not-listed = { $n ->
        [one] { $n } frame
       *[other] { $n } frames
    } more not listed: the page shows the first { $max }; oneway inspect lists them all.

## Why a frame is malformed (dissect; after "malformed: ")

why-link-nesting = link-layer headers (PKTAP, PPI) nested more than { $max } deep
why-ethernet = Ethernet header: { $error }
why-nflog-no-packet = NFLOG record without a packet
why-header-cut = { $what } cut: { $needed } bytes needed, { $got } captured
why-ip-version = IPv{ $named } named by the link layer, but the header says version { $found }
why-ip-header = IP header: { $error }
why-ipv4-total-length = IPv4 total length { $total } is less than its header length { $header }
why-ipv6-fragment-header = unreadable IPv6 fragment header
why-no-network-layer = no network layer
why-ipv6-option = an IPv6 option of { $length } bytes runs past the bytes captured
why-ipv6-jumbo = IPv6 payload length 0 and a hop-by-hop header without a valid Jumbo Payload option

## Many captures merged by time (inspect FILE… or a directory)

merged-label = { $n } captures
merged-inputs = { $n } files merged by time
merged-input = file { $n }: { $name }
merged-not-read = not read
merged-frames = (frame { $id } is frame { $frame } of file { $file })
merged-frames-none = (a frame is written FILE:FRAME, its number in its file)
inputs-stdin-alone = stdin (-) can only be read alone: it cannot be merged with other captures
inputs-not-regular = { $file }: not a regular file: it can be read alone, not merged
inputs-empty-dir = { $dir }: no capture in this directory
inputs-skip-dir = a directory
inputs-skip-special = not a regular file
inputs-skip-unreadable = cannot be read
inputs-twice = warning: { $file } is given again as { $again }: the same file, read twice (each datagram then repeats one)
inputs-cannot-read-dir = { $dir }: cannot read the directory
inputs-skipped = { $dir }: { $n ->
    [one] skipped 1 file that is not a capture
   *[other] skipped { $n } files that are not captures
  }: { $names }
inputs-none = no capture to read
