# OK SEND round trip on a node of a running 2-node cluster: user a on node 1, b on node 2 (b reads its MSGs).
# Usage: python3 cluster-oksend.py PORT1 PORT2 COUNT ; prints percentiles in ms of SEND -> OK SEND, and PING -> PONG.
import socket, sys, time, threading
p1, p2, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def conn(port, name):
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    f = s.makefile('rb')
    s.sendall(b'LOGIN ' + name.encode() + b'\n')
    while not f.readline().startswith(b'OK LOGIN'):
        pass
    return s, f
b, bf = conn(p2, 'okb%d' % p1)
def drain():
    try:
        while bf.readline():
            pass
    except Exception:
        pass
threading.Thread(target=drain, daemon=True).start()
a, af = conn(p1, 'oka%d' % p1)
def rt(cmd, want):
    t = time.perf_counter(); a.sendall(cmd)
    while True:
        l = af.readline()
        if not l: raise SystemExit('closed')
        if l.startswith(want): return (time.perf_counter() - t) * 1000
for _ in range(50): rt(b'SEND warm\n', b'OK SEND')
for label, cmd, want in (('OK SEND', b'SEND hello there\n', b'OK SEND'), ('PING', b'PING\n', b'OK PING')):
    xs = sorted(rt(cmd, want) for _ in range(n))
    q = lambda p: xs[min(len(xs) - 1, int(p * len(xs)))]
    print('%-8s n=%d p50 %.2f ms p90 %.2f ms p99 %.2f ms max %.2f ms' % (label, n, q(.5), q(.9), q(.99), xs[-1]))
