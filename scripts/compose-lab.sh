#!/usr/bin/env bash
# The container lab, checked: builds the image (and, where no registry answers, its base with
# docker/make-base.sh), brings compose.yaml up, captures the compose bridge with
# `oneway inspect -i BRIDGE -w` (and tcpdump beside it, as the witness: the same bytes) while
# `oneway send udp-server` runs in the client container, and checks with `oneway inspect` that the
# capture holds the request to port 12345 and the lab's reply for the client's real address and
# port, as the live view showed them. The lab is always brought down again. Skips (exit 0, with a
# message) where no Docker engine answers. Root (capturing on the host's bridge).
#
#   sudo scripts/compose-lab.sh [--bin PATH]    # default: target/release/oneway
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN=target/release/oneway
if [ "${1:-}" = --bin ]; then BIN=${2:?--bin needs a path}; fi
PROJECT=oneway-lab-check

say() { printf 'compose-lab: %s\n' "$*" >&2; }
die() { printf 'compose-lab: FAILED: %s\n' "$*" >&2; exit 1; }
skip() { printf 'compose-lab: skipped: %s\n' "$*" >&2; exit 0; }

command -v docker >/dev/null || skip "no docker command"
timeout 30 docker info >/dev/null 2>&1 || skip "no Docker engine answers (docker info failed)"
if timeout 30 docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null && timeout 30 docker-compose version >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
else
  skip "neither 'docker compose' nor 'docker-compose' works"
