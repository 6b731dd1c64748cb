#!/usr/bin/env bash
# Footprint and tail latency of nginx, HAProxy and wakegate in one run, each as a one-worker proxy
# in front of the same nginx upstream serving a 1 KiB file on loopback. For each it prints:
#
#   first ms      time from exec to the first 200 through the proxy (median of STARTS starts)
#   rss rest      RSS once started and idle (median of the STARTS starts)
#   p99 0-30s     p99 of wrk -c$COLD_CONNECTIONS over the first COLD_DURATION after the first answer
#                 (what clients see right after a deploy; this is also the warm-up)
#   p99 c1, p99 c32, req/s c32
#                 wrk -c1 and wrk -c32 for DURATION each, after that warm-up
#   rss loaded    RSS idle again after the load
#   rss idle N    RSS while IDLE keep-alive connections are open and idle (each made one request)
#
# RSS is VmRSS summed over the process and its children (nginx: master + worker), in MB (10^6),
# read SETTLE seconds (default 6) after the start or the load: longer than bin/wakegate's
# native-heap trim period (5 s), so what the JVM freed meanwhile (the JIT's and the GC's scratch
# memory) is back with the OS. Read within that period, RSS varies with where the trim happens to
# fall (SETTLE=2: 110-118 MB idle). The idle row is read every second for SETTLE_IDLE seconds
# (default 11, two trim periods) after the connections' arrival, and the last reading is the row:
# the scratch of 8,000 arrivals (~10 MB) is freed over a few seconds after it, so a trim 5-6 s
# after the arrival may still find some of it in use. The readings go to stderr with the rest
# of the progress lines ("idle rss by second").
#
#   benchmarks/load/footprint.sh                       # STARTS=3 IDLE=8000 DURATION=15s COLD_DURATION=30s
#   ONLY=wakegate IDLE=1000 DURATION=5s COLD_DURATION=10s benchmarks/load/footprint.sh   # quick look
#   WAKEGATE_JAVA_OPTS='-Xmx48m' benchmarks/load/footprint.sh   # extra JVM options through bin/wakegate
#   LOAD=0 IDLE=0 STARTS=9 ONLY=wakegate benchmarks/load/footprint.sh   # start-up and RSS at rest only
#
# wakegate runs the way users run it: bin/wakegate --config FILE (WAKEGATE=path overrides the
# launcher, e.g. a script that runs `java -jar` to compare with). Pinning as in run-load.sh:
# servers on CPU 0, wrk and the client on CPU 1 (PIN=0: off). Needs nginx, haproxy, wrk, curl
# (WAKEGATE_BENCH_TOOLS=1 scripts/setup-machine.sh), a JDK (javac compiles FootprintClient.java)
# and proxy-server/target/wakegate.jar. Take measurements when nothing else loads the machine,
# and compare ratios within one run.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/benchmarks/load"
ONLY=${ONLY:-nginx haproxy wakegate}
STARTS=${STARTS:-3}
IDLE=${IDLE:-8000}
DURATION=${DURATION:-15s}
COLD_DURATION=${COLD_DURATION:-30s}
COLD_CONNECTIONS=${COLD_CONNECTIONS:-32}
LOAD=${LOAD:-1}
SETTLE=${SETTLE:-6}
SETTLE_IDLE=${SETTLE_IDLE:-11}
WAKEGATE=${WAKEGATE:-$root/bin/wakegate}
PIN=${PIN:-1}
UPSTREAM_PORT=${UPSTREAM_PORT:-18280}
NGINX_PORT=${NGINX_PORT:-18281}
HAPROXY_PORT=${HAPROXY_PORT:-18282}
WAKEGATE_PORT=${WAKEGATE_PORT:-18283}
PATH_1K=/1k.txt

for tool in nginx haproxy wrk curl javac java ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool: WAKEGATE_BENCH_TOOLS=1 scripts/setup-machine.sh" >&2; exit 1; }
done
[ -x "$WAKEGATE" ] || { echo "no launcher at $WAKEGATE" >&2; exit 1; }
fds=$(ulimit -n)
if [ "$fds" != unlimited ] && [ "$fds" -lt $((IDLE + 2048)) ]; then
  ulimit -n $((IDLE + 2048)) 2>/dev/null || { echo "ulimit -n is $fds: too few for IDLE=$IDLE" >&2; exit 1; }
fi

work=$(mktemp -d /tmp/wakegate-footprint.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_cpu=(); client_cpu=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0); client_cpu=(taskset -c 1)
fi

javac -d "$work/client" "$here/FootprintClient.java"
# An array, not a function: a function run with & is a subshell, and killing it would leave java running.
client=("${client_cpu[@]}" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -cp "$work/client" FootprintClient)

