#!/usr/bin/env bash
# Load comparison in one run: the same 1 KiB file, served by an nginx upstream on loopback, hit
# with wrk directly, through nginx (1 worker), through HAProxy (1 thread) and through wakegate
# (workers: 1). Prints requests/s and p99 for each, and wakegate's ratios to nginx and HAProxy.
# Then the same over HTTPS, nginx and wakegate terminating TLS with the same certificate
# (nginx-tls, wakegate-tls: keep-alive), and new TLS handshakes per second (nginx-hs, wakegate-hs:
# wrk with 'Connection: close', so every request is a new connection and a full handshake; session
# tickets and caches are off on both, so nothing is resumed). Then the access-log rows: nginx and
# wakegate proxying as above, each writing its access log in the combined format to a file
# (nginx-log: nginx's default access_log, one write per request; wakegate-log: access_log:
# { path: FILE, format: combined }), with wakegate-log's ratios to wakegate without a log and to
# nginx-log; the two files' line counts are checked against the requests wrk counted.
#
#   ONLY="wakegate wakegate-log nginx-log" benchmarks/load/run-load.sh   # the access-log comparison
#
#   benchmarks/load/run-load.sh                    # 10 s per row, 3 s warm-up
#   DURATION=30s WARMUP=5s CONNECTIONS=64 benchmarks/load/run-load.sh
#   ONLY="direct nginx haproxy" benchmarks/load/run-load.sh   # skip wakegate
#   ONLY="nginx-tls wakegate-tls nginx-hs wakegate-hs" benchmarks/load/run-load.sh   # HTTPS rows only
#   TLS_KEY=rsa benchmarks/load/run-load.sh             # an RSA 2048 certificate (default: ECDSA P-256)
#   WAKEGATE_WARMUP=30s benchmarks/load/run-load.sh     # JIT-warm wakegate: the steady state
#
# Warm-up and the JVM: with the default warm-up, C2 is still compiling during the measured
# seconds, on the proxy's own pinned core (~10% of it, 10-17 s after start; measured from
# /proc/<pid>/task/*/stat). In A/B runs that cost wakegate ~25% throughput and ~1.7x p99 against
# a 30 s warm-up; nginx is unaffected. WAKEGATE_WARMUP (default: WARMUP) sets the wakegate row's.
#
# Tools: nginx, haproxy, wrk (scripts/setup-machine.sh with WAKEGATE_BENCH_TOOLS=1), and
# proxy-server/target/wakegate.jar (mvn -q -B -DskipTests package) for the wakegate row.
#
# CPU pinning (PIN=1, the default, when there are at least 2 CPUs): wrk runs on CPU 1, the proxy
# under test and the upstream nginx on CPU 0. On a 2-core machine this keeps the load generator
# from stealing the proxy's core and gives every proxy the same single core, so the rows compare
# one-core proxies, which is what nginx with 1 worker and HAProxy with nbthread 1 are. The upstream
# shares that core with the proxy in every row alike (the direct row then has the upstream alone).
# PIN=0 leaves scheduling to the kernel.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
WAKEGATE_WARMUP=${WAKEGATE_WARMUP:-$WARMUP}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
ONLY=${ONLY:-direct nginx haproxy wakegate nginx-tls wakegate-tls nginx-hs wakegate-hs nginx-log wakegate-log}
TLS_KEY=${TLS_KEY:-ec}
JAR=${JAR:-$root/proxy-server/target/wakegate.jar}
# The wakegate rows run the way users run it, through bin/wakegate and its JVM settings;
# JVM_OPTS adds options after them (WAKEGATE_JAVA_OPTS), JAVA_HOME picks the JDK.
WAKEGATE=${WAKEGATE:-$root/bin/wakegate}
JVM_OPTS=${JVM_OPTS:-}
PIN=${PIN:-1}
# Loopback ports (override if taken).
UPSTREAM_PORT=${UPSTREAM_PORT:-18180}
NGINX_PORT=${NGINX_PORT:-18181}
HAPROXY_PORT=${HAPROXY_PORT:-18182}
WAKEGATE_PORT=${WAKEGATE_PORT:-18183}
NGINX_TLS_PORT=${NGINX_TLS_PORT:-18184}
WAKEGATE_TLS_PORT=${WAKEGATE_TLS_PORT:-18185}

