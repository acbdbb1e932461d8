#!/usr/bin/env bash
# Flash-sale benchmark (issue: orders). On the embedded PostgreSQL and Redis, RUNS times:
#   1. pgbench runs the same reservation transaction raw (flash-sale-raw.sql) on one hot row,
#      at 8 and at CONNECTIONS clients, for 15 s: the baseline;
#   2. a new SKU with UNITS units (default 5,000); order attempts of one unit each, from
#      RETAILERS retailers, with wrk at CONNECTIONS connections: until the SKU sells out
#      (orders/s from the orders' timestamps, p99 of that phase), then SOLD_OUT_DURATION more
#      (default 5 s: at the measured rates 15,000+ further attempts; refusals/s and p99);
#   3. oversell: units sold minus UNITS (must be 0), and the stock left (must be 0).
# Rate limits are off (one address, a few accounts: the limits would refuse most attempts).
#
#   src/bench/flash-sale.sh      # RUNS=3 CONNECTIONS=64 UNITS=5000 SOLD_OUT_DURATION=5s RETAILERS=100 FLASH_WARMUP=60s
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${CONNECTIONS:-64}
source src/bench/lib.sh
UNITS=${UNITS:-5000}
SOLD_OUT_DURATION=${SOLD_OUT_DURATION:-5s}
SELLING_LIMIT=${SELLING_LIMIT:-40s}   # wrk's -d while stock lasts: its threads stop at the first 409
RETAILERS=${RETAILERS:-100}
FLASH_WARMUP=${FLASH_WARMUP:-60s}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/pgbench" ] || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; PG_BIN=/usr/bin; }

build
start_server 0 server "$PORT" "$MANAGEMENT_PORT" --aqad.ratelimit.enabled=false \
  --aqad.identity.passwords.max-per-second=1000 --aqad.identity.access-token-ttl=2h
