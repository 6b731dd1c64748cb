#!/usr/bin/env bash
# Builds the wakegate image on a machine that cannot pull base images (no registry reachable).
#
#   docker/build-local-image.sh            # -> wakegate/jre-local:<jdk> (once) and wakegate/wakegate:local
#   VERIFY=1 docker/build-local-image.sh   # ...then runs the image and checks it answers HTTP
#
# 1. builds proxy-server/target/wakegate.jar if it is missing (REBUILD_JAR=1 forces it);
# 2. makes the base image wakegate/jre-local:<jdk major> from a local JDK, unless it exists
#    or was made for another set of bundled libraries (REBUILD_BASE=1 forces it): a jlinked
#    runtime (modules from jdeps on the shaded jar), the glibc libraries it links against (found
#    with ldd), and busybox-static for a shell, wget and httpd, imported with `docker import`.
#    The JDK: JLINK_JDK, else JAVA_HOME / the java on PATH (17 here). On 17 the runtime keeps
#    the JDK's default class-data archive, and the launcher writes the app's own archive under
#    /app/.cache when the container first stops, so restarts map it. That measured better than
#    JDK 25 with an AOT cache (docs/benchmarks.md): 76 vs 112 MB, RSS at rest 72 vs 88 MB, a
#    restart's first answer 490 vs 560-610 ms; only a new container's first start is slower
#    (930-970 vs 590-690 ms). JLINK_JDK=<a JDK 25> still builds that variant;
# 3. `docker build -f docker/Dockerfile.local` on top of it: bin/wakegate and the jar, user 10001,
#    HEALTHCHECK, ENTRYPOINT; on JDK 25 a training stage first runs the proxy on loopback (no
#    engine, no network) to write the AOT cache lib/wakegate.aot (AOT=0 leaves it out). The same
#    layout as docker/Dockerfile. Tag: wakegate/wakegate:local (IMAGE=...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/proxy-server/target/wakegate.jar"
image=${IMAGE:-wakegate/wakegate:local}
if [ -n "${JLINK_JDK:-}" ]; then
  java_home=$JLINK_JDK
else
  java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
fi
jdk_version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$java_home/release")
jdk_major=${jdk_version%%.*}
base_image=${BASE_IMAGE:-wakegate/jre-local:$jdk_major}
# Modules jdeps cannot see: TLS ciphers (Redis/Docker over TLS), Unsafe for Netty, JNDI for DNS
# config lookups, JMX for Micrometer's JVM metrics.
extra_modules=jdk.crypto.ec,jdk.unsupported,java.naming,java.management,jdk.management,jdk.net,jdk.zipfs
# Modules jdeps names that nothing wakegate runs needs: java.desktop (java.beans for Jackson's and
# snakeyaml's optional bean support, AWT for JNA's window handles), java.compiler (annotations),
# java.security.jgss (Kerberos for HTTP auth). java.desktop alone is 12 MB of runtime.
drop_modules='^(java\.desktop|java\.compiler|java\.security\.jgss)$'

