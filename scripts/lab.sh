#!/usr/bin/env bash
# The lab for real: oneway's own traffic between two hosts, captured by oneway itself, with
# tcpdump as the witness.
#
# Builds the lab's network out of network namespaces (nothing is configured in the root
# namespace): a bridge `br0` in a namespace of its own, and two hosts attached to it by veth pairs,
#
#   server  eth0  172.19.0.2/16  fd00:19::2/64  02:42:ac:13:00:02
#   client  eth0  172.19.0.3/16  fd00:19::3/64  02:42:ac:13:00:03
#
# then runs `oneway serve` on the server, captures the bridge with `oneway inspect -i br0 -w`
# (its live view read while the exchange happens) and with tcpdump beside it, runs
# `oneway send --source-port 57314 172.19.0.2` on the client, checks that the live view showed the
# request and the reply before the capture was stopped and that tcpdump captured the same frames,
# and prints `oneway inspect` of the capture. With --record DIR it records the same exchange in every form listed in
# fixtures/lab/README.md instead. Root only. Every namespace and process it made is removed on
# exit, also on failure or Ctrl-C; it refuses to run over leftovers of a run that died (--clean
# removes them).
#
# The network is kept quiet so that a capture holds the exchange and nothing else: permanent
# neighbour entries (no ARP, no neighbour discovery), no IPv6 and no multicast snooping in the
# bridge namespace, and in the hosts no duplicate address detection, no router solicitations,
# and the multicast reports of interfaces coming up repeated within 10 ms instead of 1 s. What
# multicast housekeeping remains (IGMP/MLD reports, timer-driven) is left out of every capture by
# the capture filter 'not (ip multicast or ip6 multicast)': the lab's traffic is all unicast.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: sudo scripts/lab.sh [--bin PATH] [--pcap FILE] [--record DIR] [--clean]

  (no option)   run the lab once: serve, capture the bridge, send, print `oneway inspect`
  --bin PATH    the oneway binary to run (default: target/release/oneway, else target/debug/oneway)
  --pcap FILE   also keep the capture of the default run as FILE
  --record DIR  record the exchange in every form (see fixtures/lab/README.md) into DIR
  --clean       remove namespaces left over by runs that died, then exit
EOF
}

PREFIX=oneway-lab
FILTER='not (ip multicast or ip6 multicast)'
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=""
PCAP_OUT=""
RECORD=""
CLEAN=0
while [ $# -gt 0 ]; do
  case $1 in
    --bin) BIN=${2:?--bin needs a path}; shift 2 ;;
    --pcap) PCAP_OUT=${2:?--pcap needs a file}; shift 2 ;;
    --record) RECORD=${2:?--record needs a directory}; shift 2 ;;
    --clean) CLEAN=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "lab: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (it creates network namespaces): sudo $0 $*"
command -v ip >/dev/null || die "needs ip (iproute2)"
ip netns list >/dev/null 2>&1 || die "ip netns does not work here"

