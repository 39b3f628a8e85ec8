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

## Many captures merged by time (inspect FILE… or a directory)

merged-label = { $n } captures
merged-inputs = { $n } files merged by time
merged-input = file { $n }: { $name }
merged-not-read = not read
merged-frames = (frame 2:12 is frame 12 of file 2)
inputs-stdin-alone = stdin (-) can only be read alone: it cannot be merged with other captures
inputs-not-regular = { $file }: not a regular file: it can be read alone, not merged
inputs-empty-dir = { $dir }: no capture in this directory
inputs-cannot-read-dir = { $dir }: cannot read the directory
inputs-skipped = { $dir }: { $n ->
    [one] skipped 1 file that is not a capture
   *[other] skipped { $n } files that are not captures
  }: { $names }
inputs-none = no capture to read