log() { printf "[build-local-image %ss] %s\n" "$SECONDS" "$*" >&2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v docker >/dev/null || { log "docker client not found"; exit 1; }
docker info >/dev/null 2>&1 || { log "no Docker engine answers (see scripts/setup-machine.sh)"; exit 1; }
for tool in jlink jdeps; do
  [ -x "$java_home/bin/$tool" ] || { log "$java_home/bin/$tool missing: set JLINK_JDK to a full JDK 17 or newer"; exit 1; }
done
[ "${jdk_major:-0}" -ge 17 ] 2>/dev/null || { log "$java_home is JDK '$jdk_version': 17 or newer needed"; exit 1; }
log "runtime from $java_home (JDK $jdk_version)"
busybox=${BUSYBOX:-/bin/busybox}
if ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked' && ! ldd "$busybox" 2>&1 | grep -q 'not a dynamic'; then
  log "$busybox is not static: apt-get install busybox-static"; exit 1
fi

# --- 1. the jar ------------------------------------------------------------------------------
if [ ! -f "$jar" ] || [ "${REBUILD_JAR:-0}" = 1 ]; then
  log "building $jar"
  (cd "$root" && mvn -q -B -DskipTests package)
fi

# --- 2. the base image -----------------------------------------------------------------------
# The base depends on the jar's bundled libraries, not on wakegate's own classes: key it on the
# list of shaded artifacts so a new dependency (maybe needing a new module) rebuilds it, and an
# ordinary code change does not.
deps_key=$( (unzip -p "$jar" 'META-INF/maven/*/pom.properties' 2>/dev/null | grep -v '^#' | sort; echo "$jdk_version") | sha256sum | cut -c1-16)
current_key=$(docker image inspect -f '{{index .Config.Labels "dev.wakegate.jre.deps"}}' "$base_image" 2>/dev/null || true)
if [ "$current_key" != "$deps_key" ] || [ "${REBUILD_BASE:-0}" = 1 ]; then
  log "finding modules with jdeps (about 20 s)"
  modules=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$jar" | tail -1)
  modules=$(printf '%s,%s' "$modules" "$extra_modules" | tr ',' '\n' | grep -Ev "$drop_modules" | sort -u \
    | while read -r m; do [ -n "$("$java_home/bin/java" --list-modules | grep "^$m@")" ] && echo "$m"; done | paste -sd, -)
  log "jlink: $modules"
  rootfs="$work/rootfs"
  mkdir -p "$rootfs"/{bin,etc,tmp,opt,app,etc/wakegate}
  chmod 1777 "$rootfs/tmp"
  compress=--compress=2
  [ "$jdk_major" -ge 21 ] && compress=--compress=zip-6
  # Before 25: the JDK's default class-data archive, which the launcher's archive of the app's
  # classes builds on. On 25 the image's AOT cache holds the JDK's classes too.
  cds_plugin=
  [ "$jdk_major" -lt 25 ] && cds_plugin=--generate-cds-archive
  "$java_home/bin/jlink" --add-modules "$modules" --output "$rootfs/opt/java" \
    --strip-debug --no-header-files --no-man-pages "$compress" $cds_plugin
  # The archive for a heap without compressed pointers (> 32 GB) is 11 MB nobody here uses.
  rm -f "$rootfs/opt/java/lib/server/classes_nocoops.jsa"
  # The symbol table of libjvm.so (5 MB of 30 on JDK 25): a crash report then names fewer native
  # frames; the dynamic symbols that JNI and the attach mechanism use stay.
  if command -v strip >/dev/null; then
    strip --strip-unneeded "$rootfs/opt/java/lib/server/libjvm.so"
  fi
  # Debian's JDK keeps cacerts as a link into /etc; make sure the runtime has real trust anchors.
  if [ ! -s "$rootfs/opt/java/lib/security/cacerts" ] && [ -s "$java_home/lib/security/cacerts" ]; then
    rm -f "$rootfs/opt/java/lib/security/cacerts"
    cp -L "$java_home/lib/security/cacerts" "$rootfs/opt/java/lib/security/cacerts"
  fi

  # Shared libraries: what the launcher and the runtime's .so files resolve to, at the same paths,
  # plus the dynamic loader. The AWT/sound/font natives are left out (the proxy is headless;
  # java.desktop is only there for java.beans), which keeps X11 and friends out of the image.
  find "$rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    ! -name 'libawt*' ! -name 'libsplashscreen.so' ! -name 'libfontmanager.so' ! -name 'libjsound.so' \
    ! -name 'libjawt.so' ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | grep -v "^$rootfs" | sort -u > "$work/libs"
  while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done < "$work/libs"
  log "libraries: $(tr '\n' ' ' < "$work/libs")"

  cp "$busybox" "$rootfs/bin/busybox"
  for applet in sh ash wget nc cat ls id ps sleep env mkdir rm printf echo head tail grep tr sed cut dirname \
      readlink stat kill httpd mktemp; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  cat > "$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
wakegate:x:10001:10001:wakegate:/app:/bin/false
nobody:x:65534:65534:nobody:/:/bin/false
PASSWD
  cat > "$rootfs/etc/group" <<'GROUP'
root:x:0:
wakegate:x:10001:
nogroup:x:65534:
GROUP
  echo 'hosts: files dns' > "$rootfs/etc/nsswitch.conf"
  chown -R 10001:10001 "$rootfs/app"

  log "importing $base_image"
  tar -C "$rootfs" --numeric-owner -c . | docker import \
    -c 'ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/bin' \
    -c "LABEL dev.wakegate.jre.modules=$modules dev.wakegate.jre.deps=$deps_key" \
    -c 'CMD ["java", "-version"]' - "$base_image" >/dev/null
  docker run --rm --network none "$base_image" java -version 2>&1 | sed -n 1p | sed 's/^/[build-local-image] base: /' >&2
fi

# --- 3. the wakegate image -------------------------------------------------------------------
ctx="$work/context"
mkdir -p "$ctx/bin" "$ctx/docker"
cp "$jar" "$ctx/wakegate.jar"
cp "$root/bin/wakegate" "$ctx/bin/wakegate"
cp "$root/docker/aot-train.sh" "$ctx/docker/aot-train.sh"
cp "$root/docker/Dockerfile.local" "$ctx/Dockerfile"
aot=${AOT:-1}
[ "$jdk_major" -ge 25 ] || aot=0
log "docker build -> $image (AOT cache: $([ "$aot" = 1 ] && echo yes || echo no))"
# --network none: the training stage runs on loopback only.
if ! docker build --network none --build-arg "BASE_IMAGE=$base_image" --build-arg "AOT=$aot" \
    -t "$image" "$ctx" >"$work/build.log" 2>&1; then
  log "docker build failed:"; cat "$work/build.log" >&2; exit 1
fi
log "built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"

# --- optional check: the image starts and answers HTTP ---------------------------------------
if [ "${VERIFY:-0}" = 1 ]; then
  port=${VERIFY_PORT:-18099}
  cfg="$work/verify.yml"
  cat > "$cfg" <<YML
listen: 127.0.0.1:$port
workers: 1
routes:
  - { path: /plain, upstream: 127.0.0.1:1 }
YML
  chmod 644 "$cfg"
  name="wakegate-verify-$$"
  trap 'docker rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  docker run -d --name "$name" --label wakegate.test=true --network host \
    -v "$cfg:/etc/wakegate/wakegate.yml:ro" "$image" >/dev/null
  ok=0
  for _ in $(seq 1 60); do
    if code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/automation") && [ "$code" = 200 ]; then ok=1; break; fi
    [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break
    sleep 0.5
  done
  if [ "$ok" = 1 ]; then
    log "verified: GET /health/automation -> 200 from $image"
  else
    log "verify FAILED (last status: ${code:-none}); container log:"
    docker logs "$name" 2>&1 | tail -20 >&2
    exit 1
  fi
fi