# Namespaces of a run are named $PREFIX-<pid of lab.sh>-<role>. Those of a live lab.sh are
# another run going on at the same time; any other is a leftover.
leftovers() {
  local ns pid
  for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-" || true); do
    pid=${ns#"$PREFIX"-}
    pid=${pid%%-*}
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'lab\.sh'; then
      continue
    fi
    echo "$ns"
  done
}
if [ "$CLEAN" = 1 ]; then
  for ns in $(leftovers); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns delete "$ns" && say "removed $ns"
  done
  exit 0
fi
left=$(leftovers)
[ -z "$left" ] || die "leftovers of an earlier run: $(echo $left); remove them with: sudo $0 --clean"

if [ -z "$BIN" ]; then
  for b in "$ROOT/target/release/oneway" "$ROOT/target/debug/oneway"; do
    if [ -x "$b" ]; then BIN=$b; break; fi
  done
  [ -n "$BIN" ] || die "no oneway binary: run 'cargo build --release' first, or pass --bin PATH"
fi
[ -x "$BIN" ] || die "not an executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
command -v tcpdump >/dev/null || die "needs tcpdump"
if [ -n "$RECORD" ]; then
  command -v dumpcap >/dev/null || die "--record needs dumpcap (Debian package tshark)"
  command -v socat >/dev/null || die "--record needs socat"
  mkdir -p "$RECORD"
  RECORD=$(cd "$RECORD" && pwd)
fi

ID=$PREFIX-$$
NS_BR=$ID-bridge
NS_SRV=$ID-server
NS_CLI=$ID-client
WORK=$(mktemp -d "${TMPDIR:-/tmp}/oneway-lab.XXXXXX")
declare -A PID=() FD=()

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  local name ns
  for name in "${!PID[@]}"; do kill -TERM "${PID[$name]}" 2>/dev/null || true; done
  for ns in "$NS_CLI" "$NS_SRV" "$NS_BR"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    fi
  done
  for name in "${!PID[@]}"; do wait "${PID[$name]}" 2>/dev/null || true; done
  for ns in "$NS_CLI" "$NS_SRV" "$NS_BR"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      ip netns delete "$ns" || rc=1
    fi
  done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT
trap 'say terminated; exit 143' TERM

# ---- the network ---------------------------------------------------------------------------

# wait_until SECONDS DESCRIPTION COMMAND...: polls a condition of the kernel's (no event to wait
# for exists in a script), bounded.
wait_until() {
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "timed out waiting for $what"
    sleep 0.05
  done
}
port_forwarding() { ip -n "$NS_BR" -d -o link show dev "$1" | grep -q 'state forwarding'; }
host_up() { ip -n "$1" -o link show dev eth0 | grep -q 'state UP'; }

setup() {
  # Exit status 77 (tests: skip) where namespaces cannot be made, e.g. a container without
  # CAP_SYS_ADMIN.
  if ! ip netns add "$NS_BR" 2>"$WORK/netns.err"; then
    say "cannot create network namespaces here: $(cat "$WORK/netns.err")"
    exit 77
  fi
  ip netns add "$NS_SRV"
  ip netns add "$NS_CLI"
  # No IPv6 on the bridge or its ports: they would speak MLD and neighbour discovery.
  ip netns exec "$NS_BR" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  local ns
  for ns in "$NS_SRV" "$NS_CLI"; do
    # Set before eth0 exists, so eth0 inherits them: no DAD (it would hold the IPv6 addresses
    # back for ~2 s), no router solicitations.
    ip netns exec "$ns" sysctl -qw \
      net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0 \
      net.ipv6.conf.all.mldv2_unsolicited_report_interval=10 \
      net.ipv6.conf.default.mldv2_unsolicited_report_interval=10 \
      net.ipv6.conf.all.mldv1_unsolicited_report_interval=10 \
      net.ipv6.conf.default.mldv1_unsolicited_report_interval=10 \
      net.ipv4.conf.all.igmpv3_unsolicited_report_interval=10 \
      net.ipv4.conf.default.igmpv3_unsolicited_report_interval=10 \
      net.ipv4.conf.all.igmpv2_unsolicited_report_interval=10 \
      net.ipv4.conf.default.igmpv2_unsolicited_report_interval=10
    ip -n "$ns" link set lo up
  done
  ip -n "$NS_BR" link add br0 type bridge forward_delay 0 stp_state 0 mcast_snooping 0
  ip -n "$NS_BR" link set br0 up
  local role addr4 addr6 mac peer
  for role in server client; do
    if [ $role = server ]; then
      ns=$NS_SRV addr4=172.19.0.2 addr6=fd00:19::2 mac=02:42:ac:13:00:02
    else
      ns=$NS_CLI addr4=172.19.0.3 addr6=fd00:19::3 mac=02:42:ac:13:00:03
    fi
    ip -n "$NS_BR" link add "p-$role" type veth peer name eth0 netns "$ns"
    ip -n "$NS_BR" link set "p-$role" master br0 up
    ip -n "$ns" link set eth0 address $mac mtu 1500
    ip -n "$ns" addr add $addr4/16 dev eth0
    ip -n "$ns" addr add $addr6/64 dev eth0 nodad
    ip -n "$ns" link set eth0 up
  done
  # Permanent neighbour entries: no ARP or neighbour solicitation ever crosses the bridge.
  ip -n "$NS_SRV" neigh replace 172.19.0.3 lladdr 02:42:ac:13:00:03 dev eth0 nud permanent
  ip -n "$NS_SRV" neigh replace fd00:19::3 lladdr 02:42:ac:13:00:03 dev eth0 nud permanent
  ip -n "$NS_CLI" neigh replace 172.19.0.2 lladdr 02:42:ac:13:00:02 dev eth0 nud permanent
  ip -n "$NS_CLI" neigh replace fd00:19::2 lladdr 02:42:ac:13:00:02 dev eth0 nud permanent
  wait_until 10 "the server's link" host_up "$NS_SRV"
  wait_until 10 "the client's link" host_up "$NS_CLI"
  wait_until 10 "the bridge port of the server" port_forwarding p-server
  wait_until 10 "the bridge port of the client" port_forwarding p-client
}

# ---- processes -----------------------------------------------------------------------------

# start NAME PATTERN NAMESPACE COMMAND...: runs COMMAND in NAMESPACE in the background (stdout to
# $WORK/NAME.out, or $OUT_TO) and reads its stderr until a line contains PATTERN (10 s at most).
start() {
  local name=$1 pattern=$2 ns=$3
  shift 3
  local fifo=$WORK/$name.fifo line fd
  mkfifo "$fifo"
  : >"$WORK/$name.err"
  ip netns exec "$ns" "$@" >"${OUT_TO:-$WORK/$name.out}" 2>"$fifo" &
  PID[$name]=$!
  exec {fd}<"$fifo"
  FD[$name]=$fd
  local deadline=$((SECONDS + 10))
  while :; do
    local left=$((deadline - SECONDS))
    [ "$left" -gt 0 ] || die "$name: no '$pattern' within 10 s: $(cat "$WORK/$name.err")"
    if ! IFS= read -r -t "$left" -u "$fd" line; then
      die "$name: no '$pattern' on its stderr: $(cat "$WORK/$name.err")"
    fi
    printf '%s\n' "$line" >>"$WORK/$name.err"
    [[ $line == *"$pattern"* ]] && break
  done
}

# finish NAME [SIGNAL]: sends SIGNAL (if given) to NAME, waits for it to end (every command is run
# under `timeout`, so this is bounded), collects its stderr; returns its exit status.
finish() {
  local name=$1 sig=${2:-} rc=0 fd=${FD[$1]}
  [ -z "$sig" ] || kill -s "$sig" "${PID[$name]}" 2>/dev/null || true
  wait "${PID[$name]}" || rc=$?
  cat <&"$fd" >>"$WORK/$name.err" || true
  exec {fd}<&-
  unset "PID[$name]" "FD[$name]"
  return $rc
}

serve_start() { # NAMESPACE-independent: always the server host; ARGS for `oneway serve`
  start server "listening on" "$NS_SRV" timeout -k 5 -s INT 120 "$BIN" serve "$@"
  say "server: $(tail -n 1 "$WORK/server.err")"
}
serve_stop() {
  finish server INT || true
  sed 's/^/lab: server: /' "$WORK/server.out" >&2
  rm -f "$WORK/server.fifo"
}

# capture_start NAMESPACE FILE COUNT TCPDUMP-ARGS...: tcpdump stops by itself after COUNT
# packets (0: only when stopped); what it writes is flushed per packet (-U, --immediate-mode).
capture_start() {
  local ns=$1 file=$2 count=$3
  shift 3
  local c=()
  [ "$count" = 0 ] || c=(-c "$count")
  start capture "listening on" "$ns" timeout -k 5 -s INT 30 \
    tcpdump -Z root -U --immediate-mode -nn "${c[@]}" -w "$file" "$@" "$FILTER"
}
# dumpcap_start NAMESPACE FILE COUNT DUMPCAP-ARGS...
dumpcap_start() {
  local ns=$1 file=$2 count=$3
  shift 3
  start capture "File: " "$ns" timeout -k 5 -s INT 30 dumpcap -c "$count" -w "$file" -f "$FILTER" "$@"
}
# capture_wait: waits for the capture to have seen its COUNT packets (or stops it with SIGINT
# when it was started with COUNT 0).
capture_wait() {
  local rc=0
  finish capture "${1:-}" || rc=$?
  rm -f "$WORK/capture.fifo"
  if [ "$rc" = 124 ]; then
    die "the capture did not see all the packets it expected: $(cat "$WORK/capture.err")"
  fi
  [ "$rc" = 0 ] || die "the capture failed ($rc): $(cat "$WORK/capture.err")"
  say "capture: $(grep -E 'captured|Packets' "$WORK/capture.err" | tr '\n' ' ')"
}

# client ARGS...: one `oneway send` on the client host, 10 s at most.
client() {
  local rc=0
  timeout -k 2 10 ip netns exec "$NS_CLI" "$BIN" send "$@" >"$WORK/client.out" 2>"$WORK/client.err" || rc=$?
  sed 's/^/lab: client: /' "$WORK/client.out" "$WORK/client.err" >&2
  return $rc
}

# ---- the exchanges -------------------------------------------------------------------------

MSG='Hello, UDP server2!'

# exchange NAMESPACE FILE [tcpdump|dumpcap] CAPTURE-ARGS...: the lab's exchange over IPv4,
# captured in NAMESPACE into FILE.
exchange() {
  local ns=$1 file=$2 tool=$3
  shift 3
  serve_start
  if [ "$tool" = dumpcap ]; then dumpcap_start "$ns" "$file" 2 "$@"; else capture_start "$ns" "$file" 2 "$@"; fi
  client --source-port 57314 172.19.0.2 || die "the client got no reply"
  capture_wait
  serve_stop
}

# live_line WHAT: the next line of the live view (10 s at most), shown as `lab: live: LINE`.
live_line() {
  local line
  IFS= read -r -t 10 -u "$LIVE_FD" line || die "the live view showed no $1 within 10 s: $(cat "$WORK/capture.err")"
  say "live: $line"
  LIVE_LINES+=("$line")
}

# The default run: oneway captures the bridge itself (`inspect -i br0 -w`), its jsonl view read
# line by line while the exchange happens; tcpdump captures it too, as the witness.
run_default() {
  setup
  say "namespaces $NS_BR, $NS_SRV, $NS_CLI; oneway is $BIN"
  serve_start
  # The live view goes to a FIFO opened here first (read-write: opening it does not wait).
  mkfifo "$WORK/live.fifo"
  exec {LIVE_FD}<>"$WORK/live.fifo"
  OUT_TO=$WORK/live.fifo start capture "live capture on" "$NS_BR" timeout -k 5 -s INT 30 \
    "$BIN" inspect -i br0 -f jsonl -w "$WORK/udp.pcap"
  say "capture: $(tail -n 1 "$WORK/capture.err")"
  start witness "listening on" "$NS_BR" timeout -k 5 -s INT 30 \
    tcpdump -Z root -U --immediate-mode -nn -c 2 -w "$WORK/witness.pcap" -i br0 "$FILTER"
  LIVE_LINES=()
  client --source-port 57314 172.19.0.2 || die "the client got no reply"
  # Both lines while oneway still captures: it is stopped only once they came.
  live_line "request"
  live_line "reply"
  [[ ${LIVE_LINES[0]} == *'"sport":57314,"dst":"172.19.0.2","dport":12345'* ]] || die "the first live line is not the request"
  [[ ${LIVE_LINES[1]} == *'"sport":12345,"dst":"172.19.0.3","dport":57314'* ]] || die "the second live line is not the reply"
  local rc=0
  finish capture INT || rc=$?
  [ "$rc" = 0 ] || die "the capture failed ($rc): $(cat "$WORK/capture.err")"
  say "capture: $(grep -E 'captured|dropped' "$WORK/capture.err" | sed 's/^oneway: //' | tr '\n' ' ')"
  finish witness || die "tcpdump did not see both packets: $(cat "$WORK/witness.err")"
  exec {LIVE_FD}<&-
  serve_stop
  # The witness: tcpdump's frames and oneway's, byte for byte (times aside; the same filter
  # leaves out the multicast housekeeping oneway's -w keeps).
  local ours theirs
  ours=$(tcpdump -r "$WORK/udp.pcap" -nn -t -xx "$FILTER" 2>/dev/null)
  theirs=$(tcpdump -r "$WORK/witness.pcap" -nn -t -xx 2>/dev/null)
  [ -n "$ours" ] && [ "$ours" = "$theirs" ] || die "oneway's capture and tcpdump's differ"
  say "witness: tcpdump captured the same $(grep -vc '^[[:space:]]' <<<"$theirs") frames, byte for byte"
  if [ -n "$(tcpdump -r "$WORK/udp.pcap" -nn "not ($FILTER)" 2>/dev/null)" ]; then
    # Keep the capture as the lab's: only the exchange.
    tcpdump -r "$WORK/udp.pcap" -w "$WORK/exchange.pcap" "$FILTER" 2>/dev/null
    mv "$WORK/exchange.pcap" "$WORK/udp.pcap"
  fi
  [ -z "$PCAP_OUT" ] || cp "$WORK/udp.pcap" "$PCAP_OUT"
  say "oneway inspect of the capture of br0:"
  "$BIN" inspect "$WORK/udp.pcap"
}

record_ipv6() {
  serve_start --bind ::
  capture_start "$NS_BR" "$1" 2 -i br0
  client --source-port 57314 '[fd00:19::2]:12345' || die "the client got no reply"
  capture_wait
  serve_stop
}

# record_fragments FILE HOST: 4000 bytes of text to HOST, answered with 4040 bytes; both cross a
# 1500-byte MTU in 3 fragments each.
record_fragments() {
  local text=""
  while [ ${#text} -lt 4000 ]; do text+="$MSG "; done
  printf '%s' "${text:0:4000}" >"$WORK/big.txt"
  serve_start ${3:+--bind "$3"}
  capture_start "$NS_BR" "$1" 6 -i br0
  client --source-port 57314 "$2" - <"$WORK/big.txt" || die "the client got no reply"
  capture_wait
  serve_stop
}

# record_many FILE: 40 clients at once from ports 50001..50040: every fourth payload empty, every
# fourth binary (all 256 byte values, or control bytes), the rest text.
record_many() {
  local n=40 i pids=() rc=0
  for ((i = 1; i <= n; i++)); do
    case $((i % 4)) in
      0) : >"$WORK/p$i" ;;
      1) if [ $((i % 8)) = 1 ]; then
           printf "$(printf '\\%03o' $(seq 0 255))" >"$WORK/p$i"
         else
           printf '\033[31mred\033[0m\r\n\a\0\377 client %d' "$i" >"$WORK/p$i"
         fi ;;
      *) printf 'Hello from client %d' "$i" >"$WORK/p$i" ;;
    esac
  done
  serve_start
  capture_start "$NS_BR" "$1" $((2 * n)) -i br0
  for ((i = 1; i <= n; i++)); do
    timeout -k 2 10 ip netns exec "$NS_CLI" "$BIN" send --source-port $((50000 + i)) 172.19.0.2 - \
      <"$WORK/p$i" >"$WORK/c$i.out" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || { rc=$?; say "client $((i + 1)) failed ($rc): $(cat "$WORK/c$((i + 1)).out")"; }; done
  [ "$rc" = 0 ] || die "not every client got its reply"
  capture_wait
  serve_stop
}

