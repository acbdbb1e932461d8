#!/usr/bin/env bash
# Rate-limit benchmark (issue: rate limiting). Two servers run side by side, each with its
# own PostgreSQL and Redis: "off" with aqad.ratelimit.enabled=false, "on" with the default
# policies and 127.0.0.1 as a trusted proxy. wrk sends a cached GET /api/v1/products/{id}
# from ADDRESSES distinct X-Forwarded-For clients (few enough requests each that none is
# refused), alternating off and on, RUNS times. Then:
#   - Redis commands per request on "on", from Redis INFO commandstats around one run,
#   - "on" again with its Redis killed (limits fall back to per-instance buckets), RUNS times.
# Prints medians: throughput of "on" as a share of "off", p99 with Redis down against up.
#
#   src/bench/ratelimit.sh          # RUNS=3 DURATION=15s WARMUP=60s CONNECTIONS=64 PRODUCTS=1000
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-60s}  # per server: the limiter's code paths need C2 before they are measured
source src/bench/lib.sh
PRODUCTS=${PRODUCTS:-1000}
ON_PORT=18082

build
start_server "$PRODUCTS" off "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.enabled=false
start_server "$PRODUCTS" on "$ON_PORT" 18083 --aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128
OFF="http://localhost:$PORT/api/v1"
ON="http://localhost:$ON_PORT/api/v1"
PRODUCT_ID=$(curl -fs "$OFF/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
ON_PRODUCT_ID=$(curl -fs "$ON/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
echo "== a limited answer carries:"
curl -fsi "$ON/products/$ON_PRODUCT_ID" | grep -i '^ratelimit'

echo "== warming up both (the JIT needs a minute or more on two cores)"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/forwarded-product.lua "$OFF/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/forwarded-product.lua "$ON/products/$ON_PRODUCT_ID" > /dev/null

: > "$OUT/results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "limits-off-$run" "$OFF/products/$PRODUCT_ID" src/bench/forwarded-product.lua
    run_wrk "limits-on-$run" "$ON/products/$ON_PRODUCT_ID" src/bench/forwarded-product.lua
  } | tee -a "$OUT/results.txt"
done

commands_per_request() { # server url: Redis INFO commandstats around one run (commands a script
  # runs inside Redis are counted too, under their own names: GET, SET, TIME)
  local port
  port=$(redis_port_of "$1")
  python3 src/bench/redis-commandstats.py "$port" > "$OUT/commandstats-before.txt"
  run_wrk "commands-$1" "$2" src/bench/forwarded-product.lua > /dev/null
  python3 src/bench/redis-commandstats.py "$port" > "$OUT/commandstats-after.txt"
  python3 - "$OUT/commandstats-before.txt" "$OUT/commandstats-after.txt" \
    "$(awk '/requests in/ {print $1}' "$OUT/commands-$1.txt")" "$1" <<'PY'
import sys
before = dict(line.split() for line in open(sys.argv[1]))
after = dict(line.split() for line in open(sys.argv[2]))
requests = int(sys.argv[3])
print(f"limits {sys.argv[4]}: {requests} requests")
for name in sorted(after):
    calls = int(after[name]) - int(before.get(name, 0))
    if calls and name != "info":
        print(f"  {name:10s} {calls:9d} calls  {calls / requests:6.3f} per request")
PY
}
echo "== Redis commands per request"
commands_per_request off "$OFF/products/$PRODUCT_ID"
commands_per_request on "$ON/products/$ON_PRODUCT_ID"
REDIS_PORT=$(redis_port_of on)

echo "== killing the Redis of 'on'; its limits fall back to per-instance buckets"
REDIS_PID=$(ss -ltnpH "sport = :$REDIS_PORT" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)
kill -9 "$REDIS_PID"
sleep 2
curl -fsi "$ON/products/$ON_PRODUCT_ID" | grep -i '^ratelimit\|^HTTP'
for run in $(seq "$RUNS"); do
  run_wrk "limits-on-redis-down-$run" "$ON/products/$ON_PRODUCT_ID" src/bench/forwarded-product.lua | tee -a "$OUT/results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each)"
medians "$OUT/results.txt" limits-off
