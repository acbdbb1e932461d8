#!/usr/bin/env bash
# Identity benchmark (issue: identity and access). In one run, on this machine:
#   1. a static nginx response, for scale,
#   2. a cached GET /api/v1/products/{id} without credentials (the baseline of the target),
#   3. the same request with a bearer token (target: >= 85 % of 2),
#   4. the same request with an API key (checked against PostgreSQL on every request),
#   5. logins (Argon2id; bounded by the hash by design),
#   6. 2 again while a login flood (LOGIN_CONNECTIONS connections) runs alongside,
# RUNS times; prints each run and the medians with ratios to the anonymous read.
#
#   src/bench/identity.sh           # RUNS=3 DURATION=15s WARMUP=30s PRODUCTS=3000 LOGIN_CONNECTIONS=16
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
PRODUCTS=${PRODUCTS:-3000}
LOGIN_CONNECTIONS=${LOGIN_CONNECTIONS:-16}
# the production hashing budget (the local run raises it for tests)
SERVER_ARGS="--aqad.identity.access-token-ttl=2h --aqad.identity.passwords.max-per-second=${HASHES_PER_SECOND:-10} $SERVER_ARGS"

build
start_server "$PRODUCTS"
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
start_nginx "$PRODUCT_ID"

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
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $TOKEN" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d10s -H "X-API-Key: $API_KEY" "$API/products/$PRODUCT_ID" > /dev/null
wrk -t2 -c"$LOGIN_CONNECTIONS" -d10s -s src/bench/login.lua "$API/auth/login" > /dev/null

: > "$OUT/identity-results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "nginx-$run" "http://127.0.0.1:18090/product.json"
    run_wrk "anonymous-$run" "$API/products/$PRODUCT_ID"
    run_wrk "bearer-$run" "$API/products/$PRODUCT_ID" "" -H "Authorization: Bearer $TOKEN"
    run_wrk "api-key-$run" "$API/products/$PRODUCT_ID" "" -H "X-API-Key: $API_KEY"
    CONNECTIONS=$LOGIN_CONNECTIONS run_wrk "login-$run" "$API/auth/login" src/bench/login.lua
    wrk -t1 -c"$LOGIN_CONNECTIONS" -d"$DURATION" --latency -s src/bench/login.lua "$API/auth/login" > "$OUT/flood-$run.txt" 2>&1 &
    BACKGROUND_PID=$!
    run_wrk "anonymous-under-flood-$run" "$API/products/$PRODUCT_ID"
    wait "$BACKGROUND_PID" || true
    echo "flood-$run rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/flood-$run.txt") p99=$(awk '$1=="99%" {print $2}' "$OUT/flood-$run.txt") non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/flood-$run.txt" | grep . || echo 0)"
  } | tee -a "$OUT/identity-results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each; logins on $LOGIN_CONNECTIONS)"
medians "$OUT/identity-results.txt" anonymous