PG_PORT=$(sed -nE 's/.*PostgreSQL for this JVM at [^:]+:([0-9]+).*/\1/p' "$OUT/server.log" | head -1)
sql() { "$PG_BIN/psql" -h localhost -p "$PG_PORT" -U postgres -d postgres -Atqc "$1"; }
json_field() { sed -nE "s/.*\"$1\":\"([^\"]+)\".*/\1/p"; }
login() { curl -fs -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" \
  "$API/auth/login" | json_field accessToken; }

ADMIN=$(login admin@demo.aqad.local demo-password)
VENDOR=$(login vendor@demo.aqad.local demo-password)
CATEGORY=$(curl -fs -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Flash sale\",\"slug\":\"flash-sale-$RANDOM\"}" "$API/categories" | json_field id)
new_sku() { # units -> product id
  curl -fs -H "Authorization: Bearer $VENDOR" -H 'Content-Type: application/json' \
    -d "{\"sku\":\"FLASH-$RANDOM$RANDOM\",\"name\":\"Flash item\",\"categoryId\":\"$CATEGORY\",\"priceMinor\":100,\"currency\":\"EUR\",\"stock\":$1}" \
    "$API/products" | json_field id
}

echo "== registering $RETAILERS retailers"
: > "$OUT/tokens.txt"
for i in $(seq "$RETAILERS"); do
  email="flash-$i-$RANDOM@bench.aqad.example"
  curl -fs -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"bench-password-1\",\"role\":\"RETAILER\",\"organizationName\":\"Flash $i\"}" \
    "$API/auth/register"
  echo "$(login "$email" bench-password-1)" >> "$OUT/tokens.txt"
done

# the JIT needs minutes on two cores: cold, every request costs several times its warm price
echo "== warming up: $FLASH_WARMUP of orders on a SKU with plenty of stock, then $FLASH_WARMUP of refusals"
TOKENS_FILE="$OUT/tokens.txt" PRODUCT_ID=$(new_sku 1000000000) \
  wrk -t2 -c"$CONNECTIONS" -d"$FLASH_WARMUP" -s src/bench/flash-sale.lua "http://localhost:$PORT" > /dev/null
TOKENS_FILE="$OUT/tokens.txt" PRODUCT_ID=$(new_sku 0) \
  wrk -t2 -c"$CONNECTIONS" -d"$FLASH_WARMUP" -s src/bench/flash-sale.lua "http://localhost:$PORT" > /dev/null

RETAILER_ORG=$(sql "select id from organizations where kind = 'RETAILER' limit 1")
ACCOUNT=$(sql "select id from accounts where organization_id = '$RETAILER_ORG' limit 1")
VENDOR_ORG=$(sql "select organization_id from accounts where email = 'vendor@demo.aqad.local'")
pgbench_tps() { # clients -> transactions per second
  local hot
  hot=$(new_sku 1000000000)
  "$PG_BIN/pgbench" -h localhost -p "$PG_PORT" -U postgres -n -c "$1" -j 2 -T 15 -f src/bench/flash-sale-raw.sql \
    -D product="$hot" -D retailer="$RETAILER_ORG" -D account="$ACCOUNT" -D vendor="$VENDOR_ORG" postgres 2>&1 \
    | sed -nE 's/^tps = ([0-9.]+).*/\1/p'
}
seconds_of() { sed -nE 's/.* requests in ([0-9.]+)(m?s),.*/\1 \2/p' "$1" | awk '{ print ($2 == "ms") ? $1 / 1000 : $1 }'; }
p99_of() { awk '$1=="99%" {print $2}' "$1"; }
answers_of() { sed -nE "s/answers created=([0-9]+) insufficient_stock=([0-9]+) other=([0-9]+)/\\$2/p" "$1"; }

: > "$OUT/flash-results.txt"
for run in $(seq "$RUNS"); do
  echo "== run $run"
  echo "pgbench-$run c8_tps=$(pgbench_tps 8) c${CONNECTIONS}_tps=$(pgbench_tps "$CONNECTIONS")" | tee -a "$OUT/flash-results.txt"
  PRODUCT=$(new_sku "$UNITS")
  TOKENS_FILE="$OUT/tokens.txt" PRODUCT_ID=$PRODUCT STOP_ON_409=1 \
    wrk -t2 -c"$CONNECTIONS" -d"$SELLING_LIMIT" --latency -s src/bench/flash-sale.lua "http://localhost:$PORT" > "$OUT/selling-$run.txt"
  created=$(answers_of "$OUT/selling-$run.txt" 1); refused1=$(answers_of "$OUT/selling-$run.txt" 2)
  other1=$(answers_of "$OUT/selling-$run.txt" 3)
  # wrk reports its whole -d as the run time even when threads stop early: the selling
  # phase's rate comes from the orders' own timestamps
  selling_s=$(sql "select extract(epoch from max(o.created_at) - min(o.created_at)) from orders o
                   join order_lines l on l.order_id = o.id where l.product_id = '$PRODUCT'")
  TOKENS_FILE="$OUT/tokens.txt" PRODUCT_ID=$PRODUCT \
    wrk -t2 -c"$CONNECTIONS" -d"$SOLD_OUT_DURATION" --latency -s src/bench/flash-sale.lua "http://localhost:$PORT" > "$OUT/sold-out-$run.txt"
  refused2=$(answers_of "$OUT/sold-out-$run.txt" 2); other2=$(answers_of "$OUT/sold-out-$run.txt" 3)
  sold=$(sql "select coalesce(sum(quantity), 0) from order_lines where product_id = '$PRODUCT'")
  stock=$(sql "select stock from products where id = '$PRODUCT'")
  echo "flash-$run orders=$created orders_per_s=$(awk -v n="$created" -v s="$selling_s" 'BEGIN { printf "%.0f", n / s }') orders_p99=$(p99_of "$OUT/selling-$run.txt") refusals=$(( refused1 + refused2 )) refusals_per_s=$(awk -v n="$refused2" -v s="$(seconds_of "$OUT/sold-out-$run.txt")" 'BEGIN { printf "%.0f", n / s }') refusals_p99=$(p99_of "$OUT/sold-out-$run.txt") other=$(( other1 + other2 )) sold=$sold oversell=$(( sold - UNITS )) stock_left=$stock" \
    | tee -a "$OUT/flash-results.txt"
done

echo "== medians of $RUNS runs ($CONNECTIONS connections)"
python3 - "$OUT/flash-results.txt" "$CONNECTIONS" <<'PY'
import re, statistics, sys
rows, base = [], []
for line in open(sys.argv[1]):
    if line.startswith('pgbench-'):
        m = dict(re.findall(r'(\w+)=([\d.]+)', line))
        base.append((float(m['c8_tps']), float(m[f'c{sys.argv[2]}_tps'])))
    elif line.startswith('flash-'):
        rows.append(dict(re.findall(r'(\w+)=([\w.]+)', line)))
ms = lambda v: float(re.match(r'[\d.]+', v).group()) * {'us': 0.001, 'ms': 1, 's': 1000}[re.search(r'(us|ms|s)$', v).group()]
b8, bc = statistics.median(b[0] for b in base), statistics.median(b[1] for b in base)
orders = statistics.median(float(r['orders_per_s']) for r in rows)
refusals = statistics.median(float(r['refusals_per_s']) for r in rows)
best = max(b8, bc)
print(f"pgbench raw reservation: {b8:.0f} tx/s at 8 clients, {bc:.0f} tx/s at {sys.argv[2]}")
print(f"orders while stock lasts: {orders:.0f}/s (p99 {statistics.median(ms(r['orders_p99']) for r in rows):.1f} ms), "
      f"{orders / best:.2f}x the better pgbench figure")
print(f"refusals after sell-out: {refusals:.0f}/s (p99 {statistics.median(ms(r['refusals_p99']) for r in rows):.1f} ms), "
      f"{refusals / best:.1f}x the better pgbench figure")
print(f"attempts per run: {[int(r['orders']) + int(r['refusals']) + int(r['other']) for r in rows]}")
print(f"oversell in every run: {[int(r['oversell']) for r in rows]}, stock left: {[int(r['stock_left']) for r in rows]}, "
      f"other answers: {[int(r['other']) for r in rows]}")
PY
