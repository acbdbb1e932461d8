#!/usr/bin/env bash
# Catalog benchmark (issue: foundation). In one run, on this machine:
#   1. a static nginx response (two workers) as the baseline,
#   2. a cached GET /api/v1/products/{id},
#   3. the first page of GET /api/v1/products?categoryId=... (cached, rotating over every category),
#   4. the same first pages with a distinct minPrice each time, so every request reaches PostgreSQL,
# each with wrk at 64 connections, RUNS times; prints each run and the medians with ratios to nginx.
# The server runs on the embedded PostgreSQL and Redis with PRODUCTS demo products (default 1,000,000).
#
#   src/bench/catalog.sh            # RUNS=3 DURATION=15s WARMUP=30s PRODUCTS=1000000 CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-15s}
PRODUCTS=${PRODUCTS:-1000000}
CONNECTIONS=${CONNECTIONS:-64}
WARMUP=${WARMUP:-30s}
SERVER_ARGS=${SERVER_ARGS:-}   # extra Spring arguments for the server, for A/B runs
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
OUT=target/bench
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need nginx nginx
if [ -z "${JAVA_HOME:-}" ]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi

echo "== building"
./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench/classpath.txt

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -f /tmp/aqad-bench-nginx.pid ] && kill "$(cat /tmp/aqad-bench-nginx.pid)" 2>/dev/null || true
}
trap cleanup EXIT

echo "== starting the server with $PRODUCTS demo products"
"$JAVA_HOME/bin/java" -Xms2g -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)" \
  com.aqad.marketplace.LocalMarketplaceApplication --server.port="$PORT" \
  --management.server.port="$MANAGEMENT_PORT" --aqad.demo.products="$PRODUCTS" \
  --logging.level.root=WARN --logging.level.com.aqad=INFO $SERVER_ARGS > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 600); do
  curl -fs "localhost:$MANAGEMENT_PORT/actuator/health/readiness" 2>/dev/null | grep -q UP && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -50 "$OUT/server.log"; exit 1; }
  sleep 1
done
grep -E "Seeded|ready" "$OUT/server.log" || true

API="http://localhost:$PORT/api/v1"
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
curl -fs "$API/categories" | grep -oE '"id":"[^"]+"' | cut -d'"' -f4 > "$OUT/categories.txt"
mkdir -p /tmp/aqad-bench-static
curl -fs "$API/products/$PRODUCT_ID" > /tmp/aqad-bench-static/product.json
nginx -c "$PWD/src/bench/nginx.conf" &
sleep 1

run_wrk() { # name url [lua]
  local script=()
  [ -n "${3:-}" ] && script=(-s "$3")
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$2" > "$OUT/$1.txt" 2>&1
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$1.txt")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/$1.txt")
  echo "$1 rps=$rps p99=$p99 non2xx=${non2xx:-0}"
}

echo "== warming up (the JIT needs a minute or more on two cores)"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$API/products/$PRODUCT_ID" > /dev/null
CATEGORIES_FILE="$OUT/categories.txt" wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/first-page.lua "$API/products" > /dev/null
CATEGORIES_FILE="$OUT/categories.txt" UNCACHED=1 wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/first-page.lua "$API/products" > /dev/null

: > "$OUT/results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "nginx-$run" "http://127.0.0.1:18090/product.json"
    run_wrk "product-$run" "$API/products/$PRODUCT_ID"
    CATEGORIES_FILE="$OUT/categories.txt" run_wrk "first-page-$run" "$API/products" src/bench/first-page.lua
    CATEGORIES_FILE="$OUT/categories.txt" UNCACHED=1 run_wrk "first-page-uncached-$run" "$API/products" src/bench/first-page.lua
  } | tee -a "$OUT/results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each)"
python3 - "$OUT/results.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+)-\d+ rps=(\S+) p99=(\S+) non2xx=(\S+)', line)
    if not m:
        continue
    name, rps, p99, bad = m.groups()
    unit = re.match(r'([\d.]+)(us|ms|s)', p99)
    ms = float(unit.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[unit.group(2)]
    rows.setdefault(name, []).append((float(rps), ms, int(bad)))
base = statistics.median(r[0] for r in rows['nginx'])
for name, values in rows.items():
    rps = statistics.median(v[0] for v in values)
    p99 = statistics.median(v[1] for v in values)
    bad = sum(v[2] for v in values)
    print(f"{name:22s} {rps:10.0f} req/s  p99 {p99:7.2f} ms  {100 * rps / base:5.1f}% of nginx  non-2xx {bad}")
PY
