#!/usr/bin/env bash
# A/B probe of one server variant (issue: the hot path): starts the server as hotpath.sh does
# (3,000 products, limits in Redis, a trusted proxy, the account policy in shadow mode), warms it,
# then two 10 s wrk runs at 64 connections of the cached product read, each with the server's CPU
# per request from /proc. Extra arguments go to the server (Spring properties). Run it for each
# variant in turn, alternating, from the same build; the machine's spread is ±10 %.
#
#   src/bench/probe.sh                                                   # anonymous read
#   MODE=bearer src/bench/probe.sh                                       # with a bearer token
#   MODE=first-page src/bench/probe.sh                                   # cached first pages
#   src/bench/probe.sh --spring.reactor.context-propagation=limited      # a variant
#   JFR=target/bench/probe.jfr src/bench/probe.sh                        # and a 15 s JFR profile
#   JFC=/path/to/settings.jfc JFR=... src/bench/probe.sh                 # other JFR settings (finer sampling)
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
WARM=${WARM:-40s}
MODE=${MODE:-anonymous}
[ -f target/bench/classpath.txt ] || build
start_server 3000 probe "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128 \
  --aqad.ratelimit.policies.account.shadow=true --aqad.identity.access-token-ttl=2h "$@"
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
URL="$API/products/$PRODUCT_ID"
ARGS=(-s src/bench/forwarded-product.lua)
if [ "$MODE" = bearer ]; then
  TOKEN=$(curl -fs -H 'Content-Type: application/json' -H 'X-Forwarded-For: 10.255.0.1' \
    -d '{"email":"retailer@demo.aqad.local","password":"demo-password"}' "$API/auth/login" \
    | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p')
  ARGS=(-H "Authorization: Bearer $TOKEN")
elif [ "$MODE" = first-page ]; then
  curl -fs "$API/categories" | grep -oE '"id":"[^"]+"' | cut -d'"' -f4 > "$OUT/categories.txt"
  export CATEGORIES_FILE="$OUT/categories.txt" ADDRESSES=${ADDRESSES:-65536}
  URL="$API/products"
  ARGS=(-s src/bench/first-page.lua)
fi
wrk -t2 -c"$CONNECTIONS" -d"$WARM" "${ARGS[@]}" "$URL" > /dev/null
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
for run in 1 2; do
  before=$(cpu_ticks "$SERVER_PID")
  wrk -t2 -c"$CONNECTIONS" -d10s --latency "${ARGS[@]}" "$URL" > "$OUT/probe.txt"
  after=$(cpu_ticks "$SERVER_PID")
  n=$(awk '/requests in/ {print $1}' "$OUT/probe.txt")
  echo "$MODE $* rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/probe.txt") p99=$(awk '$1=="99%" {print $2}' "$OUT/probe.txt") server_us=$(( (after - before) * 10000 / n )) non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/probe.txt")"
done
if [ -n "${JFR:-}" ]; then
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.start name=probe settings="${JFC:-profile}" filename="$PWD/$JFR" > /dev/null
  wrk -t2 -c"$CONNECTIONS" -d15s "${ARGS[@]}" "$URL" > /dev/null
  "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.stop name=probe > /dev/null
  echo "profile: $JFR"
fi
