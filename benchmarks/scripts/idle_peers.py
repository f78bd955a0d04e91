#!/usr/bin/env python3
"""Idle and active users of one Obrol server, for idle-active.sh (issue 16: "19,000 idle connections in one
server process with every active user's p99 unchanged").

  idle_peers.py hold HOST PORT K READY_FILE STOP_FILE
      Logs K connections in (modern dialect) and keeps them idle: it never sends after LOGIN, and reads what
      they receive (every later login's JOIN) in sweeps, one recv per connection after each batch of logins,
      so the kernel's socket buffers batch it and the server sees steady progress. Writes READY_FILE once all K have
      their OK LOGIN; holds them until STOP_FILE exists (at most an hour).

  idle_peers.py active HOST PORT USERS RATE WARMUP_S WINDOW_S WINDOWS OUT_JSON
      USERS active users send private messages to each other at RATE messages/s in all (open loop: each
      message carries its intended send time, so a stall is counted, not hidden), user i to user i+1. Reports
      the latency from intended send time to the PRIV's arrival: p50, p99, p99.9, max per window, and the
      medians over the windows. Private messages reach only their addressee, so idle users are not part of
      this traffic: what it measures is whether their presence costs the active users anything.

Only loopback; every loop is bounded in time.
"""
import json
import os
import selectors
import socket
import sys
import time


def connect_login(host, port, name):
    s = socket.create_connection((host, port), timeout=30)
    s.sendall(b"HELLO obrol/1\nLOGIN " + name.encode() + b"\n")
    return s


def hold(host, port, k, ready_file, stop_file):
    deadline = time.monotonic() + 3600
    conns = []
    pending = {}  # socket -> bytes received before its OK LOGIN
    logged = 0

    def sweep():
        nonlocal logged
        for s in conns:
            try:
                data = s.recv(262144)
            except BlockingIOError:
                continue
            if not data:
                raise SystemExit("the server closed an idle connection (%d logged in)" % logged)
            if s in pending:
                buf = pending[s] + data
                if b"OK LOGIN " in buf:
                    del pending[s]
                    logged += 1
                elif b"ERR " in buf or b"BYE " in buf:
                    raise SystemExit("login refused: %r" % buf[-200:])
                else:
                    pending[s] = buf[-4096:]

    batch = 250
    while len(conns) < k:
        if time.monotonic() > deadline:
            raise SystemExit("logins did not finish within the hour")
        for _ in range(min(batch, k - len(conns))):
            s = connect_login(host, port, "i%d" % len(conns))
            s.setblocking(False)
            conns.append(s)
            pending[s] = b""
        sweep()
    while logged < k:
        if time.monotonic() > deadline:
            raise SystemExit("logins did not finish within the hour (%d of %d)" % (logged, k))
        sweep()
        time.sleep(0.05)
    with open(ready_file, "w") as f:
        f.write("%d\n" % logged)
    print("READY %d" % logged, flush=True)
    # Held: nothing more is expected but the active users' JOIN and LEFT lines, which the kernel's buffers hold;
    # a sweep every 10 s (not every half second) keeps this process from competing with the active users' one.
    last = time.monotonic()
    while not os.path.exists(stop_file) and time.monotonic() < deadline:
        time.sleep(0.1)
        if time.monotonic() - last >= 10:
            sweep()
            last = time.monotonic()
    for s in conns:
        s.close()
    print("DONE %d" % logged, flush=True)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[i]


def active(host, port, users, rate, warmup, window, windows, out_json):
    sel = selectors.DefaultSelector()
    socks = []
    prefix = "a%d-" % (os.getpid() % 100000)
    for i in range(users):
        s = connect_login(host, port, prefix + str(i))
        socks.append(s)
    # Wait for every OK LOGIN (bounded), then read without blocking.
    bufs = [b""] * users
    deadline = time.monotonic() + 120
    ok = [False] * users
    for i, s in enumerate(socks):
        s.settimeout(max(0.1, deadline - time.monotonic()))
        while not ok[i]:
            data = s.recv(65536)
            if not data:
                raise SystemExit("the server closed active user %d" % i)
            bufs[i] += data
            if b"OK LOGIN " in bufs[i]:
                ok[i] = True
                bufs[i] = b""
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, i)
    interval = 1.0 / rate
    start = time.monotonic_ns()
    total = warmup + window * windows
    end = start + int(total * 1e9)
    sent = 0
    samples = [[] for _ in range(windows)]
    received = 0
    next_send = start
    while True:
        now = time.monotonic_ns()
        while next_send <= now and next_send < end:
            i = sent % users
            to = (i + 1) % users
            line = b"SENDTO %s%d %d\n" % (prefix.encode(), to, next_send)
            try:
                socks[i].send(line)
            except BlockingIOError:
                raise SystemExit("the server stopped reading from active user %d" % i)
            sent += 1
            next_send = start + int(sent * interval * 1e9)
        if now >= end + 2_000_000_000:
            break
        timeout = max(0.0, (next_send - time.monotonic_ns()) / 1e9) if next_send < end else 0.05
        for key, _ in sel.select(timeout):
            i = key.data
            try:
                data = key.fileobj.recv(262144)
            except BlockingIOError:
                continue
            if not data:
                raise SystemExit("the server closed active user %d" % i)
            arrived = time.monotonic_ns()
            buf = bufs[i] + data
            lines = buf.split(b"\n")
            bufs[i] = lines.pop()
            for ln in lines:
                if ln.startswith(b"PRIV "):
                    stamp = int(ln.rsplit(b" ", 1)[1])
                    received += 1
                    w = int((stamp - start) / 1e9 - warmup) // window if (stamp - start) / 1e9 >= warmup else -1
                    if 0 <= w < windows:
                        samples[w].append((arrived - stamp) / 1e6)
    for s in socks:
        s.close()
    result = {"users": users, "rate": rate, "sent": sent, "received": received, "windows": []}
    for w in samples:
        w.sort()
        result["windows"].append({"count": len(w), "p50_ms": percentile(w, 50), "p99_ms": percentile(w, 99),
                                  "p999_ms": percentile(w, 99.9), "max_ms": w[-1] if w else float("nan")})
    for key in ("p50_ms", "p99_ms", "p999_ms", "max_ms"):
        vals = sorted(x[key] for x in result["windows"])
        result["median_" + key] = vals[len(vals) // 2]
    with open(out_json, "w") as f:
        json.dump(result, f, indent=1)
    print("sent %d, received %d; medians over %d windows of %d s: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms"
          % (sent, received, windows, window, result["median_p50_ms"], result["median_p99_ms"],
             result["median_p999_ms"], result["median_max_ms"]), flush=True)
    if received != sent:
        raise SystemExit("%d private messages sent, %d received" % (sent, received))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "hold":
        hold(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    elif mode == "active":
        active(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]),
               int(sys.argv[7]), int(sys.argv[8]), sys.argv[9])
    else:
        raise SystemExit(__doc__)
