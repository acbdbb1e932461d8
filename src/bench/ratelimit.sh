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
#   src/bench/ratelimit.sh          # RUNS=3 DURATION=15s WARMUP=30s CONNECTIONS=64 PRODUCTS=1000
set -euo pipefail
cd "$(dirname "$0")/../.."
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

REDIS_PORT=$(redis_port_of on)
echo "== Redis commands per request with limits on (Redis at port $REDIS_PORT)"
python3 src/bench/redis-commandstats.py "$REDIS_PORT" > "$OUT/commandstats-before.txt"
run_wrk "commands" "$ON/products/$ON_PRODUCT_ID" src/bench/forwarded-product.lua > /dev/null
python3 src/bench/redis-commandstats.py "$REDIS_PORT" > "$OUT/commandstats-after.txt"
REQUESTS=$(awk '/requests in/ {print $1}' "$OUT/commands.txt")
python3 - "$OUT/commandstats-before.txt" "$OUT/commandstats-after.txt" "$REQUESTS" <<'PY'
import sys
before = dict(line.split() for line in open(sys.argv[1]))
after = dict(line.split() for line in open(sys.argv[2]))
requests = int(sys.argv[3])
print(f"{requests} requests")
for name in sorted(after):
    calls = int(after[name]) - int(before.get(name, 0))
    if calls:
        print(f"  {name:10s} {calls:9d} calls  {calls / requests:6.3f} per request")
PY

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