# record_unreachable FILE: nothing listens on port 12346; the kernel answers ICMP (v4 and v6).
record_unreachable() {
  capture_start "$NS_BR" "$1" 4 -i br0
  ! client --source-port 57314 --timeout 1s 172.19.0.2:12346 || die "a reply from a closed port?"
  ! client --source-port 57314 --timeout 1s '[fd00:19::2]:12346' || die "a reply from a closed port?"
  capture_wait
}

# record_tcp FILE: the same message over TCP (socat at both ends): handshake, data, reply, close.
record_tcp() {
  # What the lab's server answered, in sh: socat sets SOCAT_PEERADDR/SOCAT_PEERPORT.
  cat >"$WORK/tcp-reply.sh" <<'EOF2'
m=$(cat)
printf "Hello, ('%s', %s). You said: %s" "$SOCAT_PEERADDR" "$SOCAT_PEERPORT" "$m"
EOF2
  start tcpserver "listening on" "$NS_SRV" timeout -k 5 -s INT 30 socat -d -d \
    TCP-LISTEN:12345,bind=172.19.0.2,reuseaddr SYSTEM:"sh $WORK/tcp-reply.sh"
  capture_start "$NS_BR" "$1" 0 -i br0
  printf '%s' "$MSG" | timeout -k 2 10 ip netns exec "$NS_CLI" socat -t 5 - \
    TCP:172.19.0.2:12345,sourceport=57314 >"$WORK/tcp.out" || die "the TCP client failed"
  say "tcp client: $(cat "$WORK/tcp.out")"
  finish tcpserver || die "the TCP server failed: $(cat "$WORK/tcpserver.err")"
  capture_wait INT
}

