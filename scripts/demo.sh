#!/usr/bin/env bash
# The demo: three small containers behind wakegate, all stopped. A request wakes the one its route
# needs (and that one's dependency), then, once idle for the demo's short timeout, they go back to
# sleep. Everything runs on loopback with host networking; the script cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-machine.sh

jar=proxy-server/target/wakegate.jar
if [ ! -f "$jar" ] || [ -n "$(find proxy-core/src proxy-server/src pom.xml -newer "$jar" -print -quit)" ]; then
  echo "== building wakegate"
  mvn -q -B -ntp -DskipTests package
fi

demo_containers=(wakegate-demo-web wakegate-demo-api wakegate-demo-db)
cleanup() {
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null && wait "$proxy_pid" 2>/dev/null || true
  docker rm -f "${demo_containers[@]}" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# One busybox httpd per container, each with a real Docker HEALTHCHECK, created stopped.
make_container() { # name port text
  docker rm -f "$1" >/dev/null 2>&1 || true
  docker create --name "$1" --network host --init --label wakegate.demo=true \
    --health-cmd "busybox wget -q -O /dev/null http://127.0.0.1:$2/ || exit 1" \
    --health-interval 1s --health-timeout 1s --health-retries 3 \
    wakegate/busybox:1 sh -c "mkdir -p /www/api && echo '$3' > /www/index.html && echo '$3' > /www/api/index.html && exec httpd -f -p 127.0.0.1:$2 -h /www" >/dev/null
}
make_container wakegate-demo-web 18081 "hello from web"
make_container wakegate-demo-api 18082 "hello from api"
make_container wakegate-demo-db  18083 "db"

state() { docker inspect -f '{{.Name}}: {{.State.Status}}' "${demo_containers[@]}" | sed 's#^/#  #'; }

echo "== containers before any request (all stopped)"
state

echo "== starting wakegate with config/demo.yml"
bin/wakegate --config config/demo.yml > /tmp/wakegate-demo.log 2>&1 &
proxy_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null http://127.0.0.1:8000/health/automation && break; sleep 0.1; done

echo "== GET /api (route needs wakegate-demo-api, which depends on wakegate-demo-db)"
curl -s -w '  -> HTTP %{http_code} in %{time_total}s\n' http://127.0.0.1:8000/api/
state

echo "== GET /api again (warm)"
curl -s -w '  -> HTTP %{http_code} in %{time_total}s\n' http://127.0.0.1:8000/api/

echo "== /health/containers"
curl -s http://127.0.0.1:8000/health/containers | (python3 -m json.tool 2>/dev/null || cat); echo

idle=$(grep -E '^\s+idle_timeout:' config/demo.yml | head -1 | awk '{print $2}')
echo "== waiting for the idle stop (idle timeout ${idle:-?}, checked every few seconds)"
for _ in $(seq 1 120); do
  if [ "$(docker inspect -f '{{.State.Running}}' wakegate-demo-api)" = false ]; then break; fi
  sleep 1
done
state

echo "== GET /api once more: the sleeping container is woken again"
curl -s -w '  -> HTTP %{http_code} in %{time_total}s\n' http://127.0.0.1:8000/api/
state
echo "== wakegate's lifecycle log"
grep -E 'start|ready|stop' /tmp/wakegate-demo.log | tail -20 || true
