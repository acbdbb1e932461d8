#!/usr/bin/env bash
# Rate-limit benchmark (issue: rate limiting). Two servers run side by side, each with its
# own PostgreSQL and Redis (and the framework floor, src/bench/floor, as a baseline): "off" with aqad.ratelimit.enabled=false, "on" with the default
# policies and 127.0.0.1 as a trusted proxy. wrk sends a cached GET /api/v1/products/{id}
# from ADDRESSES distinct X-Forwarded-For clients (few enough requests each that none is
# refused), alternating off and on, RUNS times. Then:
#   - Redis commands per request on both, from Redis INFO commandstats around one run, and the
#     CPU time the server and its Redis spent per request,
#   - both again with their Redis killed ("on" limits with per-instance buckets; both read the
#     catalog from PostgreSQL instead of the cache), RUNS times, alternating.
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
OFF_PID=$SERVER_PID
start_server "$PRODUCTS" on "$ON_PORT" 18083 --aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128
ON_PID=$SERVER_PID
OFF="http://localhost:$PORT/api/v1"
ON="http://localhost:$ON_PORT/api/v1"
PRODUCT_ID=$(curl -fs "$OFF/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
ON_PRODUCT_ID=$(curl -fs "$ON/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
start_floor "$PRODUCT_ID"
FLOOR="http://localhost:$FLOOR_PORT/api/v1/products/$PRODUCT_ID"
echo "== a limited answer carries:"
curl -fsi "$ON/products/$ON_PRODUCT_ID" | grep -i '^ratelimit'

echo "== warming up both (the JIT needs a minute or more on two cores)"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$FLOOR" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/forwarded-product.lua "$OFF/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/forwarded-product.lua "$ON/products/$ON_PRODUCT_ID" > /dev/null

: > "$OUT/results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "floor-$run" "$FLOOR"
    run_wrk "limits-off-$run" "$OFF/products/$PRODUCT_ID" src/bench/forwarded-product.lua
    run_wrk "limits-on-$run" "$ON/products/$ON_PRODUCT_ID" src/bench/forwarded-product.lua
  } | tee -a "$OUT/results.txt"
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in 1/100 s

commands_per_request() { # server url server-pid: Redis INFO commandstats around one run (commands a
  # script runs inside Redis are counted too, under their own names: GET, SET, TIME), and the CPU
  # time the server's JVM and its Redis spent per request
  local port redis_pid jvm0 redis0 jvm1 redis1
  port=$(redis_port_of "$1")
  redis_pid=$(ss -ltnpH "sport = :$port" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)
  python3 src/bench/redis-commandstats.py "$port" > "$OUT/commandstats-before.txt"
  jvm0=$(cpu_ticks "$3"); redis0=$(cpu_ticks "$redis_pid")
  run_wrk "commands-$1" "$2" src/bench/forwarded-product.lua > /dev/null
  jvm1=$(cpu_ticks "$3"); redis1=$(cpu_ticks "$redis_pid")
  python3 src/bench/redis-commandstats.py "$port" > "$OUT/commandstats-after.txt"
  python3 - "$OUT/commandstats-before.txt" "$OUT/commandstats-after.txt" \
    "$(awk '/requests in/ {print $1}' "$OUT/commands-$1.txt")" "$1" $((jvm1 - jvm0)) $((redis1 - redis0)) <<'PY'
import sys
before = dict(line.split() for line in open(sys.argv[1]))
after = dict(line.split() for line in open(sys.argv[2]))
requests = int(sys.argv[3])
jvm, redis = (int(ticks) * 10_000 / requests for ticks in sys.argv[5:7])
print(f"limits {sys.argv[4]}: {requests} requests; CPU per request: server {jvm:.0f} us, Redis {redis:.1f} us")
for name in sorted(after):
    calls = int(after[name]) - int(before.get(name, 0))
    if calls and name != "info":
        print(f"  {name:10s} {calls:9d} calls  {calls / requests:6.3f} per request")
PY
}
echo "== Redis commands per request"
commands_per_request off "$OFF/products/$PRODUCT_ID" "$OFF_PID"
commands_per_request on "$ON/products/$ON_PRODUCT_ID" "$ON_PID"
REDIS_PORT=$(redis_port_of on)

echo "== killing both Redis servers: 'on' limits with per-instance buckets; both read the catalog from PostgreSQL"
for name in on off; do
  kill -9 "$(ss -ltnpH "sport = :$(redis_port_of $name)" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)"
done
sleep 2
curl -fsi "$ON/products/$ON_PRODUCT_ID" | grep -i '^ratelimit\|^HTTP'
for run in $(seq "$RUNS"); do
  {
    run_wrk "limits-off-redis-down-$run" "$OFF/products/$PRODUCT_ID" src/bench/forwarded-product.lua
    run_wrk "limits-on-redis-down-$run" "$ON/products/$ON_PRODUCT_ID" src/bench/forwarded-product.lua
  } | tee -a "$OUT/results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each)"
medians "$OUT/results.txt" limits-off
medians "$OUT/results.txt" floor
