#!/usr/bin/env bash
# Partner-feed benchmark (issue: partner feeds). On the embedded PostgreSQL and Redis, with
# PRODUCTS demo products (default 1,000,000), RUNS times:
#   1. one reader streams the whole catalog as NDJSON (curl, body counted and discarded):
#      products per second; then again while the server's live heap is measured by the JVM
#      (jcmd GC.class_histogram: at idle, three times while the feed streams, after it);
#   2. catalog reads (wrk, GET /products/{id}) alone, then while READERS full feeds run in a
#      loop: p99 of both, and their ratio.
#
#   src/bench/feed.sh            # RUNS=3 READERS=10 PRODUCTS=1000000 DURATION=15s CONNECTIONS=16 LEAD_IN=5s
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-16}
source src/bench/lib.sh
PRODUCTS=${PRODUCTS:-1000000}
READERS=${READERS:-10}
LEAD_IN=${LEAD_IN:-5s}
JCMD="$JAVA_HOME/bin/jcmd"

build
start_server "$PRODUCTS" server "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.enabled=false \
  --aqad.identity.access-token-ttl=2h
TOKEN=$(curl -fs -H 'Content-Type: application/json' \
  -d '{"email":"retailer@demo.aqad.local","password":"demo-password"}' "$API/auth/login" \
  | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p')
PRODUCT_ID=$(curl -fs "$API/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1)

live_heap_mib() { # the live heap in MiB: a full GC and the size of what survives, in one step
  # (GC.run then GC.heap_info would also count what the stream allocates between the two)
  "$JCMD" "$SERVER_PID" GC.class_histogram | awk '$1 == "Total" { printf "%.1f", $3 / 1048576 }'
}

feed() { # one full NDJSON feed: "<products> <seconds>"
  curl -fsS -H "Authorization: Bearer $TOKEN" -o >(wc -l > "$OUT/feed-lines.txt") -w '%{time_total}\n' \
    "$API/feed/products" > "$OUT/feed-time.txt"
  sleep 0.5
  echo "$(cat "$OUT/feed-lines.txt") $(cat "$OUT/feed-time.txt")"
}

echo "== warming up: two full feeds and ${WARMUP} of catalog reads"
feed > /dev/null
feed > /dev/null
wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$API/products/$PRODUCT_ID" > /dev/null

: > "$OUT/feed-results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  # throughput, undisturbed
  feed > "$OUT/feed-run.txt"
  read -r lines seconds < "$OUT/feed-run.txt"
  # live heap: at idle, then three times while a second feed streams, then after it
  idle=$(live_heap_mib)
  feed > /dev/null &
  FEED_PID=$!
  peak=0
  for _ in 1 2 3; do
    sleep 1
    kill -0 "$FEED_PID" 2>/dev/null || break
    used=$(live_heap_mib)
    peak=$(awk -v a="$peak" -v b="$used" 'BEGIN { print (b > a) ? b : a }')
  done
  wait "$FEED_PID"
  rate=$(awk -v n="$lines" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  after=$(live_heap_mib)
  echo "feed-$run products=$lines seconds=$seconds products_per_s=$rate heap_idle_mib=$idle heap_streaming_mib=$peak heap_after_mib=$after" \
    | tee -a "$OUT/feed-results.txt"

  # both catalog runs start after LEAD_IN of the same reads: right after the heap measurement's
  # full collections and the feeds' code paths, the first seconds of reads are slower than either
  # steady state (idle runs measured at once were up to 3x slower than runs under ten feeds)
  wrk -t2 -c"$CONNECTIONS" -d"$LEAD_IN" "$API/products/$PRODUCT_ID" > /dev/null
  { run_wrk "catalog-idle-$run" "$API/products/$PRODUCT_ID"; } | tee -a "$OUT/feed-results.txt"
  BACKGROUND=()
  for _ in $(seq "$READERS"); do
    ( while true; do curl -fsS -H "Authorization: Bearer $TOKEN" -o /dev/null "$API/feed/products" || sleep 1; done ) &
    BACKGROUND+=($!)
  done
  wrk -t2 -c"$CONNECTIONS" -d"$LEAD_IN" "$API/products/$PRODUCT_ID" > /dev/null
  { run_wrk "catalog-with-feeds-$run" "$API/products/$PRODUCT_ID"; } | tee -a "$OUT/feed-results.txt"
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null || true; done
  # the loops' last feeds would otherwise stream on into the next run
  pkill -f -- "-o /dev/null $API/feed/products" 2>/dev/null || true
done

echo "== medians of $RUNS runs"
python3 - "$OUT/feed-results.txt" <<'PY'
import re, statistics, sys
feeds, p99 = [], {}
for line in open(sys.argv[1]):
    m = re.match(r'feed-\d+ products=(\d+) seconds=(\S+) products_per_s=(\d+) heap_idle_mib=(\S+) heap_streaming_mib=(\S+) heap_after_mib=(\S+)', line)
    if m:
        feeds.append((int(m.group(3)), float(m.group(5)) - float(m.group(4)), int(m.group(1)), float(m.group(6)) - float(m.group(4))))
        continue
    m = re.match(r'(catalog-\S+)-\d+ rps=\S+ p99=(\S+)', line)
    if m:
        v = re.match(r'([\d.]+)(us|ms|s)', m.group(2))
        p99.setdefault(m.group(1), []).append(float(v.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[v.group(2)])
print(f"full feed: {statistics.median(f[0] for f in feeds):.0f} products/s (products per feed: {feeds[0][2]}), "
      f"live heap growth while streaming: median {statistics.median(f[1] for f in feeds):.1f} MiB, max {max(f[1] for f in feeds):.1f} MiB, "
      f"after it: median {statistics.median(f[3] for f in feeds):.1f} MiB")
idle, busy = statistics.median(p99['catalog-idle']), statistics.median(p99['catalog-with-feeds'])
print(f"catalog p99: idle {idle:.2f} ms, with feeds {busy:.2f} ms, ratio {busy / idle:.2f}")
PY
