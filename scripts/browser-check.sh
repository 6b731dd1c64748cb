#!/usr/bin/env bash
# The waiting page in a real browser: a whole wakegate (bin/wakegate) in front of two stopped
# busybox containers (an app that boots in APP_BOOT seconds, and the db it depends on), driven by
# headless Chromium through puppeteer-core. Each run navigates to the sleeping route, gets the
# waiting page, and waits for the real page; it measures readiness-to-real-page: from the app's
# port first accepting a connection to the real page's DOMContentLoaded in the browser.
# RUNS runs with scripts on (the live page), one with scripts off (the meta refresh); screenshots
# of the page mid-start (light and dark) go to docs/. Installs chromium (Debian) and puppeteer-core
# (npm, into scripts/browser/node_modules) when missing; safe to run again. Loopback only.
#
#   scripts/browser-check.sh            # RUNS=5 APP_BOOT=3 SHOTS=1 by default
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-machine.sh >/dev/null

runs=${RUNS:-5}
app_boot=${APP_BOOT:-3}
shots=${SHOTS:-1}
port=${WAKEGATE_BROWSER_PORT:-18190}
app_port=$((port + 1))
db_port=$((port + 2))

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d scripts/browser/node_modules/puppeteer-core ]; then
  echo "== installing puppeteer-core"
  (cd scripts/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --silent)
fi

jar=proxy-server/target/wakegate.jar
if [ ! -f "$jar" ] || [ -n "$(find proxy-core/src proxy-server/src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "== building wakegate"
  mvn -q -B -ntp -DskipTests package
fi

app=wakegate-browser-app
db=wakegate-browser-db
work=$(mktemp -d)
cleanup() {
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null || true
  docker rm -f "$app" "$db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

make_container() { # name port boot-seconds page
  docker rm -f "$1" >/dev/null 2>&1 || true
  docker create --name "$1" --network host --init --label wakegate.browser-check=true wakegate/busybox:1 \
    sh -c "sleep $3; mkdir -p /www && echo '$4' > /www/index.html && exec httpd -f -p 127.0.0.1:$2 -h /www" >/dev/null
}
make_container "$db" "$db_port" 1 "db"
make_container "$app" "$app_port" "$app_boot" \
  "<!doctype html><html lang=en><title>app</title><h1 id=real>Hello from the app</h1></html>"

cat > "$work/wakegate.yml" <<YAML
listen: 127.0.0.1:$port
automation: { auto_stop: false, startup_timeout: 30s }
containers:
  $db: { upstream: 127.0.0.1:$db_port }
  $app: { upstream: 127.0.0.1:$app_port, depends_on: [$db] }
routes:
  - { path: /, containers: [$app], upstream: $app }
YAML

bin/wakegate --config "$work/wakegate.yml" > "$work/wakegate.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/health/automation" && break; sleep 0.1; done

asleep() { # both containers stopped, as the proxy sees them
  curl -fs "http://127.0.0.1:$port/health/containers" | python3 -c "
import json, sys
c = json.load(sys.stdin)['containers']
sys.exit(0 if all(c[n]['state'] == 'stopped' for n in ('$app', '$db')) else 1)"
}
put_to_sleep() {
  docker stop -t 2 "$app" "$db" >/dev/null
  for _ in $(seq 1 100); do asleep && return; sleep 0.1; done
  echo "the proxy did not see $app and $db stop" >&2; exit 1
}

drive() { # extra node arguments
  put_to_sleep
  (cd scripts/browser && node waiting-page.mjs --url "http://127.0.0.1:$port/" --upstream "127.0.0.1:$app_port" \
    --real-id real "$@") | tee -a "$work/results.jsonl"
}

echo "== $runs runs with scripts on (app boots in ${app_boot}s, after its db)"
for i in $(seq 1 "$runs"); do
  extra=()
  if [ "$shots" = 1 ] && [ "$i" = 2 ]; then extra=(--screenshot "$PWD/docs/waiting-page.png" --shot-after 1500); fi
  if [ "$shots" = 1 ] && [ "$i" = 3 ]; then extra=(--dark --screenshot "$PWD/docs/waiting-page-dark.png" --shot-after 1500); fi
  drive "${extra[@]}"
done
echo "== 1 run with scripts off"
drive --no-js

python3 - "$work/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
live = [r for r in rows if r['mode'].startswith('scripts on')]
off = [r for r in rows if not r['mode'].startswith('scripts on')]
for r in rows:
    assert r['first_status'] == 503, r
    assert r['navigations'][-1] == 200, r
ms = [r['readiness_to_real_page_ms'] for r in live]
print(f"readiness-to-real-page, scripts on ({len(ms)} runs): median {statistics.median(ms):.0f} ms, "
      f"max {max(ms)} ms, all {ms}")
print(f"readiness-to-real-page, scripts off: {[r['readiness_to_real_page_ms'] for r in off]} ms "
      f"(meta refresh every 2 s)")
bad = [m for m in ms if m >= 500]
sys.exit(1 if bad else 0)
PY
