#!/usr/bin/env bash
# Installs and starts what the tests and the demo need on a fresh Debian machine:
# a Docker engine (no bridge, host networking only), Redis on 127.0.0.1:6379, busybox-static
# for locally made images, curl and openssl (TLS clients of the tests), goaccess (a real parser of
# the access log's combined lines), and the load-test peers
# (nginx, HAProxy, wrk). Safe to run again.
set -euo pipefail

need_pkgs=()
command -v dockerd >/dev/null || need_pkgs+=(docker.io)
command -v docker-compose >/dev/null || need_pkgs+=(docker-compose)
dpkg -s busybox-static >/dev/null 2>&1 || need_pkgs+=(busybox-static)
command -v redis-server >/dev/null || need_pkgs+=(redis-server)
# the TLS tests use curl and openssl as real clients (and DockerTlsTest openssl for certificates)
command -v curl >/dev/null || need_pkgs+=(curl)
command -v openssl >/dev/null || need_pkgs+=(openssl)
# the access-log test checks the combined lines with a real log parser
command -v goaccess >/dev/null || need_pkgs+=(goaccess)
if [ "${WAKEGATE_BENCH_TOOLS:-0}" = 1 ]; then
  command -v nginx >/dev/null || need_pkgs+=(nginx-light)
  command -v haproxy >/dev/null || need_pkgs+=(haproxy)
  command -v wrk >/dev/null || need_pkgs+=(wrk)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# Docker engine: reuse a running one; clear a stale pid file left by a killed dockerd.
if ! docker info >/dev/null 2>&1; then
  if ! pgrep -x dockerd >/dev/null; then
    rm -f /var/run/docker.pid
    nohup dockerd --bridge=none --iptables=false --ip-masq=false >/tmp/dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start; see /tmp/dockerd.log" >&2; tail -20 /tmp/dockerd.log >&2; exit 1; }
fi

# Redis for the state-store tests.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# The busybox image every test and demo container is made from (no registry needed).
if ! docker image inspect wakegate/busybox:1 >/dev/null 2>&1; then
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/www" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh httpd nc wget sleep echo cat ls mkdir printf head seq true false kill; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  echo 'root:x:0:0:root:/:/bin/sh' > "$rootfs/etc/passwd"
  tar -C "$rootfs" -c . | docker import -c 'CMD ["/bin/sh"]' - wakegate/busybox:1 >/dev/null
  rm -rf "$rootfs"
fi
echo "machine ready: docker $(docker version --format '{{.Server.Version}}'), redis $(redis-cli -p 6379 ping)"
