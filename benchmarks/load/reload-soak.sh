#!/usr/bin/env bash
# Reload soak: wakegate (workers: 1) under wrk load while its config file is reloaded 200 times
# (POST /health/config/reload), alternating two valid files that differ in routes, timeouts,
# limits, a container and the access log. Passes when every reload answers 200, wrk counts no
# error and no non-2xx response, and the process' threads and open files are what they were before
# (RSS is printed before and after, for the record).
#
#   benchmarks/load/reload-soak.sh            # 200 reloads
#   RELOADS=1000 benchmarks/load/reload-soak.sh
#
# Tools: nginx (the upstream), wrk, curl; proxy-server/target/wakegate.jar (mvn -q -B -DskipTests package).
# Take it under the bench and integration locks, like run-load.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
RELOADS=${RELOADS:-200}
CONNECTIONS=${CONNECTIONS:-32}
JAR=${JAR:-$root/proxy-server/target/wakegate.jar}
UPSTREAM_PORT=${UPSTREAM_PORT:-18190}
WAKEGATE_PORT=${WAKEGATE_PORT:-18191}

for tool in nginx wrk curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool: WAKEGATE_BENCH_TOOLS=1 scripts/setup-machine.sh" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "no $JAR: mvn -q -B -DskipTests package" >&2; exit 1; }

work=$(mktemp -d /tmp/wakegate-soak.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/www" "$work/logs"
chmod 755 "$work" "$work/www"
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/www/1k.txt"
cat > "$work/upstream.conf" <<CONF
worker_processes 1; daemon off; pid $work/upstream.pid; error_log $work/logs/upstream.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/logs; proxy_temp_path $work/logs; fastcgi_temp_path $work/logs;
  uwsgi_temp_path $work/logs; scgi_temp_path $work/logs;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UPSTREAM_PORT; root $work/www; }
}
CONF
nginx -p "$work" -c "$work/upstream.conf" &
pids+=($!)

file() { # 1 or 2
  if [ "$1" = 1 ]; then
    printf 'listen: 127.0.0.1:%s\nworkers: 1\ndocker: { host: "unix:///tmp/wakegate-soak-no-engine.sock", labels: false }\n' "$WAKEGATE_PORT"
    printf 'containers:\n  one: {}\nroutes:\n  - { path: /, upstream: 127.0.0.1:%s }\n  - { path: /first, upstream: 127.0.0.1:%s }\n' "$UPSTREAM_PORT" "$UPSTREAM_PORT"
    printf 'timeouts: { header_read: 10s, upstream_response: 30s }\nlimits: { max_body: 1MiB }\naccess_log: { path: %s/logs/access.log, format: json }\n' "$work"
  else
    printf 'listen: 127.0.0.1:%s\nworkers: 1\ndocker: { host: "unix:///tmp/wakegate-soak-no-engine.sock", labels: false }\n' "$WAKEGATE_PORT"
    printf 'containers:\n  two: {}\nroutes:\n  - { path: /, upstream: 127.0.0.1:%s }\n  - { path: /second, upstream: 127.0.0.1:%s }\n' "$UPSTREAM_PORT" "$UPSTREAM_PORT"
    printf 'timeouts: { header_read: 11s, upstream_response: 31s }\nlimits: { max_body: 2MiB }\n'
  fi
}
file 1 > "$work/wakegate.yml"
WAKEGATE_JAR="$JAR" "$root/bin/wakegate" --config "$work/wakegate.yml" > "$work/logs/wakegate.log" 2>&1 &
wg=$!
pids+=("$wg")
for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$WAKEGATE_PORT/1k.txt" 2>/dev/null && break; sleep 0.1; done
wrk -t1 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$WAKEGATE_PORT/1k.txt" > /dev/null   # warm-up

snapshot() { # threads, open files, RSS in MB of pid $1
  printf '%s %s %s\n' "$(ls /proc/$1/task | wc -l)" "$(ls /proc/$1/fd | wc -l)" \
    "$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' /proc/$1/status)"
}
read -r threads0 fds0 rss0 < <(snapshot "$wg")

wrk -t1 -c"$CONNECTIONS" -d600s "http://127.0.0.1:$WAKEGATE_PORT/1k.txt" > "$work/wrk.txt" &
wrk_pid=$!
sleep 1
start=$(date +%s%N)
failed=0
for i in $(seq 1 "$RELOADS"); do
  file $(( i % 2 == 0 ? 1 : 2 )) > "$work/wakegate.yml.new" && mv "$work/wakegate.yml.new" "$work/wakegate.yml"
  code=$(curl -s -o "$work/reload.json" -w '%{http_code}' -X POST "http://127.0.0.1:$WAKEGATE_PORT/health/config/reload")
  if [ "$code" != 200 ]; then failed=$((failed + 1)); echo "reload $i: $code $(cat "$work/reload.json")" >&2; fi
done
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 1
kill -INT "$wrk_pid"; wait "$wrk_pid" || true
sleep 2   # the reloads' last closes and the writer's last batch
read -r threads1 fds1 rss1 < <(snapshot "$wg")

requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ { print $5 }' "$work/wrk.txt"); non2xx=${non2xx:-0}
errors=$(awk '/Socket errors/ { print }' "$work/wrk.txt")
rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
printf '%s reloads in %s ms (%s failed) under wrk -t1 -c%s: %s requests (%s req/s), %s non-2xx, %s\n' \
  "$RELOADS" "$took_ms" "$failed" "$CONNECTIONS" "$requests" "$rps" "$non2xx" "${errors:-no socket errors}"
printf 'threads %s -> %s, open files %s -> %s, RSS %s -> %s MB\n' "$threads0" "$threads1" "$fds0" "$fds1" "$rss0" "$rss1"
grep -c 'config reloaded' "$work/logs/wakegate.log" | xargs printf 'log lines "config reloaded": %s\n'
ok=1
[ "$failed" = 0 ] || ok=0
[ "$non2xx" = 0 ] || ok=0
[ -z "$errors" ] || ok=0
[ "$threads1" -le $((threads0 + 2)) ] || ok=0
[ "$fds1" -le $((fds0 + 2)) ] || ok=0
[ "$ok" = 1 ] && echo PASS || { echo FAIL; exit 1; }