run_record() {
  setup
  say "namespaces $NS_BR, $NS_SRV, $NS_CLI; oneway is $BIN; recording into $RECORD"
  local d=$RECORD
  say "== lab-bridge.pcap: tcpdump -i br0 (Ethernet)"
  exchange "$NS_BR" "$d/lab-bridge.pcap" tcpdump -i br0
  say "== lab-any-sll2.pcap: tcpdump -i any in the server host (LINUX_SLL2)"
  exchange "$NS_SRV" "$d/lab-any-sll2.pcap" tcpdump -i any
  say "== lab-any-sll.pcap: tcpdump -i any -y LINUX_SLL in the server host"
  exchange "$NS_SRV" "$d/lab-any-sll.pcap" tcpdump -i any -y LINUX_SLL
  say "== lab-dumpcap.pcapng: dumpcap -i br0 (pcapng)"
  exchange "$NS_BR" "$d/lab-dumpcap.pcapng" dumpcap -i br0
  say "== lab-nano.pcap: tcpdump --time-stamp-precision=nano -i br0"
  exchange "$NS_BR" "$d/lab-nano.pcap" tcpdump --time-stamp-precision=nano -i br0
  say "== lab-snaplen60.pcap: tcpdump -s 60 -i br0"
  exchange "$NS_BR" "$d/lab-snaplen60.pcap" tcpdump -s 60 -i br0
  say "== lab-ipv6.pcap: over IPv6"
  record_ipv6 "$d/lab-ipv6.pcap"
  say "== lab-fragments.pcap: 4000 bytes over IPv4, MTU 1500"
  record_fragments "$d/lab-fragments.pcap" 172.19.0.2
  say "== lab-fragments-ipv6.pcap: 4000 bytes over IPv6, MTU 1500"
  record_fragments "$d/lab-fragments-ipv6.pcap" '[fd00:19::2]:12345' ::
  say "== lab-many-clients.pcap: 40 clients at once"
  record_many "$d/lab-many-clients.pcap"
  say "== lab-port-unreachable.pcap: to port 12346, where nothing listens"
  record_unreachable "$d/lab-port-unreachable.pcap"
  say "== lab-tcp.pcap: the same message over TCP"
  record_tcp "$d/lab-tcp.pcap"
  chmod 0644 "$d"/lab-*.pcap*
  say "recorded: $(cd "$d" && ls lab-*.pcap* | tr '\n' ' ')"
}

if [ -n "$RECORD" ]; then run_record; else run_default; fi
