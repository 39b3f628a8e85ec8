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