for tool in nginx haproxy wrk curl openssl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: WAKEGATE_BENCH_TOOLS=1 scripts/setup-machine.sh" >&2; exit 1; }
done

work=$(mktemp -d /tmp/wakegate-load.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

server_cpu=() ; client_cpu=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0); client_cpu=(taskset -c 1)
fi

wait_http() { # url, what, [pid that must stay alive]
  for _ in $(seq 1 300); do
    curl -kfsS -o /dev/null "$1" 2>/dev/null && return 0
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then echo "$2 exited" >&2; return 1; fi
    sleep 0.1
  done
  echo "$2 did not answer $1" >&2; return 1
}

# ---- upstream: nginx serving a 1 KiB file --------------------------------------------------
mkdir -p "$work/www" "$work/logs"
chmod 755 "$work" "$work/www"   # nginx workers run as an unprivileged user when started by root
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/www/1k.txt"
common_nginx='worker_processes 1; daemon off; pid PIDFILE; error_log ERRLOG warn;
events { worker_connections 4096; }'
cat > "$work/upstream.conf" <<CONF
${common_nginx//PIDFILE/$work/upstream.pid}
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UPSTREAM_PORT; root $work/www; }
}
CONF
sed -i "s#ERRLOG#$work/logs/upstream.err#" "$work/upstream.conf"
"${server_cpu[@]}" nginx -p "$work" -c "$work/upstream.conf" &
pids+=($!)
wait_http "http://127.0.0.1:$UPSTREAM_PORT/1k.txt" "upstream nginx" "$!"

# ---- (a) nginx as a proxy ------------------------------------------------------------------
cat > "$work/nginx-proxy.conf" <<CONF
${common_nginx//PIDFILE/$work/proxy.pid}
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
sed -i "s#ERRLOG#$work/logs/proxy.err#" "$work/nginx-proxy.conf"

# ---- (a'') nginx as a proxy with its access log on (combined, a file; nginx's default buffering) --
sed -e "s#^  access_log off;#  access_log $work/logs/nginx-access.log combined;#" -e "s#$work/proxy.pid#$work/proxy-log.pid#" \
  "$work/nginx-proxy.conf" > "$work/nginx-log.conf"

# ---- (a') nginx terminating TLS, same upstream ---------------------------------------------
# One certificate for both TLS proxies, made here; Mozilla intermediate, as wakegate's.
mkdir -p "$work/tls"
if [ "$TLS_KEY" = rsa ]; then keyopt=(-newkey rsa:2048); else keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1); fi
openssl req -x509 "${keyopt[@]}" -nodes -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" -days 7 \
  -subj /CN=bench.test -addext subjectAltName=DNS:bench.test 2>/dev/null
