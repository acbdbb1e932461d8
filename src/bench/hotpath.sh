#!/usr/bin/env bash
# Hot-path benchmark (issue: the hot path). In one run, on this machine, against the same baselines:
#   nginx        a static file with a real product's JSON (two workers),
#   floor        a bare Spring Boot WebFlux app answering GET /api/v1/products/{id} with those bytes
#                (src/bench/floor: same Boot, Netty and JVM flags as the product),
#   floor-script the floor driven by the anonymous read's own wrk script (a Lua X-Forwarded-For per
#                request: wrk's work per request shares the two cores),
#   anonymous    cached GET /api/v1/products/{id} without credentials, default limits enforced in
#                Redis (65,536 X-Forwarded-For clients behind a trusted proxy: none is refused),
#   bearer       the same with a bearer token (its account policy in shadow mode: counted in Redis,
#                never refused, so one account can be measured at full speed),
#   limits-off   the anonymous read (same wrk script) on a second server with
#                aqad.ratelimit.enabled=false,
#   first-page   cached first pages of a category, rotating over every category (limits on),
# RUNS times, alternating; then the CPU time per request of each process (server, its Redis, wrk) for
# the anonymous read. Prints medians and ratios to the floor.
#
#   src/bench/hotpath.sh           # RUNS=3 DURATION=10s WARMUP=40s PRODUCTS=3000 CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-40s}
source src/bench/lib.sh
PRODUCTS=${PRODUCTS:-3000}
OFF_PORT=18082
export ADDRESSES=${ADDRESSES:-65536}

build
start_server "$PRODUCTS" server "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128 \
  --aqad.ratelimit.policies.account.shadow=true --aqad.identity.access-token-ttl=2h
start_server "$PRODUCTS" off "$OFF_PORT" 18083 --aqad.ratelimit.enabled=false
OFF="http://localhost:$OFF_PORT/api/v1"
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
OFF_PRODUCT_ID=$(curl -fs "$OFF/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
curl -fs "$API/categories" | grep -oE '"id":"[^"]+"' | cut -d'"' -f4 > "$OUT/categories.txt"
TOKEN=$(curl -fs -H 'Content-Type: application/json' -H 'X-Forwarded-For: 10.255.0.1' \
  -d '{"email":"retailer@demo.aqad.local","password":"demo-password"}' "$API/auth/login" \
  | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p')
[ -n "$TOKEN" ] || { echo "could not sign in"; exit 1; }
start_nginx "$PRODUCT_ID"
start_floor "$PRODUCT_ID"
FLOOR="http://localhost:$FLOOR_PORT/api/v1/products/$PRODUCT_ID"
echo "== an anonymous answer:"
curl -fsi -H 'X-Forwarded-For: 10.255.0.2' "$API/products/$PRODUCT_ID" | tr -d '\r' | sed '/^$/q'

echo "== warming up (the JIT needs a minute or more on two cores)"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$FLOOR" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/forwarded-product.lua "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $TOKEN" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$OFF/products/$OFF_PRODUCT_ID" > /dev/null
CATEGORIES_FILE="$OUT/categories.txt" wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/first-page.lua "$API/products" > /dev/null

: > "$OUT/hotpath-results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "nginx-$run" "http://127.0.0.1:18090/product.json"
    run_wrk "floor-$run" "$FLOOR"
    # the floor with the anonymous read's own client (a Lua script making each request's
    # X-Forwarded-For): wrk's work per request runs on the same two cores
    run_wrk "floor-script-$run" "$FLOOR" src/bench/forwarded-product.lua
    run_wrk "anonymous-$run" "$API/products/$PRODUCT_ID" src/bench/forwarded-product.lua
    run_wrk "bearer-$run" "$API/products/$PRODUCT_ID" "" -H "Authorization: Bearer $TOKEN"
    run_wrk "limits-off-$run" "$OFF/products/$OFF_PRODUCT_ID" src/bench/forwarded-product.lua
    CATEGORIES_FILE="$OUT/categories.txt" run_wrk "first-page-$run" "$API/products" src/bench/first-page.lua
  } | tee -a "$OUT/hotpath-results.txt"
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in 1/100 s
pid_on() { ss -ltnpH "sport = :$1" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1; }
ON_PID=$(pid_on "$PORT"); FLOOR_PID=$(pid_on "$FLOOR_PORT"); REDIS_PID=$(pid_on "$(redis_port_of server)")
jvm0=$(cpu_ticks "$ON_PID"); redis0=$(cpu_ticks "$REDIS_PID"); t0=$(awk '{print $1}' /proc/uptime)
TIMEFORMAT='%U %S' # bash's time: wrk's own user and system seconds
{ time wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s src/bench/forwarded-product.lua "$API/products/$PRODUCT_ID" > "$OUT/cpu.txt"; } 2> "$OUT/cpu-wrk.txt"
jvm1=$(cpu_ticks "$ON_PID"); redis1=$(cpu_ticks "$REDIS_PID")
floor0=$(cpu_ticks "$FLOOR_PID")
{ time wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$FLOOR" > "$OUT/cpu-floor.txt"; } 2> "$OUT/cpu-floor-wrk.txt"
floor1=$(cpu_ticks "$FLOOR_PID")
n=$(awk '/requests in/ {print $1}' "$OUT/cpu.txt"); nf=$(awk '/requests in/ {print $1}' "$OUT/cpu-floor.txt")
wrk_us() { awk -v n="$2" '{printf "%d", ($1 + $2) * 1000000 / n}' "$1"; }
echo "== CPU per request (µs): anonymous read: server $(( (jvm1 - jvm0) * 10000000 / n / 1000 )), its Redis $(( (redis1 - redis0) * 10000000 / n / 1000 )), wrk with its script $(wrk_us "$OUT/cpu-wrk.txt" "$n"); floor: $(( (floor1 - floor0) * 10000000 / nf / 1000 )), wrk $(wrk_us "$OUT/cpu-floor-wrk.txt" "$nf")"

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each)"
medians "$OUT/hotpath-results.txt" floor
python3 - "$OUT/hotpath-results.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+)-\d+ rps=(\S+) ', line)
    if m: rows.setdefault(m.group(1), []).append(float(m.group(2)))
med = {k: statistics.median(v) for k, v in rows.items()}
print(f"targets: anonymous/floor {100*med['anonymous']/med['floor']:.1f} % (>= 40), bearer/anonymous "
      f"{100*med['bearer']/med['anonymous']:.1f} % (>= 95), limits on/off {100*med['anonymous']/med['limits-off']:.1f} % (>= 90), "
      f"first-page/floor {100*med['first-page']/med['floor']:.1f} % (>= 25)")
# the same ratios taken within each run, then their median: robust to the machine's speed
# drifting between runs (each run measures all variants within about a minute)
def paired(a, b):
    return statistics.median(x / y for x, y in zip(rows[a], rows[b]))
print(f"with the same client as the anonymous read: anonymous/floor {100*med['anonymous']/med['floor-script']:.1f} % "
      f"(per-run median {100*paired('anonymous', 'floor-script'):.1f} %)")
print(f"per-run ratios, median: anonymous/floor {100*paired('anonymous', 'floor'):.1f} %, bearer/anonymous "
      f"{100*paired('bearer', 'anonymous'):.1f} %, limits on/off {100*paired('anonymous', 'limits-off'):.1f} %, "
      f"first-page/floor {100*paired('first-page', 'floor'):.1f} %")
PY
