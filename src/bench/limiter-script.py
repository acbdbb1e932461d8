"""The rate limiter's take script alone, on a Redis of its own (issue: the hot path).

Loads the script from RedisBuckets.java, then pipelines CALLS calls of BATCH takes each: one
anonymous client per take (a new address each time, as in hotpath.sh), the catalog policy's two
buckets. Prints Redis's own time per call and per take (INFO commandstats: inside the script) and
Redis's whole CPU per take (INFO cpu: with reading, parsing, replying and expiring the keys).

    python3 src/bench/limiter-script.py REDIS_PORT [BATCH ...]
"""
import random
import re
import socket
import sys
import textwrap
import threading
import time

CALLS = 20000
# per call: the bucket lists named (one), then per list: cost, buckets, (interval ms, period ms) per bucket
LISTS = [1, 1, 2, 50, 10000, 180, 3600000]
# per take: charges, then per charge its list's position (negative: shadow)
TAKE = [1, 1]


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        arg = arg if isinstance(arg, bytes) else str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


def command(port, *args):
    with socket.create_connection(("127.0.0.1", port)) as redis:
        redis.sendall(encode(*args))
        reply = b""
        while True:
            reply += redis.recv(1 << 20)
            if reply.startswith((b"+", b"-", b":")) and reply.endswith(b"\r\n"):
                return reply.decode()
            if reply.startswith(b"$"):
                header, _, rest = reply.partition(b"\r\n")
                if len(rest) >= int(header[1:]) + 2:
                    return rest[: int(header[1:])].decode()


def info(port, section):
    fields = {}
    for line in command(port, "INFO", section).splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return fields


def run(port, sha, batch):
    payload = []
    for _ in range(CALLS):
        keys, argv = [], list(LISTS)
        for _ in range(batch):
            keys.append("ratelimit:{ip:10.%d.%d.%d}:catalog" % (random.randrange(256), random.randrange(256), random.randrange(256)))
            argv += TAKE
        payload.append(encode("EVALSHA", sha, len(keys), *keys, *argv))
    data = b"".join(payload)
    command(port, "CONFIG", "RESETSTAT")
    cpu = info(port, "cpu")
    before = float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])
    with socket.create_connection(("127.0.0.1", port)) as redis:
        replies = [0]

        def drain():
            while replies[0] < CALLS:
                chunk = redis.recv(1 << 20)
                if not chunk:
                    return
                replies[0] += len(re.findall(rb"(?:^|\r\n)\*%d\r\n" % (4 * 2 * batch), chunk))

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        for start in range(0, len(data), 1 << 16):
            redis.sendall(data[start : start + (1 << 16)])
        deadline = time.time() + 120
        while time.time() < deadline:
            calls = int(re.search(r"calls=(\d+)", info(port, "commandstats").get("cmdstat_evalsha", "calls=0")).group(1))
            if calls >= CALLS:
                break
            time.sleep(0.2)
    cpu = info(port, "cpu")
    after = float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"])
    stats = dict(field.split("=") for field in info(port, "commandstats")["cmdstat_evalsha"].split(","))
    per_call = float(stats["usec_per_call"])
    print(f"batch {batch:3d}: {per_call:7.1f} µs per call in the script, {per_call / batch:5.2f} µs per take; "
          f"Redis CPU {(after - before) * 1e6 / (CALLS * batch):5.2f} µs per take")


def main():
    port = int(sys.argv[1])
    batches = [int(b) for b in sys.argv[2:]] or [1, 10, 64]
    source = open("src/main/java/com/aqad/marketplace/ratelimit/RedisBuckets.java").read()
    script = re.search(r'TAKE = RedisScript\.of\("""\n(.*?)""", List\.class\)', source, re.S).group(1)
    sha = command(port, "SCRIPT", "LOAD", textwrap.dedent(script))
    for batch in batches:
        command(port, "FLUSHALL")
        run(port, sha, batch)


main()
