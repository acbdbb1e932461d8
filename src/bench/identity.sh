#!/usr/bin/env bash
# Identity benchmark (issue: identity and access). In one run, on this machine:
#   1. a static nginx response and the framework floor (src/bench/floor), for scale,
#   2. a cached GET /api/v1/products/{id} without credentials (the baseline of the target),
#   3. the same request with a bearer token (target: >= 85 % of 2),
#   4. the same request with an API key (checked against PostgreSQL on every request),
#   5. logins (Argon2id, within the per-instance hashing budget; successful logins per second),
#   6. 2 again while a login flood (LOGIN_CONNECTIONS connections) runs alongside, and
#   7. 2 again while as many connections post invalid logins (the same path minus the hash),
# RUNS times; prints each run and the medians with ratios to the anonymous read and to the floor.
#
#   src/bench/identity.sh           # RUNS=3 DURATION=15s WARMUP=30s PRODUCTS=3000 LOGIN_CONNECTIONS=16
#   SCENARIOS=reads SERVER_ARGS=--aqad.identity.sessions.liveness-ttl=0s src/bench/identity.sh
#                                   # A/B: a Redis session check on every request
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
PRODUCTS=${PRODUCTS:-3000}
LOGIN_CONNECTIONS=${LOGIN_CONNECTIONS:-16}
SCENARIOS=${SCENARIOS:-all}   # all, or reads (anonymous and bearer only, for A/B runs)
# the production hashing budget (the local run raises it for tests)
SERVER_ARGS="--aqad.identity.access-token-ttl=2h --aqad.identity.passwords.max-per-second=${HASHES_PER_SECOND:-10} $SERVER_ARGS"

build
# every request comes from 127.0.0.1: rate limits (measured by ratelimit.sh) would refuse most
start_server "$PRODUCTS" server "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.enabled=false
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
start_nginx "$PRODUCT_ID"
start_floor "$PRODUCT_ID"
FLOOR="http://localhost:$FLOOR_PORT/api/v1/products/$PRODUCT_ID"

login() { # email -> access token
  curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"demo-password\"}" \
    "$API/auth/login" | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p'
}
TOKEN=$(login retailer@demo.aqad.local)
API_KEY=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["catalog:read"]}' "$API/api-keys" | sed -nE 's/.*"key":"([^"]+)".*/\1/p')
[ -n "$TOKEN" ] && [ -n "$API_KEY" ] || { echo "could not sign in"; exit 1; }
export LOGIN_EMAIL=delivery@demo.aqad.local LOGIN_PASSWORD=demo-password

echo "== warming up (the JIT needs a minute or more on two cores)"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$FLOOR" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $TOKEN" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d10s -H "X-API-Key: $API_KEY" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$LOGIN_CONNECTIONS" -d10s -s src/bench/login.lua "$API/auth/login" > /dev/null

flood() { # name lua: LOGIN_CONNECTIONS connections posting to /auth/login while the anonymous read runs
  wrk -t1 -c"$LOGIN_CONNECTIONS" -d"$DURATION" --latency -s "$2" "$API/auth/login" > "$OUT/$1.txt" 2>&1 &
  BACKGROUND_PID=$!
  run_wrk "anonymous-under-$1" "$API/products/$PRODUCT_ID"
  wait "$BACKGROUND_PID" || true
  echo "$1 rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.txt") p99=$(awk '$1=="99%" {print $2}' "$OUT/$1.txt") non2xx=0"
  ok_rate "$1" | sed 's/^\([a-z-]*\)-\([0-9]*\) /\1-ok-\2 /'
}
ok_rate() { # name: the 2xx answers per second of a wrk run (logins refused with 503 do not count)
  python3 - "$OUT/$1.txt" "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r'(\d+) requests in ([\d.]+)(ms|s|m)', text)
n, t, unit = int(m.group(1)), float(m.group(2)), m.group(3)
t = t / 1000 if unit == 'ms' else t * 60 if unit == 'm' else t
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', text)
bad = int(bad.group(1)) if bad else 0
p99 = re.search(r'\s99%\s+(\S+)', text)
print(f"{sys.argv[2]} rps={(n - bad) / t:.2f} p99={p99.group(1) if p99 else '0ms'} non2xx=0")
PY
}

: > "$OUT/identity-results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "nginx-$run" "http://127.0.0.1:18090/product.json"
    run_wrk "floor-$run" "$FLOOR"
    run_wrk "anonymous-$run" "$API/products/$PRODUCT_ID"
    run_wrk "bearer-$run" "$API/products/$PRODUCT_ID" "" -H "Authorization: Bearer $TOKEN"
    if [ "$SCENARIOS" = all ]; then
      run_wrk "api-key-$run" "$API/products/$PRODUCT_ID" "" -H "X-API-Key: $API_KEY"
      CONNECTIONS=$LOGIN_CONNECTIONS run_wrk "login-$run" "$API/auth/login" src/bench/login.lua > /dev/null
      ok_rate "login-$run" | sed 's/^login-/login-ok-/'
      flood "login-flood-$run" src/bench/login.lua
      flood "invalid-login-flood-$run" src/bench/bad-login.lua
    fi
  } | tee -a "$OUT/identity-results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each; logins on $LOGIN_CONNECTIONS)"
medians "$OUT/identity-results.txt" anonymous
medians "$OUT/identity-results.txt" floor