fi
[ "$(id -u)" = 0 ] || skip "not root (tcpdump on the compose bridge needs it)"
command -v tcpdump >/dev/null || skip "no tcpdump"
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
[ -x "$BIN" ] || die "no binary at $BIN (cargo build --release, or --bin PATH)"
case $BIN in "$ROOT"/*) ;; *) die "the binary must be inside the repository (the build context): $BIN" ;; esac
export ONEWAY_BIN=${BIN#"$ROOT"/}
START=$SECONDS

compose() { timeout 300 "${COMPOSE[@]}" -p "$PROJECT" "$@"; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/oneway-compose.XXXXXX")
CAPTURE_PID=""
WITNESS_PID=""
SERVER_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [ -z "$CAPTURE_PID" ] || kill -INT "$CAPTURE_PID" 2>/dev/null || true
  [ -z "$WITNESS_PID" ] || kill -INT "$WITNESS_PID" 2>/dev/null || true
  [ -z "$SERVER_PID" ] || kill -TERM "$SERVER_PID" 2>/dev/null || true
  compose down -t 1 >"$WORK/down.log" 2>&1 || { cat "$WORK/down.log" >&2; rc=1; }
  [ -z "$CAPTURE_PID" ] || wait "$CAPTURE_PID" 2>/dev/null || true
  [ -z "$WITNESS_PID" ] || wait "$WITNESS_PID" 2>/dev/null || true
  [ -z "$SERVER_PID" ] || wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Leftovers of a run that died hold the subnet: clear them first.
compose down -t 1 >/dev/null 2>&1 || true

if ! timeout 30 docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  if timeout 120 docker pull -q debian:bookworm-slim >/dev/null 2>&1; then
    say "pulled debian:bookworm-slim"
  else
    say "no registry: building the base image locally (docker/make-base.sh)"
    docker/make-base.sh
  fi
fi
say "building the image and bringing the lab up (${COMPOSE[*]}, binary $ONEWAY_BIN)"
compose up -d --build >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; die "compose up failed (is 172.19.0.0/16 taken, e.g. by a lab still up? docker network ls)"; }

NET_ID=$(timeout 30 docker network inspect -f '{{.Id}}' "${PROJECT}_lab") || die "no network ${PROJECT}_lab"
BRIDGE=br-${NET_ID:0:12}
ip link show "$BRIDGE" >/dev/null 2>&1 || die "no bridge $BRIDGE on the host"
say "bridge: $BRIDGE"

# wait_line FIFO-FD PATTERN NAME: reads lines from FD until one contains PATTERN (20 s at most).
wait_line() {
  local fd=$1 pattern=$2 name=$3 line deadline=$((SECONDS + 20))
  while :; do
    local left=$((deadline - SECONDS))
    [ "$left" -gt 0 ] && IFS= read -r -t "$left" -u "$fd" line || die "$name: no '$pattern' on its stderr"
    printf '%s\n' "$line" >>"$WORK/$name.err"
    [[ $line == *"$pattern"* ]] && return 0
  done
}

# The server, in the foreground of its own exec, as a user would run it (ends after 1 datagram).
mkfifo "$WORK/server.fifo"
compose exec -T udp-server timeout 60 oneway serve --count 1 >"$WORK/server.out" 2>"$WORK/server.fifo" &
SERVER_PID=$!
exec {SERVER_FD}<"$WORK/server.fifo"
wait_line "$SERVER_FD" "listening on" server

# The capture, by oneway itself: stops by itself after the request and its reply (-c 2), its
# live view in live.jsonl. tcpdump captures the same, as the witness.
mkfifo "$WORK/capture.fifo"
timeout -k 5 -s INT 60 "$BIN" inspect -i "$BRIDGE" --port 12345 -c 2 -f jsonl \
  -w "$WORK/udp.pcap" >"$WORK/live.jsonl" 2>"$WORK/capture.fifo" &
CAPTURE_PID=$!
exec {CAPTURE_FD}<"$WORK/capture.fifo"
wait_line "$CAPTURE_FD" "live capture on" capture
mkfifo "$WORK/witness.fifo"
timeout -k 5 -s INT 60 tcpdump -Z root -U --immediate-mode -nn -c 2 -i "$BRIDGE" \
  -w "$WORK/witness.pcap" 'udp port 12345' 2>"$WORK/witness.fifo" &
WITNESS_PID=$!
exec {WITNESS_FD}<"$WORK/witness.fifo"
wait_line "$WITNESS_FD" "listening on" witness

compose exec -T udp-client oneway send udp-server >"$WORK/client.out" 2>&1 ||
  { cat "$WORK/client.out" >&2; die "the client got no reply"; }
say "client: $(cat "$WORK/client.out")"

rc=0
wait "$CAPTURE_PID" || rc=$?
CAPTURE_PID=""
cat <&"$CAPTURE_FD" >>"$WORK/capture.err"
[ "$rc" = 0 ] || die "the capture did not see the request and its reply ($rc): $(cat "$WORK/capture.err")"
say "capture: $(grep -E 'captured|dropped' "$WORK/capture.err" | sed 's/^oneway: //' | tr '\n' ' ')"
rc=0
wait "$WITNESS_PID" || rc=$?
WITNESS_PID=""
cat <&"$WITNESS_FD" >>"$WORK/witness.err"
[ "$rc" = 0 ] || die "tcpdump did not see the request and its reply ($rc): $(cat "$WORK/witness.err")"
OURS=$(tcpdump -r "$WORK/udp.pcap" -nn -t -xx 'udp port 12345' 2>/dev/null)
THEIRS=$(tcpdump -r "$WORK/witness.pcap" -nn -t -xx 2>/dev/null)
[ -n "$OURS" ] && [ "$OURS" = "$THEIRS" ] || die "oneway's capture and tcpdump's differ"
say "witness: tcpdump captured the same 2 datagrams, byte for byte"
rc=0
wait "$SERVER_PID" || rc=$?
SERVER_PID=""
cat <&"$SERVER_FD" >>"$WORK/server.err"
[ "$rc" = 0 ] || die "the server failed ($rc): $(cat "$WORK/server.err")"
say "server: $(cat "$WORK/server.out")"

# The check, with oneway itself: the request to udp-server:12345, and the lab's reply to the
# client's real address and port.
"$BIN" inspect --format jsonl --port 12345 "$WORK/udp.pcap" >"$WORK/udp.jsonl"
# (Times aside: the file keeps microseconds, as tcpdump -w does; the live view nanoseconds. And
# `file`, `reply_to_file`, `repeat_of_file`: the capture file's name in one, the bridge's in the
# other; `rtt_ns` from those times.)
untimed() {
  sed 's/"time":"[^"]*",//; s/"rtt_ns":[0-9]*,//; s/,"file":"[^"]*"//
       s/,"reply_to_file":"[^"]*"//; s/,"repeat_of_file":"[^"]*"//' "$1"
}
[ "$(untimed "$WORK/udp.jsonl")" = "$(untimed "$WORK/live.jsonl")" ] ||
  die "the live view differs from the capture: $(cat "$WORK/live.jsonl")"
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",]*\)\"\{0,1\}[,}].*/\1/p" <<<"$2"; }
hex() { od -An -v -tx1 | tr -d ' \n'; }
mapfile -t LINES <"$WORK/udp.jsonl"
[ "${#LINES[@]}" = 2 ] || die "expected 2 datagrams, got: $(cat "$WORK/udp.jsonl")"
REQ=${LINES[0]}
REP=${LINES[1]}
CLIENT=$(field src "$REQ")
CPORT=$(field sport "$REQ")
[ -n "$CLIENT" ] && [ -n "$CPORT" ] || die "no client address in: $REQ"
[ "$(field dst "$REQ")" = 172.19.0.2 ] && [ "$(field dport "$REQ")" = 12345 ] ||
  die "the request did not go to 172.19.0.2:12345: $REQ"
[ "$(field payload "$REQ")" = "$(printf '%s' 'Hello, UDP server2!' | hex)" ] || die "request payload: $REQ"
[ "$(field src "$REP")" = 172.19.0.2 ] && [ "$(field sport "$REP")" = 12345 ] &&
  [ "$(field dst "$REP")" = "$CLIENT" ] && [ "$(field dport "$REP")" = "$CPORT" ] ||
  die "the reply does not go back to $CLIENT:$CPORT: $REP"
WANT="Hello, ('$CLIENT', $CPORT). You said: Hello, UDP server2!"
[ "$(field payload "$REP")" = "$(printf '%s' "$WANT" | hex)" ] || die "the reply is not \"$WANT\": $REP"
grep -qF "Received from server: $WANT" "$WORK/client.out" || die "the client printed something else"
"$BIN" inspect "$WORK/udp.pcap" >&2
say "ok: $CLIENT:$CPORT -> 172.19.0.2:12345 and the lab's reply, in $((SECONDS - START)) s"
