"""The lab's UDP server, as the benchmark runs it: one recvfrom/sendto loop, a line per datagram.

Usage: python3 scripts/lab_server.py PORT  (binds 127.0.0.1 only; stop it with a signal)
"""

import socket
import sys

port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
while True:
    data, addr = s.recvfrom(1024)
    message = data.decode(errors="replace")
    print(f"Received message from {addr}: {message}")
    s.sendto(f"Hello, {addr}. You said: {message}".encode(), addr)