# ---- the upstream and the three proxies' configs (as in run-load.sh) -------------------------
mkdir -p "$work/www" "$work/logs"
chmod 755 "$work" "$work/www"
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/www/1k.txt"
conns=$((IDLE + 1024))
nginx_conf() { # pidfile errlog body
  cat <<CONF
worker_processes 1; daemon off; pid $1; error_log $2 warn;
worker_rlimit_nofile $((conns * 2));
events { worker_connections $conns; }
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  keepalive_requests 1000000;
  $3
}
CONF
}
nginx_conf "$work/upstream.pid" "$work/logs/upstream.err" \
  "server { listen 127.0.0.1:$UPSTREAM_PORT; root $work/www; }" > "$work/upstream.conf"
nginx_conf "$work/proxy.pid" "$work/logs/proxy.err" "
  upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }" > "$work/nginx-proxy.conf"
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn $conns
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
  option http-keep-alive
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  server up 127.0.0.1:$UPSTREAM_PORT
CONF
cat > "$work/wakegate.yml" <<CONF
listen: 127.0.0.1:$WAKEGATE_PORT
workers: 1
routes:
  - { path: /, upstream: 127.0.0.1:$UPSTREAM_PORT }
CONF

"${server_cpu[@]}" nginx -p "$work" -c "$work/upstream.conf" &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT$PATH_1K" 2>/dev/null && break; sleep 0.05; done

port_of() { case "$1" in nginx) echo "$NGINX_PORT";; haproxy) echo "$HAPROXY_PORT";; wakegate) echo "$WAKEGATE_PORT";; esac; }

# Starts $1 in the background (proxy_pid) and records the exec time in ns (started_ns).
start_proxy() {
  started_ns=$(date +%s%N)
  case "$1" in
    nginx)    "${server_cpu[@]}" nginx -p "$work" -c "$work/nginx-proxy.conf" & ;;
    haproxy)  "${server_cpu[@]}" haproxy -db -f "$work/haproxy.cfg" & ;;
    wakegate) "${server_cpu[@]}" "$WAKEGATE" --config "$work/wakegate.yml" >>"$work/logs/wakegate.log" 2>&1 & ;;
  esac
  proxy_pid=$!
  pids+=("$proxy_pid")
}
stop_proxy() {
  kill "$proxy_pid" 2>/dev/null || true
  wait "$proxy_pid" 2>/dev/null || true
}

# Starts $1 with a poller already polling; sets first_ms: ms from exec to the first 200.
start_and_time() {
  local name=$1 port out
  port=$(port_of "$name")
  out="$work/first.out"
  : > "$out"
  "${client[@]}" first "$port" "$PATH_1K" 20000 > "$out" &
  local poller=$!
  for _ in $(seq 1 400); do grep -q polling "$out" && break; sleep 0.01; done
  start_proxy "$name"
  if ! wait "$poller"; then
    echo "$name gave no 200 on port $port" >&2
    [ "$name" = wakegate ] && tail -20 "$work/logs/wakegate.log" >&2
    return 1
  fi
  first_ms=$(awk -v t0="$started_ns" '/^[0-9]+$/ { printf "%.0f\n", ($1 - t0) / 1e6 }' "$out")
}

rss_mb() { # pid: VmRSS of it and its children, MB
  local total=0 p kb
  for p in $1 $(pgrep -P "$1" 2>/dev/null); do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v kb="$total" 'BEGIN { printf "%.1f\n", kb * 1024 / 1e6 }'
}

established() { ss -Htn state established "( sport = :$1 )" | wc -l; }

wrk_p99_rps() { # connections duration port -> "p99_ms rps"
  "${client_cpu[@]}" wrk -t1 -c"$1" -d"$2" --latency "http://127.0.0.1:$3$PATH_1K" > "$work/wrk.txt"
  if grep -q 'Non-2xx' "$work/wrk.txt"; then echo "non-2xx answers: $(grep Non-2xx "$work/wrk.txt")" >&2; fi
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +99%/ { p99=ms($2) }
    /Requests\/sec:/ { rps=$2 }
    END { printf "%s %s\n", p99, rps }' "$work/wrk.txt"
}

median() { sort -n | awk '{ v[NR]=$1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2] + v[NR/2+1]) / 2 }'; }

