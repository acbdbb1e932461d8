#!/usr/bin/env bash
# Catalog benchmark (issue: foundation). In one run, on this machine:
#   1. a static nginx response (two workers) and the framework floor (src/bench/floor) as baselines,
#   2. a cached GET /api/v1/products/{id},
#   3. the first page of GET /api/v1/products?categoryId=... (cached, rotating over every category),
#   4. the same first pages with a distinct minPrice each time, so every request reaches PostgreSQL,
# each with wrk at 64 connections, RUNS times; prints each run and the medians with ratios to nginx
# and to the floor.
# The server runs on the embedded PostgreSQL and Redis with PRODUCTS demo products (default 1,000,000).
#
#   src/bench/catalog.sh            # RUNS=3 DURATION=15s WARMUP=30s PRODUCTS=1000000 CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
PRODUCTS=${PRODUCTS:-1000000}

build
# every request comes from 127.0.0.1: rate limits (measured by ratelimit.sh) would refuse most
start_server "$PRODUCTS" server "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.enabled=false
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)
curl -fs "$API/categories" | grep -oE '"id":"[^"]+"' | cut -d'"' -f4 > "$OUT/categories.txt"
start_nginx "$PRODUCT_ID"
start_floor "$PRODUCT_ID"
FLOOR="http://localhost:$FLOOR_PORT/api/v1/products/$PRODUCT_ID"

echo "== warming up (the JIT needs a minute or more on two cores)"
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$FLOOR" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$API/products/$PRODUCT_ID" > /dev/null
CATEGORIES_FILE="$OUT/categories.txt" wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/first-page.lua "$API/products" > /dev/null
CATEGORIES_FILE="$OUT/categories.txt" UNCACHED=1 wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" -s src/bench/first-page.lua "$API/products" > /dev/null

: > "$OUT/results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  {
    run_wrk "nginx-$run" "http://127.0.0.1:18090/product.json"
    run_wrk "floor-$run" "$FLOOR"
    run_wrk "product-$run" "$API/products/$PRODUCT_ID"
    CATEGORIES_FILE="$OUT/categories.txt" run_wrk "first-page-$run" "$API/products" src/bench/first-page.lua
    CATEGORIES_FILE="$OUT/categories.txt" UNCACHED=1 run_wrk "first-page-uncached-$run" "$API/products" src/bench/first-page.lua
  } | tee -a "$OUT/results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections, $DURATION each)"
medians "$OUT/results.txt" nginx
medians "$OUT/results.txt" floor
