#!/usr/bin/env bash
# A/B of two builds of the server, interleaved so that the shared machine's drift hits both alike
# (issue: the hot path). Starts a server from each checkout (each with its own PostgreSQL and Redis,
# 3,000 products, limits in Redis, a trusted proxy, the account policy in shadow mode, as hotpath.sh),
# warms both, then ROUNDS rounds of one 10 s wrk run on A and one on B, each with the server's CPU per
# request from /proc. Prints every run, the medians and B against A. Build each checkout first
# (`src/bench/probe.sh` once, or the `build` step of lib.sh).
#
#   src/bench/ab.sh /tmp/before /tmp/after                  # anonymous cached product read
#   MODE=bearer ROUNDS=6 src/bench/ab.sh /tmp/before /tmp/after
#   MODE=first-page src/bench/ab.sh /tmp/before /tmp/after
#   B_ARGS="--aqad.ratelimit.scripts-in-flight=1" src/bench/ab.sh . .   # one build, two settings
#   B_JVM="-XX:+UseG1GC" src/bench/ab.sh . .    # two JVM settings: B's flags replace the collector
#                                              # of JVM_FLAGS (lib.sh), keeping its heap size
set -euo pipefail
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd)
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
WARM=${WARM:-40s}
MODE=${MODE:-anonymous}
ROUNDS=${ROUNDS:-4}
PROPS=(--aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128 --aqad.ratelimit.policies.account.shadow=true
  --aqad.identity.access-token-ttl=2h)
declare -A PID URL TOKEN
start() { # name checkout port management [extra server arguments]
  local extra=${5:-}
  local jvm_var="$1_JVM"
  # a side's own JVM flags replace the collector (two collectors keep a JVM from starting)
  local flags=${!jvm_var:+-Xms2g -Xmx2g ${!jvm_var}}
  (cd "$2" && JVM_FLAGS=${flags:-$JVM_FLAGS} && OUT=target/bench \
    && start_server 3000 "ab-$1" "$3" "$4" "${PROPS[@]}" $extra) > "$OUT/ab-$1.start" 2>&1
  PID[$1]=$(ss -ltnpH "sport = :$3" | sed -nE 's/.*pid=([0-9]+).*/\1/p' | head -1)
  SERVER_PIDS="${SERVER_PIDS:-} ${PID[$1]}"
  local api="http://localhost:$3/api/v1"
  if [ "$MODE" = first-page ]; then
    curl -fs "$api/categories" | grep -oE '"id":"[^"]+"' | cut -d'"' -f4 > "$OUT/categories-$1.txt"
    URL[$1]="$api/products"
  else
    URL[$1]="$api/products/$(curl -fs "$api/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)"
    if [ "$MODE" = bearer ]; then
      TOKEN[$1]=$(curl -fs -H 'Content-Type: application/json' -H 'X-Forwarded-For: 10.255.0.1' \
        -d '{"email":"retailer@demo.aqad.local","password":"demo-password"}' "$api/auth/login" \
        | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p')
    fi
  fi
}
wrk_on() { # name duration
  local args=(-s src/bench/forwarded-product.lua)
  [ "$MODE" = first-page ] && args=(-s src/bench/first-page.lua)
  [ "$MODE" = bearer ] && args=(-H "Authorization: Bearer ${TOKEN[$1]}")
  CATEGORIES_FILE="$OUT/categories-$1.txt" ADDRESSES=65536 \
    wrk -t2 -c"$CONNECTIONS" -d"$2" --latency "${args[@]}" "${URL[$1]}"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
start A "$A" 18080 18081 "${A_ARGS:-}"
start B "$B" 18180 18181 "${B_ARGS:-}"
echo "== warming both ($WARM each, $MODE)"
wrk_on A "$WARM" > /dev/null; wrk_on B "$WARM" > /dev/null
: > "$OUT/ab-results.txt"
for round in $(seq "$ROUNDS"); do
  for side in A B; do
    before=$(cpu_ticks "${PID[$side]}")
    wrk_on "$side" 10s > "$OUT/ab-run.txt"
    after=$(cpu_ticks "${PID[$side]}")
    n=$(awk '/requests in/ {print $1}' "$OUT/ab-run.txt")
    echo "$side rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/ab-run.txt") p99=$(awk '$1=="99%" {print $2}' "$OUT/ab-run.txt") server_us=$(( (after - before) * 10000 / n ))" \
      | tee -a "$OUT/ab-results.txt"
  done
done
python3 - "$OUT/ab-results.txt" <<'PY'
import re, statistics, sys
runs = {'A': [], 'B': []}
for line in open(sys.argv[1]):
    m = re.match(r'(A|B) rps=(\S+) p99=\S+ server_us=(\d+)', line)
    if m: runs[m[1]].append((float(m[2]), int(m[3])))
med = {k: (statistics.median(r for r, _ in v), statistics.median(u for _, u in v)) for k, v in runs.items()}
for k in 'AB': print(f"{k}: median {med[k][0]:,.0f} req/s, {med[k][1]} us of server CPU per request")
print(f"B/A: {100 * med['B'][0] / med['A'][0]:.1f} % of the requests per second, {100 * med['B'][1] / med['A'][1]:.1f} % of the CPU per request")
PY
