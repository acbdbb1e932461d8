#!/usr/bin/env bash
# What the limiter costs a cached read, split by kind (issue: the hot path): the same anonymous read
# (65,536 clients behind a trusted proxy) on a server with limits in Redis, then on one with limits
# off, each warmed for 20 s and measured for 10 s at 64 connections: req/s, the server's user and
# system CPU per request (/proc/PID/stat) and its threads' context switches per request.
#
#   src/bench/limiter-cost.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
[ -f target/bench/classpath.txt ] || build
measure() { # url name
  local pid=$SERVER_PID u0 s0 u1 s1 c0 c1 n
  wrk -t2 -c"$CONNECTIONS" -d20s -s src/bench/forwarded-product.lua "$1" > /dev/null
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  c0=$(cat /proc/"$pid"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}')
  wrk -t2 -c"$CONNECTIONS" -d10s -s src/bench/forwarded-product.lua "$1" > "$OUT/limiter-cost.txt"
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  c1=$(cat /proc/"$pid"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}')
  n=$(awk '/requests in/ {print $1}' "$OUT/limiter-cost.txt")
  echo "$2 rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/limiter-cost.txt") user_us=$(( (u1 - u0) * 10000000 / n / 1000 )) sys_us=$(( (s1 - s0) * 10000000 / n / 1000 )) context_switches_per_request=$(python3 -c "print(round(($c1 - $c0) / $n, 2))")"
}
product_of() { curl -fs "http://localhost:$1/api/v1/products?limit=1" | sed -nE 's/.*"id":"([^"]+)".*/\1/p' | head -1; }
start_server 3000 limits-on 18080 18081 --aqad.ratelimit.trusted-proxies=127.0.0.1/32,::1/128
measure "http://localhost:18080/api/v1/products/$(product_of 18080)" limits-on
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
start_server 3000 limits-off 18082 18083 --aqad.ratelimit.enabled=false
measure "http://localhost:18082/api/v1/products/$(product_of 18082)" limits-off
