# Shared by the benchmark scripts: tools, build, the server on embedded PostgreSQL and Redis,
# an nginx baseline, wrk runs and medians. Source it from the repository root.
OUT=target/bench
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-15s}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-30s}
SERVER_ARGS=${SERVER_ARGS:-}   # extra Spring arguments for the server, for A/B runs
API="http://localhost:$PORT/api/v1"
mkdir -p "$OUT"

need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need nginx nginx
if [ -z "${JAVA_HOME:-}" ]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi

cleanup() {
  [ -n "${BACKGROUND_PID:-}" ] && kill "$BACKGROUND_PID" 2>/dev/null || true
  for pid in ${SERVER_PIDS:-}; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [ -f /tmp/aqad-bench-nginx.pid ] && kill "$(cat /tmp/aqad-bench-nginx.pid)" 2>/dev/null || true
}
trap cleanup EXIT

build() {
  echo "== building"
  ./mvnw -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench/classpath.txt
}

# the product's JVM flags (README, "Run in production"), for the server and the floor alike;
# JVM_FLAGS="-Xms2g -Xmx2g -XX:+UseG1GC" src/bench/... measures with G1 instead
JVM_FLAGS=${JVM_FLAGS:--Xms2g -Xmx2g -XX:+UseParallelGC}

start_server() { # products [name port management-port extra-args...]: a server with its own PostgreSQL and Redis
  local products=$1 name=${2:-server} port=${3:-$PORT} management=${4:-$MANAGEMENT_PORT}
  shift $(( $# < 4 ? $# : 4 ))
  echo "== starting $name with $products demo products on port $port $*"
  "$JAVA_HOME/bin/java" $JVM_FLAGS -cp "target/classes:target/test-classes:$(cat target/bench/classpath.txt)" \
    com.aqad.marketplace.LocalMarketplaceApplication --server.port="$port" \
    --management.server.port="$management" --aqad.demo.products="$products" \
    --logging.level.root=WARN --logging.level.com.aqad=INFO $SERVER_ARGS "$@" > "$OUT/$name.log" 2>&1 &
  local pid=$!
  SERVER_PIDS="${SERVER_PIDS:-} $pid"
  SERVER_PID=$pid
  for _ in $(seq 600); do
    curl -fs "localhost:$management/actuator/health/readiness" 2>/dev/null | grep -q UP && break
    kill -0 "$pid" 2>/dev/null || { tail -50 "$OUT/$name.log"; exit 1; }
    sleep 1
  done
  grep -E "Seeded|ready" "$OUT/$name.log" || true
}

redis_port_of() { # name: the port of the Redis that server started for itself
  sed -nE 's/.*Redis for this JVM at [^:]+:([0-9]+).*/\1/p' "$OUT/$1.log" | head -1
}

start_nginx() { # serves this product's JSON as /product.json on port 18090
  mkdir -p /tmp/aqad-bench-static
  curl -fs "$API/products/$1" > /tmp/aqad-bench-static/product.json
  nginx -c "$PWD/src/bench/nginx.conf" &
  sleep 1
}

run_wrk() { # name url [lua] [extra wrk args...]
  local name=$1 url=$2 script=()
  shift 2
  if [ -n "${1:-}" ]; then script=(-s "$1"); fi
  shift || true
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$@" "$url" > "$OUT/$name.txt" 2>&1
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/$name.txt")
  echo "$name rps=$rps p99=$p99 non2xx=${non2xx:-0}"
}

medians() { # results-file baseline-name
  python3 - "$1" "$2" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\S+)-\d+ rps=(\S+) p99=(\S+) non2xx=(\S+)', line)
    if not m:
        continue
    name, rps, p99, bad = m.groups()
    unit = re.match(r'([\d.]+)(us|ms|s)', p99)
    ms = float(unit.group(1)) * {'us': 0.001, 'ms': 1, 's': 1000}[unit.group(2)]
    rows.setdefault(name, []).append((float(rps), ms, int(bad)))
base = statistics.median(r[0] for r in rows[sys.argv[2]])
for name, values in rows.items():
    rps = statistics.median(v[0] for v in values)
    p99 = statistics.median(v[1] for v in values)
    bad = sum(v[2] for v in values)
    print(f"{name:26s} {rps:10.0f} req/s  p99 {p99:8.2f} ms  {100 * rps / base:5.1f}% of {sys.argv[2]}  non-2xx {bad}")
PY
}

FLOOR_PORT=${FLOOR_PORT:-18095}
start_floor() { # product-id: the framework floor (src/bench/floor) answering that product's JSON as fixed bytes
  mkdir -p "$OUT/floor"
  "$JAVA_HOME/bin/javac" -d "$OUT/floor" -cp "$(cat target/bench/classpath.txt)" src/bench/floor/FrameworkFloor.java
  curl -fs "$API/products/$1" > "$OUT/floor/product.json"
  echo "== starting the framework floor on port $FLOOR_PORT"
  "$JAVA_HOME/bin/java" $JVM_FLAGS -cp "$OUT/floor:$(cat target/bench/classpath.txt)" bench.FrameworkFloor \
    "$OUT/floor/product.json" --server.port="$FLOOR_PORT" --logging.level.root=WARN > "$OUT/floor.log" 2>&1 &
  SERVER_PIDS="${SERVER_PIDS:-} $!"
  FLOOR_PID=$!
  for _ in $(seq 60); do curl -fs "localhost:$FLOOR_PORT/api/v1/products/$1" >/dev/null 2>&1 && break; sleep 1; done
}
