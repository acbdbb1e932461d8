#!/usr/bin/env bash
# The limiter's take script alone, on a Redis of its own (issue: the hot path): what Redis spends per
# take in the script and in all, for batches of 1, 10 and 64 takes per call (hotpath.sh's anonymous
# read averages about 10). The same Redis 6.2 the local run starts (embedded-redis's binary).
#
#   src/bench/limiter-script.sh [BATCH ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
[ -f target/bench/classpath.txt ] || build
JAR=$(tr ':' '\n' < target/bench/classpath.txt | grep -m1 'embedded-redis')
mkdir -p "$OUT/redis"
unzip -o -q "$JAR" 'redis-server-*-linux-amd64' -d "$OUT/redis"
BINARY=$(ls "$OUT"/redis/redis-server-*-linux-amd64 | head -1)
chmod +x "$BINARY"
REDIS_PORT=${REDIS_PORT:-18379}
"$BINARY" --port "$REDIS_PORT" --save "" --appendonly no > "$OUT/redis/redis.log" 2>&1 &
BACKGROUND_PID=$!
sleep 1
python3 src/bench/limiter-script.py "$REDIS_PORT" "$@"
