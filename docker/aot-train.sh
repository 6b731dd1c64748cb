#!/bin/sh
# The training run for the JDK AOT cache (JEP 483/514/515), at image build time: wakegate on
# loopback in front of a busybox httpd, 500 proxied requests, the /health/* endpoints and a 404,
# then SIGTERM; the JVM writes the classes it loaded and linked and the methods' profiles to
# OUT as it exits. No Docker engine is reachable here: the lifecycle's unreachable-engine path
# is what it trains, and the rest is loaded on first use as without a cache.
#   docker/aot-train.sh OUT
set -eu
out=$1
dir=$(mktemp -d)
mkdir -p "$dir/www"
head -c 1024 /dev/zero | tr '\0' x > "$dir/www/1k.txt"
cat > "$dir/wakegate.yml" <<YML
listen: 127.0.0.1:18098
workers: 1
routes:
  - { path: /, upstream: 127.0.0.1:18097 }
YML
httpd -f -p 127.0.0.1:18097 -h "$dir/www" &
upstream=$!
WAKEGATE_CDS=off WAKEGATE_JAVA_OPTS="-XX:AOTCacheOutput=$out" /app/bin/wakegate --config "$dir/wakegate.yml" &
proxy=$!
n=0
until wget -q -O /dev/null http://127.0.0.1:18098/1k.txt; do
  n=$((n + 1)); [ "$n" -lt 300 ] || { echo "aot-train: wakegate did not answer" >&2; exit 1; }
  sleep 0.1
done
i=0
while [ "$i" -lt 500 ]; do
  wget -q -O /dev/null http://127.0.0.1:18098/1k.txt
  i=$((i + 1))
done
for path in /health/automation /health/containers /health/services /health/metrics; do
  wget -q -O /dev/null "http://127.0.0.1:18098$path"
done
wget -q -O /dev/null http://127.0.0.1:18098/nothing-here 2>/dev/null || true
kill "$proxy"
wait "$proxy" || true
kill "$upstream" 2>/dev/null || true
rm -rf "$dir"
[ -s "$out" ] || { echo "aot-train: no AOT cache written to $out" >&2; exit 1; }
