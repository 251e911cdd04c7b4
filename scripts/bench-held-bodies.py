#!/usr/bin/env python3
"""How much memory anonymous uploads make a running server hold.

    python3 scripts/bench-held-bodies.py --url http://127.0.0.1:3000 --pid PID \\
        [--clients 100] [--size 5000000] [--hold 5]

Opens CLIENTS connections at once, each an anonymous
`POST /api/settings/audio` announcing SIZE bytes, sends all but the last KiB
of the body and keeps the connection open for HOLD seconds: a client that
never finishes its upload. Prints the server's resident memory (VmRSS of
PID) before and at its highest while the uploads are held, and how many
clients were answered before they finished sending.

A server that reads bodies before it checks access holds every one of them;
one that decides access from the headers answers 401 at once and holds none
(issue 14, finding 2). Only loopback addresses are accepted as targets.
Bounded: CLIENTS connections, HOLD seconds, then everything is closed.
"""

import argparse
import socket
import threading
import time
import urllib.parse


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def client(host, port, size, hold_until, answered, lock):
    chunk = b"\0" * 65536
    try:
        s = socket.create_connection((host, port), timeout=10)
    except OSError:
        return
    try:
        s.sendall(
            (
                "POST /api/settings/audio?name=x HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\nContent-Type: audio/wav\r\n"
                f"Content-Length: {size}\r\n\r\n"
            ).encode()
        )
        s.settimeout(0.5)
        sent = 0
        while sent < size - 1024 and time.time() < hold_until:
            try:
                n = s.send(chunk[: min(len(chunk), size - 1024 - sent)])
                sent += n
            except socket.timeout:
                # The server stopped reading: see whether it has answered.
                try:
                    if s.recv(1, socket.MSG_PEEK):
                        break
                except (socket.timeout, BlockingIOError):
                    pass
            except OSError:
                break
        try:
            s.settimeout(0.2)
            if s.recv(12).startswith(b"HTTP/1.1 4"):
                with lock:
                    answered[0] += 1
        except OSError:
            pass
        while time.time() < hold_until:
            time.sleep(0.2)
    finally:
        s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--size", type=int, default=5_000_000)
    p.add_argument("--hold", type=float, default=5.0)
    a = p.parse_args()
    u = urllib.parse.urlparse(a.url)
    host, port = u.hostname, u.port or 80
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("only loopback targets")
    before = rss_mb(a.pid)
    hold_until = time.time() + a.hold
    answered, lock = [0], threading.Lock()
    threads = [
        threading.Thread(target=client, args=(host, port, a.size, hold_until, answered, lock))
        for _ in range(a.clients)
    ]
    for t in threads:
        t.start()
    peak = before
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mb(a.pid))
        time.sleep(0.1)
    print(
        f"held bodies: {a.clients} clients x {a.size} bytes, server RSS "
        f"{before:.0f} MB before, {peak:.0f} MB at peak; "
        f"{answered[0]} answered before sending their whole body"
    )


if __name__ == "__main__":
    main()