INTERMEDIATE='ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305'
cat > "$work/nginx-tls.conf" <<CONF
${common_nginx//PIDFILE/$work/proxy-tls.pid}
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_TLS_PORT ssl;
    ssl_certificate $work/tls/cert.pem;
    ssl_certificate_key $work/tls/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers $INTERMEDIATE;
    ssl_prefer_server_ciphers off;
    ssl_session_tickets off;   # as wakegate: every new connection is a full handshake
    ssl_session_cache off;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
sed -i "s#ERRLOG#$work/logs/proxy-tls.err#" "$work/nginx-tls.conf"

# ---- (b) HAProxy ---------------------------------------------------------------------------
cat > "$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4096
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

# ---- (c) wakegate --------------------------------------------------------------------------
cat > "$work/wakegate.yml" <<CONF
listen: 127.0.0.1:$WAKEGATE_PORT
workers: 1
routes:
  - { path: /, upstream: 127.0.0.1:$UPSTREAM_PORT }
CONF

cat > "$work/wakegate-log.yml" <<CONF
listen: 127.0.0.1:$WAKEGATE_PORT
workers: 1
access_log: { path: $work/logs/wakegate-access.log, format: combined }
routes:
  - { path: /, upstream: 127.0.0.1:$UPSTREAM_PORT }
CONF

cat > "$work/wakegate-tls.yml" <<CONF
listen: 127.0.0.1:$WAKEGATE_PORT
workers: 1
tls:
  listen: 127.0.0.1:$WAKEGATE_TLS_PORT
  certificates: [ { cert: $work/tls/cert.pem, key: $work/tls/key.pem } ]
routes:
  - { path: /, upstream: 127.0.0.1:$UPSTREAM_PORT }
CONF

start_proxy() { # name -> sets proxy_pid
  case "$1" in
    nginx)   "${server_cpu[@]}" nginx -p "$work" -c "$work/nginx-proxy.conf" & ;;
    nginx-log) "${server_cpu[@]}" nginx -p "$work" -c "$work/nginx-log.conf" & ;;
    nginx-tls|nginx-hs) "${server_cpu[@]}" nginx -p "$work" -c "$work/nginx-tls.conf" & ;;
    haproxy) "${server_cpu[@]}" haproxy -db -f "$work/haproxy.cfg" & ;;
    wakegate)
      [ -f "$JAR" ] || { echo "no $JAR: mvn -q -B -DskipTests package" >&2; return 1; }
      WAKEGATE_JAR="$JAR" WAKEGATE_JAVA_OPTS="$JVM_OPTS" "${server_cpu[@]}" "$WAKEGATE" --config "$work/wakegate.yml" \
        >"$work/logs/wakegate.log" 2>&1 & ;;
    wakegate-log)
      [ -f "$JAR" ] || { echo "no $JAR: mvn -q -B -DskipTests package" >&2; return 1; }
      WAKEGATE_JAR="$JAR" WAKEGATE_JAVA_OPTS="$JVM_OPTS" "${server_cpu[@]}" "$WAKEGATE" --config "$work/wakegate-log.yml" \
        >"$work/logs/wakegate-log.log" 2>&1 & ;;
    wakegate-tls|wakegate-hs)
      [ -f "$JAR" ] || { echo "no $JAR: mvn -q -B -DskipTests package" >&2; return 1; }
      WAKEGATE_JAR="$JAR" WAKEGATE_JAVA_OPTS="$JVM_OPTS" "${server_cpu[@]}" "$WAKEGATE" --config "$work/wakegate-tls.yml" \
        >"$work/logs/$1.log" 2>&1 & ;;
  esac
  proxy_pid=$!
  pids+=("$proxy_pid")
}
stop_proxy() {
  kill "$proxy_pid" 2>/dev/null || true
  wait "$proxy_pid" 2>/dev/null || true
}

port_of() {
  case "$1" in
    direct) echo "$UPSTREAM_PORT";; nginx|nginx-log) echo "$NGINX_PORT";; haproxy) echo "$HAPROXY_PORT";;
    wakegate|wakegate-log) echo "$WAKEGATE_PORT";;
    nginx-tls|nginx-hs) echo "$NGINX_TLS_PORT";; wakegate-tls|wakegate-hs) echo "$WAKEGATE_TLS_PORT";;
  esac
}
scheme_of() { case "$1" in *-tls|*-hs) echo https;; *) echo http;; esac; }

# CPU time (clock ticks, user + system, all threads) of a process and its child processes
# (nginx's worker); the proxy's CPU per request is far less disturbed by other load than its p99.
cpu_ticks() {
  local pid=$1 total=0 p
  for p in $pid $(pgrep -P "$pid" 2>/dev/null); do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$total"
}

# wrk's --latency output -> "rps p99_ms non2xx requests"
parse_wrk() {
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec:/ { rps=$2 }
    /^ +99%/ { p99=ms($2) }
    /Non-2xx or 3xx responses:/ { bad=$5 }
    /requests in/ { reqs=$1 }
    /Socket errors:/ { err=$0 }
    END { printf "%s %s %s %s\n", rps, p99, (bad==""?0:bad), reqs }'
}