declare -A FIRST REST P99COLD P99C1 P99C32 RPS LOADED IDLERSS IDLEHELD
for name in $ONLY; do
  port=$(port_of "$name")
  echo "== $name" >&2
  : > "$work/first.ms"; : > "$work/rest.mb"
  for i in $(seq 1 "$STARTS"); do
    start_and_time "$name" || { stop_proxy; continue 2; }
    ms=$first_ms
    sleep "$SETTLE"
    rss=$(rss_mb "$proxy_pid")
    echo "$ms" >> "$work/first.ms"; echo "$rss" >> "$work/rest.mb"
    echo "   start $i: first answer ${ms} ms, rss at rest ${rss} MB" >&2
    stop_proxy
  done
  FIRST[$name]=$(median < "$work/first.ms"); REST[$name]=$(median < "$work/rest.mb")

  [ "$LOAD" = 1 ] || [ "$IDLE" -gt 0 ] || continue
  start_and_time "$name" || { stop_proxy; continue; }
  if [ "$LOAD" = 1 ]; then
    read -r P99COLD[$name] _ < <(wrk_p99_rps "$COLD_CONNECTIONS" "$COLD_DURATION" "$port")
    read -r P99C1[$name] _ < <(wrk_p99_rps 1 "$DURATION" "$port")
    read -r P99C32[$name] RPS[$name] < <(wrk_p99_rps 32 "$DURATION" "$port")
  fi
  sleep "$SETTLE"
  LOADED[$name]=$(rss_mb "$proxy_pid")
  if [ "$IDLE" -gt 0 ]; then
  "${client[@]}" idle "$port" "$PATH_1K" "$IDLE" 120 > "$work/idle.out" &
  idler=$!
  pids+=("$idler")
  for _ in $(seq 1 1200); do grep -q held "$work/idle.out" && break; kill -0 "$idler" 2>/dev/null || break; sleep 0.1; done
  if grep -q held "$work/idle.out"; then
    samples=""
    for _ in $(seq 1 "$SETTLE_IDLE"); do
      sleep 1
      IDLERSS[$name]=$(rss_mb "$proxy_pid"); samples="$samples ${IDLERSS[$name]}"
    done
    echo "   idle rss by second:$samples MB" >&2
    IDLEHELD[$name]=$(established "$port")
  else
    echo "$name: the idle client did not get its $IDLE connections" >&2
  fi
  kill "$idler" 2>/dev/null || true; wait "$idler" 2>/dev/null || true
  fi
  echo "   p99 0-30s ${P99COLD[$name]:--} ms, c1 ${P99C1[$name]:--} ms, c32 ${P99C32[$name]:--} ms at ${RPS[$name]:--} req/s; rss loaded ${LOADED[$name]} MB, with ${IDLEHELD[$name]:-?} idle ${IDLERSS[$name]:--} MB" >&2
  stop_proxy
done

printf '\nfootprint: 1 worker each, 1 KiB through the proxy; %s starts; wrk -t1, first %s at -c%s, then -c1 and -c32 for %s; %s idle connections; pinning: %s\n' \
  "$STARTS" "$COLD_DURATION" "$COLD_CONNECTIONS" "$DURATION" "$IDLE" \
  "$([ ${#server_cpu[@]} -gt 0 ] && echo 'servers cpu 0, clients cpu 1' || echo off)"
printf '%-9s %9s %9s %10s %9s %9s %10s %10s %10s %12s\n' target 'first ms' 'rss rest' 'p99 0-30s' 'p99 c1' 'p99 c32' 'req/s c32' 'rss loaded' "rss idle" 'idle held'
for name in $ONLY; do
  printf '%-9s %9s %9s %10s %9s %9s %10.0f %10s %10s %12s\n' "$name" "${FIRST[$name]:--}" "${REST[$name]:--}" \
    "${P99COLD[$name]:--}" "${P99C1[$name]:--}" "${P99C32[$name]:--}" "${RPS[$name]:-0}" "${LOADED[$name]:--}" \
    "${IDLERSS[$name]:--}" "${IDLEHELD[$name]:--}"
done
if [ -n "${P99C32[wakegate]:-}" ]; then
  for peer in nginx haproxy; do
    [ -n "${P99C32[$peer]:-}" ] || continue
    awk -v n="$peer" -v f="${FIRST[wakegate]}/${FIRST[$peer]}" \
        -v r="${REST[wakegate]}" -v rp="${REST[$peer]}" -v i="${IDLERSS[wakegate]:-0}" -v ip="${IDLERSS[$peer]:-1}" \
        -v c0="${P99COLD[wakegate]}" -v c0p="${P99COLD[$peer]}" -v c1="${P99C1[wakegate]}" -v c1p="${P99C1[$peer]}" \
        -v c32="${P99C32[wakegate]}" -v c32p="${P99C32[$peer]}" -v t="${RPS[wakegate]}" -v tp="${RPS[$peer]}" \
      'BEGIN { printf "wakegate/%-8s rss rest %.2f  p99 0-30s %.2f  p99 c1 %.2f  p99 c32 %.2f  req/s c32 %.2f  rss idle %.2f\n", n, r/rp, c0/c0p, c1/c1p, c32/c32p, t/tp, i/ip }'
  done
fi
jar=$root/proxy-server/target/wakegate.jar
[ -f "$jar" ] && printf 'wakegate.jar: %.1f MB\n' "$(stat -c %s "$jar" | awk '{ print $1 / 1e6 }')"
