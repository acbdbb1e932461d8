#!/usr/bin/env bash
# Outage drills (issue: robustness), against a server on its own embedded PostgreSQL and Redis:
#   postgres-hung  PostgreSQL frozen (SIGSTOP, not stopped: no error ever comes back): how long a
#                  signed-in request and an uncached list take to be answered, and with what;
#                  then SIGCONT and the time until /me answers 200 again;
#   redis-hung     catalog reads (cached product, limits counted in Redis, 4,096 forwarded clients)
#                  with Redis healthy, then frozen: requests/s, p99, non-2xx; then the time until
#                  the limiter counts in Redis again after SIGCONT;
#   one-client     one address opens 3,000 connections: how many the server keeps, and whether
#                  another address is still served meanwhile.
#
#   src/bench/drills.sh            # DURATION=10s WARMUP=20s
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
source src/bench/lib.sh

build
start_server 3000 drill "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
TOKEN=$(curl -fs -H 'Content-Type: application/json' -H 'X-Forwarded-For: 10.255.0.1' \
  -d '{"email":"retailer@demo.aqad.local","password":"demo-password"}' "$API/auth/login" \
  | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p')
[ -n "$TOKEN" ] || { echo "could not sign in"; exit 1; }
PG_PORT=$(sed -nE 's/.*PostgreSQL for this JVM at [^:]+:([0-9]+).*/\1/p' "$OUT/drill.log" | head -1)
REDIS_PORT=$(redis_port_of drill)
pg_pids() { # the postmaster of this server's PostgreSQL and all its backends
  local postmaster
  postmaster=$(pgrep -f "postgres.*-p $PG_PORT" | head -1)
  echo "$postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
}
timed() { # label curl-args...: status and seconds of one request
  local label=$1
  shift
  curl -s -o /dev/null -m 30 -w "$label status=%{http_code} seconds=%{time_total}\n" "$@" || true
}

echo "== postgres-hung (PostgreSQL on port $PG_PORT frozen)"
timed "me (healthy)" -H "Authorization: Bearer $TOKEN" "$API/me"
timed "cached product (healthy)" -H 'X-Forwarded-For: 10.255.0.4' "$API/products/$PRODUCT_ID"
PIDS=$(pg_pids)
kill -STOP $PIDS
timed "me (frozen)" -H "Authorization: Bearer $TOKEN" "$API/me"
timed "uncached list (frozen)" -H 'X-Forwarded-For: 10.255.0.3' "$API/products?q=drill$RANDOM"
timed "cached product (frozen)" -H 'X-Forwarded-For: 10.255.0.4' "$API/products/$PRODUCT_ID"
kill -CONT $PIDS
START=$(date +%s.%N)
until curl -fs -o /dev/null -m 5 -H "Authorization: Bearer $TOKEN" "$API/me"; do sleep 0.05; done
echo "me answers 200 again $(echo "$(date +%s.%N) - $START" | bc) s after SIGCONT"

echo "== redis-hung (Redis on port $REDIS_PORT)"
export ADDRESSES=4096
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/forwarded-product.lua "$API/products/$PRODUCT_ID" > /dev/null
run_wrk redis-healthy "$API/products/$PRODUCT_ID" src/bench/forwarded-product.lua
REDIS_PID=$(pgrep -f "redis-server.*:$REDIS_PORT" | head -1)
kill -STOP "$REDIS_PID"
run_wrk redis-frozen "$API/products/$PRODUCT_ID" src/bench/forwarded-product.lua
timed "me (Redis frozen)" -H "Authorization: Bearer $TOKEN" "$API/me"
kill -CONT "$REDIS_PID"
START=$(date +%s.%N)
KEY_CLIENT=10.254.0.1
until curl -fs -o /dev/null -D - -H "X-Forwarded-For: $KEY_CLIENT" "$API/products/$PRODUCT_ID" \
    | grep -q '"catalog.burst";r=19[0-9]'; do
  sleep 0.05
done
echo "limits counted in Redis again $(echo "$(date +%s.%N) - $START" | bc) s after SIGCONT"
until curl -fs -o /dev/null -m 5 -H "Authorization: Bearer $TOKEN" "$API/me"; do sleep 0.05; done
echo "me answers 200 again $(echo "$(date +%s.%N) - $START" | bc) s after SIGCONT"

echo "== one-client (3,000 connections from 127.0.0.1)"
python3 - "$PORT" <<'EOF'
import socket, sys, time, urllib.request
port = int(sys.argv[1])
held = []
for _ in range(3000):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.connect(("127.0.0.1", port))
        held.append(s)
    except OSError:
        s.close()
time.sleep(1)
open_now = 0
for s in held:
    s.setblocking(False)
    try:
        data = s.recv(1)
        if data:
            open_now += 1
    except BlockingIOError:
        open_now += 1  # nothing to read and not closed: still open
    except OSError:
        pass
print(f"one address: {len(held)} connects accepted by the kernel, {open_now} still open after 1 s")
other = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0))
other.sendall(b"GET /api/v1/categories HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
print("another address meanwhile:", other.recv(64).split(b"\r\n")[0].decode())
for s in held:
    s.close()
EOF