declare -A RPS P99 CPU REQS
results="$work/results"
for name in $ONLY; do
  port=$(port_of "$name")
  url="$(scheme_of "$name")://127.0.0.1:$port/1k.txt"
  wrk_extra=(); [[ "$name" == *-hs ]] && wrk_extra=(-H 'Connection: close')
  if [ "$name" != direct ]; then
    if ! start_proxy "$name"; then echo "skipping $name" >&2; continue; fi
    if ! wait_http "$url" "$name" "$proxy_pid"; then
      [[ "$name" == wakegate* ]] && tail -20 "$work/logs/$name.log" >&2
      stop_proxy; echo "skipping $name" >&2; continue
    fi
  fi
  body=$(curl -kfsS "$url" | wc -c)
  [ "$body" = 1024 ] || { echo "$name returned $body bytes, expected 1024" >&2; exit 1; }
  warmup=$WARMUP; [[ "$name" == wakegate* ]] && warmup=$WAKEGATE_WARMUP
  "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$warmup" "${wrk_extra[@]}" "$url" >/dev/null
  measured_pid=$([ "$name" = direct ] && echo "${pids[0]}" || echo "$proxy_pid")
  ticks0=$(cpu_ticks "$measured_pid")
  "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${wrk_extra[@]}" "$url" > "$work/wrk-$name.txt"
  ticks1=$(cpu_ticks "$measured_pid")
  read -r rps p99 bad reqs < <(parse_wrk < "$work/wrk-$name.txt")
  if [ "${bad:-0}" != 0 ]; then echo "$name: $bad non-2xx responses" >&2; fi
  RPS[$name]=$rps; P99[$name]=$p99; REQS[$name]=$reqs
  CPU[$name]=$(awk -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v n="$reqs" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
  if [ "$name" = wakegate-log ]; then
    dropped=$(curl -fsS "http://127.0.0.1:$port/health/metrics" | awk '/^wakegate_access_log_dropped_total/ { print $2 }')
    echo "wakegate-log: wakegate_access_log_dropped_total ${dropped:-?}" >&2
  fi
  [ "$name" != direct ] && stop_proxy
  case "$name" in
    nginx-log|wakegate-log) # every request wrk counted (warm-up and checks included) has its line
      f="$work/logs/${name%-log}-access.log"
      lines=$(wc -l < "$f")
      printf '%s: %s access-log lines for %s measured requests (%s)\n' "$name" "$lines" "$reqs" "$(tail -1 "$f" | cut -c1-100)" >&2
      [ "$lines" -ge "$reqs" ] || echo "$name: fewer access-log lines than requests" >&2
      rm -f "$f" ;;
  esac
done

printf '\nwrk -t%s -c%s -d%s (warm-up %s, wakegate %s), 1 KiB file, keep-alive (-hs rows: a new TLS connection per request, %s certificate); pinning: %s\n' \
  "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP" "$WAKEGATE_WARMUP" "$TLS_KEY" \
  "$([ ${#server_cpu[@]} -gt 0 ] && echo 'servers cpu 0, wrk cpu 1' || echo off)"
# cpu us/req: CPU time of the server process(es) under test per request (the direct row: the
# upstream alone; the proxy rows: the proxy alone, without the upstream's share)
printf '%-13s %12s %10s %12s\n' target 'req/s' 'p99 ms' 'cpu us/req'
for name in $ONLY; do
  [ -n "${RPS[$name]:-}" ] || { printf '%-13s %12s %10s %12s\n' "$name" '-' '-' '-'; continue; }
  printf '%-13s %12.0f %10.2f %12s\n' "$name" "${RPS[$name]}" "${P99[$name]}" "${CPU[$name]}"
done
if [ -n "${RPS[wakegate]:-}" ]; then
  for peer in nginx haproxy; do
    [ -n "${RPS[$peer]:-}" ] || continue
    awk -v w="${RPS[wakegate]}" -v p="${RPS[$peer]}" -v wl="${P99[wakegate]}" -v pl="${P99[$peer]}" -v n="$peer" \
      'BEGIN { printf "wakegate/%-8s throughput %.2f   p99 %.2f\n", n, w/p, wl/pl }'
  done
fi
if [ -n "${RPS[wakegate-log]:-}" ]; then
  for peer in wakegate nginx-log; do
    [ -n "${RPS[$peer]:-}" ] || continue
    awk -v w="${RPS[wakegate-log]}" -v p="${RPS[$peer]}" -v wl="${P99[wakegate-log]}" -v pl="${P99[$peer]}" -v n="$peer" \
      'BEGIN { printf "wakegate-log/%-9s throughput %.2f   p99 %.2f\n", n, w/p, wl/pl }'
  done
fi
for kind in tls hs; do
  w=${RPS[wakegate-$kind]:-}; p=${RPS[nginx-$kind]:-}
  [ -n "$w" ] && [ -n "$p" ] || continue
  awk -v w="$w" -v p="$p" -v wl="${P99[wakegate-$kind]}" -v pl="${P99[nginx-$kind]}" -v n="nginx-$kind" \
    'BEGIN { printf "wakegate-%s/%-8s throughput %.2f   p99 %.2f\n", substr(n, 7), n, w/p, wl/pl }'
done
