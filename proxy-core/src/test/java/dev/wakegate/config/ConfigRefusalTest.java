package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a config file is refused at start names the file, the key path and the reason. */
class ConfigRefusalTest {

    private static final String FILE = "wakegate.yml";

    private static ConfigException refuse(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, FILE, Map.of()));
        assertThat(e).as("refused: %s", yaml).isNotNull();
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.getMessage()).startsWith(FILE + ": " + e.key() + ": ");
        return e;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"5s", "2h"})
    void refusesAnInstanceTimeoutOutsideItsBounds(String value) {
        ConfigException e = refuse("state: { instance_timeout: " + value + " }");
        assertThat(e.key()).isEqualTo("state.instance_timeout");
        assertThat(e.reason()).contains("between 10s").contains("and 1h").contains("got " + value);
    }

    @Test
    void readsTheInstanceTimeout() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("state: { instance_timeout: 2m }\nroutes: [ { path: /, upstream: 127.0.0.1:1 } ]",
                FILE, java.util.Map.of());
        assertThat(c.state().instanceTimeout()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(ConfigLoader.defaults().state().instanceTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
    }

    @Test
    void refusesUnknownTopLevelKey() {
        ConfigException e = refuse("listen: 127.0.0.1:8000\nlistn: 1\n");
        assertThat(e.key()).isEqualTo("listn");
        assertThat(e.reason()).contains("unknown key").contains("listen");
    }

    @Test
    void refusesUnknownNestedKey() {
        ConfigException e = refuse("automation: { idle_timout: 5m }");
        assertThat(e.key()).isEqualTo("automation.idle_timout");
        assertThat(e.reason()).contains("unknown key").contains("idle_timeout");
    }

    @Test
    void refusesUnknownKeyInContainer() {
        ConfigException e = refuse("containers: { app: { prio: high } }");
        assertThat(e.key()).isEqualTo("containers.app.prio");
        assertThat(e.reason()).contains("unknown key");
    }

    @Test
    void refusesUnknownKeyInRoute() {
        ConfigException e = refuse("routes: [ { path: /a, upstream: 127.0.0.1:1 }, { path: /b, upstrem: x } ]");
        assertThat(e.key()).isEqualTo("routes[1].upstrem");
        assertThat(e.reason()).contains("unknown key");
    }

    @Test
    void refusesUnknownKeyInHealth() {
        ConfigException e = refuse("containers: { app: { health: { grpc: true } } }");
        assertThat(e.key()).isEqualTo("containers.app.health.grpc");
    }

    @Test
    void refusesBadDuration() {
        ConfigException e = refuse("automation: { idle_timeout: 30 minutes }");
        assertThat(e.key()).isEqualTo("automation.idle_timeout");
        assertThat(e.reason()).contains("30 minutes");
    }

    @Test
    void refusesDurationWithoutUnit() {
        ConfigException e = refuse("timeouts: { drain: 30 }");
        assertThat(e.key()).isEqualTo("timeouts.drain");
        assertThat(e.reason()).contains("unit");
    }

    @Test
    void refusesZeroDuration() {
        ConfigException e = refuse("automation: { idle_check_interval: 0s }");
        assertThat(e.key()).isEqualTo("automation.idle_check_interval");
        assertThat(e.reason()).contains("greater than zero");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "workers: 100000                                | workers                       | at most 256, got 100000",
            "workers: 0                                     | workers                       | at least 1, got 0",
            "workers: 99999999999                           | workers                       | at most 256",
            "automation: { idle_check_interval: 1ms }       | automation.idle_check_interval | at least 100ms, got 1ms",
            "automation: { idle_check_interval: 99ms }      | automation.idle_check_interval | at least 100ms",
            "timeouts: { body_read: 0s }                    | timeouts.body_read            | greater than zero",
            "timeouts: { upstream_send: -1s }               | timeouts.upstream_send        | duration",
            "timeouts: { client_send: 5 }                   | timeouts.client_send          | unit",
            "timeouts: { upstream_read: 400d }              | timeouts.upstream_read        | at most 365d, got 400d",
            "timeouts: { docker_call: 99999999999999999d }  | timeouts.docker_call          | too large",
            "timeouts: { body_reed: 10s }                   | timeouts.body_reed            | unknown key",
    })
    void refusesOutOfBoundsValuesNamingTheKey(String yaml, String key, String reason) {
        ConfigException e = refuse(yaml);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @Test
    void acceptsTheBoundsThemselves() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("""
                workers: 256
                automation: { idle_check_interval: 100ms }
                timeouts: { body_read: 365d, upstream_read: 1ms, docker_call: 1s }
                """, FILE, Map.of());
        assertThat(c.workers()).isEqualTo(256);
        assertThat(c.automation().idleCheckInterval()).isEqualTo(java.time.Duration.ofMillis(100));
        assertThat(c.timeouts().bodyRead()).isEqualTo(java.time.Duration.ofDays(365));
        assertThat(c.timeouts().upstreamRead()).isEqualTo(java.time.Duration.ofMillis(1));
        assertThat(c.timeouts().dockerCall()).isEqualTo(java.time.Duration.ofSeconds(1));
    }

    @Test
    void refusesBadContainerIdleTimeout() {
        ConfigException e = refuse("containers: { app: { idle_timeout: soon } }");
        assertThat(e.key()).isEqualTo("containers.app.idle_timeout");
        assertThat(e.reason()).contains("soon");
    }

    @Test
    void refusesBadListenAddress() {
        ConfigException e = refuse("listen: 127.0.0.1");
        assertThat(e.key()).isEqualTo("listen");
        assertThat(e.reason()).contains("HOST:PORT");
    }

    @Test
    void refusesPortOutOfRange() {
        ConfigException e = refuse("containers: { app: { upstream: '127.0.0.1:70000' } }");
        assertThat(e.key()).isEqualTo("containers.app.upstream");
        assertThat(e.reason()).contains("70000");
    }

    @Test
    void refusesBadRouteUpstreamAddress() {
        ConfigException e = refuse("routes: [ { path: /a, upstream: 'host:http' } ]");
        assertThat(e.key()).isEqualTo("routes[0].upstream");
        assertThat(e.reason()).contains("not a number");
    }

    @Test
    void refusesUnknownPriority() {
        ConfigException e = refuse("containers: { app: { priority: urgent } }");
        assertThat(e.key()).isEqualTo("containers.app.priority");
        assertThat(e.reason()).contains("urgent").contains("critical, high, normal or low");
    }

    @Test
    void refusesRouteNamingUndeclaredContainer() {
        ConfigException e = refuse("""
                containers: { app: { upstream: 127.0.0.1:8001 } }
                routes:
                  - { path: /a, containers: [app] }
                  - { path: /b, containers: [app] }
                  - { path: /c, containers: [app, mongodb], upstream: app }
                """);
        assertThat(e.key()).isEqualTo("routes[2].containers[1]");
        assertThat(e.reason()).contains("'mongodb' is not declared");
    }

    @Test
    void refusesRouteUpstreamNamingUndeclaredContainer() {
        ConfigException e = refuse("routes: [ { path: /a, upstream: grafana } ]");
        assertThat(e.key()).isEqualTo("routes[0].upstream");
        assertThat(e.reason()).contains("'grafana' is neither HOST:PORT nor a container declared");
    }

    @Test
    void refusesTcpNamingUndeclaredContainer() {
        ConfigException e = refuse("tcp: [ { listen: 127.0.0.1:15432, container: postgres, upstream: 127.0.0.1:5432 } ]");
        assertThat(e.key()).isEqualTo("tcp[0].container");
        assertThat(e.reason()).contains("'postgres' is not declared");
    }

    @Test
    void refusesDependsOnNamingUndeclaredContainer() {
        ConfigException e = refuse("containers: { grafana: { depends_on: [prometheus] } }");
        assertThat(e.key()).isEqualTo("containers.grafana.depends_on[0]");
        assertThat(e.reason()).contains("'prometheus' is not declared");
    }

    @Test
    void refusesRouteUpstreamContainerWithoutAddress() {
        ConfigException e = refuse("""
                containers: { mongodb: { priority: critical } }
                routes: [ { path: /db, containers: [mongodb], upstream: mongodb } ]
                """);
        assertThat(e.key()).isEqualTo("routes[0].upstream");
        assertThat(e.reason()).contains("'mongodb' has no upstream address");
    }

    @Test
    void refusesOmittedUpstreamWhenNoContainerHasOne() {
        ConfigException e = refuse("""
                containers: { mongodb: {} }
                routes: [ { path: /db, containers: [mongodb] } ]
                """);
        assertThat(e.key()).isEqualTo("routes[0].upstream");
        assertThat(e.reason()).contains("missing");
    }

    @Test
    void refusesOmittedUpstreamWhenTwoContainersHaveOne() {
        ConfigException e = refuse("""
                containers:
                  app: { upstream: 127.0.0.1:8001 }
                  prometheus: { upstream: 127.0.0.1:9090 }
                routes: [ { path: /metrics, containers: [app, prometheus] } ]
                """);
        assertThat(e.key()).isEqualTo("routes[0].upstream");
        assertThat(e.reason()).contains("ambiguous").contains("app and prometheus");
    }

    @Test
    void refusesDependencyCycleNamingIt() {
        ConfigException e = refuse("""
                containers:
                  a: { depends_on: [b] }
                  b: { depends_on: [c] }
                  c: { depends_on: [a] }
                """);
        assertThat(e.key()).isEqualTo("containers.a.depends_on[0]");
        assertThat(e.reason()).isEqualTo("dependency cycle: a -> b -> c -> a");
    }

    @Test
    void refusesContainerDependingOnItself() {
        ConfigException e = refuse("containers: { a: { depends_on: [a] } }");
        assertThat(e.key()).isEqualTo("containers.a.depends_on[0]");
        assertThat(e.reason()).isEqualTo("dependency cycle: a -> a");
    }

    @Test
    void refusesDuplicateRoutePathsAfterNormalisation() {
        ConfigException e = refuse("""
                routes:
                  - { path: /api, upstream: 127.0.0.1:1 }
                  - { path: //api/, upstream: 127.0.0.1:2 }
                """);
        assertThat(e.key()).isEqualTo("routes[1].path");
        assertThat(e.reason()).contains("duplicate route path /api").contains("routes[0]");
    }

    @Test
    void refusesRoutePathWithoutLeadingSlash() {
        ConfigException e = refuse("routes: [ { path: api, upstream: 127.0.0.1:1 } ]");
        assertThat(e.key()).isEqualTo("routes[0].path");
        assertThat(e.reason()).contains("must start with '/'");
    }

    @Test
    void refusesRouteWithoutPath() {
        ConfigException e = refuse("routes: [ { upstream: 127.0.0.1:1 } ]");
        assertThat(e.key()).isEqualTo("routes[0].path");
        assertThat(e.reason()).contains("missing");
    }

    @Test
    void refusesDuplicateTcpListenAddresses() {
        ConfigException e = refuse("""
                tcp:
                  - { listen: 127.0.0.1:15432, upstream: 127.0.0.1:5432 }
                  - { listen: 127.0.0.1:15432, upstream: 127.0.0.1:6379 }
                """);
        assertThat(e.key()).isEqualTo("tcp[1].listen");
        assertThat(e.reason()).contains("duplicate tcp listen address 127.0.0.1:15432");
    }

    @Test
    void refusesTcpListenerOnTheHttpListenAddress() {
        ConfigException e = refuse("listen: 127.0.0.1:8000\ntcp: [ { listen: 127.0.0.1:8000, upstream: 127.0.0.1:1 } ]");
        assertThat(e.key()).isEqualTo("tcp[0].listen");
    }

    @Test
    void refusesZeroWorkers() {
        ConfigException e = refuse("workers: 0");
        assertThat(e.key()).isEqualTo("workers");
        assertThat(e.reason()).contains("at least 1");
    }

    @Test
    void refusesZeroMaxStopsPerCycle() {
        ConfigException e = refuse("automation: { max_stops_per_cycle: 0 }");
        assertThat(e.key()).isEqualTo("automation.max_stops_per_cycle");
        assertThat(e.reason()).contains("at least 1");
    }

    @Test
    void refusesNegativeMinRunning() {
        ConfigException e = refuse("automation: { min_running: -1 }");
        assertThat(e.key()).isEqualTo("automation.min_running");
        assertThat(e.reason()).contains("at least 0");
    }

    @Test
    void refusesNonBooleanSwitch() {
        ConfigException e = refuse("automation: { auto_stop: maybe }");
        assertThat(e.key()).isEqualTo("automation.auto_stop");
        assertThat(e.reason()).contains("true or false");
    }

    @Test
    void refusesBadSize() {
        ConfigException e = refuse("limits: { park_buffer: 64 kilobytes }");
        assertThat(e.key()).isEqualTo("limits.park_buffer");
        assertThat(e.reason()).contains("unit");
    }

    @Test
    void refusesHealthWithBothProbes() {
        ConfigException e = refuse("containers: { app: { health: { http: /h, tcp: true } } }");
        assertThat(e.key()).isEqualTo("containers.app.health");
        assertThat(e.reason()).contains("not both");
    }

    @Test
    void refusesHealthPathWithoutSlash() {
        ConfigException e = refuse("containers: { app: { health: { http: healthz } } }");
        assertThat(e.key()).isEqualTo("containers.app.health.http");
    }

    @Test
    void refusesBadRedisUrl() {
        ConfigException e = refuse("state: { redis: '127.0.0.1:6379' }");
        assertThat(e.key()).isEqualTo("state.redis");
        assertThat(e.reason()).contains("redis://");
    }

    @Test
    void refusesInvalidContainerName() {
        ConfigException e = refuse("containers: { 'my app': {} }");
        assertThat(e.key()).isEqualTo("containers.my app");
        assertThat(e.reason()).contains("not a valid container name");
    }

    @Test
    void refusesSectionThatIsNotAMapping() {
        ConfigException e = refuse("automation: [1, 2]");
        assertThat(e.key()).isEqualTo("automation");
        assertThat(e.reason()).contains("expected a mapping");
    }

    @Test
    void refusesRoutesThatAreNotAList() {
        ConfigException e = refuse("routes: { path: / }");
        assertThat(e.key()).isEqualTo("routes");
        assertThat(e.reason()).contains("expected a list");
    }

    @Test
    void refusesDuplicateKeys() {
        ConfigException e = refuse("workers: 1\nworkers: 2\n");
        assertThat(e.key()).contains("line 2");
        assertThat(e.reason()).contains("Duplicate").contains("workers");
    }

    @Test
    void refusesTextThatIsNotYaml() {
        ConfigException e = refuse("routes: [ { path: /a\n");
        assertThat(e.key()).startsWith("(line ");
        assertThat(e.reason()).startsWith("not valid YAML");
    }

    @Test
    void refusesADocumentThatIsNotAMapping() {
        ConfigException e = refuse("- just\n- a list\n");
        assertThat(e.key()).isEqualTo("(root)");
        assertThat(e.reason()).contains("expected a mapping");
    }

    @Test
    void refusesEmptyFile() {
        ConfigException e = refuse("# only a comment\n");
        assertThat(e.key()).isEqualTo("(file)");
        assertThat(e.reason()).contains("empty");
    }

    @Test
    void refusesMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.key()).isEqualTo("(file)");
        assertThat(e.reason()).isEqualTo("no such file");
    }

    @Test
    void refusesADirectory(@TempDir Path dir) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
        assertThat(e.file()).isEqualTo(dir.toString());
        assertThat(e.reason()).contains("directory");
    }

    @Test
    void refusesUnreadableFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret.yml");
        Files.writeString(file, "workers: 1\n");
        Files.setPosixFilePermissions(file, java.util.Set.of());
        // root reads anything: only meaningful for other users
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(file), "running as root");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.reason()).contains("permission denied");
    }

    @Test
    void refusesBinaryFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("binary.yml");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.reason()).contains("UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            automation: { timezone: Mars/Olympus }                                     | automation.timezone           | unknown time zone 'Mars/Olympus'
            automation: { timezone: '+02:00' }                                         | automation.timezone           | IANA zone name
            containers: { app: { sleep: freeze } }                                     | containers.app.sleep          | unknown sleep mode 'freeze' (expected stop or pause)
            containers: { app: { keep_awake: [ 'mon-fri 08:00-18:00', 'weekends' ] } } | containers.app.keep_awake[1]  | 'weekends' is not a window
            containers: { app: { keep_awake: [ 'mon 25:00-26:00' ] } }                 | containers.app.keep_awake[0]  | not a time of day
            containers: { app: { upstream: 127.0.0.1:1, idle_veto: { grpc: x } } }     | containers.app.idle_veto.grpc | unknown key
            containers: { app: { upstream: 127.0.0.1:1, idle_veto: { http: busy } } }  | containers.app.idle_veto.http | must start with '/'
            containers: { app: { idle_veto: { http: /busy } } }                        | containers.app.idle_veto      | give it upstream
            containers: { app: { upstream: 127.0.0.1:1, idle_veto: /busy } }           | containers.app.idle_veto      | expected a mapping
            containers: { app: { upstream: 127.0.0.1:1, idle_veto: {} } }              | containers.app.idle_veto      | give http: /path
            containers: { app: { keep_awake: 'mon 08:00-09:00' } }                     | containers.app.keep_awake     | expected a list
            """)
    void refusesBadSleepSettingsWithKeyAndReason(String yaml, String key, String reason) {
        ConfigException e = refuse(yaml);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            automation: { min_free_memory: -1 }          | automation.min_free_memory | must be 0 (off) or a positive size
            automation: { min_free_memory: 512 MB }      | automation.min_free_memory | unknown size unit in '512 MB'
            automation: { min_free_memory: lots }        | automation.min_free_memory | expected a size like
            automation: { min_free_memory: 99999999999G } | automation.min_free_memory | too large
            automation: { min_free_memory: [ 1 ] }       | automation.min_free_memory | expected
            """)
    void refusesBadMinFreeMemoryWithKeyAndReason(String yaml, String key, String reason) {
        ConfigException e = refuse(yaml);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @Test
    void readsMinFreeMemoryAsBytesOffByDefaultAndKeptUnderEnvironmentOverrides() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("""
                automation: { min_free_memory: 512MiB }
                routes: [ { path: /, upstream: 127.0.0.1:1 } ]
                """, FILE, Map.of("CONTAINER_IDLE_TIMEOUT", "5"));
        assertThat(c.automation().minFreeMemory()).isEqualTo(512L << 20);
        assertThat(c.automation().sleepsEarlyUnderPressure()).isTrue();
        assertThat(c.automation().idleTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
        ProxyConfig plain = ConfigLoader.parse("""
                automation: { min_free_memory: 1073741824 }
                routes: [ { path: /, upstream: 127.0.0.1:1 } ]
                """, FILE, Map.of());
        assertThat(plain.automation().minFreeMemory()).isEqualTo(1L << 30);
        ProxyConfig off = ConfigLoader.parse("""
                automation: { min_free_memory: 0 }
                routes: [ { path: /, upstream: 127.0.0.1:1 } ]
                """, FILE, Map.of());
        assertThat(off.automation().sleepsEarlyUnderPressure()).isFalse();
        assertThat(ConfigLoader.defaults().automation().minFreeMemory()).isZero();
    }

    @Test
    void readsSleepKeepAwakeIdleVetoAndTimezone() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("""
                automation: { timezone: Europe/Berlin }
                containers:
                  app:
                    upstream: 127.0.0.1:8080
                    sleep: pause
                    keep_awake: [ "mon-fri 08:00-18:00", "sat 10:00-24:00" ]
                    idle_veto: { http: /busy }
                  other: {}
                routes: [ { path: /, upstream: 127.0.0.1:1 } ]
                """, FILE, Map.of());
        assertThat(c.automation().timezone()).isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
        SleepPolicy p = c.containers().get("app").sleep();
        assertThat(p.mode()).isEqualTo(SleepMode.PAUSE);
        assertThat(p.keepAwake()).extracting(KeepAwakeWindow::text).containsExactly("mon-fri 08:00-18:00", "sat 10:00-24:00");
        assertThat(p.idleVeto()).contains(new IdleVeto("/busy"));
        assertThat(c.containers().get("other").sleep()).isEqualTo(SleepPolicy.DEFAULT);
        assertThat(ConfigLoader.defaults().automation().timezone()).isEqualTo(java.time.ZoneId.of("UTC"));
    }
}
